"""Opens the store a `GraphTarget` names: the one place that knows every backend."""

from __future__ import annotations

from graph.falkordb_store import FalkorStore
from graph.neo4j_store import Neo4jLocalStore, Neo4jStore
from graph.store import GraphStore
from graph.url import GraphTarget


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
