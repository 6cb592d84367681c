"""The twin's rules: who may do what, validation, clinical scores, and the one writer that
records every change in the ledger and projects it onto the graph. Nothing here knows GraphQL
once the command layer is complete."""
