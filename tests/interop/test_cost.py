"""The cost of witnessing, measured: the write rate of a ward without witnesses and with two
litewitnesses (k = 2), and the time from a checkpoint being served to its k-th cosignature.
Prints the numbers (README "Witnesses" quotes them); asserts only that every write was
acknowledged and every checkpoint got cosigned. `HDT_COST_SECONDS` sets the effort."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import httpx

from ledger.checkpoint import SignedCheckpoint
from tests.interop.conftest import Ward
from tests.interop.litewitness import LiteWitness
from tests.interop.test_witnessing import cosigned_size, eventually, new_ward

SECONDS = float(os.environ.get("HDT_COST_SECONDS", "5"))
ROUNDS = 10


def write_rate(ward: Ward) -> float:
    done, started = 0, time.monotonic()
    while time.monotonic() - started < SECONDS:
        seqs = ward.write(64, clients=16)
        assert len(set(seqs)) == 64
        done += 64
    return done / (time.monotonic() - started)


def served_size(ward: Ward) -> int:
    return SignedCheckpoint.of(httpx.get(f"{ward.base}/ledger/checkpoint").text).tree_size


def test_the_write_rate_with_and_without_witnesses_and_the_time_to_the_kth_cosignature(
    witnesses: list[LiteWitness], short_tmp: Path
) -> None:
    plain = new_ward(short_tmp / "cost-plain", [], [], 1)
    try:
        without = write_rate(plain)
    finally:
        plain.server.stop()
    ward = new_ward(short_tmp / "cost-witnessed", witnesses, [w.config() for w in witnesses], 2)
    try:
        with_witnesses = write_rate(ward)
        delays = []
        for _ in range(ROUNDS):
            size = max(ward.write(1, clients=1)) + 1
            eventually(lambda size=size: served_size(ward) >= size, "the checkpoint", 30, 0.01)
            served_at = time.monotonic()
            eventually(lambda size=size: cosigned_size(ward) >= size, "its 2nd cosignature", 30,
                       0.01)
            delays.append(time.monotonic() - served_at)
    finally:
        ward.server.stop()
    print(f"\nwitness cost: writes/s without witnesses {without:.0f}, with 2 litewitnesses "
          f"(k=2) {with_witnesses:.0f}; checkpoint served -> 2nd cosignature: median "
          f"{statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms "
          f"({ROUNDS} rounds)", file=sys.stderr)
