"""Opening after a crash: read back the whole entries of a ledger's files and repair the tail.

A crash can leave the entries file ending inside a record (an append never acknowledged) and
the tree file short of the entries (its nodes are written only once their entries are
durable); both are repaired here. Damage no crash explains (a changed byte, whole entries
gone that a signed checkpoint, the tree file or the caller counts) raises LedgerCorrupted or
EntriesMissing, and then nothing is rewritten.
"""

from __future__ import annotations

import logging
from array import array

from ledger.errors import EntriesMissing, LedgerCorrupted, TornTail
from ledger.store import HASH_SIZE, AppendFile, Buffer, entry_frames, mapped
from ledger.tree import CompactRange, TreeFile, node_count, node_position, size_for_count

log = logging.getLogger(__name__)


def recover(entries: AppendFile, tree: TreeFile, signed_size: int,
            known: tuple[int, str] = (0, "")) -> tuple[array[int], CompactRange]:
    """The end offset of every whole entry (after a leading 0) and the tree's right edge.

    Checks every entry's hash and chain link, and its leaf in the tree file where there is
    one. Then, before writing anything, checks that the entries file still holds every entry
    that the latest signed checkpoint (`signed_size`), the tree file, or the caller
    (`known`: a count and who counted it) says was durable, else raises EntriesMissing.
    Only then cuts a torn tail of the entries file, cuts a torn node off the tree file and
    appends the nodes it lacks. On return both files hold exactly the durable tree, durably.
    """
    file = tree.file
    offsets = array("Q", [0])
    with mapped(entries.path) as buf, mapped(file.path) as tree_buf:
        torn = _scan(buf, tree_buf, offsets)
    size = len(offsets) - 1
    stored = size_for_count(file.size // HASH_SIZE)
    _check_complete(size, signed_size, stored, known)
    if torn is not None:
        log.warning("torn tail cut", extra={"event": "ledger.torn_tail", "seq": torn.seq,
                                            "offset": torn.offset,
                                            "path": str(entries.path.parent)})
        assert torn.offset is not None
        entries.truncate(torn.offset)
    if file.size != node_count(stored) * HASH_SIZE:
        file.truncate(node_count(stored) * HASH_SIZE)  # a node or subtree cut by a crash
    compact = CompactRange.at(stored, tree.node)
    if stored < size:
        log.warning("tree rebuilt from entries",
                    extra={"event": "ledger.tree_rebuilt", "entries": size - stored})
        for seq in range(stored, size):
            tree.append(compact.append(entries.read(offsets[seq + 1] - HASH_SIZE, HASH_SIZE)))
        file.sync()
    return offsets, compact


def _check_complete(size: int, signed_size: int, stored: int, known: tuple[int, str]) -> None:
    """Refuse a ledger that lost whole entries something durable counts (a torn record inside
    a signed checkpoint's size included: that entry was acknowledged, no crash cuts it)."""
    for expected, source in ((signed_size, "the latest signed checkpoint covers"),
                             (stored, "tree.bin holds the tree of"), known):
        if expected > size:
            raise EntriesMissing(size, expected, source)


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
