"""Graph against ledger: the ledger replayed into a scratch store, compared with the live graph;
and the same replay rebuilding a graph in another store.

Why: the ledger is the source of truth and the graph only its projection, so the live graph
must be exactly what a replay of the ledger gives. An edit made in the database directly (a
property changed, a node deleted or added) shows up as a difference named with the seq of the
event that last wrote it. Nothing clinical is shown: ids, labels, property names and seqs, and
values only as salted digests.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.table import Table

from api.resources import master_key, store_at
from api.settings import Settings
from api.twin import replay as replays
from api.twin.replay import ReplayResult
from graph import backends, projection, snapshot
from graph.snapshot import Difference
from graph.store import GraphStore
from graph.url import parse_graph_url
from ledger import Ledger, LedgerNotFound

Progress = Callable[[str, int, int], None]
"""Called as progress(task, done, total); tasks are `replay`, `node` and `relationship`."""

LISTED = 1000
"""Differences kept in a report; beyond them only the counts grow."""

KNOWLEDGE_LABELS = frozenset({"Disease", "Medication", "Symptom"})
"""Nodes keyed by a code: shown by key on their own, by digest when linked to a person's node
(that a stage is DIAGNOSED_AS a given code is clinical)."""


class RebuildRefused(ValueError):
    """The target store already holds a graph and neither --clear nor --resume was given."""


@dataclass(frozen=True, slots=True)
class AuditReport:
    ledger_size: int
    graph_cursor: int
    """The seq the live graph says it has applied up to (-1: none)."""
    nodes: int
    relationships: int
    replay: ReplayResult
    counts: dict[tuple[str, str], int]
    """How many differences of each (element, change)."""
    differences: tuple[Difference, ...]
    """The first differences found (at most `LISTED`), in identity order."""

    @property
    def ok(self) -> bool:
        return not self.counts

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def replay(ledger: Ledger, store: GraphStore, *, start: int = 0, stop: int | None = None,
                 progress: Progress | None = None) -> ReplayResult:
    """Replay into `store`, giving up (StoreUnavailable) if it goes away: an operator's
    command says so at once, where the server waits for its store to return."""
    def step(done: int, total: int) -> None:
        if progress is not None:
            progress("replay", done, total)

    return await replays.replay(ledger, partial(projection.apply, store), start=start,
                                stop=stop, progress=step)


async def audit(
    ledger: Ledger,
    live: GraphStore,
    work_dir: Path,
    *,
    progress: Progress | None = None,
    listed: int = LISTED,
    page_size: int = snapshot.PAGE_SIZE,
) -> AuditReport:
    """Replay the whole ledger into a scratch embedded store under `work_dir` and compare
    the live graph with it. Reads the live graph only.

    The ledger is taken at its size when the audit starts: run it on a quiet server (or a
    stopped one, `audit_data_dir`), else events applied meanwhile show up as differences.
    """
    size = ledger.size
    cursor = await projection.cursor(live)
    nodes, relationships = await snapshot.size(live)
    counts: Counter[tuple[str, str]] = Counter()
    kept: list[Difference] = []
    async with backends.scratch_store(work_dir) as scratch:
        replayed = await replay(ledger, scratch, stop=size, progress=progress)
        async for difference in snapshot.compare(scratch, live, page_size=page_size,
                                                 progress=progress):
            counts[difference.element, difference.change] += 1
            if len(kept) < listed:
                kept.append(difference)
    return AuditReport(size, cursor, nodes, relationships, replayed, dict(counts), tuple(kept))


async def audit_data_dir(settings: Settings, progress: Progress | None = None,
                         listed: int = LISTED) -> AuditReport:
    """Audit a stopped server's data directory: its ledger against its graph as they are,
    without the replay the server does on start (that would repair what the audit is to
    find). The ledger's lock refuses this while a server runs."""
    async with _opened(settings) as ledger:
        live = store_at(settings, settings.graph)
        await live.open()
        try:
            return await audit(ledger, live, settings.data_dir, progress=progress,
                               listed=listed)
        finally:
            await live.close()


@dataclass(frozen=True, slots=True)
class RebuildReport:
    target: str
    cleared: bool
    replay: ReplayResult
    nodes: int
    relationships: int


