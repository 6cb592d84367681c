"""Signed notes: golang.org/x/mod/sumdb/note's published key, signature and parsing rules."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import InvalidKey, InvalidNote
from ledger.note import NoteSigner, NoteVerifier, key_hash, open_note

# From golang.org/x/mod sumdb/note/note_test.go.
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = ("If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n")
PETER_SIG = ("\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNX"
             "gKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
ENOCH_SIG = ("\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovT"
             "G01oOTGwnWLox33WWd1RvMc+QQ=\n")


def peter() -> NoteSigner:
    seed = base64.b64decode(PETER_SKEY.split("+", 4)[4])[1:]
    return NoteSigner("PeterNeumann", Ed25519PrivateKey.from_private_bytes(seed))


def test_verifier_key_text_matches_published_key() -> None:
    assert peter().verifier.key_text() == PETER_VKEY
    assert key_hash("PeterNeumann", peter().verifier.public_key).hex() == "c74f20a3"


def test_signature_matches_published_note() -> None:
    assert peter().sign(TEXT) == TEXT + "\n" + PETER_SIG


def test_open_accepts_our_signature_and_ignores_other_keys() -> None:
    verifier = NoteVerifier.from_key_text(PETER_VKEY)
    assert open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, verifier) == TEXT
    assert open_note(TEXT + "\n" + ENOCH_SIG + PETER_SIG, verifier) == TEXT


def test_open_refuses_a_note_signed_only_by_another_key() -> None:
    with pytest.raises(InvalidNote, match="no signature by key"):
        open_note(TEXT + "\n" + ENOCH_SIG, NoteVerifier.from_key_text(PETER_VKEY))


@pytest.mark.parametrize(
    "note",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name"),
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:],  # corrupt signature
        TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_SIG,  # altered text
    ],
)
def test_open_refuses_malformed_or_altered_notes(note: str) -> None:
    with pytest.raises(InvalidNote):
        open_note(note, NoteVerifier.from_key_text(PETER_VKEY))


def test_every_mangling_of_a_verifier_key_is_refused() -> None:
    bad = [PETER_VKEY[:i] + chr(ord(c) + 1) + PETER_VKEY[i + 1 :] for i, c in
           enumerate(PETER_VKEY)]
    bad += [PETER_VKEY[:i] for i in range(len(PETER_VKEY))]
    bad += [
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ]
    accepted = []
    for key in bad:
        try:
            NoteVerifier.from_key_text(key)
            accepted.append(key)
        except InvalidKey:
            pass
    assert accepted == []


def test_pem_and_key_text_name_the_same_key() -> None:
    verifier = peter().verifier
    assert NoteVerifier.from_pem(verifier.pem(), "PeterNeumann") == verifier
    assert NoteVerifier.from_key_text(ENOCH_VKEY).name == "EnochRoot"


def test_a_pem_that_is_not_ed25519_is_refused() -> None:
    with pytest.raises(InvalidKey):
        NoteVerifier.from_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                              "x")


def test_generated_keys_round_trip_through_key_text_even_with_plus_in_base64() -> None:
    for i in range(64):
        verifier = NoteSigner(f"log{i}.example/x", Ed25519PrivateKey.generate()).verifier
        assert NoteVerifier.from_key_text(verifier.key_text()) == verifier
