"""Append-only record files: length-prefixed, hashed frames, and the entry chain walked over them.

A frame is `len:u32be | crc32(len):u32be | body | SHA-256(0x00 || body)`. The header checksum
tells a damaged length from a short file, and the trailing hash both checks the body and,
for entries, is the entry hash (the RFC 6962 leaf hash). Reading frames back tells three
cases apart: whole records, a torn tail (the file ends inside the last record, or only
zero bytes follow: a crash mid-append), and damage anywhere else (LedgerCorrupted with the
seq of the first bad record). Nothing here rewrites a byte before the end of a file.
"""

from __future__ import annotations

import binascii
import hashlib
import mmap
import os
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ledger.durable import write_all
from ledger.entry import AFTER_TIME, GENESIS_PREV, TIME_LEN, chain_prefix
from ledger.errors import LedgerCorrupted, TornTail

FORMAT = "hdt-ledger/1"
"""The on-disk format this code reads and writes (named in ledger.json)."""

Buffer = bytes | mmap.mmap
"""A whole file's bytes: read into memory, or mapped."""

HEADER = struct.Struct(">II")
HASH_SIZE = 32
MAX_BODY = 1 << 26
_LEAF = hashlib.sha256(b"\x00")
_HEAD = b'{"chain":{"prev":"'


def encode_frame(body: bytes, digest: bytes) -> bytes:
    """The stored form of one record; `digest` must be SHA-256(0x00 || body)."""
    size = len(body).to_bytes(4, "big")
    return size + zlib.crc32(size).to_bytes(4, "big") + body + digest


def frames(
    buf: Buffer, start: int = 0, seq: int = 0
) -> Iterator[tuple[int, int, bytes]]:
    """Yield (body_start, body_end, digest) of each whole record from `start`, numbered from `seq`.

    Raises TornTail at a torn last record and LedgerCorrupted at any other damage; a body
    is yielded only after its digest checked out.
    """
    end = len(buf)
    pos = start
    while pos < end:
        if end - pos < HEADER.size:
            raise _frame_damage(buf, pos, seq)
        size, check = HEADER.unpack_from(buf, pos)
        body_start = pos + HEADER.size
        body_end = body_start + size
        frame_end = body_end + HASH_SIZE
        if frame_end > end or size > MAX_BODY or zlib.crc32(buf[pos : pos + 4]) != check:
            raise _frame_damage(buf, pos, seq)
        digest = buf[body_end:frame_end]
        h = _LEAF.copy()
        h.update(buf[body_start:body_end])
        if h.digest() != digest:
            raise LedgerCorrupted(
                seq, "was altered: its content does not match its recorded hash", offset=pos
            )
        yield body_start, body_end, digest
        pos = frame_end
        seq += 1


def entry_frames(
    buf: Buffer,
    start: int = 0,
    seq: int = 0,
    prev: bytes = GENESIS_PREV,
    last_time: bytes = b"",
) -> Iterator[tuple[int, int, bytes]]:
    """`frames`, plus the chain: each entry names its seq, the previous entry's hash, and a
    time no earlier than the one before. Yields (body_start, body_end, entry_hash).

    One loop, not `frames` wrapped, because this is the verifier's hot path: the links are
    checked as a byte prefix (see entry.py), without parsing JSON.
    """
    end = len(buf)
    unpack = HEADER.unpack_from
    crc32 = zlib.crc32
    leaf = _LEAF.copy
    b64 = binascii.b2a_base64
    pos = start
    while pos < end:
        if end - pos < HEADER.size:
            raise _frame_damage(buf, pos, seq)
        size, check = unpack(buf, pos)
        body_start = pos + HEADER.size
        body_end = body_start + size
        frame_end = body_end + HASH_SIZE
        if frame_end > end or size > MAX_BODY or crc32(buf[pos : pos + 4]) != check:
            raise _frame_damage(buf, pos, seq)
        h = leaf()
        h.update(buf[body_start:body_end])
        digest = h.digest()
        if digest != buf[body_end:frame_end]:
            raise LedgerCorrupted(
                seq, "was altered: its content does not match its recorded hash", offset=pos
            )
        link = _HEAD + b64(prev, newline=False) + b'","seq":%d,"time":"' % seq
        time_start = body_start + len(link)
        time_end = time_start + TIME_LEN
        if (
            buf[body_start:time_start] != link
            or buf[time_end : time_end + len(AFTER_TIME)] != AFTER_TIME
        ):
            raise _chain_break(bytes(buf[body_start:body_end]), seq, prev, pos)
        entry_time = buf[time_start:time_end]
        if entry_time < last_time:
            raise LedgerCorrupted(
                seq, "is out of order: its time is earlier than the entry before", offset=pos
            )
        yield body_start, body_end, digest
        prev, last_time = digest, entry_time
        pos = frame_end
        seq += 1


def _frame_damage(buf: Buffer, pos: int, seq: int) -> LedgerCorrupted:
    """Classify a frame at `pos` that does not read: a torn tail, or damage."""
    end = len(buf)
    if end - pos < HEADER.size:
        return TornTail(seq, "is cut short: the file ends inside its header", offset=pos)
    size, check = HEADER.unpack_from(buf, pos)
    if zlib.crc32(buf[pos : pos + 4]) != check or size > MAX_BODY:
        if not any(buf[pos:]):
            return TornTail(seq, "is cut short: only zero bytes follow", offset=pos)
        return LedgerCorrupted(seq, "was altered: its record header is damaged", offset=pos)
    return TornTail(seq, "is cut short: the file ends inside it", offset=pos)


def _chain_break(body: bytes, seq: int, prev: bytes, offset: int) -> LedgerCorrupted:
    """Say which link broke, for a body that does not start as entry `seq` after `prev`."""
    head = chain_prefix(prev, seq)
    prev_part = head[: head.index(b'","seq"')]
    if body.startswith(prev_part[:18]) and not body.startswith(prev_part):
        if seq == 0:
            return LedgerCorrupted(0, "does not start the chain: its prev hash is not zero")
        return LedgerCorrupted(
            seq - 1,
            f"was altered: its hash does not match the chain (entry {seq} names another)",
            offset=offset,
        )
    if body.startswith(prev_part) and not body.startswith(head):
        return LedgerCorrupted(seq, "is out of place: it does not carry its seq", offset=offset)
    return LedgerCorrupted(seq, "is not a well-formed entry", offset=offset)


@contextmanager
def mapped(path: Path) -> Iterator[Buffer]:
    """A read-only map of a whole file (b"" for an empty one)."""
    with path.open("rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            yield b""
            return
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            yield m


class AppendFile:
    """One append-only file: writes go to the end, `sync` makes them durable, reads use pread.

    Not thread-safe for writers (the ledger has one writer thread); `read` is safe from any
    thread for bytes below the durable size.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        self.size = os.fstat(self._fd).st_size

    def append(self, data: bytes) -> None:
        os.lseek(self._fd, self.size, os.SEEK_SET)
        write_all(self._fd, data)
        self.size += len(data)

    def sync(self) -> None:
        os.fdatasync(self._fd)

    def truncate(self, size: int) -> None:
        """Cut the file back to `size` (used only to drop a torn or failed tail), durably."""
        os.ftruncate(self._fd, size)
        os.fsync(self._fd)
        self.size = size

    def read(self, offset: int, length: int) -> bytes:
        data = os.pread(self._fd, length, offset)
        if len(data) != length:
            raise LedgerCorrupted(None, f"{self.path.name} is shorter than expected", offset=offset)
        return data

    def close(self) -> None:
        os.close(self._fd)
