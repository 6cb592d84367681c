"""Opens the store a `GraphTarget` names, or a scratch store: the one place that knows every
backend."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from graph.falkordb_store import MAX_SOCKET_PATH, FalkorProcess, FalkorStore
from graph.neo4j_store import Neo4jLocalStore, Neo4jStore
from graph.store import GraphStore
from graph.url import GraphTarget

_SCRATCH_PREFIX = "audit-"


def store_for(
    target: GraphTarget,
    *,
    graph_name: str = "hdt",
    neo4j_auth: tuple[str, str] | None = None,
    neo4j_database: str | None = None,
    neo4j_heap: str = "512m",
    neo4j_port: int | None = None,
) -> GraphStore:
    """A closed store for `target`; `open()` starts any child process it needs."""
    if target.kind == "embedded":
        assert target.data_dir is not None
        return FalkorStore(target.data_dir, graph_name=graph_name)
    if target.kind == "neo4j-local":
        assert target.data_dir is not None
        return Neo4jLocalStore(target.data_dir, heap=neo4j_heap, port=neo4j_port)
    assert target.uri is not None
    return Neo4jStore(target.uri, auth=neo4j_auth, database=neo4j_database)


@contextlib.asynccontextmanager
async def scratch_store(work_dir: Path) -> AsyncIterator[GraphStore]:
    """An empty embedded store of our own in a fresh directory, open, removed afterwards:
    somewhere to replay a ledger into and compare (the graph audit).

    Under `work_dir` (the data directory, on the same disk as the graph it mirrors) unless
    that path is too long for a unix socket; then in the system's temporary directory. The
    store is used through its socket, so closing it skips the append-only file rewrite that
    a store kept for later gets.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    parent: Path | None = work_dir
    if len(str(work_dir / f"{_SCRATCH_PREFIX}xxxxxxxx" / "graph.sock")) > MAX_SOCKET_PATH:
        parent = None
    directory = Path(tempfile.mkdtemp(prefix=_SCRATCH_PREFIX, dir=parent))
    process = FalkorProcess(directory)
    try:
        process.start()
        store = FalkorStore(socket=process.socket)
        try:
            await store.open()
            yield store
        finally:
            await store.close()
    finally:
        await asyncio.to_thread(process.stop)
        shutil.rmtree(directory, ignore_errors=True)
