"""The disease knowledge statements give the same rows on every backend (FalkorDB and Neo4j
differ on empty OPTIONAL MATCHes, map projections and ordering: this pins them)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from graph.event_values import DiseaseRef
from graph.knowledge_events import DiseaseHashGenerated, DiseaseRow, DiseasesImported
from graph.store import GraphStore
from tests import synthetic

pytestmark = pytest.mark.anyio

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
NAMES = {"I21.4": "NSTEMI", "E11.9": "Type 2 diabetes mellitus", "J18.9": "Pneumonia"}


class _Ward(synthetic.Ward):
    """A ward with the knowledge and patients these tests need."""

    async def patient(self, doctor: str, day: str, codes: list[str]) -> str:
        admitted = synthetic.admission(synthetic.new_id(), by=doctor, at=f"{day}T09:00:00.000Z")
        await self.apply(admitted)
        if codes:
            await self.apply(dataclasses.replace(
                synthetic.diagnosis(admitted.patient_id, doctor, at=f"{day}T10:00:00.000Z"),
                diseases=tuple(DiseaseRef(ICD10, c, NAMES[c]) for c in codes)))
        return admitted.patient_id


def _care(viewer: str, granted: list[str] | None = None) -> dict[str, Any]:
    return {"scope": "care", "viewer": viewer, "granted": granted or []}


EVERYONE = {"scope": "all", "viewer": "admin", "granted": []}


def _codes(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["disease"]["code"], r["patients"]) for r in rows]


async def test_disease_knowledge_statements(store: GraphStore) -> None:
    ward = _Ward(store)
    cardiology, pulmonology = synthetic.physician("dr.heart"), synthetic.physician("dr.lung")
    await ward.apply(cardiology)
    await ward.apply(pulmonology)
    a, b = cardiology.user_id, pulmonology.user_id
    await ward.patient(a, "2026-11-20", ["I21.4", "E11.9"])
    await ward.patient(a, "2026-11-21", ["I21.4"])
    await ward.patient(a, "2026-11-21", [])
    hidden = await ward.patient(b, "2026-11-21", ["I21.4", "J18.9"])
    await ward.apply(DiseasesImported(source="icd10cm", batch=0, imported_by="cli",
                                      at="2026-11-22T07:00:00.000Z", rows=(
        DiseaseRow(ICD10, "I21", "Acute myocardial infarction"),
        DiseaseRow(ICD10, "I21.4", NAMES["I21.4"], "I21"),
    )))
    await ward.apply(DiseaseHashGenerated(disease_key=f"{ICD10}|I21.4", record_hash="ab" * 32,
                                          generated_by="admin", at="2026-11-22T08:00:00.000Z"))

    [nstemi] = await store.read("disease_knowledge", {"key": f"{ICD10}|I21.4"})
    assert nstemi["disease"]["record_hash"] == "ab" * 32
    assert nstemi["disease"]["hash_seq"] == ward.seq - 1
    assert [(p["code"], p["display"]) for p in nstemi["parents"]] == [
        ("I21", "Acute myocardial infarction")]
    assert nstemi["children"] == [] and nstemi["treated_by"] == []
    [infarction] = await store.read("disease_knowledge", {"key": f"{ICD10}|I21"})
    assert [c["code"] for c in infarction["children"]] == ["I21.4"]
    assert infarction["parents"] == [] and "record_hash" not in infarction["disease"]
    assert await store.read("disease_knowledge", {"key": f"{ICD10}|I99"}) == []

    def co(visibility: dict[str, Any], limit: int = 10) -> dict[str, Any]:
        return visibility | {"key": f"{ICD10}|I21.4", "limit": limit}

    assert _codes(await store.read("disease_co_occurring", co(_care(a)))) == [("E11.9", 1)]
    assert _codes(await store.read("disease_co_occurring", co(_care(a, [hidden])))) == [
        ("E11.9", 1), ("J18.9", 1)]
    assert _codes(await store.read("disease_co_occurring", co(EVERYONE, 1))) == [("E11.9", 1)]

    [record] = await store.read("disease_records_page", {"after": None, "limit": 10})
    assert record["disease"]["code"] == "I21.4"
    assert await store.read("disease_records_page", {"after": f"{ICD10}|I21.4",
                                                     "limit": 10}) == []
    assert await store.read("disease_records_count") == [{"count": 1}]

    window = {"from": "2026-11-21T00:00:00.000Z", "to": None}
    everything = EVERYONE | {"from": None, "to": None}
    assert _codes(await store.read("disease_results_per_disease", everything | {"limit": 2})) \
        == [("I21.4", 3), ("E11.9", 1)]
    assert _codes(await store.read("disease_results_per_disease",
                                   _care(a) | window | {"limit": 10})) == [("I21.4", 1)]
    assert await store.read("disease_results_per_stage", everything) == [
        {"stage": "ADMISSION", "patients": 1}, {"stage": "DIAGNOSIS", "patients": 3}]
    assert await store.read("disease_results_per_stage", _care(a) | window) == [
        {"stage": "ADMISSION", "patients": 1}, {"stage": "DIAGNOSIS", "patients": 1}]
    assert await store.read("disease_results_over_time", everything) == [
        {"day": "2026-11-20", "diagnoses": 1}, {"day": "2026-11-21", "diagnoses": 2}]
    assert await store.read("disease_results_over_time", _care(b) | window) == [
        {"day": "2026-11-21", "diagnoses": 1}]
