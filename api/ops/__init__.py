"""Operating a server: the demo hospital, backups, and the audit of the graph against the ledger."""
