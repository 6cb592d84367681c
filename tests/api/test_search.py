"""Finding a disease over the whole ICD-10-CM tree, as imported by `hdt import icd10` (and
`hdt demo`): by the start of its code, dotted or not, or by words of its name."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import Api

SEARCH = """
query($t: String!, $first: Int! = 20) {
  diseaseSearch(text: $t, first: $first) { system code display } }"""


@pytest.fixture
def tree(icd10_tree: tuple[TestClient, tuple[int, int]]) -> TestClient:
    """The session's server with the tree (tests/api/conftest.py), shared with test_icd10."""
    return icd10_tree[0]


@pytest.fixture
def admin(icd10_admin: Api) -> Api:
    return icd10_admin


def _codes(caller: Api, text: str, first: int = 20) -> list[str]:
    return [d["code"] for d in caller.data(SEARCH, {"t": text, "first": first})["diseaseSearch"]]


def test_a_code_prefix_finds_the_category_then_its_subdivisions(tree: TestClient,
                                                                admin: Api) -> None:
    doctor, _ = Api(tree).staff(admin, "PHYSICIAN")
    assert _codes(doctor, "I21", 4) == ["I21", "I21.0", "I21.1", "I21.2"]
    # typed without its dot, or in lower case, the same code
    assert _codes(doctor, "i214", 1) == _codes(doctor, "I21.4", 1) == ["I21.4"]
    [nstemi] = doctor.data(SEARCH, {"t": "I21.4", "first": 1})["diseaseSearch"]
    assert nstemi == {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I21.4",
                      "display": "Non-ST elevation (NSTEMI) myocardial infarction"}


def test_words_find_names_anywhere_in_the_tree(tree: TestClient, admin: Api) -> None:
    crew, _ = Api(tree).staff(admin, "TRANSPORT")
    found = _codes(crew, "NSTEMI myocardial", 50)
    assert "I21.4" in found and all(c.startswith(("I21", "I22", "I23")) for c in found)
    # deep in another chapter: a 7-character code of injuries
    assert "S72.001A" in _codes(crew, "fracture unspecified part of neck of right femur initial "
                                      "closed", 50)
    # as typed so far: the last word may be the start of one
    assert _codes(crew, "acute myocardial infarc", 2) == ["I21", "I21.9"]
    assert _codes(crew, "no such disease anywhere") == []


def test_a_search_for_almost_nothing_is_refused(tree: TestClient, admin: Api) -> None:
    for text in ("", " I ", "x" * 101, "--"):
        assert admin.error(SEARCH, {"t": text})["extensions"] == {
            "code": "BAD_USER_INPUT", "field": "text"}
    assert admin.error(SEARCH, {"t": "I21", "first": 0})["extensions"]["field"] == "first"
    assert Api(tree).error(SEARCH, {"t": "I21"})["extensions"]["code"] == "UNAUTHENTICATED"
