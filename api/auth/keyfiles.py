"""The server's own secrets on disk, outside the ledger directory: read, or made on first start.

`<data dir>/keys/` holds the master key (wraps the ledger's data keys) and the token signing
key. The ledger directory can then be copied to an auditor as it is: it holds no secret that
opens a payload.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

SECRET_MODE = 0o600


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The bytes in `path`, or new ones from `make()` written with mode 0600 (never replaced:
    creation fails rather than overwrite a key written meanwhile)."""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_MODE)
    try:
        os.write(fd, secret)
        os.fsync(fd)
    finally:
        os.close(fd)
    return secret


def master_key(path: Path) -> bytes:
    """32 random bytes for AES-256 key wrapping."""
    return read_or_create(path, lambda: os.urandom(32))
