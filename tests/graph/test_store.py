"""The store contract, run on every backend: what goes in through an event comes back out."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from graph import projection
from graph.cypher import all_statement_files
from graph.events import PatientAdmitted
from graph.fhir_events import (
    PatientImported,
    ResourceImported,
    SharedResourceImported,
    SharedResourcesUsed,
)
from graph.knowledge_events import DiseaseRow, DiseasesImported
from graph.reads import EVERYONE
from graph.store import GraphStore, StoreError
from tests import synthetic

pytestmark = pytest.mark.anyio

NASTY_TEXT = [
    "plain",
    "",
    "O'Brien",
    'quote " inside',
    "back\\slash \\\" mix",
    "line\nbreak\ttab\r",
    "émilie Ñúñez 李雷 🚑",
    "'}) MATCH (n) DETACH DELETE n //",
    "$seq {x} `tick`",
]


async def _stages(store: GraphStore, patient_id: str) -> list[dict[str, Any]]:
    """The patient's stages along their NEXT chain, as the twin reads them."""
    [twin] = await store.read("twin_get", {**EVERYONE, "patient_id": patient_id})
    stages: list[dict[str, Any]] = twin["stages"]
    return stages


async def _admit(store: GraphStore, seq: int = 0, **changes: object) -> str:
    doctor = synthetic.physician()
    await projection.apply(store, doctor, seq)
    event = dataclasses.replace(
        synthetic.admission(synthetic.new_id(), by=doctor.user_id), **changes
    )
    await projection.apply(store, event, seq + 1)
    return event.patient_id


@pytest.mark.parametrize("text", NASTY_TEXT)
async def test_text_comes_back_exactly_as_written(store: GraphStore, text: str) -> None:
    patient_id = await _admit(store, given_name=text, allergies=(text, "latex"))
    [row] = await store.read("patient_get", {"patient_id": patient_id})
    assert row["patient"]["given_name"] == text
    timeline = await _stages(store, patient_id)
    assert timeline[0]["allergies"] == [text, "latex"]


async def test_text_with_a_nul_character_is_refused_by_every_backend(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="NUL character"):
        await _admit(store, given_name="cut\x00short")
    assert await projection.cursor(store) == 0  # only the physician before it was applied


async def test_numbers_and_flags_keep_their_type(store: GraphStore) -> None:
    patient_id = await _admit(store, triage_level=5)
    await projection.apply(store, synthetic.surgery(patient_id, synthetic.new_id()), 2)
    admission, surgery = await _stages(store, patient_id)
    assert admission["triage_level"] == 5 and isinstance(admission["triage_level"], int)
    [heart_rate] = admission["observations"]
    assert heart_rate["value"] == 112.0 and isinstance(heart_rate["value"], float)
    [phase] = surgery["phases"]
    assert phase["consent_signed"] is True
    assert phase["asa_class"] == 3


async def test_admission_creates_the_patient_once(store: GraphStore) -> None:
    doctor = synthetic.physician()
    await projection.apply(store, doctor, 0)
    first = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    again = dataclasses.replace(
        synthetic.admission(first.patient_id, by=doctor.user_id, at="2026-11-27T09:00:00.000Z"),
        given_name="Changed",
    )
    await projection.apply(store, first, 1)
    await projection.apply(store, again, 2)
    [row] = await store.read("patient_get", {"patient_id": first.patient_id})
    assert row["patient"]["given_name"] == "Jordan"
    assert row["patient"]["admitted_at"] == again.at


async def test_stages_are_chained_in_time_order(store: GraphStore) -> None:
    doctor = synthetic.physician()
    await projection.apply(store, doctor, 0)
    patient_id = synthetic.new_id()
    events = [
        synthetic.admission(patient_id, by=doctor.user_id),
        synthetic.diagnosis(patient_id, doctor.user_id),
        synthetic.surgery(patient_id, doctor.user_id),
    ]
    for seq, event in enumerate(events, start=1):
        assert await projection.apply(store, event, seq)
    stages = await _stages(store, patient_id)
    assert [s["stage"] for s in stages] == ["ADMISSION", "DIAGNOSIS", "SURGERY"]
    assert [s["id"] for s in stages] == [e.stage_id for e in events]
    assert [s["seq"] for s in stages] == [1, 2, 3]


