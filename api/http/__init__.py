"""What the server answers over plain HTTP beside GraphQL: the console, the read-only FHIR
facade, the ledger as tlog-tiles, and metrics."""
