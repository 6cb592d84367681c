"""`make bench`: every ratio of issue 7, measured side by side in one run, in one table."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from bench import api as api_bench
from bench import ledger as ledger_bench

TARGETS = {
    "read twin": 2.0,
    "write recordVitals, 32 clients": 1.3,
    "verify": 2.0,
    "proof": 1.5,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller data, shorter runs")
    args = parser.parse_args()
    quick = args.quick or os.environ.get("BENCH_QUICK") == "1"
    patients, seconds = (100, 3.0) if quick else (300, 8.0)
    ledger_size = 100_000 if quick else 1_000_000
    print(f"HDT benchmark on {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, embedded store{' (quick)' if quick else ''}\n")
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="hdt-bench-ledger-", dir="/tmp"))
    try:
        ledger = ledger_bench.run(root, ledger_size, quick)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    measured = api_bench.run(patients, seconds, scale=10)
    print(f"\nsummary ({time.monotonic() - started:.0f} s); ratio = ours / baseline, lower is "
          "better\n")
    print(f"{'measurement':78} {'ours':>9} {'baseline':>9} {'ratio':>6} {'target':>7}")
    for m in measured:
        scale = 1000 if m.unit == "ms" else 1
        target = next((t for key, t in TARGETS.items() if m.name.startswith(key)), None)
        print(f"{m.name:78} {m.ours * scale:9.2f} {m.baseline * scale:9.2f} {m.ratio:6.2f} "
              f"{_target(m.ratio, target):>7}")
    for name, ratio, target in (
        ("ledger: group commit appends/s vs plain fsync (higher is better)",
         ledger["group_commit"], None),
        (f"ledger: verify {ledger_size:,} entries vs sha256 of the same bytes",
         ledger["verify_vs_sha_whole"], TARGETS["verify"]),
        ("ledger: verify vs sha256 of each entry", ledger["verify_vs_sha_entries"], None),
        (f"ledger: inclusion proof at {ledger_size:,} vs 10^3 entries",
         ledger["proof_large_vs_small"], TARGETS["proof"]),
    ):
        print(f"{name:78} {'':>9} {'':>9} {ratio:6.2f} {_target(ratio, target):>7}")
    _scale(measured)


def _target(ratio: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"{'met' if ratio <= target else 'MISSED'} ≤{target:g}"


def _scale(measured: list[api_bench.Measured]) -> None:
    """Per-patient operations should cost the same at 10x the patients."""
    by_name: dict[str, list[api_bench.Measured]] = {}
    for m in measured:
        if "[" in m.name:
            by_name.setdefault(m.name.split(" [")[0], []).append(m)
    print("\nscale: the same operation at 10x the patients (ours, then ratio 10x/1x)")
    for name, (small, large) in ((n, ms) for n, ms in by_name.items() if len(ms) == 2):
        factor = 1000 if small.unit == "ms" else 1
        print(f"  {name:76} {small.ours * factor:8.2f} -> {large.ours * factor:8.2f} "
              f"{small.unit}  x{large.ours / small.ours:.2f}")


if __name__ == "__main__":
    main()