async def test_applying_an_event_again_changes_nothing(store: GraphStore) -> None:
    doctor = synthetic.physician()
    await projection.apply(store, doctor, 0)
    event = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    assert await projection.apply(store, event, 1) is True
    assert await projection.apply(store, event, 1) is False
    assert await projection.apply(store, doctor, 0) is False
    assert len(await _stages(store, event.patient_id)) == 1
    assert await projection.cursor(store) == 1


async def test_a_patient_without_stages_has_an_empty_timeline(store: GraphStore) -> None:
    patient = PatientImported(patient_id=synthetic.new_id(), fhir_id="p-1", imported_by="test",
                              given_name="No", family_name="Stages", birth_date="1990-01-01",
                              sex="female", admitted_at="2026-11-01T00:00:00.000Z")
    await projection.apply(store, patient, 0)
    [twin] = await store.read("twin_get", {**EVERYONE, "patient_id": patient.patient_id})
    assert twin["patient"]["family_name"] == "Stages"
    assert twin["stages"] == []


PAGE_FILTERS = {"status": None, "stage": None, "admitted_after": None, "admitted_before": None,
                "search": None}


async def _two_wards(store: GraphStore, scope: str) -> tuple[str, PatientAdmitted,
                                                             PatientAdmitted]:
    """A patient brought in by a crew for one physician, another for a second physician;
    the viewer of `scope` (the first physician, the crew, or an admin) and both patients."""
    doctor, other, crew = synthetic.physician(), synthetic.physician("dr.x"), synthetic.crew()
    mine = synthetic.admission(synthetic.new_id(), by=doctor.user_id, crew_id=crew.user_id)
    theirs = synthetic.admission(synthetic.new_id(), by=other.user_id)
    for seq, event in enumerate((doctor, other, crew, mine, theirs)):
        await projection.apply(store, event, seq)
    viewer = {"care": doctor.user_id, "brought_in": crew.user_id, "all": "admin"}[scope]
    return viewer, mine, theirs


@pytest.mark.parametrize("scope", ["care", "brought_in", "all"])
async def test_patient_lists_hold_exactly_what_the_scope_may_read(
    store: GraphStore, scope: str,
) -> None:
    viewer, mine, theirs = await _two_wards(store, scope)
    where = {"scope": scope, "viewer": viewer, "granted": [], **PAGE_FILTERS}
    suffix = "_all" if scope == "all" else ""
    rows = await store.read(f"patients_page{suffix}", {**where, "after_at": None,
                                                        "after_id": None, "limit": 10})
    [count] = await store.read(f"patients_count{suffix}", where)
    expected = {mine.patient_id, theirs.patient_id} if scope == "all" else {mine.patient_id}
    assert {r["patient"]["id"] for r in rows} == expected
    assert count["count"] == len(expected)
    granted = await store.read(f"patients_count{suffix}",
                               {**where, "granted": [theirs.patient_id]})
    assert granted[0]["count"] == (2 if scope in ("all", "care") else 1)


