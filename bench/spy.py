"""Top frames of a py-spy `--format raw` profile: where the server's time went, as a table.

`python -m bench.spy FILE`: each line of a raw profile is one stack (root first, `;`-separated)
and the number of samples taken in it.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

_PACKAGES = ("neo4j/", "strawberry/", "graphql/", "starlette/", "uvicorn/", "api/", "graph/",
             "ledger/", "asyncio/", "json/", "logging/")


def top_frames(raw: str, count: int = 12) -> str:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, samples = line.rpartition(" ")
        if not stack or not samples.isdigit():
            continue
        n = int(samples)
        total += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for package in {p for p in _PACKAGES for f in frames if f"({p}" in f or f"/{p}" in f}:
            inclusive[package] += n
    if not total:
        return "no samples"
    lines = [f"{total} samples; by package (inclusive):"]
    lines += [f"  {share:5.1f}%  {p}" for p, share in
              sorted(((p, 100 * n / total) for p, n in inclusive.items()), key=lambda x: -x[1])]
    lines.append("top frames (own time):")
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(count)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(top_frames(Path(sys.argv[1]).read_text()))
