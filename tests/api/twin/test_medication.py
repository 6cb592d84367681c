"""The medication commands' rules: the name fits the code, interactions and allergies warn
without refusing, a check records nothing, doses only against a running prescription."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle

from api.knowledge import medications
from api.knowledge.fhir_export import export_patient
from api.resources import Resources
from api.twin import forms, medication
from api.twin.access import Role
from api.twin.errors import Conflict, InvalidInput, NotFound, TwinError
from api.twin.medication import Prescribed
from api.twin.unit import Unit
from api.twin.validation import utc_text
from graph import reads
from graph.events import MedicationPrescribed, decode
from tests.api.twin.conftest import admitted, ago, refused, staff

pytestmark = pytest.mark.anyio

WARFARIN, ASPIRIN = ("11289", "warfarin"), ("1191", "aspirin")
IBUPROFEN, METFORMIN = ("5640", "ibuprofen"), ("6809", "metformin")
AMOXICILLIN, CEFTRIAXONE = ("723", "amoxicillin"), ("2193", "ceftriaxone")


@pytest.fixture(scope="module")
async def catalogue(resources: Resources) -> AsyncIterator[Resources]:
    await medications.load(resources, "test", None)
    yield resources


def _prescription(patient_id: str, drug: tuple[str, str], **changes: object) -> forms.Prescription:
    fields: dict[str, object] = {
        "patient_id": patient_id, "medication_code": drug[0], "medication_name": drug[1],
        "dose": 75, "unit": "mg", "route": forms.Route.ORAL, "frequency": "daily",
        "prescribed_at": ago(minutes=30)} | changes
    return forms.Prescription(**fields)  # type: ignore[arg-type]


async def _doctor_and_patient(resources: Resources, **admission: object) -> tuple[Unit, str]:
    doctor = await staff(resources, Role.PHYSICIAN)
    return doctor, await admitted(doctor, **admission)


async def test_a_name_that_is_another_medication_is_refused(catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    with pytest.raises(InvalidInput) as refused:
        await medication.prescribe(doctor, _prescription(patient_id, (ASPIRIN[0], "warfarin")))
    assert refused.value.field == "medication.name"


async def test_the_check_warns_exactly_as_the_prescription_then_does_and_records_nothing(
        catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    before = await medication.check_interactions(doctor, patient_id, ASPIRIN[0])
    assert before.findings.warnings == () and before.findings.interactions == []
    await medication.prescribe(doctor, _prescription(patient_id, WARFARIN))
    size = catalogue.ledger.size
    checked = await medication.check_interactions(doctor, patient_id, ASPIRIN[0])
    assert catalogue.ledger.size == size
    assert checked.medication.name == "aspirin"
    assert [(i.medication.code, i.severity.value) for i in checked.findings.interactions] == [
        (WARFARIN[0], "CONTRAINDICATED")]
    done = await medication.prescribe(doctor, _prescription(patient_id, ASPIRIN))
    assert done.recorded.warnings == done.findings.warnings == checked.findings.warnings != ()
    assert done.findings.interactions == checked.findings.interactions
    # a code the catalogue does not have: nothing known to interact with it
    unknown = await medication.check_interactions(doctor, patient_id, "999999999")
    assert (unknown.medication.code, unknown.medication.name) == ("999999999", "")
    assert unknown.findings.warnings == (
        "RxNorm 999999999 is not in the medication catalogue: no interaction or allergy "
        "check was possible",)


async def test_home_medications_and_allergies_warn(catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(
        catalogue, current_medications=["warfarin 5 mg daily"], allergies=["aspirin"])
    done = await medication.prescribe(doctor, _prescription(patient_id, ASPIRIN))
    [home] = done.findings.interactions
    assert home.taken_at_home and home.medication.code == WARFARIN[0]
    assert any(w.startswith("allergy noted at admission: aspirin")
               for w in done.recorded.warnings)


async def test_a_code_outside_the_catalogue_is_recorded_with_a_warning(
        catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue,
                                                   current_medications=["warfarin"])
    done = await medication.prescribe(doctor, _prescription(patient_id,
                                                            ("999999901", "synthetic compound")))
    assert done.findings.interactions == []
    assert done.recorded.warnings == (
        "RxNorm 999999901 (synthetic compound) is not in the medication catalogue: no "
        "interaction or allergy check was possible",)
    assert await _anchored(catalogue, done) == list(done.recorded.warnings)


async def test_a_diagnosis_of_another_patient_is_not_found(catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    with pytest.raises(NotFound, match="diagnosisId"):
        await medication.prescribe(doctor, _prescription(patient_id, WARFARIN,
                                                         diagnosis_id="no-such-diagnosis"))


async def test_no_dose_after_a_prescription_is_stopped_and_no_second_stop(
        catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    prescription_id = (await medication.prescribe(
        doctor, _prescription(patient_id, WARFARIN))).recorded.node_id
    dose = forms.Administration(prescription_id, 5, "mg", forms.Route.ORAL, ago(minutes=20))
    await medication.administer(doctor, dose)
    with pytest.raises(InvalidInput) as early:
        await medication.discontinue(doctor, forms.Discontinuation(
            prescription_id, ago(minutes=25), "bleeding risk"))
    assert early.value.field == "discontinuedAt"
    stop = forms.Discontinuation(prescription_id, ago(minutes=10), "bleeding risk")
    await medication.discontinue(doctor, stop)
    with pytest.raises(Conflict, match="stopped"):
        await medication.administer(doctor, forms.Administration(
            prescription_id, 5, "mg", forms.Route.ORAL, ago(minutes=5)))
    late = await medication.administer(doctor, forms.Administration(
        prescription_id, 5, "mg", forms.Route.ORAL, ago(minutes=15)))
    assert late.patient_id == patient_id  # given before the stop, documented late
    with pytest.raises(Conflict, match="stopped"):
        await medication.discontinue(doctor, stop)


async def test_a_prescription_of_another_team_is_answered_like_an_unknown_one(
        catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    other = await staff(catalogue, Role.PHYSICIAN)
    prescription_id = (await medication.prescribe(
        doctor, _prescription(patient_id, WARFARIN))).recorded.node_id
    stop = forms.Discontinuation(prescription_id, ago(minutes=10), "bleeding risk")
    with pytest.raises(NotFound) as hidden:
        await medication.discontinue(other, stop)
    assert str(hidden.value) == f"prescriptionId: no prescription {prescription_id}"


def _pairs(done: Prescribed | medication.Check) -> list[tuple[str, str]]:
    return [(i.medication.code, i.severity.value) for i in done.findings.interactions]


async def _anchored(resources: Resources, done: Prescribed) -> list[str]:
    """The warnings of the prescription's event as the ledger holds it."""
    ledger = resources.ledger
    event = decode(ledger.decrypt(ledger.entry(done.recorded.anchor.seq)))
    assert isinstance(event, MedicationPrescribed)
    return list(event.warnings)


