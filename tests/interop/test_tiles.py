"""The ledger served as C2SP tlog-tiles by a live `hdt serve`, read by independent clients:
torchwood's tlog client and golang.org/x/mod's proofs (Go), and plain HTTP for the headers."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from ledger.checkpoint import Checkpoint
from ledger.merkle import leaf_hash, node_hash
from tests.interop.conftest import Ward, run_go


def checkpoint_at_least(ward: Ward, size: int) -> str:
    """The served checkpoint once it signs `size` entries or more (signed about every second)."""
    deadline = time.monotonic() + 30
    while True:
        note = httpx.get(f"{ward.base}/ledger/checkpoint").text
        if Checkpoint.parse(note[: note.index("\n\n") + 1]).tree_size >= size:
            return note
        assert time.monotonic() < deadline, f"no checkpoint of {size} entries: {note}"
        time.sleep(0.2)


def served_size(note: str) -> int:
    return Checkpoint.parse(note[: note.index("\n\n") + 1]).tree_size


def test_go_clients_follow_the_ledger_and_check_every_proof(
    ward: Ward, interop: Path, tmp_path: Path
) -> None:
    ward.write(40)
    old = checkpoint_at_least(ward, 40)
    (tmp_path / "old").write_text(old)
    seqs = ward.write(300)  # past a full tile of 256 entries
    note = checkpoint_at_least(ward, max(seqs) + 1)
    answer = run_go(interop, "follow", "-prefix", f"{ward.base}/ledger/",
                    "-vkey", ward.public_key(), "-old", str(tmp_path / "old"))
    size = answer["tree_size"]
    assert size >= served_size(note) > 256
    assert answer["entries"] == answer["inclusion_checked"] == size
    assert answer["consistent_from"] == served_size(old)
    assert answer["origin"] == "hdt.local/ledger"


def test_a_full_tile_is_cached_for_good_a_partial_one_and_the_checkpoint_not(
    ward: Ward,
) -> None:
    ward.write(260)
    note = checkpoint_at_least(ward, 260)
    size = served_size(note)
    checkpoint = httpx.get(f"{ward.base}/ledger/checkpoint")
    assert checkpoint.headers["content-type"] == "text/plain; charset=utf-8"
    assert "immutable" not in checkpoint.headers["cache-control"]
    full = httpx.get(f"{ward.base}/ledger/tile/0/000")
    assert full.status_code == 200 and len(full.content) == 256 * 32
    assert full.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert full.headers["content-type"] == "application/octet-stream"
    bundle = httpx.get(f"{ward.base}/ledger/tile/entries/000")
    assert bundle.headers["cache-control"] == "public, max-age=31536000, immutable"
    width = size // 256
    level1 = httpx.get(f"{ward.base}/ledger/tile/1/000.p/{width}")
    assert level1.status_code == 200 and level1.headers["cache-control"] == "no-cache"
    # A level-1 hash is the root of the full level-0 tile below it, rebuilt here.
    hashes = [full.content[i : i + 32] for i in range(0, len(full.content), 32)]
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    assert level1.content[:32] == hashes[0]
    # The bundle's entries hash to the level-0 tile's leaves.
    first = int.from_bytes(bundle.content[:2], "big")
    entry = bundle.content[2 : 2 + first]
    assert full.content[:32] == leaf_hash(entry)


def test_a_tile_the_tree_does_not_hold_and_a_malformed_path_are_not_found(ward: Ward) -> None:
    for path in ("tile/0/x999/000", "tile/0/001.p/300", "tile/0/1", "tile/64/000",
                 "tile/entries/x000/001", "tile/0/000.p/0", "tile/0/000.p/07"):
        answer = httpx.get(f"{ward.base}/ledger/{path}")
        assert answer.status_code == 404, path
    assert httpx.post(f"{ward.base}/ledger/checkpoint").status_code == 405
