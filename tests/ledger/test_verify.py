"""The offline verifier: passes a sound ledger, and names the first bad entry of a tampered one."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from ledger import LedgerNotFound, merkle
from ledger.entry import LedgerEntry, encode
from ledger.store import encode_frame
from ledger.tree import CompactRange, size_for_count
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
