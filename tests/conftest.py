"""Shared fixtures: real graph stores, started once per session, emptied between tests."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from graph.falkordb_store import FalkorProcess, FalkorStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore

BACKENDS = ["falkordb", "neo4j-local", "neo4j-docker"]
DOCKER_AUTH = ("neo4j", "password")


async def clear_neo4j(uri: str) -> None:
    """Empty a Neo4j graph, for a test that starts a server on the session's Neo4j."""
    store = Neo4jStore(uri)
    await store.open()
    await store.clear()
    await store.close()


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def short_tmp() -> Iterator[Path]:
    """A temporary directory with a short path: unix socket paths are limited to ~100 bytes."""
    path = Path(subprocess.run(["mktemp", "-d", "/tmp/hdt-XXXXXX"], capture_output=True,
                               text=True, check=True).stdout.strip())
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def falkordb_socket(short_tmp: Path) -> Iterator[Path]:
    """One embedded FalkorDB for the whole session, as the server starts it."""
    process = FalkorProcess(short_tmp / "falkordb")
    process.start()
    yield process.socket
    process.stop()


@pytest.fixture(scope="session")
def neo4j_local_uri(short_tmp: Path) -> Iterator[str]:
    """One real Neo4j Community for the whole session, built from Maven Central."""
    from graph.neo4j_local import Neo4jLocalProcess

    process = Neo4jLocalProcess(short_tmp / "neo4j")
    yield process.start()
    process.stop()


@pytest.fixture(scope="session")
def neo4j_docker_uri() -> Iterator[str]:
    """Neo4j in a container, where a Docker engine answers (none on our build machines)."""
    try:
        import docker

        docker.from_env().ping()
    except Exception:
        pytest.skip("no Docker engine answers here, and the testcontainers Neo4j needs one")
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26") as container:
        yield container.get_connection_url()


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[GraphStore]:
    """Every store-level test runs once per backend, on an empty graph."""
    backend: GraphStore
    if request.param == "falkordb":
        backend = FalkorStore(socket=request.getfixturevalue("falkordb_socket"))
    elif request.param == "neo4j-local":
        backend = Neo4jStore(request.getfixturevalue("neo4j_local_uri"))
    else:
        backend = Neo4jStore(request.getfixturevalue("neo4j_docker_uri"), auth=DOCKER_AUTH)
    await backend.open()
    await backend.clear()
    yield backend
    await backend.close()
