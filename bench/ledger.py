"""Ledger benchmark: measured ratios, side by side in one run.

    python bench/ledger.py            # 1,000,000 entries (a few minutes)
    python bench/ledger.py --quick    # 100,000 entries (or BENCH_QUICK=1)

Prints (1) appends/s with group commit from 32 threads vs a plain write+fsync per append of
the same bytes, (2) `verify` time vs hashlib.sha256 over the same bytes (the floor), and
(3) inclusion-proof time at 10^3 vs 10^6 entries (should stay flat). Not a test: no targets
are asserted here.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

# Run as `python bench/ledger.py`, this file would shadow the `ledger` package: import the
# package from the repository root instead of from this script's folder.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from ledger import Ledger  # noqa: E402
from ledger.merkle import leaf_hash  # noqa: E402
from ledger.store import encode_frame, entry_frames, mapped  # noqa: E402
from ledger.verify import verify_ledger  # noqa: E402

MASTER = bytes(32)
PAYLOAD = os.urandom(200)


def append_args(i: int) -> tuple[str, str, list[str], bytes, str]:
    subject = f"patient:{i % 1000:06d}"
    return f"user:{i % 50:04d}", "graph.upsert", [subject, f"encounter:{i:08d}"], PAYLOAD, subject


def group_commit_rate(path: Path, threads: int, per_thread: int) -> float:
    with Ledger.open(path, master_key=MASTER) as led:
        for i in range(1000):  # make the data keys first: measure appends, not key creation
            led.append(*append_args(i))
        led.append_sync(*append_args(0))
        start = time.perf_counter()

        def work(n: int) -> None:
            for i in range(per_thread):
                led.append_sync(*append_args(n * per_thread + i))

        pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return threads * per_thread / (time.perf_counter() - start)


def plain_fsync_rate(path: Path, frames: list[bytes], seconds: float) -> float:
    """One writer, one write + fsync per append: what durability costs without grouping."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        start, count = time.perf_counter(), 0
        while count < len(frames) and time.perf_counter() - start < seconds:
            os.write(fd, frames[count])
            os.fdatasync(fd)
            count += 1
        return count / (time.perf_counter() - start)
    finally:
        os.close(fd)


def build(path: Path, size: int) -> None:
    with Ledger.open(path, master_key=MASTER) as led:
        futures = [led.append(*append_args(i)) for i in range(size)]
        futures[-1].result()


def sample_frames(path: Path, count: int) -> list[bytes]:
    with mapped(path / "entries.log") as buf:
        out = []
        for start, end, digest in entry_frames(buf):
            out.append(encode_frame(bytes(buf[start:end]), digest))
            if len(out) == count:
                break
        return out


def sha_floor(path: Path) -> tuple[float, float]:
    """Seconds to SHA-256 the entries file whole, and entry by entry (leaf hashes)."""
    data = (path / "entries.log").read_bytes()
    start = time.perf_counter()
    hashlib.sha256(data).digest()
    whole = time.perf_counter() - start
    with mapped(path / "entries.log") as buf:
        bodies = [bytes(buf[s:e]) for s, e, _ in entry_frames(buf)]
    start = time.perf_counter()
    for body in bodies:
        leaf_hash(body)
    return whole, time.perf_counter() - start


def proof_time(led: Ledger, tree_size: int, rounds: int = 2000) -> float:
    """Mean microseconds per inclusion proof of a random leaf in the tree of `tree_size`."""
    rng = random.Random(tree_size)
    seqs = [rng.randrange(tree_size) for _ in range(rounds)]
    start = time.perf_counter()
    for seq in seqs:
        led.inclusion_proof(seq, tree_size)
    return (time.perf_counter() - start) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 entries instead of 10^6")
    parser.add_argument("--dir", type=Path, help="where to build (default: a temp dir)")
    args = parser.parse_args()
    quick = args.quick or os.environ.get("BENCH_QUICK") == "1"  # a script, not the library
    size = 100_000 if quick else 1_000_000
    root = Path(tempfile.mkdtemp(prefix="ledger-bench-", dir=args.dir))
    try:
        run(root, size, quick)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(root: Path, size: int, quick: bool) -> dict[str, float]:
    """Print the three measurements, and return their ratios for the summary table."""
    print(f"ledger benchmark, {size:,} entries{' (quick)' if quick else ''}, "
          f"{os.cpu_count()} cores")
    start = time.perf_counter()
    build(root / "big", size)
    print(f"  built {size:,} entries in {time.perf_counter() - start:.1f} s "
          f"({(root / 'big' / 'entries.log').stat().st_size / size:.0f} bytes/entry)")

    threads, per_thread = 32, (50 if quick else 200)
    grouped = group_commit_rate(root / "group", threads, per_thread)
    plain = plain_fsync_rate(root / "plain.log", sample_frames(root / "big", 5000), 3.0)
    print("\n1. durable appends")
    print(f"  group commit, {threads} threads: {grouped:10,.0f} appends/s")
    print(f"  plain write+fsync each:     {plain:10,.0f} appends/s")
    print(f"  ratio: group commit is {grouped / plain:.1f}x plain fsync")

    whole, per_entry = sha_floor(root / "big")
    start = time.perf_counter()
    report = verify_ledger(root / "big")
    took = time.perf_counter() - start
    assert report.ok, report.message
    print(f"\n2. verify {size:,} entries")
    print(f"  verify:                       {took:7.2f} s")
    print(f"  sha256 of the file, whole:    {whole:7.2f} s  -> verify is {took / whole:.1f}x")
    print(f"  sha256 of each entry (leaves):{per_entry:7.2f} s  -> verify is "
          f"{took / per_entry:.1f}x")

    with Ledger.open(root / "big", master_key=MASTER) as led:
        small = proof_time(led, 1000)
        large = proof_time(led, size)
    print("\n3. inclusion proof (from the stored tree)")
    print(f"  tree of 10^3 entries:        {small:8.1f} us")
    print(f"  tree of {size:,} entries: {large:8.1f} us")
    print(f"  ratio: {large / small:.2f}x for {size // 1000}x the entries")
    return {"group_commit": grouped / plain, "verify_vs_sha_whole": took / whole,
            "verify_vs_sha_entries": took / per_entry, "proof_large_vs_small": large / small}


if __name__ == "__main__":
    main()
