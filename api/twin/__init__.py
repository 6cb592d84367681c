"""The twin's rules, apart from GraphQL: the commands (care, surgery, discharge, medication)
over plain values, who may do what, validation, clinical scores, and the one writer that
records every change in the ledger and projects it onto the graph."""
