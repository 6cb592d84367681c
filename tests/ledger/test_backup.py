"""The ledger's face for backups: the files that hold a signed tree, and nothing past it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from ledger import Ledger
from ledger.backup import (
    CopyRefused,
    LedgerFile,
    files_through,
    holds_ledger,
    is_secret,
    latest_checkpoint,
    origin_of,
    verify_ledger,
)
from tests.ledger.conftest import MakeLedger, fill


def _copy(files: Iterable[LedgerFile], target: Path) -> list[str]:
    names = []
    for file in files:
        path = target / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"".join(file.chunks))
        names.append(file.path)
    return names


def test_a_copy_of_the_listed_files_verifies_at_the_signed_tree_and_ignores_later_appends(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 7, subjects=3)
    signed = led.checkpoint()
    fill(led, 4, subjects=5)  # appended after the checkpoint, as a running server would
    source = tmp_path / "ledger"
    note = latest_checkpoint(source)
    assert note == signed.note

    names = _copy(files_through(source, note), tmp_path / "copy")

    report = verify_ledger(tmp_path / "copy")
    assert report.ok, report.message
    assert (report.tree_size, report.root_hash) == (7, signed.root_hash)
    assert names[:5] == ["entries.log", "tree.bin", "checkpoints.log", "checkpoint",
                         "ledger.json"]
    data_keys = [n for n in names if n.startswith("keys/subjects/")]
    assert len(data_keys) == 3  # the subjects of the signed entries, not the two made since
    assert (tmp_path / "copy" / "entries.log").stat().st_size < (
        source / "entries.log").stat().st_size


def test_keys_are_listed_as_secret_and_nothing_else_is(open_ledger: MakeLedger,
                                                       tmp_path: Path) -> None:
    led = open_ledger()
    fill(led, 2)
    led.checkpoint()
    source = tmp_path / "ledger"
    for file in files_through(source, latest_checkpoint(source) or ""):
        assert file.secret is file.path.startswith("keys/") is is_secret(file.path)
    assert holds_ledger(source) and not holds_ledger(tmp_path)
    assert origin_of(source) == led.head().origin


def test_damaged_entries_are_refused_naming_the_file(open_ledger: MakeLedger,
                                                     tmp_path: Path) -> None:
    source = tmp_path / "ledger"
    with open_ledger() as led:
        fill(led, 3)
        note = led.checkpoint().note
    data = bytearray((source / "entries.log").read_bytes())
    data[20] ^= 0x01
    (source / "entries.log").write_bytes(bytes(data))
    with pytest.raises(CopyRefused, match=r"entries\.log is damaged"):
        next(files_through(source, note))


def test_a_missing_data_key_is_refused(open_ledger: MakeLedger, tmp_path: Path) -> None:
    source = tmp_path / "ledger"
    with open_ledger() as led:
        fill(led, 3, subjects=1)
        note = led.checkpoint().note
    for key in (source / "keys" / "subjects").iterdir():
        key.unlink()
    with pytest.raises(CopyRefused, match="keys/subjects holds no data key for subject #"):
        _copy(files_through(source, note), tmp_path / "copy")


def test_a_checkpoint_past_the_entries_is_refused(tmp_path: Path) -> None:
    from tests.ledger.conftest import MASTER

    source = tmp_path / "ledger"
    with Ledger.open(source, master_key=MASTER, checkpoint_interval=0) as led:
        fill(led, 4)
        note = led.checkpoint().note
    short = (source / "entries.log").read_bytes()
    (source / "entries.log").write_bytes(short[: len(short) // 2])
    with pytest.raises(CopyRefused, match=r"entries\.log holds fewer entries than the 4 its"):
        next(files_through(source, note))