@pytest.mark.parametrize("scope", ["care", "all"])
async def test_a_patient_search_finds_names_and_mrns_only_within_the_scope(
    store: GraphStore, scope: str,
) -> None:
    """The search words come lower-cased and folded (api.twin.validation.search)."""
    doctor, other = synthetic.physician(), synthetic.physician("dr.x")
    mine = dataclasses.replace(synthetic.admission(synthetic.new_id(), by=doctor.user_id),
                               given_name="Robin", family_name="Mockford", mrn="MRN-00417")
    theirs = dataclasses.replace(synthetic.admission(synthetic.new_id(), by=other.user_id),
                                 given_name="Robin", family_name="Fictive", mrn="MRN-00999")
    for seq, event in enumerate((doctor, other, mine, theirs)):
        await projection.apply(store, event, seq)
    where = {"scope": scope, "viewer": doctor.user_id if scope == "care" else "admin",
             "granted": [], **PAGE_FILTERS}
    suffix = "_all" if scope == "all" else ""
    visible = {mine.patient_id} | ({theirs.patient_id} if scope == "all" else set())

    async def found(search: str) -> set[str]:
        rows = await store.read(f"patients_page{suffix}", {
            **where, "search": search, "after_at": None, "after_id": None, "limit": 10})
        [count] = await store.read(f"patients_count{suffix}", {**where, "search": search})
        assert count["count"] == len(rows)
        return {r["patient"]["id"] for r in rows}

    assert await found("robin") == visible
    assert await found("mockford robin") == {mine.patient_id}
    assert await found("robin fict") == visible - {mine.patient_id}
    assert await found("mrn-00") == visible
    assert await found("mrn-009") == visible - {mine.patient_id}
    assert await found("00999") == set()  # an MRN matches from its start only


@pytest.mark.parametrize("scope", ["care", "brought_in", "all"])
async def test_medication_lists_hold_exactly_what_the_scope_may_read(
    store: GraphStore, scope: str,
) -> None:
    viewer, mine, theirs = await _two_wards(store, scope)
    for seq, admitted in enumerate((mine, theirs), start=5):
        await projection.apply(store, synthetic.prescription(
            admitted.patient_id, admitted.admitted_by, None), seq)
    where = {"scope": scope, "viewer": viewer, "granted": [], "patient_id": None,
             "kind": "PRESCRIPTION", "medication_code": "1191"}
    suffix = "_all" if scope == "all" else ""

    async def listed(**change: object) -> tuple[set[str], int]:
        rows = await store.read(f"medication_transactions_page{suffix}", {
            **where, **change, "after_at": None, "after_id": None, "limit": 10})
        [count] = await store.read(f"medication_transactions_count{suffix}", {**where, **change})
        return {r["transaction"]["patient_id"] for r in rows}, count["count"]

    expected = {mine.patient_id, theirs.patient_id} if scope == "all" else {mine.patient_id}
    assert await listed() == (expected, len(expected))
    assert await listed(patient_id=theirs.patient_id) == (
        ({theirs.patient_id}, 1) if scope == "all" else (set(), 0))
    opened = {theirs.patient_id} if scope == "care" else set()
    assert await listed(patient_id=theirs.patient_id, granted=[theirs.patient_id]) == (
        ({theirs.patient_id}, 1) if scope == "all" else (opened, len(opened)))


async def test_cursor_starts_below_the_first_event(store: GraphStore) -> None:
    assert await projection.cursor(store) == -1


async def test_a_username_is_unique(store: GraphStore) -> None:
    await projection.apply(store, synthetic.physician("dr.same"), 0)
    with pytest.raises(StoreError) as caught:
        await projection.apply(store, synthetic.physician("dr.same"), 1)
    assert "apply_user_registered" in str(caught.value)
    assert await projection.cursor(store) == 0


async def test_diagnosis_links_diseases_and_prescription_links_treatment(
    store: GraphStore,
) -> None:
    patient_id = await _admit(store)
    doctor = synthetic.physician("dr.second")
    await projection.apply(store, doctor, 2)
    diagnosis = synthetic.diagnosis(patient_id, doctor.user_id)
    await projection.apply(store, diagnosis, 3)
    rx = synthetic.prescription(patient_id, doctor.user_id, diagnosis.stage_id)
    await projection.apply(store, rx, 4)
    [row] = await store.read("disease_knowledge", {"key": diagnosis.diseases[0].key})
    assert row["disease"]["code"] == "I21.4"
    [twin] = await store.read("twin_get", {**EVERYONE, "patient_id": patient_id})
    [transaction] = twin["transactions"]
    assert transaction["medication"]["name"] == "aspirin"
    [diagnosed] = [s for s in twin["stages"] if s["stage"] == "DIAGNOSIS"]
    assert diagnosed["treatments"] == [rx.transaction_id]


