"""The medication catalogue statements on every backend: a batch projected once (cursor),
interactions stored one way and read both ways, TREATS to diseases that exist or not yet,
a patient's active prescriptions that interact with a new one, and what the admissions
noted (home medications, allergies) with the medications among them that interact with it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from graph import projection
from graph.event_values import MedicationRef
from graph.knowledge_events import (
    DiseaseRow,
    DiseasesImported,
    InteractionRow,
    MedicationRow,
    MedicationsImported,
)
from graph.store import GraphStore
from tests import synthetic

pytestmark = pytest.mark.anyio

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
ANSM = "urn:hdt:ansm-substance"
WARFARIN, ASPIRIN, IBUPROFEN, METFORMIN = (f"{RXNORM}|{c}" for c in ("11289", "1191", "5640",
                                                                      "6809"))
OWN = f"{ANSM}|heparine-calcique"


def _batch(number: int, medications: tuple[MedicationRow, ...] = (),
           interactions: tuple[InteractionRow, ...] = ()) -> MedicationsImported:
    return MedicationsImported(source="ansm-test", batch=number, medications=medications,
                               interactions=interactions, imported_by="cli",
                               at="2026-11-22T07:00:00.000Z")


MEDICATIONS = _batch(0, medications=(
    MedicationRow(RXNORM, "11289", "warfarin", (f"{ICD10}|I48", f"{ICD10}|I26")),
    MedicationRow(RXNORM, "1191", "aspirin", (f"{ICD10}|I21",)),
    MedicationRow(RXNORM, "5640", "ibuprofen"),
    MedicationRow(RXNORM, "6809", "metformin", (f"{ICD10}|E11",)),
    MedicationRow(ANSM, "heparine-calcique", "héparine calcique"),
))
INTERACTIONS = _batch(1, interactions=(
    InteractionRow(ASPIRIN, WARFARIN, "CONTRAINDICATED", "Majoration du risque hémorragique."),
    InteractionRow(IBUPROFEN, WARFARIN, "AVOID", "Augmentation du risque hémorragique."),
    InteractionRow(ASPIRIN, OWN, "AVOID", "Risque hémorragique."),
))


def _prescribed(patient_id: str, doctor: str, code: str, name: str) -> Any:
    return dataclasses.replace(synthetic.prescription(patient_id, doctor, None),
                               medication=MedicationRef(RXNORM, code, name))


def _names(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((r["medication"]["name"], r["severity"]) for r in rows)


async def test_a_catalogue_batch_is_projected_once(store: GraphStore) -> None:
    # the ICD-10-CM import ran for I48 only: TREATS links to it, and creates I26 and I21
    assert await projection.apply(store, dataclasses.replace(
        INTERACTIONS, interactions=()), 0)  # an empty batch still moves the cursor
    await projection.apply(store, DiseasesImported(
        source="icd10cm", batch=0, imported_by="cli", at="2026-11-22T06:00:00.000Z",
        rows=(DiseaseRow(ICD10, "I48", "Atrial fibrillation and flutter"),)), 1)
    assert await projection.apply(store, MEDICATIONS, 2)
    assert await projection.apply(store, INTERACTIONS, 3)
    assert not await projection.apply(store, INTERACTIONS, 3)  # replayed: nothing changes
    assert not await projection.apply(store, MEDICATIONS, 2)
    assert await store.read("medication_count") == [
        {"medications": 5, "interactions": 3, "treats": 4}]
    assert await projection.cursor(store) == 3

    [warfarin] = await store.read("medication_knowledge", {"key": WARFARIN})
    assert warfarin["medication"] == {"system": RXNORM, "code": "11289", "name": "warfarin"}
    assert sorted((d["code"], d["display"]) for d in warfarin["treats"]) == [
        ("I26", ""), ("I48", "Atrial fibrillation and flutter")]
    assert _names(warfarin["interactions"]) == [("aspirin", "CONTRAINDICATED"),
                                                ("ibuprofen", "AVOID")]
    [aspirin] = await store.read("medication_knowledge", {"key": ASPIRIN})  # the other end
    assert sorted((i["medication"]["code"], i["description"]) for i in aspirin["interactions"]) \
        == [("11289", "Majoration du risque hémorragique."),
            ("heparine-calcique", "Risque hémorragique.")]
    [metformin] = await store.read("medication_knowledge", {"key": METFORMIN})
    assert metformin["interactions"] == []
    assert [d["key"] for d in metformin["treats"]] == [f"{ICD10}|E11"]
    assert await store.read("medication_knowledge", {"key": f"{RXNORM}|1"}) == []


async def test_interactions_with_a_patients_active_prescriptions(store: GraphStore) -> None:
    seq = 0

    async def apply(event: Any) -> None:
        nonlocal seq
        await projection.apply(store, event, seq)
        seq += 1

    await apply(MEDICATIONS)
    await apply(INTERACTIONS)
    doctor = synthetic.physician()
    await apply(doctor)
    on_warfarin = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    other = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    for admitted in (on_warfarin, other):
        await apply(admitted)
    await apply(_prescribed(on_warfarin.patient_id, doctor.user_id, "11289", "Coumadin"))
    await apply(_prescribed(on_warfarin.patient_id, doctor.user_id, "11289", "warfarin"))
    await apply(_prescribed(on_warfarin.patient_id, doctor.user_id, "5640", "ibuprofen"))
    await apply(_prescribed(other.patient_id, doctor.user_id, "6809", "metformin"))

    def read(patient_id: str, key: str) -> Any:
        return store.read("medication_interactions_for_patient",
                          {"patient_id": patient_id, "key": key})

    # warfarin twice, once each way round: one row; ibuprofen with aspirin: none
    assert await read(on_warfarin.patient_id, ASPIRIN) == [{
        "medication": {"system": RXNORM, "code": "11289", "name": "warfarin"},
        "severity": "CONTRAINDICATED", "description": "Majoration du risque hémorragique."}]
    assert _names(await read(on_warfarin.patient_id, WARFARIN)) == [("ibuprofen", "AVOID")]
    assert await read(other.patient_id, ASPIRIN) == []
    assert await read(on_warfarin.patient_id, METFORMIN) == []
    assert await read(synthetic.new_id(), ASPIRIN) == []


async def test_what_admissions_noted_and_interactions_among_given_medications(
    store: GraphStore,
) -> None:
    await projection.apply(store, MEDICATIONS, 0)
    await projection.apply(store, INTERACTIONS, 1)
    doctor = synthetic.physician()
    await projection.apply(store, doctor, 2)
    patient_id = synthetic.new_id()
    first = dataclasses.replace(synthetic.admission(patient_id, by=doctor.user_id),
                                current_medications=("warfarin 5 mg daily",))
    again = dataclasses.replace(synthetic.admission(patient_id, by=doctor.user_id,
                                                    at="2026-11-27T09:00:00.000Z"),
                                allergies=("latex",), current_medications=("11289", "aspirin"))
    await projection.apply(store, first, 3)
    await projection.apply(store, again, 4)
    assert await store.read("patient_admissions_noted", {"patient_id": patient_id}) == [
        {"at": first.at, "allergies": ["penicillin"],
         "current_medications": ["warfarin 5 mg daily"]},
        {"at": again.at, "allergies": ["latex"], "current_medications": ["11289", "aspirin"]}]
    assert await store.read("patient_admissions_noted",
                            {"patient_id": synthetic.new_id()}) == []

    def among(key: str, keys: list[str]) -> Any:
        return store.read("medication_interactions_among", {"key": key, "keys": keys})

    assert await among(ASPIRIN, [WARFARIN, METFORMIN]) == [{
        "medication": {"system": RXNORM, "code": "11289", "name": "warfarin"},
        "severity": "CONTRAINDICATED", "description": "Majoration du risque hémorragique."}]
    assert _names(await among(WARFARIN, [ASPIRIN, IBUPROFEN])) == [
        ("aspirin", "CONTRAINDICATED"), ("ibuprofen", "AVOID")]
    assert await among(METFORMIN, [WARFARIN, ASPIRIN]) == []
    assert await among(ASPIRIN, []) == []
