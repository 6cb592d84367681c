"""Canonical bytes of a ledger entry (RFC 8785 JSON), and the `LedgerEntry` read back from them.

An entry is the JCS canonical form of

    {"chain":   {"prev": b64, "seq": int, "time": "YYYY-MM-DDTHH:MM:SS.mmmZ"},
     "event":   {"action": str, "actor": str, "key_subject": str, "subjects": [str, ...]},
     "payload": {"ciphertext": b64, "nonce": b64}}

Keys sort so that the chain links come first: a verifier checks `prev`, `seq` and `time` by
comparing a prefix, without parsing JSON. The GCM associated data is the same object without
`payload`. JCS of an object is the concatenation of its members' JCS, so the three parts are
encoded apart (the event by the `rfc8785` package, the all-ASCII chain and payload directly)
and joined; `test_entry.py` holds this equal to `rfc8785.dumps` of the whole.
The entry hash is the RFC 6962 leaf hash of these bytes: one hash links the chain and is
the Merkle leaf.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785

GENESIS_PREV = bytes(32)
TIME_LEN = len("2026-11-25T13:40:00.123Z")
AFTER_TIME = b'"},"event":{'
NONCE_SIZE = 12
TAG_SIZE = 16
"""AES-GCM: a 96-bit nonce, a 128-bit tag after the ciphertext."""
MAX_SEQ = 2**64 - 1
"""No tree of tlog-tiles grows past 2**64 entries: a seq of the most digits an entry has."""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One entry as stored: public metadata, the encrypted payload, and its hash in the chain."""

    seq: int
    time: str
    actor: str
    action: str
    subjects: tuple[str, ...]
    prev_hash: bytes
    key_subject: str
    nonce: bytes
    ciphertext: bytes
    entry_hash: bytes


def b64(data: bytes) -> str:
    """Standard base64 with padding, the encoding of every byte string in an entry."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Strict inverse of `b64`; raises ValueError on anything else."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("not canonical base64") from exc


def format_time(ms: int) -> str:
    """Milliseconds since the epoch as fixed-width ISO-8601 UTC, e.g. 2026-11-25T13:40:00.123Z."""
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def parse_time(text: str) -> int:
    """Inverse of `format_time`."""
    if len(text) != TIME_LEN or text[-1] != "Z" or text[19] != ".":
        raise ValueError(f"not an entry time: {text!r}")
    base = calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))
    return base * 1000 + int(text[20:23])


def event_bytes(actor: str, action: str, subjects: Sequence[str], key_subject: str) -> bytes:
    """JCS of the public event metadata; raises ValueError on values JSON cannot carry exactly."""
    values = [actor, action, key_subject, *subjects]
    if isinstance(subjects, str) or not all(isinstance(v, str) for v in values):
        raise ValueError("actor, action, key_subject and each subject must be strings")
    if not key_subject:
        raise ValueError("key_subject must not be empty")
    event = {"action": action, "actor": actor, "key_subject": key_subject,
             "subjects": list(subjects)}
    try:
        return _JCS_STRINGS.encode(event).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 form, so no JCS form either
        try:
            rfc8785.dumps(event)  # let the reference implementation say why
        except rfc8785.CanonicalizationError as exc:
            raise ValueError(f"metadata cannot be canonicalized: {exc}") from exc
        raise ValueError("metadata cannot be canonicalized") from None


_JCS_STRINGS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
"""JCS of objects whose keys are ASCII and whose values are strings or lists of strings.

For such values RFC 8785 and this C encoder write the same bytes (sorted ASCII keys; the
same escapes: \\", \\\\, \\b \\t \\n \\f \\r, other controls as lowercase \\u00xx;
everything else as UTF-8), at a tenth of the `rfc8785` package's cost per append.
test_entry.py holds the two equal on generated text; `rfc8785` stays the reference.
"""


def chain_bytes(prev_hash: bytes, seq: int, time_text: str) -> bytes:
    """JCS of the chain member (all ASCII, so written directly)."""
    return f'{{"prev":"{b64(prev_hash)}","seq":{seq},"time":"{time_text}"}}'.encode("ascii")


def payload_bytes(nonce: bytes, ciphertext: bytes) -> bytes:
    """JCS of the payload member (all ASCII, so written directly)."""
    return f'{{"ciphertext":"{b64(ciphertext)}","nonce":"{b64(nonce)}"}}'.encode("ascii")


def associated_data(chain: bytes, event: bytes) -> bytes:
    """The GCM associated data: the entry's public metadata, canonical."""
    return b'{"chain":' + chain + b',"event":' + event + b"}"


def entry_bytes(chain: bytes, event: bytes, payload: bytes) -> bytes:
    """The canonical bytes of a whole entry (what is hashed, chained and stored)."""
    return b'{"chain":' + chain + b',"event":' + event + b',"payload":' + payload + b"}"


def entry_size(event_len: int, payload_len: int, seq: int) -> int:
    """The length of entry `seq` whose event metadata (`event_bytes`) is `event_len` bytes and
    whose payload, before it is sealed, is `payload_len` bytes: the entry's length depends on
    nothing else, so what would not fit an entry bundle is known before anything is written."""
    chain = len(chain_bytes(GENESIS_PREV, seq, format_time(0)))
    payload = len(payload_bytes(bytes(NONCE_SIZE), b"")) + 4 * -(-(payload_len + TAG_SIZE) // 3)
    return len(entry_bytes(b"", b"", b"")) + chain + event_len + payload


def chain_prefix(prev_hash: bytes, seq: int) -> bytes:
    """The bytes every well-formed entry `seq` after `prev_hash` starts with, up to its time."""
    return b'{"chain":{"prev":"' + base64.b64encode(prev_hash) + b'","seq":' + str(seq).encode(
    ) + b',"time":"'


def decode(data: bytes, entry_hash: bytes) -> LedgerEntry:
    """Parse entry bytes already checked against their hash; raises ValueError if not an entry.

    Canonical form is not re-checked here (the hash chain vouches for the bytes); it is the
    writer's guarantee, held by `encode(decode(b)) == b` in the tests.
    """
    try:
        obj = json.loads(data)
        chain, event, payload = obj["chain"], obj["event"], obj["payload"]
        entry = LedgerEntry(
            seq=_int(chain["seq"]),
            time=_str(chain["time"]),
            actor=_str(event["actor"]),
            action=_str(event["action"]),
            subjects=tuple(_str(s) for s in event["subjects"]),
            prev_hash=unb64(_str(chain["prev"])),
            key_subject=_str(event["key_subject"]),
            nonce=unb64(_str(payload["nonce"])),
            ciphertext=unb64(_str(payload["ciphertext"])),
            entry_hash=entry_hash,
        )
    except (KeyError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a ledger entry: {exc}") from exc
    return entry


def encode(entry: LedgerEntry) -> bytes:
    """The canonical bytes of `entry` (inverse of `decode`)."""
    return entry_bytes(
        chain_bytes(entry.prev_hash, entry.seq, entry.time),
        event_bytes(entry.actor, entry.action, entry.subjects, entry.key_subject),
        payload_bytes(entry.nonce, entry.ciphertext),
    )


def entry_aad(entry: LedgerEntry) -> bytes:
    """The associated data `entry`'s payload was sealed with."""
    return associated_data(
        chain_bytes(entry.prev_hash, entry.seq, entry.time),
        event_bytes(entry.actor, entry.action, entry.subjects, entry.key_subject),
    )


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value
