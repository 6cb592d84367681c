"""Erasing a patient from the graph, on every backend: every node of theirs goes, a tombstone
holding no clinical content stays, and applying the erasure again changes nothing."""

from __future__ import annotations

import dataclasses

import pytest

from graph import projection
from graph.event_values import MedicationRef
from graph.events import BreakGlassUsed, PatientErased
from graph.reads import EVERYONE
from graph.store import GraphStore
from tests import synthetic

pytestmark = pytest.mark.anyio

AT = "2026-11-26T09:00:00.000Z"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


async def _ward_with_two_patients(store: GraphStore) -> tuple[synthetic.Ward, str, str, str]:
    ward = synthetic.Ward(store)
    doctor = synthetic.physician()
    await ward.apply(doctor)
    erased, kept = synthetic.new_id(), synthetic.new_id()
    for patient_id in (erased, kept):
        await ward.apply(synthetic.admission(patient_id, by=doctor.user_id))
        diagnosis = synthetic.diagnosis(patient_id, doctor.user_id)
        await ward.apply(diagnosis)
        await ward.apply(synthetic.prescription(patient_id, doctor.user_id, diagnosis.stage_id))
        await ward.apply(synthetic.surgery(patient_id, doctor.user_id))
    await ward.apply(BreakGlassUsed(access_id=synthetic.new_id(), patient_id=erased,
                                    user_id=doctor.user_id, reason="unconscious on arrival",
                                    at=AT, expires_at=AT))
    return ward, doctor.user_id, erased, kept


async def test_erasure_removes_every_node_of_the_patient_and_leaves_a_tombstone(
        store: GraphStore) -> None:
    ward, admin_id, erased, kept = await _ward_with_two_patients(store)
    kept_twin = await store.read("twin_get", {**EVERYONE, "patient_id": kept})

    await ward.apply(PatientErased(patient_id=erased, erased_by=admin_id,
                                   reason="art. 17 request, ticket 42", at=AT))

    assert await store.read("patient_get", {"patient_id": erased}) == []
    assert await store.read("twin_get", {**EVERYONE, "patient_id": erased}) == []
    [tombstone] = await store.read("erased_patient_get", {"patient_id": erased})
    assert tombstone["tombstone"] == {"id": erased, "erased_at": AT, "erased_by": admin_id,
                                      "seq": ward.seq - 1}
    nodes = await store.read("patient_nodes_count", {"patient_id": erased})
    assert nodes == [{"nodes": 0}]
    # The other patient's twin is untouched.
    assert await store.read("twin_get", {**EVERYONE, "patient_id": kept}) == kept_twin


async def test_erasure_applied_twice_changes_nothing(store: GraphStore) -> None:
    ward, admin_id, erased, _ = await _ward_with_two_patients(store)
    event = PatientErased(patient_id=erased, erased_by=admin_id, reason="art. 17", at=AT)
    await ward.apply(event)
    assert not await projection.apply(store, event, ward.seq - 1)
    [tombstone] = await store.read("erased_patient_get", {"patient_id": erased})
    assert tombstone["tombstone"]["seq"] == ward.seq - 1


async def test_a_code_only_the_erased_patient_brought_in_goes_with_them(
        store: GraphStore) -> None:
    """The shared aspirin node came in with the erased patient's prescription, but the kept
    patient uses it too: it stays. A medication only the erased patient had goes."""
    ward, admin_id, erased, kept = await _ward_with_two_patients(store)
    rare = dataclasses.replace(synthetic.prescription(erased, admin_id, None),
                               medication=MedicationRef(RXNORM, "999001", "Zyntheticol"))
    await ward.apply(rare)
    assert await store.read("medication_knowledge", {"key": f"{RXNORM}|999001"}) != []
    everything_so_far = tuple(range(ward.seq))  # a superset of the patient's seqs
    await ward.apply(PatientErased(patient_id=erased, erased_by=admin_id, reason="art. 17",
                                   at=AT, seqs=everything_so_far))
    assert await store.read("medication_knowledge", {"key": f"{RXNORM}|999001"}) == []
    assert await store.read("medication_knowledge", {"key": f"{RXNORM}|1191"}) != []
    [kept_twin] = await store.read("twin_get", {**EVERYONE, "patient_id": kept})
    assert [t["medication"]["name"] for t in kept_twin["transactions"]] == ["aspirin"]
    assert [d["code"] for s in kept_twin["stages"] for d in s["diseases"]] == ["I21.4"]
