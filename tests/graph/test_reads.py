"""The typed reads, on every backend: each read statement has its function, each function's
parameters are the ones its statement expects, and the rows have the shapes their types say."""

from __future__ import annotations

from typing import Any

import pytest

from graph import projection, reads
from graph.cypher import CYPHER_DIR
from graph.events import BreakGlassUsed, PhysicianAssigned
from graph.reads import PatientFilter, Period, TransactionFilter, Visibility
from graph.store import GraphStore, Params, Row
from tests import synthetic

pytestmark = pytest.mark.anyio

NO_PATIENT_FILTER = PatientFilter(status=None, stage=None, admitted_after=None,
                                  admitted_before=None, search=None)
NO_TRANSACTION_FILTER = TransactionFilter(patient_id=None, kind=None, medication_code=None)
OPEN = Period(start=None, end=None)
GRAPH_OWN = {"cursor_get", "graph_size", "graph_nodes_page", "graph_relationships_page",
             "ping", "clear_all"}
"""Statements graph/ runs itself (projection, snapshot, store), not reads of the api."""


class Recording:
    """The real store, noting the name of every statement read through it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.names: set[str] = set()

    async def read(self, statement: str, params: Params | None = None) -> list[Row]:
        self.names.add(statement)
        return await self.store.read(statement, params)


def _everyone(viewer: str = "u-admin") -> Visibility:
    return Visibility(scope="all", viewer=viewer, granted=[])


def _cares(viewer: str, granted: list[str] | None = None) -> Visibility:
    return Visibility(scope="care", viewer=viewer, granted=granted or [])


async def test_every_read_statement_has_a_function_and_runs_on_an_empty_graph(
    store: GraphStore,
) -> None:
    recording = Recording(store)
    s: Any = recording  # a GraphStore for the reads, which only call read()
    care, everyone = _cares("u-1"), _everyone()
    for visibility in (care, everyone):
        assert await reads.patients_page(s, visibility, NO_PATIENT_FILTER, None, 10) == []
        assert await reads.patients_count(s, visibility, NO_PATIENT_FILTER) == 0
        assert await reads.medication_transactions_page(
            s, visibility, NO_TRANSACTION_FILTER, ("2026-01-01", "t"), 10) == []
        assert await reads.medication_transactions_count(s, visibility,
                                                          NO_TRANSACTION_FILTER) == 0
    assert await reads.user(s, "u-1") is None
    assert await reads.user_by_username(s, "nobody") is None
    assert await reads.principals(s) == []
    assert await reads.break_glass_open(s, "2026-01-01T00:00:00Z") == []
    assert await reads.sharing_consents(s) == []
    assert await reads.physician_status(s, "u-1") is None
    assert await reads.users_page(s, role=None, status=None, after=None, limit=10) == []
    assert await reads.users_count(s, role="PHYSICIAN", status=None) == 0
    assert await reads.patient(s, "p-1") is None
    assert await reads.patient_visible(s, care, "p-1") is False
    assert await reads.patient_grounds(s, care, "p-1") is None
    assert await reads.patient_nodes(s, "p-1") == 0
    assert await reads.erased_patient(s, "p-1") is None
    assert await reads.invitation(s, "ab" * 32) is None
    assert await reads.access_history_page(s, "p-1", ("2026-01-01", "a"), 10) == []
    assert await reads.access_history_count(s, "p-1") == 0
    assert await reads.consents(s, "p-1") == []
    assert await reads.erasure_request(s, "p-1") is None
    assert await reads.erasure_requests(s, 10) == []
    assert await reads.patient_state(s, care, "p-1") is None
    assert await reads.twin(s, care, "p-1") is None
    assert await reads.patient_solutions(s, ["p-1"]) == []
    assert await reads.fhir_resources_of_patient(s, "p-1") == {"own": [], "shared": []}
    assert await reads.diagnosis(s, "s-1") is None
    assert await reads.surgery(s, "s-1") is None
    assert await reads.prescription(s, "t-1") is None
    assert await reads.medication_count(s) == {"medications": 0, "interactions": 0, "treats": 0}
    assert await reads.medication_interactions_for_patient(s, "p-1", "rxnorm|1") == []
    assert await reads.medication_knowledge(s, "rxnorm|1") is None
    assert await reads.medication_interactions_among(s, "rxnorm|1", ["rxnorm|2"]) == []
    assert await reads.patient_admissions_noted(s, "p-1") == []
    assert await reads.medication_search(s, "1191", ["aspirin"], 5) == []
    assert await reads.disease_search_code(s, "icd10|A0", 5) == []
    assert await reads.disease_search_words(s, "icd10", ["cholera"], 5) == []
    assert await reads.disease_count(s, "icd10") == {"diseases": 0, "is_a": 0}
    assert await reads.disease_knowledge(s, "icd10|A00") is None
    assert await reads.disease_ancestors(s, "icd10|A00") == []
    assert await reads.disease_descendants(s, "icd10|A00", 10) == []
    assert await reads.disease_path(s, "icd10|A00", "icd10|A01", 4) is None
    assert await reads.disease_co_occurring(s, care, "icd10|A00", 10) == []
    assert await reads.disease_medications_prescribed(s, care, ["icd10|A00"]) == []
    assert await reads.disease_records_page(s, None, 10) == []
    assert await reads.disease_records_count(s) == 0
    assert await reads.disease_results_per_disease(s, everyone, OPEN, 10) == []
    assert await reads.disease_results_per_stage(s, everyone, OPEN) == []
    assert await reads.disease_results_over_time(s, care, Period(start="2026-01-01",
                                                                 end="2027-01-01")) == []
    assert await reads.break_glass_page(s, None, 10) == []
    assert await reads.break_glass_count(s) == 0

    statements = {p.stem for p in CYPHER_DIR.glob("*.cypher")}
    statements |= {p.stem for p in CYPHER_DIR.glob("*/*.cypher")}  # one per backend
    read_statements = {n for n in statements if not n.startswith("apply_")} - GRAPH_OWN
    assert recording.names == read_statements


async def _cared_for_patient(store: GraphStore) -> tuple[str, str, str]:
    """A physician, and a patient admitted and assigned to them: (physician, patient, stage)."""
    doctor = synthetic.physician()
    admission = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    await projection.apply(store, doctor, 0)
    await projection.apply(store, admission, 1)
    await projection.apply(store, PhysicianAssigned(
        patient_id=admission.patient_id, physician_id=doctor.user_id,
        assigned_by=doctor.user_id, at="2026-11-25T09:05:00.000Z"), 2)
    return doctor.user_id, admission.patient_id, admission.stage_id


async def test_a_twin_reads_back_typed_with_its_stages_and_physicians(store: GraphStore) -> None:
    doctor_id, patient_id, stage_id = await _cared_for_patient(store)
    diagnosis = synthetic.diagnosis(patient_id, doctor_id)
    await projection.apply(store, diagnosis, 3)

    twin = await reads.twin(store, _cares(doctor_id), patient_id)

    assert twin is not None
    assert await reads.twin(store, _cares("u-stranger"), patient_id) is None
    assert await reads.twin(store, _cares("u-stranger", [patient_id]), patient_id) is not None
    assert await reads.twin(store, _everyone("u-stranger"), patient_id) is not None
    assert twin["patient"]["id"] == patient_id
    assert [s["id"] for s in twin["stages"]] == [stage_id, diagnosis.stage_id]
    assert twin["stages"][1]["diseases"][0]["code"] == "I21.4"
    assert [(p["id"], p["specialty"]) for p in twin["physicians"]] == [
        (doctor_id, "Emergency medicine")]
    assert twin["crews"] == []
    assert await reads.diagnosis(store, diagnosis.stage_id) == {"diagnosis": {
        "id": diagnosis.stage_id, "patient_id": patient_id, "at": diagnosis.at}}


async def test_patient_reads_answer_only_callers_who_may_see_the_patient(
    store: GraphStore,
) -> None:
    doctor_id, patient_id, stage_id = await _cared_for_patient(store)
    stranger = synthetic.new_id()

    state = await reads.patient_state(store, _cares(doctor_id), patient_id)
    assert state is not None
    assert (state["patient"]["status"], state["last_stage"]) == (
        "ADMITTED", {"id": stage_id, "stage": "ADMISSION", "at": "2026-11-25T09:00:00.000Z"})
    assert await reads.patient_visible(store, _cares(doctor_id), patient_id)
    assert await reads.patient_state(store, _cares(stranger), patient_id) is None
    assert not await reads.patient_visible(store, _cares(stranger), patient_id)
    assert await reads.patient_visible(store, _cares(stranger, [patient_id]), patient_id)
    assert await reads.patient_visible(store, _everyone(stranger), patient_id)


async def test_a_patient_page_is_scoped_to_the_caller_and_counted_alike(
    store: GraphStore,
) -> None:
    doctor_id, patient_id, _ = await _cared_for_patient(store)
    colleague = synthetic.physician("dr.okafor")
    other = synthetic.admission(synthetic.new_id(), by=colleague.user_id,
                                at="2026-11-26T09:00:00.000Z")
    await projection.apply(store, colleague, 3)
    await projection.apply(store, other, 4)

    mine = await reads.patients_page(store, _cares(doctor_id), NO_PATIENT_FILTER, None, 10)
    everyone = await reads.patients_page(store, _everyone(), NO_PATIENT_FILTER, None, 10)

    assert [r["patient"]["id"] for r in mine] == [patient_id]
    assert mine[0]["patient"]["current_stage"] == "ADMISSION"
    assert [r["patient"]["id"] for r in everyone] == [other.patient_id, patient_id]
    assert await reads.patients_count(store, _cares(doctor_id), NO_PATIENT_FILTER) == 1
    assert await reads.patients_count(store, _everyone(), NO_PATIENT_FILTER) == 2
    after = (everyone[0]["patient"]["admitted_at"], everyone[0]["patient"]["id"])
    rest = await reads.patients_page(store, _everyone(), NO_PATIENT_FILTER, after, 10)
    assert [r["patient"]["id"] for r in rest] == [patient_id]


async def test_users_read_typed_by_id_by_username_and_as_a_principal(
    store: GraphStore,
) -> None:
    doctor = synthetic.physician()
    await projection.apply(store, doctor, 0)
    patient_id = synthetic.new_id()
    await projection.apply(store, synthetic.admission(patient_id, by=doctor.user_id), 1)
    await projection.apply(store, BreakGlassUsed(
        access_id=synthetic.new_id(), patient_id=patient_id, user_id=doctor.user_id,
        reason="unconscious on arrival", at="2026-11-25T09:10:00.000Z",
        expires_at="2026-11-25T13:10:00.000Z"), 2)

    found = await reads.user(store, doctor.user_id)
    assert found is not None
    assert (found["user"]["username"], found["user"]["licence_number"],
            found["user"]["company"]) == ("dr.rivera", "MD-100234", None)
    login = await reads.user_by_username(store, "dr.rivera")
    assert login is not None and login["user"]["password_hash"] == doctor.password_hash
    assert await reads.physician_status(store, doctor.user_id) == "ACTIVE"
    [principal] = await reads.principals(store)
    assert (principal["id"], principal["role"], principal["status"]) == (
        doctor.user_id, "PHYSICIAN", "ACTIVE")
    during = await reads.break_glass_open(store, "2026-11-25T10:00:00.000Z")
    after = await reads.break_glass_open(store, "2026-11-25T14:00:00.000Z")
    assert [(g["user_id"], g["patient_id"]) for g in during] == [(doctor.user_id, patient_id)]
    assert after == []
    [access] = await reads.break_glass_page(store, None, 10)
    assert (access["access"]["patient_id"], access["user"]["id"]) == (patient_id,
                                                                      doctor.user_id)


async def test_a_prescription_and_a_surgery_read_typed(store: GraphStore) -> None:
    doctor_id, patient_id, _ = await _cared_for_patient(store)
    rx = synthetic.prescription(patient_id, doctor_id, None)
    surgery = synthetic.surgery(patient_id, doctor_id)
    await projection.apply(store, rx, 3)
    await projection.apply(store, surgery, 4)

    found = await reads.prescription(store, rx.transaction_id)
    assert found is not None
    assert (found["prescription"]["status"], found["prescription"]["last_given"],
            found["medication"]["name"]) == ("ACTIVE", None, "aspirin")
    row = await reads.surgery(store, surgery.stage_id)
    assert row is not None
    assert [p["phase"] for p in row["phases"]] == ["PRE_OPERATIVE"]
    page = await reads.medication_transactions_page(
        store, _cares(doctor_id),
        TransactionFilter(patient_id=patient_id, kind="PRESCRIPTION", medication_code=None),
        None, 10)
    assert [t["transaction"]["id"] for t in page] == [rx.transaction_id]