async def _transactions(resources: Resources, patient_id: str) -> dict[str, dict[str, Any]]:
    """The patient's medication transactions as the graph holds them, by id."""
    twin = await reads.twin(resources.store, reads.EVERYONE, patient_id)
    assert twin is not None
    return {t["id"]: t for t in twin["transactions"]}


async def test_interactions_with_active_prescriptions_warn_most_severe_first_and_are_anchored(
        catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    warfarin = await medication.prescribe(doctor, _prescription(patient_id,
                                                                (WARFARIN[0], "Coumadin")))
    assert warfarin.recorded.warnings == () and warfarin.findings.interactions == []
    aspirin = await medication.prescribe(doctor, _prescription(patient_id, ASPIRIN))
    [interaction] = aspirin.findings.interactions
    assert (interaction.medication.code, interaction.medication.name) == WARFARIN
    assert interaction.severity.value == "CONTRAINDICATED" and not interaction.taken_at_home
    assert aspirin.recorded.warnings == (
        f"interacts with warfarin (CONTRAINDICATED): {interaction.description}",)

    # the warning is part of the event in the ledger, and of the twin projected from it
    assert await _anchored(catalogue, aspirin) == list(aspirin.recorded.warnings)
    projected = await _transactions(catalogue, patient_id)
    assert projected[aspirin.recorded.node_id]["warnings"] == list(aspirin.recorded.warnings)
    assert projected[aspirin.recorded.node_id]["seq"] == aspirin.recorded.anchor.seq
    assert projected[warfarin.recorded.node_id]["warnings"] == []

    # metformin interacts with neither: no warning
    metformin = await medication.prescribe(doctor, _prescription(patient_id, METFORMIN))
    assert metformin.recorded.warnings == () and metformin.findings.interactions == []
    # ibuprofen interacts with both: one warning each, most severe first, then by name
    ibuprofen = await medication.prescribe(doctor, _prescription(patient_id, IBUPROFEN))
    assert _pairs(ibuprofen) == [(ASPIRIN[0], "AVOID"), (WARFARIN[0], "AVOID")]
    assert [w.split(":")[0] for w in ibuprofen.recorded.warnings] == [
        "interacts with aspirin (AVOID)", "interacts with warfarin (AVOID)"]


async def test_another_patients_prescriptions_do_not_warn(catalogue: Resources) -> None:
    doctor, on_warfarin = await _doctor_and_patient(catalogue)
    other = await admitted(doctor)
    await medication.prescribe(doctor, _prescription(on_warfarin, WARFARIN))
    done = await medication.prescribe(doctor, _prescription(other, ASPIRIN))
    assert done.recorded.warnings == ()


async def test_a_stopped_prescription_no_longer_warns_and_exports_as_stopped(
        catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    warfarin = (await medication.prescribe(doctor, _prescription(patient_id, WARFARIN))
                ).recorded.node_id
    at = ago(minutes=10)
    stopped = await medication.discontinue(doctor, forms.Discontinuation(
        warfarin, at, "INR above target range"))
    assert stopped.node_id == warfarin
    row = (await _transactions(catalogue, patient_id))[warfarin]
    assert {k: row.get(k) for k in ("status", "discontinued_at", "discontinued_by",
                                     "discontinue_reason", "seq")} == {
        "status": "STOPPED", "discontinued_at": utc_text(at),
        "discontinued_by": doctor.principal.user_id,
        "discontinue_reason": "INR above target range", "seq": stopped.anchor.seq}
    aspirin = await medication.prescribe(doctor, _prescription(patient_id, ASPIRIN))
    assert aspirin.recorded.warnings == ()

    bundle = await export_patient(catalogue.store, patient_id)
    Bundle(bundle, strict=True)
    [request] = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "MedicationRequest"
                 and e["resource"]["medicationCodeableConcept"]["coding"][0]["code"]
                 == WARFARIN[0]]
    assert request["status"] == "stopped"
    assert request["statusReason"] == {"text": "INR above target range"}


def _stop(prescription_id: str, at: datetime, **changes: Any) -> forms.Discontinuation:
    fields: dict[str, Any] = {"prescription_id": prescription_id, "discontinued_at": at,
                              "reason": "INR above target range"} | changes
    return forms.Discontinuation(**fields)


# (case, who stops: the doctor or a physician from another team, the stop's changes,
#  refusal, message); the prescription was made 30 minutes ago
STOP_REFUSALS: list[tuple[str, str, Callable[[str], dict[str, Any]], type[TwinError], str]] = [
    ("unknown prescription", "doctor", lambda _: {"prescription_id": "no-such-id"}, NotFound,
     "prescriptionId: no prescription no-such-id"),
    ("before it was prescribed", "doctor", lambda _: {"discontinued_at": ago(minutes=40)},
     InvalidInput, "discontinuedAt: is before the prescription ({prescribed_at})"),
    ("no reason", "doctor", lambda _: {"reason": "  "}, InvalidInput, "reason: is required"),
    ("a physician not caring for them", "stranger", lambda _: {}, NotFound,
     "prescriptionId: no prescription {id}"),
]


@pytest.mark.parametrize(("case", "who", "changes", "kind", "message"), STOP_REFUSALS,
                         ids=[c[0] for c in STOP_REFUSALS])
async def test_stopping_a_prescription_refuses_what_a_ward_would(
        catalogue: Resources, case: str, who: str, changes: Callable[[str], dict[str, Any]],
        kind: type[TwinError], message: str) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    prescribed_at = ago(minutes=30)
    prescription_id = (await medication.prescribe(doctor, _prescription(
        patient_id, WARFARIN, prescribed_at=prescribed_at))).recorded.node_id
    caller = doctor if who == "doctor" else await staff(catalogue, Role.PHYSICIAN)
    fields = {"prescription_id": prescription_id, "discontinued_at": ago(minutes=10),
              "reason": "INR above target range"} | changes(prescription_id)
    stop = forms.Discontinuation(**fields)
    error = await refused(catalogue, kind, medication.discontinue(caller, stop), patient_id)
    assert str(error) == message.format(id=prescription_id,
                                        prescribed_at=utc_text(prescribed_at))


async def test_a_dose_after_the_stop_is_refused_and_a_second_stop_too(
        catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    prescription_id = (await medication.prescribe(
        doctor, _prescription(patient_id, WARFARIN))).recorded.node_id
    given, stopped_at = ago(minutes=20), ago(minutes=10)
    await medication.administer(doctor, forms.Administration(
        prescription_id, 5, "mg", forms.Route.ORAL, given))
    early = await refused(catalogue, InvalidInput, medication.discontinue(
        doctor, _stop(prescription_id, ago(minutes=25))), patient_id)
    assert str(early) == f"discontinuedAt: is before its last dose ({utc_text(given)})"
    await medication.discontinue(doctor, _stop(prescription_id, stopped_at))
    after = await refused(catalogue, Conflict, medication.administer(doctor, forms.Administration(
        prescription_id, 5, "mg", forms.Route.ORAL, ago(minutes=5))), patient_id)
    assert str(after) == (
        f"prescriptionId: the prescription was stopped at {utc_text(stopped_at)}; record a "
        "dose given after that against a new prescription")
    twice = await refused(catalogue, Conflict, medication.discontinue(
        doctor, _stop(prescription_id, ago(minutes=5))), patient_id)
    assert str(twice) == f"prescriptionId: the prescription was stopped at {utc_text(stopped_at)}"


async def test_prescriptions_made_at_the_same_moment_still_warn_of_each_other(
        catalogue: Resources) -> None:
    """Two physicians prescribing interacting drugs to one patient at once: the second one
    recorded must carry the warning, whatever the order the commands run in."""
    patients = [await _doctor_and_patient(catalogue) for _ in range(6)]
    done = await asyncio.gather(*(
        medication.prescribe(doctor, _prescription(patient_id, drug))
        for doctor, patient_id in patients for drug in (WARFARIN, ASPIRIN)))
    for i in range(0, len(done), 2):
        first, second = sorted(done[i:i + 2], key=lambda d: d.recorded.anchor.seq)
        assert first.recorded.warnings == ()
        assert len(second.recorded.warnings) == 1


@pytest.mark.parametrize("taken", ["warfarin 5 mg daily", "Warfarine", "11289", "Coumadin"])
async def test_a_home_medication_noted_at_admission_warns_of_an_interaction(
        catalogue: Resources, taken: str) -> None:
    doctor, patient_id = await _doctor_and_patient(
        catalogue, allergies=[], current_medications=[taken, "vitamin D drops"])
    aspirin = await medication.prescribe(doctor, _prescription(patient_id, ASPIRIN))
    [interaction] = aspirin.findings.interactions
    assert (interaction.medication.code, interaction.medication.name) == WARFARIN
    assert interaction.severity.value == "CONTRAINDICATED" and interaction.taken_at_home
    assert aspirin.recorded.warnings == (
        f"interacts with warfarin taken at home (CONTRAINDICATED): {interaction.description}",
        "not checked for interactions, not in the medication catalogue: home medication "
        "vitamin D drops")
    assert await _anchored(catalogue, aspirin) == list(aspirin.recorded.warnings)
    # metformin interacts with none of it
    metformin = await medication.prescribe(doctor, _prescription(patient_id, METFORMIN))
    assert metformin.findings.interactions == []


@pytest.mark.parametrize(("allergy", "drug"), [
    ("penicillin", AMOXICILLIN),  # the ANSM class pénicillines
    ("Penicillin (rash)", AMOXICILLIN),
    ("amoxicillin", AMOXICILLIN),  # the medication itself
    ("cephalosporins", CEFTRIAXONE),  # no ANSM class: the curated substances
    ("NSAIDs", ASPIRIN),
    ("723", AMOXICILLIN),  # noted by RxNorm code
])
async def test_an_allergy_noted_at_admission_warns_and_is_anchored(
        catalogue: Resources, allergy: str, drug: tuple[str, str]) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue, allergies=["latex", allergy])
    done = await medication.prescribe(doctor, _prescription(patient_id, drug))
    assert done.recorded.warnings == (
        f"allergy noted at admission: {allergy}; {drug[1]} is covered by it",)
    assert await _anchored(catalogue, done) == list(done.recorded.warnings)


async def test_an_allergy_warns_only_of_what_it_covers(catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(
        catalogue, allergies=["penicillin", "latex", "sulfonamides"])
    for drug in (METFORMIN, CEFTRIAXONE):
        done = await medication.prescribe(doctor, _prescription(patient_id, drug))
        assert done.recorded.warnings == ()


@pytest.mark.parametrize("drug", [(ASPIRIN[0], "paracetamol"), (ASPIRIN[0], "warfarin"),
                                  (WARFARIN[0], "aspirin")])
async def test_a_code_and_a_name_of_two_medications_are_refused(
        catalogue: Resources, drug: tuple[str, str]) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    error = await refused(catalogue, InvalidInput,
                          medication.prescribe(doctor, _prescription(patient_id, drug)),
                          patient_id)
    assert isinstance(error, InvalidInput) and error.field == "medication.name"
    assert f"{drug[1]!r} is not RxNorm {drug[0]}" in str(error)
    assert await _transactions(catalogue, patient_id) == {}


@pytest.mark.parametrize("name", ["Aspirin", "acide acétylsalicylique", " aspirin "])
async def test_any_name_of_the_code_in_the_catalogue_is_accepted(
        catalogue: Resources, name: str) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue, allergies=[])
    done = await medication.prescribe(doctor, _prescription(patient_id, (ASPIRIN[0], name)))
    assert done.recorded.warnings == ()


PRESCRIBE_REFUSALS: list[tuple[str, dict[str, Any], type[TwinError], str]] = [
    ("negative dose", {"dose": -5}, InvalidInput, "dose: must be between"),
    ("RxNorm code with letters", {"medication_code": "ASP"}, InvalidInput,
     "medication.code: 'ASP' is not a RxNorm code"),
    ("unknown diagnosis", {"diagnosis_id": "nope"}, NotFound,
     "diagnosisId: no diagnosis nope for this patient"),
    ("before the admission", {"prescribed_at": datetime(2000, 1, 1, tzinfo=UTC)}, InvalidInput,
     "prescribedAt: is before the admission"),
]


@pytest.mark.parametrize(("case", "changes", "kind", "message"), PRESCRIBE_REFUSALS,
                         ids=[c[0] for c in PRESCRIBE_REFUSALS])
async def test_a_bad_prescription_is_refused_by_its_field_and_records_nothing(
        catalogue: Resources, case: str, changes: dict[str, Any], kind: type[TwinError],
        message: str) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    error = await refused(catalogue, kind, medication.prescribe(
        doctor, _prescription(patient_id, ASPIRIN, **changes)), patient_id)
    assert str(error).startswith(message), str(error)


async def test_the_check_refuses_what_prescribing_refuses(catalogue: Resources) -> None:
    doctor, patient_id = await _doctor_and_patient(catalogue)
    other = await staff(catalogue, Role.PHYSICIAN)
    hidden = await refused(catalogue, NotFound,
                           medication.check_interactions(other, patient_id, ASPIRIN[0]))
    unknown = await refused(catalogue, NotFound,
                            medication.check_interactions(other, "no-such-patient", ASPIRIN[0]))
    assert str(hidden).replace(patient_id, "X") == str(unknown).replace("no-such-patient", "X")
    bad = await refused(catalogue, InvalidInput,
                        medication.check_interactions(doctor, patient_id, "aspirin"))
    assert isinstance(bad, InvalidInput) and bad.field == "medicationCode"
