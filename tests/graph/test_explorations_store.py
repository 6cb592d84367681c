"""The disease exploration statements give the same rows on FalkorDB and Neo4j: ancestors and
descendants nearest first, the shortest IS_A route between two diseases (directed patterns
only: FalkorDB has no undirected shortestPath), and the medications prescribed for a disease
counted over the patients the caller may read."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from graph.event_values import DiseaseRef, MedicationRef
from graph.knowledge_events import DiseaseRow, DiseasesImported
from graph.store import GraphStore
from tests import synthetic

pytestmark = pytest.mark.anyio

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
TREE = (  # parents first, as `hdt import icd10` sends them
    ("9", "Diseases of the circulatory system (I00-I99)", None),
    ("4", "Endocrine, nutritional and metabolic diseases (E00-E89)", None),
    ("I20-I25", "Ischemic heart diseases (I20-I25)", "9"),
    ("E08-E13", "Diabetes mellitus (E08-E13)", "4"),
    ("I21", "Acute myocardial infarction", "I20-I25"),
    ("I25", "Chronic ischemic heart disease", "I20-I25"),
    ("E11", "Type 2 diabetes mellitus", "E08-E13"),
    ("I21.0", "STEMI of anterior wall", "I21"),
    ("I21.4", "NSTEMI", "I21"),
    ("I25.1", "Atherosclerotic heart disease of native coronary artery", "I25"),
    ("E11.9", "Type 2 diabetes mellitus without complications", "E11"),
    ("I21.01", "STEMI involving left main coronary artery", "I21.0"),
    ("I25.10", "ASHD of native coronary artery without angina pectoris", "I25.1"),
)


def _key(code: str) -> str:
    return f"{ICD10}|{code}"


class _Ward(synthetic.Ward):
    """A ward with the knowledge and patients these tests need."""

    async def tree(self, *rows: tuple[str, str, str | None]) -> None:
        await self.apply(DiseasesImported(
            source="icd10cm", batch=self.seq, imported_by="cli", at="2026-11-22T07:00:00.000Z",
            rows=tuple(DiseaseRow(ICD10, code, display, parent) for code, display, parent in rows)))

    async def treated(self, doctor: str, codes: list[str], drugs: list[str]) -> str:
        """A new patient diagnosed with `codes`, prescribed `drugs` (RxNorm codes) for it."""
        admitted = synthetic.admission(synthetic.new_id(), by=doctor)
        await self.apply(admitted)
        diagnosis = dataclasses.replace(
            synthetic.diagnosis(admitted.patient_id, doctor),
            diseases=tuple(DiseaseRef(ICD10, c) for c in codes))
        await self.apply(diagnosis)
        for drug in drugs:
            await self.apply(dataclasses.replace(
                synthetic.prescription(admitted.patient_id, doctor, diagnosis.stage_id),
                transaction_id=synthetic.new_id(),
                medication=MedicationRef(RXNORM, drug, f"drug {drug}")))
        return admitted.patient_id


def _codes(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["disease"]["code"], r["distance"]) for r in rows]


async def test_ancestors_and_descendants_nearest_first(store: GraphStore) -> None:
    ward = _Ward(store)
    await ward.tree(*TREE)

    ancestors = await store.read("disease_ancestors", {"key": _key("I21.01")})
    assert _codes(ancestors) == [("I21.0", 1), ("I21", 2), ("I20-I25", 3), ("9", 4)]
    assert ancestors[0]["disease"] == {"system": ICD10, "code": "I21.0",
                                       "display": "STEMI of anterior wall"}
    assert await store.read("disease_ancestors", {"key": _key("9")}) == []
    assert await store.read("disease_ancestors", {"key": _key("Z99")}) == []

    descendants = await store.read("disease_descendants", {"key": _key("I20-I25"), "limit": 50})
    assert _codes(descendants) == [("I21", 1), ("I25", 1), ("I21.0", 2), ("I21.4", 2),
                                   ("I25.1", 2), ("I21.01", 3), ("I25.10", 3)]
    first_three = await store.read("disease_descendants", {"key": _key("I20-I25"), "limit": 3})
    assert _codes(first_three) == [("I21", 1), ("I25", 1), ("I21.0", 2)]
    assert await store.read("disease_descendants", {"key": _key("I21.4"), "limit": 5}) == []

    await ward.tree(("I21.4", "NSTEMI", "I25"))  # a second parent: a DAG, not a tree
    assert _codes(await store.read("disease_ancestors", {"key": _key("I21.4")})) == [
        ("I21", 1), ("I25", 1), ("I20-I25", 2), ("9", 3)], "each ancestor once, at its nearest"
    assert _codes(await store.read("disease_descendants", {"key": _key("I25"), "limit": 10})) \
        == [("I21.4", 1), ("I25.1", 1), ("I25.10", 2)]


def _route(row: dict[str, Any]) -> list[str]:
    """The path from one disease to the other: up to the common ancestor, then down."""
    up = [n["code"] for n in row["up"]]
    down = [n["code"] for n in row["down"]]
    return up + down[-2::-1]


async def test_the_shortest_route_between_two_diseases(store: GraphStore) -> None:
    ward = _Ward(store)
    await ward.tree(*TREE)

    def path(a: str, b: str, max_length: int = 8) -> dict[str, Any]:
        return {"from_key": _key(a), "to_key": _key(b), "max_length": max_length}

    [row] = await store.read("disease_path", path("I21.01", "I25.10"))
    assert _route(row) == ["I21.01", "I21.0", "I21", "I20-I25", "I25", "I25.1", "I25.10"]
    assert (row["distance"], row["via"]) == (6, _key("I20-I25"))
    assert row["up"][0] == {"system": ICD10, "code": "I21.01",
                            "display": "STEMI involving left main coronary artery"}

    [down] = await store.read("disease_path", path("I21", "I21.01"))
    assert _route(down) == ["I21", "I21.0", "I21.01"] and down["distance"] == 2
    [itself] = await store.read("disease_path", path("I21.4", "I21.4"))
    assert _route(itself) == ["I21.4"] and itself["distance"] == 0

    assert await store.read("disease_path", path("I21.01", "I25.10", 5)) == [], "too long"
    assert await store.read("disease_path", path("I21.4", "E11.9")) == [], "no common root"
    assert await store.read("disease_path", path("I21.4", "Z99")) == []

    await ward.tree(("I21.4", "NSTEMI", "I25"))  # a shortcut through a second parent
    [shortcut] = await store.read("disease_path", path("I21.4", "I25.10"))
    assert _route(shortcut) == ["I21.4", "I25", "I25.1", "I25.10"]
    [tie] = await store.read("disease_path", path("I21.4", "9"))
    assert tie["distance"] == 3 and _route(tie) == ["I21.4", "I21", "I20-I25", "9"], \
        "two routes of the same length: the same one on every store"


def _care(viewer: str, granted: list[str] | None = None) -> dict[str, Any]:
    return {"scope": "care", "viewer": viewer, "granted": granted or []}


EVERYONE = {"scope": "all", "viewer": "admin", "granted": []}


async def test_medications_prescribed_for_a_disease_count_visible_patients(
    store: GraphStore,
) -> None:
    ward = _Ward(store)
    cardiology, pulmonology = synthetic.physician("dr.heart"), synthetic.physician("dr.lung")
    await ward.apply(cardiology)
    await ward.apply(pulmonology)
    a, b = cardiology.user_id, pulmonology.user_id
    await ward.treated(a, ["I21.4"], ["1191", "32968"])   # aspirin, clopidogrel
    await ward.treated(a, ["I21.4", "E11.9"], ["1191", "1191"])  # aspirin twice
    hidden = await ward.treated(b, ["I21.4"], ["32968"])
    await ward.treated(a, ["E11.9"], ["6809"])  # metformin

    async def prescribed(visibility: dict[str, Any], *codes: str) -> list[dict[str, Any]]:
        return await store.read("disease_medications_prescribed",
                                visibility | {"keys": [_key(c) for c in codes]})

    def counted(rows: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
        return [(r["key"].split("|")[1], r["medication"]["code"], r["patients"],
                 r["prescriptions"]) for r in rows]

    everything = await prescribed(EVERYONE, "I21.4", "E11.9", "J18.9")
    assert counted(everything) == [
        ("E11.9", "1191", 1, 2), ("E11.9", "6809", 1, 1),
        ("I21.4", "1191", 2, 3), ("I21.4", "32968", 2, 2),
    ], "by disease, then most patients, then most prescriptions"
    assert everything[0]["medication"] == {"system": RXNORM, "code": "1191",
                                           "name": "drug 1191"}
    assert counted(await prescribed(_care(a), "I21.4", "E11.9")) == [
        ("E11.9", "1191", 1, 2), ("E11.9", "6809", 1, 1),
        ("I21.4", "1191", 2, 3), ("I21.4", "32968", 1, 1),
    ], "the other physician's patient is not counted"
    assert counted(await prescribed(_care(a, [hidden]), "I21.4")) == [
        ("I21.4", "1191", 2, 3), ("I21.4", "32968", 2, 2)], "a break-glass grant counts"
    assert await prescribed(_care(b), "E11.9") == []
