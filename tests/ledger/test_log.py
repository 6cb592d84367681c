"""The Ledger: ordered durable appends, group commit, sealed payloads, erasure, crash recovery."""

from __future__ import annotations

import itertools
import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import (
    Checkpoint,
    EntriesMissing,
    ErasedSubject,
    Ledger,
    LedgerClosed,
    LedgerCorrupted,
    LedgerLocked,
    OriginMismatch,
    WrongMasterKey,
    merkle,
)
from ledger.entry import GENESIS_PREV, encode, parse_time
from ledger.tree import node_count
from ledger.verify import verify_ledger
from tests.ledger.conftest import MASTER, MakeLedger, fill


def test_append_returns_an_anchor_of_the_tree_that_holds_the_entry(open_ledger: MakeLedger) -> None:
    led = open_ledger()
    anchor = led.append_sync("user:1", "admit", ["patient:1"], b"secret", "patient:1")
    assert (anchor.seq, anchor.tree_size) == (0, 1)
    entry = led.entry(0)
    assert anchor.entry_hash == entry.entry_hash == merkle.leaf_hash(encode(entry))
    assert anchor.root_hash == led.root_hash() == entry.entry_hash
    assert anchor.time == entry.time and anchor.time.endswith("Z")
    proof = led.inclusion_proof(0, anchor.tree_size)
    assert merkle.verify_inclusion(anchor.entry_hash, 0, anchor.tree_size, proof, anchor.root_hash)


def test_head_is_the_size_and_root_of_one_moment(open_ledger: MakeLedger) -> None:
    led = open_ledger(origin="example.org/h")
    assert (led.head().tree_size, led.head().root_hash) == (0, merkle.EMPTY_ROOT)
    fill(led, 6)
    assert led.head() == Checkpoint("example.org/h", 6, led.root_hash())
    stop = threading.Event()

    def append() -> None:
        while not stop.is_set():
            fill(led, 5)

    writer = threading.Thread(target=append)
    writer.start()
    try:
        heads = [led.head() for _ in range(2000)]
    finally:
        stop.set()
        writer.join()
    assert all(h.root_hash == led.root_hash(h.tree_size) for h in heads)


def test_entries_chain_in_order_with_non_decreasing_time(open_ledger: MakeLedger) -> None:
    led = open_ledger()
    fill(led, 50)
    entries = list(led.entries())
    assert [e.seq for e in entries] == list(range(50))
    assert entries[0].prev_hash == GENESIS_PREV
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
        assert parse_time(before.time) <= parse_time(after.time)
    assert led.root_hash() == merkle.root([encode(e) for e in entries])
    assert list(led.entries(10, 13)) == entries[10:13]


def test_payload_is_sealed_not_stored_in_the_clear(open_ledger: MakeLedger, tmp_path: Path) -> None:
    led = open_ledger()
    led.append_sync("user:1", "note", ["patient:7"], b"diagnosis: very private", "patient:7")
    assert led.decrypt(led.entry(0)) == b"diagnosis: very private"
    for name in ("entries.log", "tree.bin", "checkpoint", "checkpoints.log"):
        if (tmp_path / "ledger" / name).exists():
            assert b"very private" not in (tmp_path / "ledger" / name).read_bytes()
    led.close()
    for path in (tmp_path / "ledger").rglob("*"):
        if path.is_file():
            assert MASTER not in path.read_bytes(), path


