"""Settings: one object from HDT_* variables, and one clear line for a bad graph URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings
from graph.url import BadGraphUrl, parse_graph_url


def test_the_default_store_is_embedded_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.graph.kind == "embedded"
    assert settings.graph.data_dir == tmp_path.resolve() / "graph"


def test_environment_variables_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HDT_PORT", "9123")
    monkeypatch.setenv("HDT_GRAPH_URL", "bolt://db.example:7687")
    settings = Settings()
    assert settings.port == 9123
    assert settings.graph.kind == "neo4j" and settings.graph.uri == "bolt://db.example:7687"


@pytest.mark.parametrize(
    ("url", "kind", "path"),
    [
        ("embedded:///var/lib/hdt", "embedded", "/var/lib/hdt"),
        ("neo4j-local:///srv/neo4j", "neo4j-local", "/srv/neo4j"),
        ("embedded:///./data", "embedded", str(Path("data").resolve())),
    ],
)
def test_store_urls_with_a_directory(url: str, kind: str, path: str) -> None:
    target = parse_graph_url(url)
    assert (target.kind, str(target.data_dir)) == (kind, path)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/db", "unknown scheme 'mysql'"),
        ("embedded://host/dir", "takes a path and no host"),
        ("embedded://", "the data directory is missing"),
        ("bolt://", "needs a host"),
        ("just-a-path", "unknown scheme ''"),
    ],
)
def test_a_bad_graph_url_is_named_in_one_line(url: str, message: str) -> None:
    with pytest.raises(BadGraphUrl, match=message) as caught:
        parse_graph_url(url)
    assert "\n" not in str(caught.value)
