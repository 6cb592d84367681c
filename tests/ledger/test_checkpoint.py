"""Checkpoints: the tlog-checkpoint body, signed by the ledger, checkable with its public key."""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import pytest

from ledger import InvalidCheckpoint, Ledger, SignedCheckpoint, merkle
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


def sizes(path: Path) -> list[int]:
    return [SignedCheckpoint.of(note).tree_size for note in read_history(path)]


def test_asking_again_without_growth_returns_the_same_checkpoint_and_writes_nothing(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 4)
    first = led.checkpoint()
    history = tmp_path / "ledger" / "checkpoints.log"
    length = history.stat().st_size
    assert [led.checkpoint() for _ in range(5)] == [first] * 5
    assert history.stat().st_size == length
    assert led.latest_checkpoint() == first
    assert (first.tree_size, first.root_hash) == (4, led.root_hash())
    fill(led, 1)
    grown = led.checkpoint()
    assert (grown.tree_size, grown.root_hash) == (5, led.root_hash())
    assert sizes(tmp_path / "ledger") == [0, 4, 5]
    assert read_latest(tmp_path / "ledger") == grown.note


def test_concurrent_checkpoints_never_persist_a_smaller_tree(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    """Eight threads ask for checkpoints while a ninth appends and a tenth watches the
    `checkpoint` file: each answer covers the tree as it was when asked, and what is
    persisted only grows."""
    path = tmp_path / "ledger"
    led = open_ledger(checkpoint_interval=1e-9)  # the writer signs too, every batch
    verifier = NoteVerifier.from_key_text(led.public_key_text())
    stop = threading.Event()
    answers: list[tuple[int, SignedCheckpoint]] = []
    seen: list[int] = []

    def ask() -> None:
        while not stop.is_set():
            before = led.size
            answers.append((before, led.checkpoint()))
            time.sleep(0.0005)  # let the writer have the GIL now and then

    def watch() -> None:
        while not stop.is_set():
            note = read_latest(path)
            assert note is not None
            seen.append(SignedCheckpoint.of(note).tree_size)
            time.sleep(0.0005)

    threads = [threading.Thread(target=ask) for _ in range(8)] + [threading.Thread(target=watch)]
    for t in threads:
        t.start()
    try:
        for _ in range(60):
            fill(led, 3)
    finally:
        stop.set()
        for t in threads:
            t.join()
    persisted = sizes(path)
    assert persisted == sorted(set(persisted)), "one checkpoint per size, in order of size"
    assert seen == sorted(seen) and len(set(seen)) > 1, seen
    assert len(answers) > 30
    for before, signed in answers:
        head = open_checkpoint(signed.note, verifier)
        assert (head.tree_size, head.root_hash) == (signed.tree_size, signed.root_hash)
        assert before <= signed.tree_size <= led.size
        assert signed.root_hash == led.root_hash(signed.tree_size)
    led.close()
    assert sizes(path)[-1] == 180 and read_latest(path) == read_history(path)[-1]


@pytest.mark.parametrize(("interval", "pause", "want"), [
    (1.0, 1.2, [0, 1, 3]),  # appends paused past the interval: the head they left is signed
    (30.0, 0.0, [0, 3]),  # all within the interval: only close signs
    (0, 0.4, [0, 3]),  # 0: the writer never signs
])
def test_the_writer_signs_a_grown_tree_once_the_interval_has_passed(
    open_ledger: MakeLedger, tmp_path: Path, interval: float, pause: float, want: list[int]
) -> None:
    led = open_ledger(checkpoint_interval=interval)  # signs the empty tree on creation
    led.append_sync("user:1", "a", [], b"1", "patient:1")
    time.sleep(pause)
    led.append_sync("user:1", "b", [], b"2", "patient:1")
    led.append_sync("user:1", "c", [], b"3", "patient:1")
    led.close()
    assert sizes(tmp_path / "ledger") == want


def test_the_head_left_when_appends_stop_is_signed_without_another_append(
    open_ledger: MakeLedger,
) -> None:
    led = open_ledger(checkpoint_interval=0.1)
    for i in range(5):
        led.append_sync("user:1", "a", [], b"%d" % i, "patient:1")
    deadline = time.monotonic() + 30
    while (latest := led.latest_checkpoint()) is None or latest.tree_size < 5:
        assert time.monotonic() < deadline, "the last appends were never signed"
        time.sleep(0.02)
    assert latest.root_hash == led.root_hash(5)


def test_the_writer_does_not_sign_when_a_batch_added_nothing(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    from ledger import ErasedSubject

    led = open_ledger(checkpoint_interval=0.05)
    led.append_sync("user:1", "a", [], b"1", "patient:1")
    led.erase_subject("patient:1")
    time.sleep(0.1)
    led.checkpoint()
    time.sleep(0.1)
    with pytest.raises(ErasedSubject):
        led.append_sync("user:1", "b", [], b"2", "patient:1")
    led.close()
    assert sizes(tmp_path / "ledger") == [0, 1]


def test_appends_are_acknowledged_while_a_checkpoint_is_being_persisted(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    """The writer signs, acknowledges, and leaves the fsyncs of the checkpoint to another
    thread: with the checkpoint files held up (their lock taken here), appends still return."""
    led = open_ledger(checkpoint_interval=1e-9)
    with led._checkpoints._lock:
        anchors = [led.append("user:1", "w", [], b"x", "patient:1").result(timeout=10)
                   for _ in range(5)]
        assert [a.seq for a in anchors] == list(range(5))
        assert sizes(tmp_path / "ledger") == [0], "nothing could be persisted meanwhile"
    led.close()
    assert sizes(tmp_path / "ledger") == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("interval", [-1.0, float("nan")])
def test_a_negative_interval_is_refused(tmp_path: Path, interval: float) -> None:
    with pytest.raises(ValueError):
        Ledger.open(tmp_path / "ledger", master_key=MASTER, checkpoint_interval=interval)
    Ledger.open(tmp_path / "ledger", master_key=MASTER).close()  # the lock was released


def test_a_checkpoint_file_behind_its_log_is_caught_up_on_open(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    """A crash between appending to checkpoints.log and replacing `checkpoint` leaves the
    latest file one behind: the log is the record, and the file is brought up to it."""
    path = tmp_path / "ledger"
    led = open_ledger()
    fill(led, 3)
    led.checkpoint()
    behind = (path / "checkpoint").read_bytes()
    fill(led, 2)
    newest = led.checkpoint()
    led.close()
    (path / "checkpoint").write_bytes(behind)
    again = open_ledger()
    assert again.latest_checkpoint() == newest
    assert read_latest(path) == newest.note
    assert again.checkpoint() == newest  # nothing grew: not signed again
    again.close()
    assert sizes(path) == [0, 3, 5]