async def rebuild(settings: Settings, url: str, *, clear: bool = False, resume: bool = False,
                  progress: Progress | None = None) -> RebuildReport:
    """Replay the ledger into the store `url` names (another data directory, a local or
    remote Neo4j): the way to move a deployment between backends, or to rebuild a graph.

    A store that already holds nodes is refused unless `clear` (empty it first) or `resume`
    (continue after its cursor) is given. The server must be stopped (the ledger's lock).
    """
    if clear and resume:
        raise RebuildRefused("--clear and --resume exclude each other")
    target = parse_graph_url(url)
    async with _opened(settings) as ledger:
        store = store_at(settings, target)
        await store.open()
        try:
            nodes, _ = await snapshot.size(store)
            start = 0
            if clear:
                await store.clear()
            elif resume:
                start = await projection.cursor(store) + 1
            elif nodes:
                cursor = await projection.cursor(store)
                raise RebuildRefused(
                    f"{url} already holds a graph ({nodes} nodes, applied up to seq {cursor}); "
                    "pass --clear to replace it or --resume to continue it")
            replayed = await replay(ledger, store, start=start, progress=progress)
            nodes, relationships = await snapshot.size(store)
        finally:
            await store.close()
    return RebuildReport(url, clear, replayed, nodes, relationships)


@contextlib.asynccontextmanager
async def _opened(settings: Settings) -> AsyncIterator[Ledger]:
    """The data directory's ledger, opened with its master key; never created here."""
    if not (settings.ledger_dir / "ledger.json").is_file():
        raise LedgerNotFound(f"{settings.ledger_dir} holds no ledger")
    ledger = Ledger.open(settings.ledger_dir, origin=settings.ledger_origin,
                         master_key=master_key(settings))
    try:
        yield ledger
    finally:
        ledger.close()


# -- showing a report ---------------------------------------------------------------------


def summary(report: AuditReport) -> list[str]:
    """Plain lines for the operator: sizes, what the replay skipped, the verdict."""
    replayed = report.replay
    lines = [
        f"ledger: {report.ledger_size} entries; live graph applied up to seq "
        f"{report.graph_cursor}; {report.nodes} nodes, {report.relationships} relationships",
        f"replayed {replayed.applied} events into a scratch store",
    ]
    if report.graph_cursor < report.ledger_size - 1:
        lines.append(f"the graph is behind the ledger: the server applies entries after seq "
                     f"{report.graph_cursor} when it next starts")
    if replayed.erased:
        lines.append(f"{len(replayed.erased)} events of erased subjects were not replayed "
                     f"(seqs {_seqs(replayed.erased)}): their nodes still in the graph are "
                     "listed as extra")
    if replayed.refused:
        lines.append(f"{len(replayed.refused)} events were refused by the store on replay "
                     f"(seqs {_seqs(replayed.refused)})")
    if report.ok:
        lines.append("OK: the graph is exactly what the ledger gives")
    else:
        parts = [f"{n} {element}s {change}" if n != 1 else f"1 {element} {change}"
                 for (element, change), n in sorted(report.counts.items())]
        lines.append(f"DIFFERS: {', '.join(parts)}")
    return lines


def table(report: AuditReport, limit: int) -> Table:
    """The first `limit` differences: ids, labels, property names, digests and seqs only."""
    hide = _Hider()
    grid = Table("element", "change", "labels", "id", "relationship", "seq", "properties",
                 title=f"differences ({min(limit, len(report.differences))} of {report.total})")
    for d in report.differences[:limit]:
        identity, relationship = d.identity, ""
        if d.element == "relationship":
            start_knows = KNOWLEDGE_LABELS.intersection(d.labels)
            end_knows = KNOWLEDGE_LABELS.intersection(d.end_labels)
            end = d.end or ""
            if start_knows and not end_knows:
                identity = hide(identity)
            if end_knows and not start_knows:
                end = hide(end)
            relationship = f"-[:{d.type}]-> ({':'.join(d.end_labels)} {end})"
        changes = ", ".join(f"{p.name}: {p.expected or '(none)'} -> {p.actual or '(none)'}"
                            for p in d.properties)
        seq = "" if d.seq is None else str(d.seq) if d.seq_exact else f"<={d.seq}"
        grid.add_row(d.element, d.change, ":".join(d.labels), identity or "(no id)",
                     relationship, seq, changes)
    return grid


class _Hider:
    """Stands a code-derived key in for a digest, the same one within one table."""

    def __init__(self) -> None:
        self._salt = os.urandom(16)

    def __call__(self, key: str) -> str:
        return "#" + hashlib.blake2b(key.encode(), key=self._salt, digest_size=4).hexdigest()


def _seqs(seqs: tuple[int, ...], shown: int = 10) -> str:
    text = ", ".join(map(str, seqs[:shown]))
    return text + (f", ... ({len(seqs) - shown} more)" if len(seqs) > shown else "")
