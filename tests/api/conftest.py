"""An app per test on its own data directory, spoken to over its real GraphQL endpoint."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.auth.accounts import create_admin
from api.knowledge import icd10
from api.resources import Resources
from api.settings import Settings
from graph.events import Event, encode
from ledger.entry import entry_size, event_bytes
from ledger.tiles import TILE_WIDTH, TileRef

ADMIN_PASSWORD = "correct horse battery staple"
STAFF_PASSWORD = "a long synthetic passphrase"


class Api:
    """A GraphQL caller over HTTP; `as_(token)` gives one that sends that token."""

    def __init__(self, client: TestClient, token: str | None = None) -> None:
        self.client = client
        self.token = token

    def as_(self, token: str | None) -> Api:
        return Api(self.client, token)

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self.client.post("/graphql", json={"query": query,
                                                      "variables": variables or {}},
                                    headers=headers)
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of an answer that must have no errors."""
        body = self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The single error of an answer that must fail."""
        body = self.post(query, variables)
        assert body.get("errors"), f"expected an error, got {body}"
        error: dict[str, Any] = body["errors"][0]
        return error

    def login(self, username: str, password: str) -> Api:
        answer = self.data(
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) {"
            " __typename ... on Session { token } ... on InvalidCredentials { message } } }",
            {"u": username, "p": password},
        )["login"]
        assert answer["__typename"] == "Session", answer
        return self.as_(answer["token"])

    def register(self, role: str, username: str | None = None, **extra: Any) -> str:
        username = username or f"{role.lower()}.{uuid.uuid4().hex[:8]}"
        profile = ({"specialty": "Cardiology", "licenceNumber": "MD-" + uuid.uuid4().hex[:6]}
                   if role == "PHYSICIAN" else {"company": "Metro Ambulance Service"})
        data = {"username": username, "password": STAFF_PASSWORD,
                "displayName": f"Synthetic {role.title()}", "role": role, **profile, **extra}
        user = self.data("mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
                         {"i": data})["register"]["user"]
        return str(user["id"])

    def staff(self, admin: Api, role: str) -> tuple[Api, str]:
        """Register, authorize and log in a new staff member; their caller and user id."""
        username = f"{role.lower()}.{uuid.uuid4().hex[:8]}"
        user_id = self.register(role, username)
        admin.data("mutation($id: ID!) { authorizeUser(id: $id) { user { status } } }",
                   {"id": user_id})
        return self.login(username, STAFF_PASSWORD), user_id


def from_address(client: TestClient, host: str) -> Api:
    """A caller at another client address, on the same running server (its event loop)."""
    other = TestClient(client.app, client=(host, 50000))
    other.portal = client.portal
    return Api(other)


def changes_recorded(resources: Resources) -> list[str]:
    """The actions of the ledger's entries that record a change: every entry but a read of a
    twin, which the access history records on each read (api/twin/access_log.py)."""
    return [e.action for e in resources.ledger.entries() if e.action != "TwinRead"]


def entry_of(event: Event, actor: str) -> int:
    """The length of the ledger entry that records `event` for `actor` (at any seq)."""
    meta = event_bytes(actor, event.kind, event.subjects, event.key_subject)
    return entry_size(len(meta), len(encode(event)), 10**19)


def bundles_served(client: TestClient) -> list[int]:
    """The status of every entry bundle of the ledger as a tlog-tiles client fetches them."""
    size = client.app.state.resources.ledger.size  # type: ignore[attr-defined]
    refs = [TileRef(None, i) for i in range(size // TILE_WIDTH)]
    if size % TILE_WIDTH:
        refs.append(TileRef(None, size // TILE_WIDTH, size % TILE_WIDTH))
    return [client.get(f"/ledger/tile/{ref.path()}").status_code for ref in refs]


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test server. Tests register a ward's staff from one test client, so
    registrations per address are not limited unless a test says so (test_throttle.py)."""
    overrides.setdefault("registrations_per_address", 10_000)
    return Settings(data_dir=data_dir, _env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def data_dir(short_tmp: Path) -> Path:
    return short_tmp / uuid.uuid4().hex[:10]


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(data_dir))) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def first_admin(client: TestClient) -> Api:
    """Create the first admin as `hdt create-admin` does, and log them in."""
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    assert client.portal is not None
    client.portal.call(create_admin, resources, "admin", ADMIN_PASSWORD, "Synthetic Admin")
    return Api(client).login("admin", ADMIN_PASSWORD)


@pytest.fixture
def admin(client: TestClient) -> Api:
    return first_admin(client)


@pytest.fixture(scope="module")
def shared_client(short_tmp: Path) -> Iterator[TestClient]:
    """One server for a whole test module, for tables of read-mostly cases."""
    with TestClient(create_app(make_settings(short_tmp / uuid.uuid4().hex[:10]))) as client:
        yield client


@pytest.fixture(scope="session")
def icd10_tree(short_tmp: Path) -> Iterator[tuple[TestClient, tuple[int, int]]]:
    """One server holding the whole ICD-10-CM tree (~98,000 codes), loaded once for the
    session and the load's (batches, rows): its tests read the tree, and loading it again
    must record nothing, so none of them changes it."""
    with TestClient(create_app(make_settings(short_tmp / "icd10"))) as client:
        resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
        assert client.portal is not None
        result = client.portal.call(icd10.load, resources, "test", None)
        yield client, result


@pytest.fixture(scope="session")
def icd10_admin(icd10_tree: tuple[TestClient, tuple[int, int]]) -> Api:
    return first_admin(icd10_tree[0])
