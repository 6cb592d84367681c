"""`hdt witness …`: run HDT as a tlog-witness for other logs (one hospital witnessing another).

The witness's directory holds its key and what it cosigned; the logs it witnesses are
named by their note verifier keys (the key's name is the log's origin), as litewitness's
database names them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from api import logs
from api.witness.server import create_witness_app
from ledger.errors import InvalidKey
from ledger.note import NoteVerifier
from ledger.witness import Witness

app = typer.Typer(no_args_is_help=True, help="Run HDT as a C2SP tlog-witness for other logs.")
err = Console(stderr=True, highlight=False)

Directory = Annotated[Path, typer.Option("--dir", help="The witness's directory (its key, "
                                         "the trees it cosigned); created on first use.")]
Name = Annotated[str, typer.Option(help="The witness's name, a schema-less URL "
                                   "(e.g. witness.hospital-b.example).")]


@app.command()
def key(directory: Directory, name: Name) -> None:
    """Print the witness's cosignature verifier key (made on first use)."""
    witness = Witness(directory, name, [])
    typer.echo(witness.signer.verifier.key_text())
    witness.close()


@app.command()
def serve(
    directory: Directory,
    name: Name,
    log: Annotated[list[str], typer.Option(
        help="A log to witness: its note verifier key (origin+hash+key); repeatable.")],
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 7380,
    log_level: Annotated[str, typer.Option(help="Log level.")] = "INFO",
) -> None:
    """Serve C2SP tlog-witness add-checkpoint for the logs given."""
    try:
        verifiers = [NoteVerifier.from_key_text(text) for text in log]
    except InvalidKey as exc:
        err.print(f"[bold red]error:[/] --log: {exc}")
        raise typer.Exit(2) from None
    logs.configure(log_level)
    witness = Witness(directory, name, verifiers)
    err.print(f"witness {name} vkey={witness.signer.verifier.key_text()}", soft_wrap=True)
    try:
        uvicorn.run(create_witness_app(witness), host=host, port=port, log_config=None)
    finally:
        witness.close()
