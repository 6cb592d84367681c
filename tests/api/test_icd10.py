"""The whole ICD-10-CM tree, imported through the ledger: counts, known pairs, idempotence;
and every code of it accepted as a diagnosis."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from api.knowledge import icd10
from api.twin import validation as check
from api.twin.access import now_iso
from api.twin.errors import InvalidInput
from graph.knowledge_events import DiseasesImported
from ledger import MAX_ENTRY
from tests.api.conftest import Api, bundles_served, entry_of

CHILDREN = "query($c: String!) { disease(code: $c) { display parents { code } children { code } } }"


@pytest.fixture
def loaded(icd10_tree: tuple[TestClient, tuple[int, int]]) -> tuple[TestClient, tuple[int, int]]:
    """The session's server with the tree (tests/api/conftest.py), shared with test_search."""
    return icd10_tree


@pytest.fixture
def admin(icd10_admin: Api) -> Api:
    return icd10_admin


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


def test_a_tlog_tiles_client_reads_every_entry_of_the_import(
    loaded: tuple[TestClient, tuple[int, int]],
) -> None:
    """Every batch is one entry an entry bundle carries (at most 65,535 bytes)."""
    client, _ = loaded
    assert set(bundles_served(client)) == {200}


def test_batches_are_cut_by_the_size_of_their_entry_one_depth_each() -> None:
    """Under the limit with room for an actor of 300 bytes, each from one depth of the tree,
    every row once in order: the same package gives the same batches anywhere."""
    depth = {row.code: d for d, row in icd10.rows()}
    found = list(icd10.batches())
    assert [row for batch in found for row in batch] == [row for _, row in icd10.rows()]
    sizes = [entry_of(DiseasesImported(source=icd10.SOURCE, batch=n, rows=rows,
                                       imported_by="a" * 300, at=now_iso()), "a" * 300)
             for n, rows in enumerate(found)]
    assert max(sizes) <= MAX_ENTRY
    assert sorted(sizes)[len(sizes) // 2] > MAX_ENTRY * 0.9  # cut by size, not by a count
    assert all(len({depth[row.code] for row in batch}) == 1 for batch in found)


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



def test_every_code_of_the_tree_is_a_diagnosis_and_no_heading_is() -> None:
    """Every category and code of the tree the import loads passes the check recordDiagnosis
    makes, billable leaves first among them; chapters and blocks are refused. The 39 codes
    that share their name with a block (B20 HIV disease...) are codes."""
    tree = [row.code for _, row in icd10.rows()]
    parents = {row.parent for _, row in icd10.rows()}
    leaves = [code for code in tree if code not in parents]
    assert len(leaves) > 74_000
    refused = []
    for code in tree:
        try:
            dotted, display = check.icd10_code("diseases[0].code", code)
        except InvalidInput:
            refused.append(code)
            continue
        assert (dotted, display) == (code, icd10.icd10.get_description(code))
    # the leaves but 12 empty headings ("C00-C75 Malignant neoplasms of specified sites",
    # whose codes the list files under sub-blocks elsewhere) are the billable codes
    empty_headings = [code for code in leaves if "-" in code]
    assert len(empty_headings) == 12
    assert set(refused) & set(leaves) == set(empty_headings), "a billable code is refused"
    headings = [c for c in tree if icd10.icd10.is_chapter_or_block(c)]
    collisions = [c for c in headings if icd10.icd10.is_category(c)]
    assert len(collisions) == 39 and {"B20", "F99", "P84", "R99", "Z66"} <= set(collisions)
    assert sorted(refused) == sorted(set(headings) - set(collisions))
    assert "I20-I25" in refused and "9" in refused
