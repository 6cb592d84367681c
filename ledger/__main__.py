"""`python -m ledger`: the ledger CLI on its own."""

from ledger.cli import app

app(prog_name="python -m ledger")