def test_erasing_a_subject_makes_its_payloads_unreadable_but_the_ledger_verifies(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    led.append_sync("user:1", "admit", ["patient:1"], b"one", "patient:1")
    led.append_sync("user:1", "admit", ["patient:2"], b"two", "patient:2")
    led.erase_subject("patient:1")
    led.erase_subject("patient:1")  # idempotent
    with pytest.raises(ErasedSubject):
        led.decrypt(led.entry(0))
    assert led.decrypt(led.entry(1)) == b"two"
    with pytest.raises(ErasedSubject):
        led.append_sync("user:1", "note", ["patient:1"], b"again", "patient:1")
    assert led.size == 2
    led.close()
    assert verify_ledger(tmp_path / "ledger").ok
    reopened = open_ledger()
    with pytest.raises(ErasedSubject):
        reopened.decrypt(reopened.entry(0))
    assert not list((tmp_path / "ledger" / "keys" / "subjects").glob("*.key"))[1:]


def test_changing_metadata_or_ciphertext_breaks_decryption(open_ledger: MakeLedger) -> None:
    import dataclasses

    from ledger import LedgerCorrupted

    led = open_ledger()
    led.append_sync("user:1", "admit", ["patient:1"], b"payload", "patient:1")
    entry = led.entry(0)
    for bent in (
        dataclasses.replace(entry, actor="user:2"),
        dataclasses.replace(entry, subjects=("patient:9",)),
        dataclasses.replace(entry, seq=1),
        dataclasses.replace(entry, ciphertext=bytes([entry.ciphertext[0] ^ 1])
                            + entry.ciphertext[1:]),
    ):
        with pytest.raises(LedgerCorrupted):
            led.decrypt(bent)


def test_reopen_sees_every_acknowledged_entry(open_ledger: MakeLedger, tmp_path: Path) -> None:
    led = open_ledger()
    fill(led, 20)
    root = led.root_hash()
    led.close()
    again = open_ledger()
    assert (again.size, again.root_hash()) == (20, root)
    anchor = again.append_sync("user:1", "more", [], b"x", "patient:0")
    assert anchor.seq == 20 and again.entry(20).prev_hash == again.entry(19).entry_hash
    assert again.root_hash(20) == root


def test_many_threads_append_contiguous_seqs_in_shared_fsyncs(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    anchors = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for i in range(40):
            a = led.append_sync(f"user:{n}", "write", [f"patient:{n}"], f"{n}/{i}".encode(),
                                f"patient:{n}")
            with lock:
                anchors.append((n, i, a))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.seq for _, _, a in anchors) == list(range(640))
    for n in range(16):  # each thread's appends are ordered as it made them
        mine = [a.seq for m, _, a in sorted(anchors, key=lambda x: x[1]) if m == n]
        assert mine == sorted(mine)
    assert len({a.tree_size for _, _, a in anchors}) < 640  # fsyncs were shared
    led.close()
    again = open_ledger()
    assert again.size == 640
    for n, i, a in anchors:
        entry = again.entry(a.seq)
        assert entry.entry_hash == a.entry_hash
        assert again.decrypt(entry) == f"{n}/{i}".encode()
        assert again.root_hash(a.tree_size) == a.root_hash
    assert verify_ledger(tmp_path / "ledger").ok


def test_a_queue_of_appends_is_committed_in_groups(open_ledger: MakeLedger) -> None:
    led = open_ledger()
    futures = [led.append("user:1", "w", [], b"x", "patient:1") for _ in range(500)]
    anchors = [f.result() for f in futures]
    assert [a.seq for a in anchors] == list(range(500))
    assert len({a.tree_size for a in anchors}) < 500
    for a in anchors:  # every anchor's tree holds its entry
        proof = led.inclusion_proof(a.seq, a.tree_size)
        assert merkle.verify_inclusion(a.entry_hash, a.seq, a.tree_size, proof, a.root_hash)


def entries_log(tmp_path: Path) -> Path:
    return tmp_path / "ledger" / "entries.log"


def crash_mid_append(open_ledger: MakeLedger, tmp_path: Path, before: int) -> tuple[bytes, int]:
    """A ledger of `before` entries whose next append was cut short by a crash: the state a
    power cut leaves (the record not yet fsync'd, so never acknowledged nor checkpointed, and
    its tree nodes not yet written). Returns the whole next record's file bytes and where it
    starts."""
    led = open_ledger()
    fill(led, before)
    led.close()
    saved = {n: (tmp_path / "ledger" / n).read_bytes()
             for n in ("checkpoint", "checkpoints.log", "tree.bin")}
    led = open_ledger()
    led.append_sync("user:1", "lost", [], b"z", "patient:0")
    led.close()
    for name, data in saved.items():
        (tmp_path / "ledger" / name).write_bytes(data)
    return entries_log(tmp_path).read_bytes(), led._offsets[before]


def test_a_torn_last_record_is_cut_back_to_the_last_whole_entry(
    open_ledger: MakeLedger, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data, start = crash_mid_append(open_ledger, tmp_path, 4)
    root4 = None
    for cut in range(start + 1, len(data)):
        entries_log(tmp_path).write_bytes(data[:cut])
        caplog.clear()
        with caplog.at_level("WARNING", logger="ledger.recovery"):
            again = Ledger.open(tmp_path / "ledger", master_key=MASTER)
        assert again.size == 4
        root4 = root4 or again.root_hash()
        assert again.root_hash() == root4
        assert [r.message for r in caplog.records] == ["torn tail cut"]
        assert caplog.records[0].seq == 4  # type: ignore[attr-defined]
        again.close()
        assert entries_log(tmp_path).stat().st_size == start
    again = open_ledger()
    again.append_sync("user:1", "after", [], b"y", "patient:0")
    assert again.size == 5 and again.entry(4).prev_hash == again.entry(3).entry_hash
    again.close()
    assert verify_ledger(tmp_path / "ledger").ok


def test_cutting_an_entry_a_checkpoint_signed_is_not_taken_for_a_torn_tail(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 5)
    led.close()  # signs a checkpoint of 5 entries
    data = entries_log(tmp_path).read_bytes()
    entries_log(tmp_path).write_bytes(data[:-10])
    with pytest.raises(EntriesMissing, match="the latest signed checkpoint covers 5") as info:
        Ledger.open(tmp_path / "ledger", master_key=MASTER)
    assert info.value.seq == 4
    assert entries_log(tmp_path).read_bytes() == data[:-10]


def ledger_files(tmp_path: Path) -> dict[str, bytes]:
    """The ledger's files and their bytes (an empty file counts as absent: opening creates
    the append-only files it finds missing)."""
    return {p.name: p.read_bytes() for p in (tmp_path / "ledger").iterdir()
            if p.is_file() and p.stat().st_size}


@pytest.mark.parametrize("gone", [1, 3])
@pytest.mark.parametrize("delete", [(), ("checkpoint", "checkpoints.log")],
                         ids=["signed", "checkpoints-deleted"])
def test_whole_entries_cut_from_the_end_refuse_to_open_and_nothing_is_rewritten(
    open_ledger: MakeLedger, tmp_path: Path, gone: int, delete: tuple[str, ...]
) -> None:
    """Entries cut at a record boundary are acknowledged writes lost, not a crash: the
    ledger names the gap from the signed checkpoint or, with the checkpoints deleted too,
    from the tree file, and leaves every file as it found it (no shorter tree, no new
    checkpoint signed over the shorter history)."""
    led = open_ledger()
    fill(led, 20)
    offsets = list(led._offsets)
    led.close()  # signs a checkpoint of 20 entries
    entries_log(tmp_path).write_bytes(entries_log(tmp_path).read_bytes()[:offsets[20 - gone]])
    for name in delete:
        (tmp_path / "ledger" / name).unlink()
    before = ledger_files(tmp_path)
    source = "tree.bin holds the tree of" if delete else "the latest signed checkpoint covers"
    with pytest.raises(EntriesMissing) as info:
        Ledger.open(tmp_path / "ledger", master_key=MASTER)
    held = 20 - gone
    assert (info.value.held, info.value.expected, info.value.seq) == (held, 20, held)
    gap = "entry 19 is" if gone == 1 else f"entries {held}..19 are"
    assert str(info.value) == f"the ledger holds {held} entries but {source} 20: {gap} missing"
    assert ledger_files(tmp_path) == before


def test_entries_a_caller_has_seen_must_all_be_there(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 4)
    led.close()
    before = ledger_files(tmp_path)
    with pytest.raises(EntriesMissing, match=r"the graph has applied 6: entries 4\.\.5 are"):
        open_ledger(known_size=6, known_by="the graph has applied")
    assert ledger_files(tmp_path) == before
    assert open_ledger(known_size=4).size == 4


def test_a_tree_file_behind_the_entries_is_repaired(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 13)
    root = led.root_hash()
    led.close()
    tree = tmp_path / "ledger" / "tree.bin"
    data = tree.read_bytes()
    for cut in [*range(0, len(data), 32), 100, len(data) - 1]:  # every node, and mid-node
        tree.write_bytes(data[:cut])
        again = Ledger.open(tmp_path / "ledger", master_key=MASTER)
        assert again.root_hash() == root
        again.close()
        assert tree.read_bytes() == data


def test_a_tree_file_ahead_of_the_entries_is_refused_not_cut(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    """Tree nodes are written only after their entries are durable, so a longer tree file
    means entries were lost; a node cut short past them is still a crash's, and repaired."""
    led = open_ledger()
    fill(led, 13)
    led.close()
    tree = tmp_path / "ledger" / "tree.bin"
    data = tree.read_bytes()
    tree.write_bytes(data + bytes(64))
    with pytest.raises(EntriesMissing, match=r"tree\.bin holds the tree of 14"):
        Ledger.open(tmp_path / "ledger", master_key=MASTER)
    assert tree.read_bytes() == data + bytes(64)
    tree.write_bytes(data + bytes(20))
    Ledger.open(tmp_path / "ledger", master_key=MASTER).close()
    assert tree.read_bytes() == data


def test_damage_before_the_tail_refuses_to_open_naming_the_entry(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 6)
    offsets = list(led._offsets)
    led.close()
    data = bytearray(entries_log(tmp_path).read_bytes())
    data[offsets[2] + 30] ^= 0x20
    entries_log(tmp_path).write_bytes(bytes(data))
    with pytest.raises(LedgerCorrupted) as info:
        Ledger.open(tmp_path / "ledger", master_key=MASTER)
    assert info.value.seq == 2
    assert "entry 2" in str(info.value)
    assert entries_log(tmp_path).read_bytes() == bytes(data)  # nothing rewritten


def test_a_flipped_byte_in_the_last_record_is_damage_not_a_torn_tail(
    open_ledger: MakeLedger, tmp_path: Path
) -> None:
    led = open_ledger()
    fill(led, 3)
    offsets = list(led._offsets)
    led.close()
    clean = entries_log(tmp_path).read_bytes()
    for pos in range(offsets[2], offsets[3]):
        data = bytearray(clean)
        data[pos] ^= 0x01
        entries_log(tmp_path).write_bytes(bytes(data))
        with pytest.raises(LedgerCorrupted) as info:
            Ledger.open(tmp_path / "ledger", master_key=MASTER)
        assert info.value.seq == 2
    entries_log(tmp_path).write_bytes(clean)


def test_keys_are_made_on_first_open_and_the_master_key_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "ledger"
    with Ledger.open(path) as led:
        led.append_sync("user:1", "admit", ["patient:1"], b"x", "patient:1")
        key_text = led.public_key_text()
    master = path / "keys" / "master.key"
    assert stat.S_IMODE(master.stat().st_mode) == 0o600
    assert len(master.read_bytes()) == 32
    assert master.read_bytes() not in (path / "entries.log").read_bytes()
    with Ledger.open(path) as led:
        assert led.public_key_text() == key_text
        assert led.decrypt(led.entry(0)) == b"x"


def test_a_wrong_master_key_is_refused(open_ledger: MakeLedger, tmp_path: Path) -> None:
    open_ledger().close()
    with pytest.raises(WrongMasterKey):
        Ledger.open(tmp_path / "ledger", master_key=bytes(32))


def test_a_lost_master_key_file_is_not_silently_replaced(tmp_path: Path) -> None:
    from ledger import KeyMissing

    Ledger.open(tmp_path / "l").close()
    os.remove(tmp_path / "l" / "keys" / "master.key")
    with pytest.raises(KeyMissing):
        Ledger.open(tmp_path / "l")


def test_origin_is_fixed_at_creation(open_ledger: MakeLedger, tmp_path: Path) -> None:
    open_ledger(origin="example.org/a").close()
    with pytest.raises(OriginMismatch):
        Ledger.open(tmp_path / "ledger", origin="example.org/b", master_key=MASTER)


def test_one_writer_per_directory(open_ledger: MakeLedger, tmp_path: Path) -> None:
    open_ledger()
    with pytest.raises(LedgerLocked):
        Ledger.open(tmp_path / "ledger", master_key=MASTER)


def test_a_closed_ledger_refuses_appends_after_finishing_queued_ones(
    open_ledger: MakeLedger,
) -> None:
    led = open_ledger()
    futures = [led.append("user:1", "w", [], b"x", "patient:1") for _ in range(50)]
    led.close()
    assert [f.result().seq for f in futures] == list(range(50))
    with pytest.raises(LedgerClosed):
        led.append("user:1", "w", [], b"x", "patient:1")


@pytest.mark.parametrize("bad", [{"payload": "text"}, {"subjects": "patient:1"},
                                 {"key_subject": ""}, {"actor": None}])
def test_bad_arguments_fail_in_the_call(open_ledger: MakeLedger, bad: dict[str, object]) -> None:
    led = open_ledger()
    args: dict[str, object] = {"actor": "user:1", "action": "a", "subjects": [],
                               "payload": b"x", "key_subject": "patient:1", **bad}
    with pytest.raises(ValueError):
        led.append(**args)  # type: ignore[arg-type]
    assert led.size == 0


appends = st.lists(
    st.tuples(st.text(max_size=8), st.text(max_size=8), st.lists(st.text(max_size=6), max_size=3),
              st.binary(max_size=40), st.sampled_from(["p:1", "p:2", "p:\u00e9"])),
    min_size=1, max_size=12,
)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(appends, min_size=1, max_size=3))
def test_any_appends_across_reopens_form_one_chain_and_tree(
    tmp_path_factory: pytest.TempPathFactory, batches: list[list[tuple[str, str, list[str],
                                                                        bytes, str]]],
) -> None:
    path = tmp_path_factory.mktemp("prop") / "ledger"
    written = []
    for batch in batches:
        with Ledger.open(path, master_key=MASTER) as led:
            futures = [led.append(*args) for args in batch]
            written += [(args, f.result()) for args, f in zip(batch, futures, strict=True)]
    with Ledger.open(path, master_key=MASTER) as led:
        entries = list(led.entries())
        assert len(entries) == len(written) == led.size
        prev = GENESIS_PREV
        for e, ((actor, action, subjects, payload, key), anchor) in zip(entries, written,
                                                                      strict=True):
            assert (e.actor, e.action, e.subjects, e.key_subject) == (actor, action,
                                                                     tuple(subjects), key)
            assert e.prev_hash == prev and e.entry_hash == anchor.entry_hash
            assert led.decrypt(e) == payload
            assert led.root_hash(anchor.tree_size) == anchor.root_hash
            prev = e.entry_hash
        assert led.root_hash() == merkle.root([encode(e) for e in entries])
    assert (path / "tree.bin").stat().st_size == 32 * node_count(len(written))
    assert verify_ledger(path).ok
