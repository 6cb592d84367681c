"""C2SP signed notes with Ed25519 keys, named and hashed as golang.org/x/mod/sumdb/note does.

A note is UTF-8 text ending in a newline, a blank line, then signature lines
"— <name> <base64(4-byte key hash || signature)>". The key hash is the first four bytes of
SHA-256(name || "\\n" || 0x01 || public key); a verifier key is written
"<name>+<hex key hash>+<base64(0x01 || public key)>".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import InvalidKey, InvalidNote

ALG_ED25519 = b"\x01"
SIG_PREFIX = "\u2014 "  # em dash, space
MAX_NOTE = 1 << 20


def key_hash(name: str, public_key: bytes, alg: bytes = ALG_ED25519) -> bytes:
    """The 4-byte id of a key: SHA-256(name || "\\n" || alg || key)[:4] (alg 0x01 for note
    signatures, 0x04 for tlog-cosignature/v1)."""
    return hashlib.sha256(name.encode() + b"\n" + alg + public_key).digest()[:4]


def parse_key_text(text: str, alg: bytes) -> tuple[str, bytes]:
    """The name and Ed25519 public key of verifier key text name+hexhash+base64(alg||key);
    raises InvalidKey on any mismatch (another algorithm, a hash that does not match)."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not _valid_name(parts[0]) or len(parts[1]) != 8 or (
        parts[1] != parts[1].lower()
    ):
        raise InvalidKey("not a note verifier key (want name+hexhash+base64key)")
    name, hex_hash, blob = parts
    try:
        raw = base64.b64decode(blob, validate=True)
        want_hash = bytes.fromhex(hex_hash)
    except (binascii.Error, ValueError):
        raise InvalidKey("the verifier key is not valid hex and base64") from None
    if base64.b64encode(raw).decode() != blob:
        raise InvalidKey("the verifier key is not canonical base64")
    if len(raw) != 33 or raw[:1] != alg:
        kind = "an Ed25519 key" if alg == ALG_ED25519 else "an Ed25519 cosignature/v1 key"
        raise InvalidKey(f"the verifier key is not {kind}")
    if key_hash(name, raw[1:], alg) != want_hash:
        raise InvalidKey("the verifier key's hash does not match its name and key")
    return name, raw[1:]


def _valid_name(name: str) -> bool:
    return bool(name) and not any(c.isspace() or c == "+" for c in name)


@dataclass(frozen=True, slots=True)
class NoteVerifier:
    """A named Ed25519 public key that checks note signatures."""

    name: str
    public_key: bytes

    @property
    def key_hash(self) -> bytes:
        return key_hash(self.name, self.public_key)

    def key_text(self) -> str:
        """The verifier key as text: name+hexhash+base64(0x01||key)."""
        blob = base64.b64encode(ALG_ED25519 + self.public_key).decode()
        return f"{self.name}+{self.key_hash.hex()}+{blob}"

    def pem(self) -> bytes:
        """The public key as SubjectPublicKeyInfo PEM (the name is not part of it)."""
        return Ed25519PublicKey.from_public_bytes(self.public_key).public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @classmethod
    def from_key_text(cls, text: str) -> NoteVerifier:
        """Parse name+hexhash+base64 key text; raises InvalidKey on any mismatch."""
        return cls(*parse_key_text(text, ALG_ED25519))

    @classmethod
    def from_pem(cls, pem: bytes, name: str) -> NoteVerifier:
        """An Ed25519 PEM public key, under the note name its signatures carry."""
        try:
            key = serialization.load_pem_public_key(pem)
        except ValueError:
            raise InvalidKey("not a PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidKey("the PEM key is not an Ed25519 key")
        return cls(name, key.public_bytes_raw())

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


class NoteSigner:
    """A named Ed25519 private key that signs notes."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        if not _valid_name(name):
            raise ValueError(f"invalid note key name {name!r}")
        self.name = name
        self._key = private_key
        self.verifier = NoteVerifier(name, private_key.public_key().public_bytes_raw())

    def sign(self, text: str) -> str:
        """The signed note of `text` (which must be valid note text)."""
        if not _valid_text(text):
            raise ValueError("note text must be non-empty lines, each ending in a newline")
        sig = self._key.sign(text.encode())
        blob = base64.b64encode(self.verifier.key_hash + sig).decode()
        return f"{text}\n{SIG_PREFIX}{self.name} {blob}\n"


def _valid_text(text: str) -> bool:
    return (
        text.endswith("\n")
        and "\n\n" not in text
        and not text.startswith("\n")
        and all(c == "\n" or ord(c) >= 0x20 for c in text)
    )


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The text of `note` and its signature lines as (key name, key hash || signature),
    none of them checked; InvalidNote if the note is malformed."""
    if len(note) > MAX_NOTE:
        raise InvalidNote("malformed note: too long")
    split = note.rfind("\n\n")
    if split < 0:
        raise InvalidNote("malformed note: no blank line before the signatures")
    text, sig_block = note[: split + 1], note[split + 2 :]
    if not _valid_text(text) or not sig_block.endswith("\n"):
        raise InvalidNote("malformed note")
    return text, [_parse_signature(line) for line in sig_block[:-1].split("\n")]


def open_note(note: str, verifier: NoteVerifier) -> str:
    """The text of `note` if it carries a valid signature by `verifier`; else InvalidNote.

    Signatures by other keys are ignored; a signature that names this key but does not
    verify is an error, not ignored.
    """
    text, signatures = split_note(note)
    found = False
    for name, sig in signatures:
        if name != verifier.name or sig[:4] != verifier.key_hash:
            continue
        if not verifier.verify(text.encode(), sig[4:]):
            raise InvalidNote(f"invalid signature for key {verifier.name}+{sig[:4].hex()}")
        found = True
    if not found:
        raise InvalidNote(f"no signature by key {verifier.key_text()}")
    return text


def _parse_signature(line: str) -> tuple[str, bytes]:
    if not line.startswith(SIG_PREFIX):
        raise InvalidNote("malformed note: a signature line must start with an em dash")
    name, _, blob = line[len(SIG_PREFIX) :].partition(" ")
    if not _valid_name(name) or " " in blob:
        raise InvalidNote("malformed note: bad signature line")
    try:
        sig = base64.b64decode(blob, validate=True)
    except binascii.Error:
        raise InvalidNote("malformed note: signature is not base64") from None
    if len(sig) < 5 or base64.b64encode(sig).decode() != blob:
        raise InvalidNote("malformed note: signature too short or not canonical base64")
    return name, sig
