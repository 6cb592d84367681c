"""`hdt ledger …`: verify, checkpoint, prove, consistency and public-key, on a ledger directory.

Works on a copy of the files: no server, no private key. Bad input (a missing directory, a
file cut short, a wrong key) prints one line and exits non-zero, never a traceback.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from ledger.checkpoint import read_latest
from ledger.cosignature import CosignatureVerifier
from ledger.cosigned import COSIGNED, TooFewCosignatures, open_cosigned, read_cosigned
from ledger.errors import InvalidKey, LedgerError
from ledger.export_check import check_export
from ledger.export_check import load as load_export
from ledger.tree import TreeFile
from ledger.verify import load_verifier, verify_ledger

app = typer.Typer(help="Check and prove a HDT ledger offline.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

Dir = Annotated[Path, typer.Argument(help="The ledger directory (or a copy of it).")]


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


def _read_text(path: Path | None, what: str) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {what} {path}: {exc.strerror if isinstance(exc, OSError) else exc}")


def _require_ledger(directory: Path) -> None:
    if not (directory / "entries.log").is_file() or not (directory / "tree.bin").is_file():
        _fail(f"{directory} holds no ledger (no entries.log and tree.bin)")


@app.command()
def verify(
    directory: Dir,
    checkpoint: Annotated[Path | None, typer.Option(
        help="A signed checkpoint you hold: the ledger must still contain its tree.")] = None,
    public_key: Annotated[Path | None, typer.Option(
        help="The ledger's public key (note key text or PEM) to check signatures with; "
             "default: the ledger's own keys/signing.pub.")] = None,
    tree_size: Annotated[int | None, typer.Option(
        min=0, help="Verify only the first TREE_SIZE entries (and the checkpoints up to them), "
                    "ignoring what a running server appends meanwhile.")] = None,
    witness: Annotated[list[str] | None, typer.Option(
        help="A witness's cosignature/v1 verifier key (name+hash+base64) you trust; "
             "repeatable.")] = None,
    min_cosignatures: Annotated[int, typer.Option(
        min=0, help="Refuse unless the cosigned checkpoint (--checkpoint, else the ledger's "
                    "checkpoint.cosigned) carries this many valid cosignatures by --witness "
                    "keys.")] = 0,
) -> None:
    """Recompute the chain, the Merkle tree and every checkpoint signature."""
    key_text = _read_text(public_key, "public key")
    held = _read_text(checkpoint, "checkpoint")
    witnesses = _witness_keys(witness or [])
    if min_cosignatures > len(witnesses):
        _fail(f"--min-cosignatures {min_cosignatures} needs at least that many --witness keys")
    if min_cosignatures or witnesses:
        if held is None:
            held = read_cosigned(directory)
        if held is None:
            _fail(f"{directory} has no cosigned checkpoint ({COSIGNED}); pass --checkpoint")
    with Progress("verifying", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("verify", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            report = verify_ledger(directory, public_key=key_text, checkpoint=held,
                                   progress=progress, tree_size=tree_size)
        except LedgerError as exc:
            _fail(str(exc))
    if not report.ok:
        _fail(f"verification FAILED: {report.message}", 1)
    out.print(f"[bold green]OK[/] {report.message}", soft_wrap=True)
    if held is not None and (min_cosignatures or witnesses):
        _check_cosignatures(directory, key_text, held, witnesses, min_cosignatures)
    if public_key is None:
        out.print("note: signatures were checked against the ledger's own public key; "
                  "pass --public-key to check against a key you trust.", soft_wrap=True)


def _witness_keys(texts: list[str]) -> list[CosignatureVerifier]:
    keys = []
    for text in texts:
        try:
            keys.append(CosignatureVerifier.from_key_text(text))
        except InvalidKey as exc:
            _fail(f"--witness {text!r}: {exc}")
    return keys


def _check_cosignatures(directory: Path, key_text: str | None, note: str,
                        witnesses: list[CosignatureVerifier], needed: int) -> None:
    """The checkpoint verified against the ledger above; now who vouched for it."""
    try:
        origin = json.loads((directory / "ledger.json").read_text())["origin"]
        log = load_verifier(key_text or (directory / "keys" / "signing.pub").read_text(), origin)
        checkpoint, found = open_cosigned(note, log, witnesses, needed)
    except TooFewCosignatures as exc:
        _fail(f"verification FAILED: {exc}", 1)
    except (LedgerError, OSError, ValueError, KeyError) as exc:
        _fail(f"verification FAILED: the cosigned checkpoint: {exc}", 1)
    names = ", ".join(f"{c.witness} at {c.timestamp}" for c in found) or "none"
    out.print(f"[bold green]OK[/] checkpoint of {checkpoint.tree_size} entries cosigned by "
              f"{len(found)} of {len(witnesses)} witness(es) (at least {needed} asked): {names}",
              soft_wrap=True)


@app.command("check-export")
def check_export_command(
    export: Annotated[Path, typer.Argument(help="A patient's export (`exportProven`), JSON.")],
    public_key: Annotated[Path, typer.Option(
        help="The ledger's public key you trust (note key text or PEM).")],
) -> None:
    """Check a patient's proven export offline: the checkpoint's signature, each entry's
    inclusion proof in its tree, and that every resource of the bundle is anchored."""
    key_text = _read_text(public_key, "public key")
    assert key_text is not None
    try:
        document = load_export(export.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _fail(f"{export}: not a readable export ({exc})")
    report = check_export(document, key_text)
    if not report.ok:
        _fail(f"export check FAILED: {report.message}", 1)
    out.print(f"[bold green]OK[/] {report.message}", soft_wrap=True)


@app.command("checkpoint")
def show_checkpoint(directory: Dir) -> None:
    """Print the latest signed checkpoint (C2SP tlog-checkpoint signed note)."""
    _require_ledger(directory)
    note = read_latest(directory)
    if note is None:
        _fail(f"{directory} has no checkpoint yet")
    typer.echo(note, nl=False)


def _tree_size(directory: Path) -> tuple[TreeFile, int]:
    _require_ledger(directory)
    tree = TreeFile(directory / "tree.bin")
    return tree, tree.stored_size


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@app.command()
def prove(
    directory: Dir,
    seq: Annotated[int, typer.Argument(help="The entry to prove (its leaf index).")],
    size: Annotated[int | None, typer.Option(help="Tree size to prove against.")] = None,
) -> None:
    """Print an inclusion proof (JSON) of entry SEQ in the tree of SIZE entries."""
    tree, stored = _tree_size(directory)
    size = stored if size is None else size
    if not 0 <= seq < size <= stored:
        _fail(f"entry {seq} is not in a tree of size {size} (the ledger holds {stored})")
    try:
        leaf = tree.node(0, seq)
        proof = tree.inclusion_proof(seq, size)
        root = tree.root(size)
    except LedgerError as exc:
        _fail(str(exc))
    typer.echo(json.dumps({
        "leaf_index": seq, "tree_size": size, "leaf_hash": _b64(leaf),
        "root_hash": _b64(root), "inclusion_proof": [_b64(p) for p in proof],
    }, indent=2))


@app.command()
def consistency(
    directory: Dir,
    old: Annotated[int, typer.Argument(help="The older tree size.")],
    new: Annotated[int, typer.Argument(help="The newer tree size.")],
) -> None:
    """Print a consistency proof (JSON) from tree size OLD to tree size NEW."""
    tree, stored = _tree_size(directory)
    if not 0 <= old <= new <= stored:
        _fail(f"no consistency proof from {old} to {new} (the ledger holds {stored})")
    try:
        proof = tree.consistency_proof(old, new)
        old_root, new_root = tree.root(old), tree.root(new)
    except LedgerError as exc:
        _fail(str(exc))
    typer.echo(json.dumps({
        "old_size": old, "new_size": new, "old_root": _b64(old_root),
        "new_root": _b64(new_root), "consistency_proof": [_b64(p) for p in proof],
    }, indent=2))


@app.command("public-key")
def public_key(
    directory: Dir,
    pem: Annotated[bool, typer.Option(help="Print PEM instead of the note verifier key.")] = False,
) -> None:
    """Export the checkpoint signing public key."""
    path = directory / "keys" / ("signing.pem" if pem else "signing.pub")
    if not path.is_file():
        _fail(f"{path} is missing: is {directory} a ledger?")
    typer.echo(path.read_text(), nl=False)

