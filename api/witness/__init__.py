"""Witnesses: HDT submitting its checkpoints to them (client.py), and HDT as a witness for
other logs (server.py, `hdt witness`). The rules of cosigning are ledger/witness.py."""