async def test_a_disease_hierarchy_is_imported_once_parents_first(store: GraphStore) -> None:
    system = "http://hl7.org/fhir/sid/icd-10-cm"
    batch = DiseasesImported(source="icd10cm", batch=0, imported_by="cli",
                             at="2026-11-25T08:00:00.000Z", rows=(
        DiseaseRow(system, "I20-I25", "Ischemic heart diseases"),
        DiseaseRow(system, "I21", "Acute myocardial infarction", "I20-I25"),
        DiseaseRow(system, "I21.4", "NSTEMI", "I21"),
    ))
    assert await projection.apply(store, batch, 0)
    assert await projection.apply(store, batch, 1)  # the same rows again: no duplicates
    [row] = await store.read("disease_knowledge", {"key": f"{system}|I21.4"})
    assert [parent["key"] for parent in row["parents"]] == [f"{system}|I21"]
    [block] = await store.read("disease_knowledge", {"key": f"{system}|I20-I25"})
    assert [child["code"] for child in block["children"]] == ["I21"]


async def test_every_statement_file_is_known_to_the_loader() -> None:
    names = {p.stem for p in all_statement_files() if p.parent.name != "schema"}
    assert {"apply_patient_admitted", "twin_get", "cursor_get"} <= names


async def test_imported_resources_are_kept_whole_and_shared_ones_once(store: GraphStore) -> None:
    """A patient's resource of any type is a node of theirs holding its JSON as written; a
    shared one is one node that each twin naming it reaches."""
    whole = '{"resourceType":"Patient","id":"p","x":12.493521780236973,"d":"2019-03-01"}'
    patients = [dataclasses.replace(
        PatientImported(patient_id=synthetic.new_id(), fhir_id=f"p{i}", imported_by="t",
                        given_name="Sam", family_name="Synthetic", birth_date="1980-01-01",
                        sex="other", admitted_at="2024-01-01T00:00:00.000Z"), resource=whole)
        for i in range(2)]
    shared = SharedResourceImported(node_id=synthetic.new_id(), fhir_id="org",
                                    resource_type="Organization", imported_by="t",
                                    resource='{"resourceType":"Organization","id":"org"}',
                                    name="Clinic")
    allergy = ResourceImported(patient_id=patients[0].patient_id, node_id=synthetic.new_id(),
                               fhir_id="a", resource_type="AllergyIntolerance",
                               imported_by="t", resource='{"resourceType":"AllergyIntolerance"}',
                               at="2019-01-01T00:00:00.000Z", code="91935009",
                               code_system="http://snomed.info/sct", status="active")
    events = [*patients, shared, allergy, *(
        SharedResourcesUsed(patient_id=p.patient_id, link_id=synthetic.new_id(),
                            shared=(shared.node_id,), imported_by="t") for p in patients)]
    for seq, event in enumerate(events):
        assert await projection.apply(store, event, seq)
    assert not await projection.apply(store, events[-1], len(events) - 1), "applied once"
    rows = [(await store.read("fhir_resources_of_patient", {"patient_id": p.patient_id}))[0]
            for p in patients]
    assert [[r["fhir_resource"] for r in row["own"]] for row in rows] == [
        [allergy.resource], []]
    assert [(r["resource_type"], r["code"], r["status"], r["at"]) for r in rows[0]["own"]] == [
        ("AllergyIntolerance", "91935009", "active", "2019-01-01T00:00:00.000Z")]
    assert [[(r["id"], r["display"]) for r in row["shared"]] for row in rows] == [
        [(shared.node_id, "Clinic")]] * 2
    [twin] = await store.read("twin_get", {**EVERYONE, "patient_id": patients[0].patient_id})
    assert twin["patient"]["fhir_resource"] == whole
