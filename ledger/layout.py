"""A ledger directory: which file holds what, the lock that keeps it to one writer, its keys.

Layout (all files append-only but `checkpoint`, `ledger.json` and the key files):
    ledger.json       format and origin, written once
    entries.log       the entries, as frames (see store.py)
    tree.bin          every complete Merkle subtree hash, post-order (see tree.py)
    checkpoint        the latest signed checkpoint; checkpoints.log: all issued (checkpoint.py)
    keys/             master, signing and per-subject data keys (see keys.py)
    lock              held (flock) by the one process that has the ledger open
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ledger.durable import write_atomic
from ledger.errors import LedgerCorrupted, LedgerLocked, OriginMismatch
from ledger.keys import DataKeys, Wrapper, load_master_key, load_signing_key, sealed
from ledger.note import NoteSigner
from ledger.store import FORMAT

META, ENTRIES, TREE, LOCK, KEYS = "ledger.json", "entries.log", "tree.bin", "lock", "keys"


@dataclass(frozen=True, slots=True)
class Claimed:
    """A ledger directory this process holds: its lock file descriptor and its keys."""

    lock_fd: int
    keys: DataKeys
    signer: NoteSigner


def claim(path: Path, origin: str, master_key: bytes | None) -> Claimed:
    """Take the directory's lock, then check or create ledger.json and the keys.

    Creates `path` and the keys on first use. Raises LedgerLocked if another process holds
    the ledger, OriginMismatch, LedgerCorrupted for an unknown format, WrongMasterKey or
    KeyMissing from the keys; the lock is released again on any failure.
    """
    path.mkdir(parents=True, exist_ok=True)
    lock_fd = lock(path / LOCK)
    try:
        _check_meta(path, origin)
        keys_dir = path / KEYS
        keys_dir.mkdir(mode=0o700, exist_ok=True)
        wrapper = Wrapper(load_master_key(keys_dir, master_key))
        signer = NoteSigner(origin, load_signing_key(keys_dir, wrapper))
        _write_public_keys(keys_dir, signer)
        if not (path / META).exists():
            meta = {"format": FORMAT, "origin": origin}
            write_atomic(path / META, json.dumps(meta).encode() + b"\n")
        return Claimed(lock_fd, DataKeys(keys_dir / "subjects", wrapper), signer)
    except BaseException:
        os.close(lock_fd)
        raise


def has_keys(path: Path) -> bool:
    """True when the ledger in `path` has keys sealed by its master key, which must then be
    given to open it: a caller that keeps the master key itself checks this before making
    a new one."""
    return sealed(path / KEYS)


def lock(path: Path) -> int:
    """An exclusive, non-blocking flock on `path`; the lock lasts while the fd stays open."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LedgerLocked(f"{path.parent} is open in another process") from None
    return fd


def _check_meta(path: Path, origin: str) -> None:
    meta_path = path / META
    if not meta_path.exists():
        return
    meta = json.loads(meta_path.read_text())
    if meta.get("format") != FORMAT:
        raise LedgerCorrupted(None, f"has an unknown format {meta.get('format')!r}")
    if meta.get("origin") != origin:
        raise OriginMismatch(f"the ledger's origin is {meta.get('origin')!r}, not {origin!r}")


def _write_public_keys(keys_dir: Path, signer: NoteSigner) -> None:
    """Export the public key next to the private one, rewriting it if it does not match."""
    text = (signer.verifier.key_text() + "\n").encode()
    for name, data in (("signing.pub", text), ("signing.pem", signer.verifier.pem())):
        path = keys_dir / name
        if not path.exists() or path.read_bytes() != data:
            write_atomic(path, data)
