"""Opening after a crash: read back the whole entries of a ledger's files and repair the tail.

A crash can leave the entries file ending inside a record (an append never acknowledged) and
the tree file short of, or ahead of, the entries; both are repaired here. Damage no crash
explains (a changed byte, a signed entry gone) raises LedgerCorrupted, and then nothing is
rewritten.
"""

from __future__ import annotations

import logging
from array import array

from ledger.errors import LedgerCorrupted, TornTail
from ledger.store import HASH_SIZE, AppendFile, Buffer, entry_frames, mapped
from ledger.tree import CompactRange, TreeFile, node_count, node_position, size_for_count

log = logging.getLogger(__name__)


def recover(entries: AppendFile, tree: TreeFile, signed_size: int) -> tuple[array[int],
                                                                              CompactRange]:
    """The end offset of every whole entry (after a leading 0) and the tree's right edge.

    Checks every entry's hash and chain link, and its leaf in the tree file where there is
    one. Cuts a torn tail of the entries file unless a checkpoint signed `signed_size`
    entries that it would remove; cuts tree nodes past the entries and appends the missing
    ones. On return both files hold exactly the durable tree, durably.
    """
    file = tree.file
    if file.size % HASH_SIZE:
        file.truncate(file.size - file.size % HASH_SIZE)
    offsets = array("Q", [0])
    with mapped(entries.path) as buf, mapped(file.path) as tree_buf:
        torn = _scan(buf, tree_buf, offsets)
    size = len(offsets) - 1
    if torn is not None:
        _cut_torn_tail(entries, torn, size, signed_size)
    stored = min(size, size_for_count(file.size // HASH_SIZE))
    if file.size != node_count(stored) * HASH_SIZE:
        file.truncate(node_count(stored) * HASH_SIZE)
    compact = CompactRange.at(stored, tree.node)
    if stored < size:
        log.warning("tree rebuilt from entries",
                    extra={"event": "ledger.tree_rebuilt", "entries": size - stored})
        for seq in range(stored, size):
            tree.append(compact.append(entries.read(offsets[seq + 1] - HASH_SIZE, HASH_SIZE)))
        file.sync()
    return offsets, compact


def _scan(buf: Buffer, tree_buf: Buffer, offsets: array[int]) -> TornTail | None:
    """Walk every whole entry into `offsets`; the torn tail found after them, if any."""
    tree_len = len(tree_buf)
    try:
        for seq, (_, body_end, digest) in enumerate(entry_frames(buf)):
            pos = node_position(0, seq) * HASH_SIZE
            if pos + HASH_SIZE <= tree_len and tree_buf[pos : pos + HASH_SIZE] != digest:
                raise LedgerCorrupted(seq, "does not match the Merkle tree file")
            offsets.append(body_end + HASH_SIZE)
    except TornTail as exc:
        assert exc.offset is not None
        return exc
    return None


def _cut_torn_tail(entries: AppendFile, torn: TornTail, size: int, signed_size: int) -> None:
    """Cut an unacknowledged torn record; refuse if a signed checkpoint already covers it
    (then durable entries were lost, which no crash explains)."""
    assert torn.offset is not None
    if signed_size > size:
        raise LedgerCorrupted(
            torn.seq, f"{torn.reason}, but the latest checkpoint signed {signed_size} "
            "entries: durable entries were lost", offset=torn.offset)
    log.warning("torn tail cut", extra={"event": "ledger.torn_tail", "seq": torn.seq,
                                        "offset": torn.offset, "path": str(entries.path.parent)})
    entries.truncate(torn.offset)
