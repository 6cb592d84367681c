"""The ledger's keys: a master key, per-subject data keys wrapped by it, and the signing key.

Layout under `<ledger>/keys/` (files 0600):
    master.key          32 random bytes, only when the master key is not given by the caller
    signing.key         the Ed25519 seed, wrapped by the master key
    signing.pub         the note verifier key text (public)
    signing.pem         the same public key as SubjectPublicKeyInfo PEM (public)
    subjects/<h>.key    a subject's AES-256 data key, wrapped; <h> = SHA-256 of the subject id
    subjects/<h>.erased tombstone left when a subject's key was destroyed
Nothing here is ever written into the ledger's entries.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.durable import destroy, fsync_dir, write_atomic, write_new
from ledger.errors import ErasedSubject, KeyMissing, WrongMasterKey

KEY_SIZE = 32
NONCE_SIZE = 12
SECRET_MODE = 0o600


class Wrapper:
    """Seals small secrets under the master key (AES-256-GCM, labelled by purpose)."""

    def __init__(self, master_key: bytes) -> None:
        if not isinstance(master_key, bytes) or len(master_key) != KEY_SIZE:
            raise ValueError(f"the master key must be {KEY_SIZE} bytes")
        self._aead = AESGCM(master_key)

    def wrap(self, secret: bytes, label: bytes) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, secret, label)

    def unwrap(self, blob: bytes, label: bytes) -> bytes:
        try:
            return self._aead.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], label)
        except InvalidTag:
            raise WrongMasterKey("the master key does not open this ledger's keys") from None


def load_master_key(keys_dir: Path, given: bytes | None) -> bytes:
    """The given master key, else the one in keys/master.key, generated on the ledger's first start.

    Refuses to generate a new one for a ledger that already has keys: that would orphan them.
    """
    if given is not None:
        Wrapper(given)  # validates the size
        return given
    path = keys_dir / "master.key"
    if path.exists():
        key = path.read_bytes()
        if len(key) != KEY_SIZE:
            raise WrongMasterKey(f"{path} does not hold a {KEY_SIZE}-byte key")
        return key
    if sealed(keys_dir):
        raise KeyMissing(f"{path} is missing and no master key was given")
    key = os.urandom(KEY_SIZE)
    _create_secret(path, key)
    return key


def sealed(keys_dir: Path) -> bool:
    """True once a master key has sealed keys here: a new master key would not open them."""
    return (keys_dir / "signing.key").exists()


def load_signing_key(keys_dir: Path, wrapper: Wrapper) -> Ed25519PrivateKey:
    """The ledger's Ed25519 checkpoint key, generated (and stored wrapped) on first open."""
    path = keys_dir / "signing.key"
    label = b"hdt-ledger signing key"
    if path.exists():
        return Ed25519PrivateKey.from_private_bytes(wrapper.unwrap(path.read_bytes(), label))
    seed = os.urandom(KEY_SIZE)
    write_atomic(path, wrapper.wrap(seed, label), SECRET_MODE)
    return Ed25519PrivateKey.from_private_bytes(seed)


def _create_secret(path: Path, data: bytes) -> None:
    write_new(path, data, SECRET_MODE)
    fsync_dir(path.parent)


def key_file_stem(subject: str) -> str:
    """The name of a subject's data key file (`.key`) or its erasure tombstone (`.erased`),
    less the suffix: a digest, so that the directory tells no subject's id."""
    return hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()


class DataKeys:
    """Per-subject AES-256-GCM data keys: created on first use, destroyed by `erase`.

    Thread-safe. A key returned by `create` is durable once `sync()` has returned.
    """

    def __init__(self, directory: Path, wrapper: Wrapper) -> None:
        self._dir = directory
        self._wrapper = wrapper
        self._cache: dict[str, AESGCM] = {}
        self._lock = threading.Lock()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _paths(self, subject: str) -> tuple[Path, Path]:
        name = key_file_stem(subject)
        return self._dir / f"{name}.key", self._dir / f"{name}.erased"

    @staticmethod
    def _label(subject: str) -> bytes:
        return b"hdt-ledger data key\x00" + subject.encode("utf-8", "surrogatepass")

    def get(self, subject: str) -> AESGCM:
        """The subject's key; ErasedSubject if it was destroyed, KeyMissing if it never existed."""
        with self._lock:
            return self._get(subject, create=False)

    def get_or_create(self, subject: str) -> AESGCM:
        """The subject's key, made now if it has none (durable after the next `sync`)."""
        with self._lock:
            return self._get(subject, create=True)

    def _get(self, subject: str, *, create: bool) -> AESGCM:
        aead = self._cache.get(subject)
        if aead is not None:
            return aead
        key_path, erased_path = self._paths(subject)
        if erased_path.exists():
            raise ErasedSubject(subject)
        if key_path.exists():
            key = self._wrapper.unwrap(key_path.read_bytes(), self._label(subject))
        elif create:
            key = AESGCM.generate_key(bit_length=256)
            blob = self._wrapper.wrap(key, self._label(subject))
            write_new(key_path, blob, SECRET_MODE)
        else:
            raise KeyMissing("no data key for this subject")
        aead = AESGCM(key)
        self._cache[subject] = aead
        return aead

    def sync(self) -> None:
        """Make keys created since the last call durable (one directory fsync)."""
        fsync_dir(self._dir)

    def is_erased(self, subject: str) -> bool:
        return self._paths(subject)[1].exists()

    def erase(self, subject: str) -> None:
        """Destroy the subject's key for good; idempotent; durable on return.

        The tombstone is written first, so a crash midway still reads as erased, and a
        repeated call finishes the destruction.
        """
        key_path, erased_path = self._paths(subject)
        with self._lock:
            self._cache.pop(subject, None)
            if not erased_path.exists():
                write_atomic(erased_path, b"", SECRET_MODE)
            destroy(key_path)
