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


async def test_diseases_by_code_prefix_then_words_shortest_code_first(store: GraphStore) -> None:
    await _loaded(store)

    def search(code: str, words: list[str], limit: int = 10) -> Any:
        return store.read("disease_search", {"system": ICD10, "code": code, "words": words,
                                             "limit": limit})

    # a code prefix: the category before its subdivisions
    assert _diseases(await search("I21", ["i21"])) == ["I21", "I21.4"]
    # words, anywhere in the name, all of them, any case; never another code system's
    assert _diseases(await search("MYOCARDIAL INFARCTION", ["myocardial", "infarction"])) == [
        "I21", "I22", "I21.4", "I25.2"]
    assert _diseases(await search("NSTEMI", ["nstemi"])) == ["I22", "I21.4"]
    assert _diseases(await search("HEART FAIL", ["heart", "fail"])) == ["I50.9"]
    # the limit is the database's, after the order
    assert _diseases(await search("MYOCARDIAL", ["myocardial"], limit=2)) == ["I21", "I22"]
    assert await search("ZZZ", ["zzz"]) == []
    [row] = await search("I21.4", ["i21.4"])
    assert row["disease"] == {"system": ICD10, "code": "I21.4",
                              "display": "Non-ST elevation (NSTEMI) myocardial infarction"}


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
