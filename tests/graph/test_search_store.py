"""Searching diseases and medications by code prefix or by words of their name gives the same
rows, in the same order, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from graph import projection
from graph.knowledge_events import DiseaseRow, DiseasesImported, MedicationRow, MedicationsImported
from graph.store import GraphStore

pytestmark = pytest.mark.anyio

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
DISEASES = DiseasesImported(source="icd10cm", batch=0, imported_by="cli",
                            at="2026-11-22T07:00:00.000Z", rows=(
    DiseaseRow(ICD10, "I20-I25", "Ischemic heart diseases"),
    DiseaseRow(ICD10, "I21", "Acute myocardial infarction", "I20-I25"),
    DiseaseRow(ICD10, "I21.4", "Non-ST elevation (NSTEMI) myocardial infarction", "I21"),
    DiseaseRow(ICD10, "I22", "Subsequent ST elevation (STEMI) and NSTEMI myocardial "
                             "infarction", "I20-I25"),
    DiseaseRow(ICD10, "I25.2", "Old myocardial infarction"),
    DiseaseRow(ICD10, "I50.9", "Heart failure, unspecified"),
    DiseaseRow(SNOMED, "22298006", "Myocardial infarction"),
))
MEDICATIONS = MedicationsImported(source="ansm-test", batch=0, imported_by="cli",
                                  at="2026-11-22T07:00:00.000Z", interactions=(), medications=(
    MedicationRow(RXNORM, "1191", "aspirin"),
    MedicationRow(RXNORM, "11289", "warfarin"),
    MedicationRow(RXNORM, "114194", "warfarin sodium"),
    MedicationRow("urn:hdt:ansm-substance", "acide-acetylsalicylique", "acide acétylsalicylique"),
))


async def _loaded(store: GraphStore) -> GraphStore:
    await projection.apply(store, DISEASES, 0)
    await projection.apply(store, MEDICATIONS, 1)
    return store


def _diseases(rows: list[dict[str, Any]]) -> list[str]:
    return [r["disease"]["code"] for r in rows]


async def test_diseases_by_code_prefix_shortest_code_first(store: GraphStore) -> None:
    await _loaded(store)

    def search(code: str, limit: int = 10) -> Any:
        return store.read("disease_search_code", {"key_prefix": f"{ICD10}|{code}",
                                                  "limit": limit})

    assert _diseases(await search("I21")) == ["I21", "I21.4"]
    assert _diseases(await search("I2", limit=3)) == ["I21", "I22", "I21.4"]
    assert await search("22298006") == []  # another code system's code
    [row] = await search("I21.4")
    assert row["disease"] == {"system": ICD10, "code": "I21.4",
                              "display": "Non-ST elevation (NSTEMI) myocardial infarction"}


async def test_diseases_by_every_word_of_their_name_the_last_as_typed(
        store: GraphStore) -> None:
    """Through each backend's full-text index: whole words, any case, in any order; the last
    word may be the start of one."""
    await _loaded(store)

    def search(words: list[str], limit: int = 10) -> Any:
        return store.read("disease_search_words", {"system": ICD10, "words": words,
                                                   "limit": limit})

    assert _diseases(await search(["myocardial", "infarction"])) == [
        "I21", "I22", "I21.4", "I25.2"]
    assert _diseases(await search(["infarction", "myocard"])) == [
        "I21", "I22", "I21.4", "I25.2"]
    assert _diseases(await search(["nstemi"])) == ["I22", "I21.4"]
    assert _diseases(await search(["heart", "fail"])) == ["I50.9"]
    assert _diseases(await search(["failure", "heart"])) == ["I50.9"]
    assert _diseases(await search(["myocardial"], limit=2)) == ["I21", "I22"]
    # a word is a word: "heart" is not found inside "heartburn", nor "ail" in "failure"
    assert await search(["ail"]) == []
    assert await search(["zzz"]) == []
    assert await search([]) == []


async def test_medications_by_code_or_words_of_their_name(store: GraphStore) -> None:
    await _loaded(store)

    def search(code: str, words: list[str]) -> Any:
        return store.read("medication_search", {"code": code, "words": words, "limit": 10})

    assert [r["medication"]["code"] for r in await search("warfarin", ["warfarin"])] == [
        "11289", "114194"]
    assert [r["medication"] for r in await search("1191", ["1191"])] == [
        {"system": RXNORM, "code": "1191", "name": "aspirin"}]
    assert [r["medication"]["code"] for r in await search("acide acétyl",
                                                          ["acide", "acétyl"])] == [
        "acide-acetylsalicylique"]
    assert await search("paracetamol", ["paracetamol"]) == []
