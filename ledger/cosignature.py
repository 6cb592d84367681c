"""C2SP tlog-cosignature/v1 (Ed25519): a witness's timestamped signature on a checkpoint.

A cosignature is a note signature line "— <witness name> base64(key id || timestamp ||
signature)": the key id is SHA-256(name || "\\n" || 0x04 || public key)[:4], the timestamp
a big-endian u64 of POSIX seconds, and the signature is over
"cosignature/v1\\ntime <timestamp>\\n" followed by the checkpoint's note text.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import InvalidNote
from ledger.note import SIG_PREFIX, key_hash, parse_key_text, split_note

ALG_COSIGNATURE_V1 = b"\x04"
MAX_TIMESTAMP = (1 << 63) - 1


def signed_message(text: str, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: a header line, the time line, the checkpoint text."""
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


@dataclass(frozen=True, slots=True)
class CosignatureVerifier:
    """A witness's name and Ed25519 public key: checks its cosignatures."""

    name: str
    public_key: bytes

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, self.public_key, ALG_COSIGNATURE_V1)

    def key_text(self) -> str:
        """The vkey: name+hexhash+base64(0x04||key), as litewitness prints it."""
        blob = base64.b64encode(ALG_COSIGNATURE_V1 + self.public_key).decode()
        return f"{self.name}+{self.key_hash.hex()}+{blob}"

    @classmethod
    def from_key_text(cls, text: str) -> CosignatureVerifier:
        """Parse a cosignature/v1 vkey; raises InvalidKey on any mismatch."""
        return cls(*parse_key_text(text, ALG_COSIGNATURE_V1))

    def timestamp(self, text: str, signature: bytes) -> int | None:
        """The time of `signature` (key id || timestamp || Ed25519 signature) if it is this
        witness's valid cosignature of the note text `text`, else None."""
        if len(signature) != 4 + 8 + 64 or signature[:4] != self.key_hash:
            return None
        stamp = int.from_bytes(signature[4:12], "big")
        if stamp > MAX_TIMESTAMP:
            return None
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(
                signature[12:], signed_message(text, stamp))
        except InvalidSignature:
            return None
        return stamp


class CosignatureSigner:
    """A witness's named Ed25519 key: cosigns checkpoint texts it has checked."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        self.name = name
        self._key = private_key
        self.verifier = CosignatureVerifier(name, private_key.public_key().public_bytes_raw())

    def cosign(self, text: str, timestamp: int | None = None) -> str:
        """The signature line (ending in a newline) cosigning note text `text`."""
        stamp = int(time.time()) if timestamp is None else timestamp
        if not 0 < stamp <= MAX_TIMESTAMP:
            raise ValueError("a cosignature's timestamp must be a positive POSIX time")
        sig = self._key.sign(signed_message(text, stamp))
        blob = base64.b64encode(self.verifier.key_hash + stamp.to_bytes(8, "big") + sig)
        return f"{SIG_PREFIX}{self.name} {blob.decode()}\n"


@dataclass(frozen=True, slots=True)
class Cosignature:
    """A valid cosignature found on a note: whose, and when it was made."""

    witness: str
    timestamp: int


def cosignatures(note: str, witnesses: Iterable[CosignatureVerifier]) -> list[Cosignature]:
    """The valid cosignatures on `note` by `witnesses`, one per witness at most.

    Lines by other keys are ignored, as the signed-note spec asks; a line that names a
    known witness key but does not verify counts for nothing. InvalidNote if the note is
    malformed.
    """
    text, lines = split_note(note)
    by_id = {(w.name, w.key_hash): w for w in witnesses}
    found: dict[str, Cosignature] = {}
    for name, sig in lines:
        witness = by_id.get((name, sig[:4]))
        if witness is None or name in found:
            continue
        stamp = witness.timestamp(text, sig)
        if stamp is not None:
            found[name] = Cosignature(name, stamp)
    return list(found.values())


def add_signatures(note: str, lines: Sequence[str]) -> str:
    """`note` with the signature `lines` appended, each once (the note keeps its own)."""
    text, _ = split_note(note)
    have = set(note[len(text) + 1 :].splitlines(keepends=True))
    extra = []
    for line in lines:
        if not line.startswith(SIG_PREFIX) or not line.endswith("\n") or "\n" in line[:-1]:
            raise InvalidNote("not a signature line")
        if line not in have:
            have.add(line)
            extra.append(line)
    return note + "".join(extra)
