"""Where the graph lives: the one URL setting that selects a store backend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


class BadGraphUrl(ValueError):
    """`HDT_GRAPH_URL` names no store we can open; the message is meant for the operator."""


@dataclass(frozen=True)
class GraphTarget:
    """Where the graph lives, parsed from `HDT_GRAPH_URL`.

    `kind` is `embedded` (FalkorDB child process), `neo4j-local` (Neo4j child process built
    from Maven Central) or `neo4j` (any external Neo4j over Bolt, `uri` as given).
    """

    kind: str
    data_dir: Path | None = None
    uri: str | None = None


_EXTERNAL_SCHEMES = {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}


def parse_graph_url(url: str) -> GraphTarget:
    """Turn a graph URL into a target, or say in one line what is wrong with it."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("embedded", "neo4j-local"):
        if parts.netloc:
            raise BadGraphUrl(
                f"HDT_GRAPH_URL={url!r}: {scheme}:// takes a path and no host "
                f"(write {scheme}:///absolute/dir or {scheme}:///./relative/dir)"
            )
        raw = unquote(parts.path)
        if not raw or raw == "/":
            raise BadGraphUrl(f"HDT_GRAPH_URL={url!r}: the data directory is missing")
        path = Path(raw[1:]) if raw.startswith("/./") or raw.startswith("/../") else Path(raw)
        return GraphTarget(kind=scheme, data_dir=path.resolve())
    if scheme in _EXTERNAL_SCHEMES:
        if not parts.hostname:
            raise BadGraphUrl(f"HDT_GRAPH_URL={url!r}: a Neo4j URL needs a host")
        return GraphTarget(kind="neo4j", uri=url)
    raise BadGraphUrl(
        f"HDT_GRAPH_URL={url!r}: unknown scheme {parts.scheme!r}; use embedded:///<dir>, "
        "neo4j-local:///<dir>, neo4j://host:port or bolt://host:port"
    )
