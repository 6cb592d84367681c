"""The whole ICD-10-CM tree, imported through the ledger: counts, known pairs, idempotence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api import icd10
from api.app import create_app
from api.resources import Resources
from tests.api.conftest import Api, first_admin, make_settings

CHILDREN = "query($c: String!) { disease(code: $c) { display parents { code } children { code } } }"


@pytest.fixture(scope="module")
def loaded(short_tmp: Path) -> Iterator[tuple[TestClient, tuple[int, int]]]:
    with TestClient(create_app(make_settings(short_tmp / "icd10"))) as client:
        resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
        assert client.portal is not None
        result = client.portal.call(icd10.load, resources, "test", None)
        yield client, result


@pytest.fixture(scope="module")
def admin(loaded: tuple[TestClient, tuple[int, int]]) -> Api:
    return first_admin(loaded[0])


def test_every_code_of_the_tabular_list_is_a_disease(
    loaded: tuple[TestClient, tuple[int, int]],
) -> None:
    client, (batches, rows) = loaded
    assert rows == len(icd10.rows()) > 98_000
    assert batches == len(list(icd10.batches()))
    store = client.app.state.resources.store  # type: ignore[attr-defined]
    assert client.portal is not None
    diseases, links = client.portal.call(icd10.count, store)
    assert diseases == rows
    assert links == rows - 22  # every item but the 22 chapters has a parent


@pytest.mark.parametrize(("code", "parent", "child"), [
    ("I21", "I20-I25", "I21.4"),
    ("I20-I25", "9", "I21"),
    ("E11", "E08-E13", "E11.9"),
    ("S72.0", "S72", "S72.00"),
    ("B10", "1", "B10.0"),  # a block that is also its only category: one node
])
def test_known_parents_and_children_come_from_the_graph(
    admin: Api, code: str, parent: str, child: str,
) -> None:
    disease = admin.data(CHILDREN, {"c": code})["disease"]
    assert [p["code"] for p in disease["parents"]] == [parent]
    assert child in [c["code"] for c in disease["children"]]


def test_importing_again_records_nothing_new(
    loaded: tuple[TestClient, tuple[int, int]],
) -> None:
    client, _ = loaded
    resources = client.app.state.resources  # type: ignore[attr-defined]
    size = resources.ledger.size
    assert client.portal is not None
    batches, _ = client.portal.call(icd10.load, resources, "test", None)
    assert batches == 0
    assert resources.ledger.size == size

