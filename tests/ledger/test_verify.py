"""The offline verifier: passes a sound ledger, and names the first bad entry of a tampered one."""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import LedgerNotFound, merkle
from ledger.entry import LedgerEntry, encode
from ledger.store import encode_frame
from ledger.tree import CompactRange, node_count, size_for_count
from ledger.verify import verify_ledger
from tests.ledger.conftest import MakeLedger, fill


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    """A small closed ledger (8 entries, 3 checkpoints) and its record offsets."""
    from ledger import Ledger
    from tests.ledger.conftest import MASTER

    path = tmp_path_factory.mktemp("sound") / "ledger"
    with Ledger.open(path, master_key=MASTER, checkpoint_interval=0) as led:
        fill(led, 5)
        led.checkpoint()
        fill(led, 3)
        offsets = list(led._offsets)
    return path, offsets


@pytest.fixture
def copy(sound: tuple[Path, list[int]], tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(sound[0], target)
    return target


def test_a_sound_ledger_verifies_with_its_size_and_root(copy: Path) -> None:
    report = verify_ledger(copy)
    assert report.ok and report.first_bad_seq is None
    assert report.tree_size == 8
    assert "8 entries" in report.message and "root" in report.message


def test_progress_is_reported_up_to_the_whole_file(copy: Path) -> None:
    calls: list[tuple[int, int]] = []
    assert verify_ledger(copy, progress=lambda done, total: calls.append((done, total))).ok
    size = (copy / "entries.log").stat().st_size
    assert calls[-1] == (size, size)


def flipped(path: Path, pos: int, mask: int) -> bytes:
    data = path.read_bytes()
    bent = bytearray(data)
    bent[pos] ^= mask
    path.write_bytes(bytes(bent))
    return data


def test_any_flipped_byte_of_the_entries_names_its_entry(
    copy: Path, sound: tuple[Path, list[int]]
) -> None:
    offsets = sound[1]
    entries = copy / "entries.log"
    wrong = []
    for pos in range(offsets[-1]):
        clean = flipped(entries, pos, 1 << (pos % 8))
        report = verify_ledger(copy)
        want = max(i for i, start in enumerate(offsets[:-1]) if start <= pos)
        if report.ok or report.first_bad_seq != want or f"entry {want}" not in report.message:
            wrong.append((pos, report))
        entries.write_bytes(clean)
    assert wrong == []


def test_any_flipped_byte_of_the_tree_names_the_entry_that_wrote_it(copy: Path) -> None:
    tree = copy / "tree.bin"
    wrong = []
    for pos in range(tree.stat().st_size):
        clean = flipped(tree, pos, 0x80 >> (pos % 8))
        report = verify_ledger(copy)
        want = size_for_count(pos // 32)
        if report.ok or report.first_bad_seq != want or f"entry {want}" not in report.message:
            wrong.append((pos, report))
        tree.write_bytes(clean)
    assert wrong == []


@pytest.mark.parametrize("name", ["checkpoint", "checkpoints.log", "ledger.json",
                                  "keys/signing.pub"])
def test_any_flipped_byte_of_the_public_files_fails(copy: Path, name: str) -> None:
    path = copy / name
    passed = []
    for pos in range(path.stat().st_size):
        for mask in (0x01, 0x20, 0x80):
            clean = flipped(path, pos, mask)
            if verify_ledger(copy).ok:
                passed.append((pos, mask))
            path.write_bytes(clean)
    assert passed == []


def read_entries(path: Path) -> list[LedgerEntry]:
    from ledger.entry import decode
    from ledger.store import entry_frames, mapped

    with mapped(path / "entries.log") as buf:
        return [decode(bytes(buf[s:e]), d) for s, e, d in entry_frames(buf)]


def rewrite(path: Path, entries: list[LedgerEntry], *, rechain_from: int | None) -> None:
    """Write entries back as a forger would: fresh frames and tree, chain relinked from
    `rechain_from` on (None: keep each entry's stored prev_hash)."""
    frames, compact, nodes = [], CompactRange(), []
    prev = entries[0].prev_hash
    for e in entries:
        if rechain_from is not None and e.seq >= rechain_from:
            e = dataclasses.replace(e, prev_hash=prev)
        body = encode(e)
        prev = merkle.leaf_hash(body)
        frames.append(encode_frame(body, prev))
        nodes += compact.append(prev)
    (path / "entries.log").write_bytes(b"".join(frames))
    (path / "tree.bin").write_bytes(b"".join(nodes))


def test_an_entry_rewritten_with_a_fresh_hash_is_named_by_the_broken_link(copy: Path) -> None:
    entries = read_entries(copy)
    entries[3] = dataclasses.replace(entries[3], actor="user:forger")
    rewrite(copy, entries, rechain_from=None)
    report = verify_ledger(copy)
    assert not report.ok and report.first_bad_seq == 3
    assert "entry 3 was altered: its hash does not match the chain" in report.message


def test_a_rewritten_history_is_caught_by_the_signed_checkpoints(copy: Path) -> None:
    entries = read_entries(copy)
    entries[3] = dataclasses.replace(entries[3], actor="user:forger")
    rewrite(copy, entries, rechain_from=3)
    report = verify_ledger(copy)
    assert not report.ok
    assert "history was rewritten" in report.message


def test_entries_cut_short_mid_record_name_the_entry(
    copy: Path, sound: tuple[Path, list[int]]
) -> None:
    offsets = sound[1]
    data = (copy / "entries.log").read_bytes()
    (copy / "entries.log").write_bytes(data[: offsets[6] + 20])
    report = verify_ledger(copy)
    assert not report.ok and report.first_bad_seq == 6
    assert "cut short" in report.message


def test_whole_entries_removed_from_the_end_are_caught_by_the_checkpoint(
    copy: Path, sound: tuple[Path, list[int]]
) -> None:
    offsets = sound[1]
    data = (copy / "entries.log").read_bytes()
    (copy / "entries.log").write_bytes(data[: offsets[7]])
    tree = copy / "tree.bin"
    tree.write_bytes(tree.read_bytes()[: 32 * (2 * 7 - 3)])
    report = verify_ledger(copy)
    assert not report.ok and report.first_bad_seq == 7
    assert "entries were removed" in report.message


def test_a_held_checkpoint_passes_while_the_ledger_still_contains_its_tree(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 4)
    held = led.checkpoint().note
    fill(led, 4)
    led.close()
    path = tmp_path / "ledger"
    assert verify_ledger(path, checkpoint=held, public_key=led.public_key_text()).ok
    assert verify_ledger(path, checkpoint=held, public_key=led.public_key_pem().decode()).ok


def test_a_checkpoint_of_another_ledger_or_key_fails(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 2)
    other = open_ledger(tmp_path / "other")
    fill(other, 2)
    foreign = other.checkpoint().note
    led.close()
    path = tmp_path / "ledger"
    report = verify_ledger(path, checkpoint=foreign)
    assert not report.ok and "the checkpoint given does not verify" in report.message
    report = verify_ledger(path, public_key=other.public_key_text())
    assert not report.ok and "does not verify" in report.message


def test_a_directory_without_a_ledger_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LedgerNotFound):
        verify_ledger(tmp_path / "missing")


# -- a consistent prefix of a live ledger (tree_size) ------------------------------------


def history_notes(path: Path) -> list[str]:
    from ledger.checkpoint import read_history

    return read_history(path)


def write_history(path: Path, notes: list[str]) -> None:
    (path / "checkpoints.log").write_bytes(b"".join(
        encode_frame(n.encode(), merkle.leaf_hash(n.encode())) for n in notes))


def prefix_roots(path: Path) -> list[bytes]:
    """The RFC 6962 root of the first k entries, for every k, computed from the bodies."""
    bodies = [encode(e) for e in read_entries(path)]
    return [merkle.root(bodies[:k]) for k in range(len(bodies) + 1)]


def test_the_sound_ledger_signed_checkpoints_at_0_5_and_8(copy: Path) -> None:
    from ledger.checkpoint import SignedCheckpoint

    assert [SignedCheckpoint.of(n).tree_size for n in history_notes(copy)] == [0, 5, 8]


WRITER_LEFTOVERS = {
    "nothing": {},
    "an entry half written": {"entries.log": b"\x00\x00\x01\x00\x12"},
    "tree nodes ahead": {"tree.bin": b"\x07" * 64},
    "a checkpoint record cut short": {"checkpoints.log": b"\x00\x00\x00\x40"},
    "all three": {"entries.log": b"\x00\x00\x01", "tree.bin": b"\x01" * 33,
                  "checkpoints.log": b"\x00"},
}


@pytest.mark.parametrize("leftovers", WRITER_LEFTOVERS.values(), ids=WRITER_LEFTOVERS.keys())
@pytest.mark.parametrize("tree_size", range(9))
def test_every_prefix_verifies_with_its_own_root_past_a_writer_s_leftovers(
    copy: Path, tree_size: int, leftovers: dict[str, bytes]
) -> None:
    roots = prefix_roots(copy)
    for name, data in leftovers.items():
        with (copy / name).open("ab") as f:
            f.write(data)
    report = verify_ledger(copy, tree_size=tree_size)
    assert report.ok, report.message
    assert (report.tree_size, report.root_hash) == (tree_size, roots[tree_size])
    assert report.message.startswith(f"ledger verified: the first {tree_size} entries")
    signed_at_most = sum(1 for size in (0, 5, 8, 8) if size <= tree_size)  # 8: `checkpoint` too
    assert f"; {signed_at_most} checkpoint(s) signed by" in report.message
    if leftovers:
        assert not verify_ledger(copy).ok, "read whole, the leftovers are damage"


def test_a_prefix_longer_than_the_ledger_names_the_first_missing_entry(copy: Path) -> None:
    report = verify_ledger(copy, tree_size=9)
    assert not report.ok and report.first_bad_seq == 8
    assert "holds 8 entries, not the 9 asked for" in report.message
    with pytest.raises(ValueError):
        verify_ledger(copy, tree_size=-1)


def test_a_flipped_entry_fails_a_prefix_that_holds_it_and_no_other(
    copy: Path, sound: tuple[Path, list[int]]
) -> None:
    offsets = sound[1]
    entries = copy / "entries.log"
    wrong = []
    for seq in range(8):
        clean = flipped(entries, (offsets[seq] + offsets[seq + 1]) // 2, 0x10)
        for tree_size in range(9):
            report = verify_ledger(copy, tree_size=tree_size)
            want = seq if seq < tree_size else None
            if report.ok != (want is None) or report.first_bad_seq != want:
                wrong.append((seq, tree_size, report.message))
        entries.write_bytes(clean)
    assert wrong == []


def test_a_flipped_tree_node_fails_a_prefix_whose_tree_holds_it_and_no_other(copy: Path) -> None:
    tree = copy / "tree.bin"
    wrong = []
    for node in range(node_count(8)):
        clean = flipped(tree, node * 32 + 5, 0x04)
        for tree_size in range(9):
            report = verify_ledger(copy, tree_size=tree_size)
            if report.ok != (node >= node_count(tree_size)):
                wrong.append((node, tree_size, report.message))
        tree.write_bytes(clean)
    assert wrong == []


def test_checkpoints_past_the_prefix_are_still_checked_for_their_signature(copy: Path) -> None:
    latest = (copy / "checkpoint").read_text()
    assert latest.split("\n")[1] == "8"
    signature = latest.rstrip("\n").rsplit(" ", 1)[1]
    bent = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    (copy / "checkpoint").write_text(latest.replace(signature, bent))
    report = verify_ledger(copy, tree_size=5)
    assert not report.ok and "the latest checkpoint does not verify" in report.message


def test_a_held_checkpoint_must_lie_within_the_prefix(copy: Path) -> None:
    held = (copy / "checkpoint").read_text()  # signs all 8 entries
    assert verify_ledger(copy, checkpoint=held, tree_size=8).ok
    report = verify_ledger(copy, checkpoint=held, tree_size=7)
    assert not report.ok
    assert "the checkpoint given signs a tree of 8 entries, more than the first 7" in report.message


def test_a_checkpoint_record_cut_short_is_a_live_append_only_when_a_prefix_is_asked(
    copy: Path,
) -> None:
    history = copy / "checkpoints.log"
    whole = history.read_bytes()
    for cut in (1, 8, 60):
        history.write_bytes(whole + whole[:cut])
        assert verify_ledger(copy, tree_size=8).ok
        report = verify_ledger(copy)
        assert not report.ok and "checkpoints.log is cut short inside checkpoint 3" in (
            report.message)


@pytest.mark.parametrize(("order", "ok"), [
    ([0, 1, 2], True),
    ([0, 1, 1, 2], True),  # the same checkpoint twice: not smaller, so in order
    ([0, 2, 1], False),
    ([1, 0, 2], False),
    ([0, 1, 2, 0], False),
    ([0, 2], True),  # a checkpoint left out is not caught by the order (nor meant to be)
])
@pytest.mark.parametrize("tree_size", [None, 8])
def test_a_checkpoint_log_that_gets_smaller_was_tampered_with(
    copy: Path, order: list[int], ok: bool, tree_size: int | None
) -> None:
    notes = history_notes(copy)  # trees of 0, 5 and 8 entries, each correctly signed
    write_history(copy, [notes[i] for i in order])
    report = verify_ledger(copy, tree_size=tree_size)
    assert report.ok == ok, report.message
    if not ok:
        assert "checkpoints.log was tampered with" in report.message
        assert "entries, fewer than the" in report.message


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree_size=st.integers(0, 8), entries_junk=st.binary(max_size=300),
       tree_junk=st.binary(max_size=100), cut=st.integers(0, 400))
def test_any_prefix_verifies_whatever_a_writer_left_after_it(
    sound: tuple[Path, list[int]], tmp_path_factory: pytest.TempPathFactory, tree_size: int,
    entries_junk: bytes, tree_junk: bytes, cut: int,
) -> None:
    """After the prefix, entries.log and tree.bin may hold anything (later entries, a frame
    being written, garbage never read); checkpoints.log a record cut anywhere short."""
    path = tmp_path_factory.mktemp("junk") / "ledger"
    shutil.copytree(sound[0], path)
    offsets = sound[1]
    data = (path / "entries.log").read_bytes()
    (path / "entries.log").write_bytes(data[: offsets[tree_size]] + entries_junk)
    tree = path / "tree.bin"
    tree.write_bytes(tree.read_bytes()[: 32 * node_count(tree_size)] + tree_junk)
    history = path / "checkpoints.log"
    note = history_notes(path)[-1].encode()  # the next one a writer appends is as long
    record = encode_frame(note, merkle.leaf_hash(note))
    history.write_bytes(history.read_bytes() + record[: cut % len(record)])
    report = verify_ledger(path, tree_size=tree_size)
    assert report.ok, report.message
    assert report.root_hash == prefix_roots(sound[0])[tree_size]


def test_a_live_ledger_verifies_at_every_head_while_it_appends_and_signs(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    """The real race: a writer appending and signing a checkpoint every batch, the verifier
    reading the files at the head it was given."""
    led = open_ledger(checkpoint_interval=1e-9)
    stop = threading.Event()

    def append() -> None:
        while not stop.is_set():
            fill(led, 7)

    writer = threading.Thread(target=append)
    writer.start()
    reports = []
    deadline = time.monotonic() + 30
    try:
        while (len(reports) < 30 or led.size < 200) and time.monotonic() < deadline:
            head = led.head()
            reports.append((head, verify_ledger(tmp_path / "ledger", tree_size=head.tree_size)))
    finally:
        stop.set()
        writer.join()
    failed = [r.message for _, r in reports if not r.ok]
    assert failed == []
    assert all(r.root_hash == head.root_hash for head, r in reports)
    sizes = {head.tree_size for head, _ in reports}
    assert len(sizes) >= 3, sizes
    assert len(history_notes(tmp_path / "ledger")) >= 3, "the writer signed as it went"
