"""Checkpoints: the tlog-checkpoint body, signed by the ledger, checkable with its public key."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from ledger import InvalidCheckpoint, Ledger, merkle
from ledger.checkpoint import Checkpoint, open_checkpoint, read_history, read_latest
from ledger.note import NoteVerifier
from tests.ledger.conftest import MASTER, MakeLedger, fill

ROOT = bytes(range(32))


def test_body_is_origin_size_and_base64_root_lines() -> None:
    body = Checkpoint("example.com/log", 42, ROOT).body()
    assert body == f"example.com/log\n42\n{base64.b64encode(ROOT).decode()}\n"
    assert Checkpoint.parse(body) == Checkpoint("example.com/log", 42, ROOT)


def test_extension_lines_after_the_root_are_allowed() -> None:
    body = Checkpoint("o", 1, ROOT).body() + "extension line\n"
    assert Checkpoint.parse(body).tree_size == 1


@pytest.mark.parametrize(
    "body",
    [
        "",
        "origin\n",
        "origin\n12\n",
        "origin\n12\nAAAA\n",  # root not 32 bytes
        "origin\n-1\n" + base64.b64encode(ROOT).decode() + "\n",
        "origin\n012\n" + base64.b64encode(ROOT).decode() + "\n",  # no leading zeros
        "origin\n12\n" + base64.b64encode(ROOT).decode(),  # no final newline
        "\n12\n" + base64.b64encode(ROOT).decode() + "\n",  # empty origin
        "origin\n12\n" + base64.b64encode(ROOT).decode().rstrip("=") + "\n",  # unpadded
    ],
)
def test_malformed_bodies_are_refused(body: str) -> None:
    with pytest.raises(InvalidCheckpoint):
        Checkpoint.parse(body)


def test_a_checkpoint_verifies_with_the_exported_public_key_alone(
    open_ledger: MakeLedger,
) -> None:
    led = open_ledger(origin="hospital.example/ledger")
    fill(led, 9)
    note = led.checkpoint().note
    lines = note.split("\n")
    assert lines[:3] == ["hospital.example/ledger", "9",
                         base64.b64encode(led.root_hash()).decode()]
    assert lines[3] == "" and lines[4].startswith("\u2014 hospital.example/ledger ")
    for verifier in (NoteVerifier.from_key_text(led.public_key_text()),
                     NoteVerifier.from_pem(led.public_key_pem(), "hospital.example/ledger")):
        head = open_checkpoint(note, verifier, "hospital.example/ledger")
        assert (head.tree_size, head.root_hash) == (9, led.root_hash())


def test_a_checkpoint_does_not_verify_with_another_key_or_origin(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    other = open_ledger(tmp_path / "other")
    note = led.checkpoint().note
    with pytest.raises(InvalidCheckpoint):
        open_checkpoint(note, NoteVerifier.from_key_text(other.public_key_text()))
    with pytest.raises(InvalidCheckpoint, match="not 'elsewhere'"):
        open_checkpoint(note, NoteVerifier.from_key_text(led.public_key_text()), "elsewhere")
    forged = note.replace("\n0\n", "\n1\n", 1)
    with pytest.raises(InvalidCheckpoint):
        open_checkpoint(forged, NoteVerifier.from_key_text(led.public_key_text()))


def test_checkpoints_are_persisted_latest_and_history(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    first = read_latest(tmp_path / "ledger")  # issued when the ledger was created
    fill(led, 3)
    second = led.checkpoint().note
    assert read_latest(tmp_path / "ledger") == second
    assert read_history(tmp_path / "ledger") == [first, second]
    led.close()
    history = read_history(tmp_path / "ledger")
    assert history[:2] == [first, second] and len(history) == 2  # no growth since: no new one


def test_a_held_checkpoint_is_consistent_with_a_later_one(open_ledger: MakeLedger) -> None:
    led = open_ledger()
    verifier = NoteVerifier.from_key_text(led.public_key_text())
    fill(led, 11)
    old = open_checkpoint(led.checkpoint().note, verifier)
    fill(led, 30)
    new = open_checkpoint(led.checkpoint().note, verifier)
    proof = led.consistency_proof(old.tree_size, new.tree_size)
    assert merkle.verify_consistency(old.tree_size, new.tree_size, old.root_hash,
                                     new.root_hash, proof)
    assert not merkle.verify_consistency(old.tree_size, new.tree_size, ROOT, new.root_hash, proof)


def test_a_torn_checkpoint_record_is_cut_on_open(open_ledger: MakeLedger, tmp_path: Path) -> None:
    led = open_ledger()
    led.checkpoint()
    led.close()
    history = tmp_path / "ledger" / "checkpoints.log"
    whole = history.read_bytes()
    history.write_bytes(whole + whole[:40])
    Ledger.open(tmp_path / "ledger", master_key=MASTER).close()
    assert history.read_bytes() == whole
