"""Fixtures for the ledger tests: real ledgers in temporary directories, no mocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ledger import Ledger

MASTER = bytes(range(32))

MakeLedger = Callable[..., Ledger]


@pytest.fixture
def open_ledger(tmp_path: Path) -> Iterator[MakeLedger]:
    """Open ledgers under tmp_path (master key given, so nothing secret lands in the dir);
    every ledger still open at the end is closed. No periodic checkpoints unless asked for
    (`checkpoint_interval=`): tests that count checkpoints must not depend on the clock."""
    opened: list[Ledger] = []

    def make(path: Path | None = None, **kwargs: object) -> Ledger:
        kwargs.setdefault("master_key", MASTER)
        kwargs.setdefault("checkpoint_interval", 0)
        led = Ledger.open(path or tmp_path / "ledger", **kwargs)  # type: ignore[arg-type]
        opened.append(led)
        return led

    yield make
    for led in opened:
        led.close()


def fill(led: Ledger, count: int, *, subjects: int = 3) -> None:
    """Append `count` small entries across a few subjects, waiting for all to be durable."""
    futures = [
        led.append(f"user:{i % 2}", "graph.upsert", [f"patient:{i % subjects}", f"enc:{i}"],
                   f"payload {i}".encode(), f"patient:{i % subjects}")
        for i in range(count)
    ]
    for future in futures:
        future.result()
