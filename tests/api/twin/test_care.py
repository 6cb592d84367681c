"""The care commands' rules: admission, vital signs, diagnosis, the care team, break-glass."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from api.resources import Resources
from api.twin import care, discharge, forms
from api.twin.access import Role, scope
from api.twin.errors import Conflict, InvalidInput, NotFound, TwinError
from api.twin.unit import Unit
from api.twin.vitals import VitalSign
from graph import reads
from tests.api.twin.conftest import admitted, ago, new_patient, refused, staff

pytestmark = pytest.mark.anyio


async def test_a_crew_admits_a_new_patient_whom_it_then_may_read(resources: Resources) -> None:
    crew = await staff(resources, Role.TRANSPORT)
    size = resources.ledger.size
    done = await care.admit(crew, new_patient(arrival_mode=forms.ArrivalMode.AMBULANCE))
    assert resources.ledger.size == size + 1 and done.anchor.seq == size
    row = await reads.patient_state(resources.store, scope(crew.principal), done.patient_id)
    assert row is not None and row["patient"]["status"] == "ADMITTED"


async def test_an_admission_names_either_a_known_patient_or_a_new_one(
        resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    with pytest.raises(InvalidInput) as both:
        await care.admit(doctor, new_patient(patient_id="someone"))
    with pytest.raises(InvalidInput) as neither:
        await care.admit(doctor, new_patient(patient=None))
    assert both.value.field == neither.value.field == "patientId"


async def test_an_admitted_patient_cannot_be_admitted_again(resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    with pytest.raises(Conflict, match="already admitted"):
        await care.admit(doctor, new_patient(patient=None, patient_id=patient_id))


KAI = forms.NewPatient("Kai", "Synthetic", date(1990, 5, 5), forms.Sex.MALE)


def _born(**changes: object) -> dict[str, object]:
    return {"patient": replace(KAI, **changes)}  # type: ignore[arg-type]


def _today() -> date:
    return datetime.now(UTC).date()


# (case, the admission's changes (made when the test runs), refusal, its message's start)
ADMISSION_REFUSALS: list[tuple[str, Callable[[], dict[str, object]], type[TwinError], str]] = [
    ("triage out of range", lambda: {"triage_level": 7}, InvalidInput,
     "triageLevel: must be between 1 and 5, got 7"),
    ("time without zone", lambda: {"arrived_at": datetime(2026, 11, 21, 10, 0)}, InvalidInput,
     "arrivedAt: needs a time zone"),
    ("arrival in the future", lambda: {"arrived_at": datetime(2099, 1, 1, tzinfo=UTC)},
     InvalidInput, "arrivedAt: is in the future"),
    ("born in the future", lambda: _born(birth_date=date(2099, 1, 1)), InvalidInput,
     "patient.birthDate: is in the future"),
    ("born more than 130 years ago", lambda: _born(birth_date=date(1800, 1, 1)), InvalidInput,
     "patient.birthDate: is more than 130 years ago"),
    ("arrived before birth",
     lambda: _born(birth_date=_today()) | {"arrived_at": ago(days=2), "vitals": None},
     InvalidInput, f"arrivedAt: is before the patient's birth ({_today()})"),
    ("empty complaint", lambda: {"chief_complaint": "  "}, InvalidInput,
     "chiefComplaint: is required"),
    ("both old and new patient", lambda: {"patient_id": "00000000-0000-0000-0000-000000000000"},
     InvalidInput, "patientId: give either patientId"),
    ("neither old nor new patient", lambda: {"patient": None}, InvalidInput,
     "patientId: give either patientId"),
    ("heart rate of 1200", lambda: {"vitals": [
        forms.Measurement(VitalSign.HEART_RATE, 1200, ago(minutes=70))]}, InvalidInput,
     "vitals[0].value: must be between 10 and 300 /min, got 1200"),
    ("unknown crew", lambda: {"crew_id": "no-such-crew"}, NotFound,
     "crewId: no transport crew member no-such-crew"),
    ("bidi override in a name", lambda: _born(given_name="Kai\u202enna"), InvalidInput,
     "patient.givenName: holds U+202E (RIGHT-TO-LEFT OVERRIDE), a control, format or "
     "unassigned character, which no text accepts"),
    ("zero-width space in a complaint", lambda: {"chief_complaint": "Fall\u200bfrom"},
     InvalidInput, "chiefComplaint: holds U+200B (ZERO WIDTH SPACE)"),
    ("zero-width joiner in a name", lambda: _born(family_name="Syn\u200dthetic"), InvalidInput,
     "patient.familyName: holds U+200D (ZERO WIDTH JOINER)"),
    ("terminal escape in a name", lambda: _born(family_name="Syn\x1b[31mthetic"), InvalidInput,
     "patient.familyName: holds U+001B, a control"),
    ("bell in a complaint", lambda: {"chief_complaint": "Fall\x07 from a ladder"},
     InvalidInput, "chiefComplaint: holds U+0007, a control"),
    ("line break in a name", lambda: _born(given_name="Kai\nBob"), InvalidInput,
     "patient.givenName: holds U+000A, a line break or tab; this text is one line"),
    ("line separator in a complaint", lambda: {"chief_complaint": "Fall\u2028Ladder"},
     InvalidInput, "chiefComplaint: holds U+2028 (LINE SEPARATOR)"),
    ("private use character in an allergy", lambda: {"allergies": ["pea\ue000nuts"]},
     InvalidInput, "allergies[0]: holds U+E000, a control"),
    ("unassigned code point in a phone", lambda: {"contact_phone": "555\U000e0080"},
     InvalidInput, "contactPhone: holds U+E0080, a control"),
]


@pytest.fixture(scope="module")
async def doctor(resources: Resources) -> Unit:
    """A physician for the tables of refusals, which record nothing."""
    return await staff(resources, Role.PHYSICIAN)


@pytest.mark.parametrize(("case", "changes", "kind", "message"), ADMISSION_REFUSALS,
                         ids=[c[0] for c in ADMISSION_REFUSALS])
async def test_a_bad_admission_is_refused_by_its_field_and_records_nothing(
        resources: Resources, doctor: Unit, case: str, changes: Callable[[], dict[str, object]],
        kind: type[TwinError], message: str) -> None:
    error = await refused(resources, kind, care.admit(doctor, new_patient(**changes())))
    assert str(error).startswith(message), str(error)


PatientCommand = Callable[[Unit, str], Awaitable[object]]
UNKNOWN_PATIENT = "00000000-0000-0000-0000-00000000beef"


def _diagnosis(patient_id: str, **changes: object) -> forms.Diagnosis:
    """Diagnosed half an hour ago, after the admission an hour ago."""
    fields: dict[str, object] = {"patient_id": patient_id, "diagnosed_at": ago(minutes=30),
                                 "diseases": ["S72.0"]} | changes
    return forms.Diagnosis(**fields)  # type: ignore[arg-type]


RECORD_REFUSALS: list[tuple[str, PatientCommand, type[TwinError], str]] = [
    ("not an ICD-10 code", lambda u, p: care.diagnose(u, _diagnosis(p, diseases=["XYZ"])),
     InvalidInput, "diseases[0].code: 'XYZ' is not an ICD-10-CM code"),
    ("an ICD-10 chapter is not a diagnosis",
     lambda u, p: care.diagnose(u, _diagnosis(p, diseases=["9"])),
     InvalidInput, "diseases[0].code: '9' is not an ICD-10-CM code"),
    ("an ICD-10 block is not a diagnosis",
     lambda u, p: care.diagnose(u, _diagnosis(p, diseases=["I20-I25"])),
     InvalidInput, "diseases[0].code: 'I20-I25' is not an ICD-10-CM code"),
    ("diagnosis before the last stage",
     lambda u, p: care.diagnose(u, _diagnosis(p, diagnosed_at=ago(hours=2))),
     InvalidInput, "diagnosedAt: is before the previous step"),
    ("no disease", lambda u, p: care.diagnose(u, _diagnosis(p, diseases=[])),
     InvalidInput, "diseases: give between 1 and 20"),
    ("21 diseases", lambda u, p: care.diagnose(u, _diagnosis(p, diseases=["S72.0"] * 21)),
     InvalidInput, "diseases: give between 1 and 20"),
    ("LOINC code malformed", lambda u, p: care.diagnose(u, _diagnosis(p, results=[
        forms.Result("troponin", "T", ago(minutes=40), value=1)])),
     InvalidInput, "results[0].code: 'troponin' is not a LOINC code"),
    ("a result with neither value nor text", lambda u, p: care.diagnose(u, _diagnosis(
        p, results=[forms.Result("8867-4", "Heart rate", ago(minutes=40))])),
     InvalidInput, "results[0]: give a value or a text"),
    ("a carriage return in findings", lambda u, p: care.diagnose(u, _diagnosis(
        p, findings="Bruised hip.\r\n\u202eNo fracture.")),
     InvalidInput, "findings: holds U+000D, a control"),
    ("no vitals given", lambda u, p: care.record_vitals(u, forms.Vitals(p, [])),
     InvalidInput, "vitals: give at least one measurement"),
    ("unknown patient", lambda u, p: care.record_vitals(u, forms.Vitals(UNKNOWN_PATIENT, [
        forms.Measurement(VitalSign.HEART_RATE, 80, ago(minutes=5))])),
     NotFound, f"no patient {UNKNOWN_PATIENT} or not in your care"),
]


@pytest.fixture(scope="module")
async def patient_id(doctor: Unit) -> str:
    """A patient of `doctor`'s, admitted an hour ago, for the tables of refusals."""
    return await admitted(doctor)


@pytest.mark.parametrize(("case", "command", "kind", "message"), RECORD_REFUSALS,
                         ids=[c[0] for c in RECORD_REFUSALS])
async def test_a_bad_record_for_a_patient_is_refused_by_its_field_and_changes_nothing(
        resources: Resources, doctor: Unit, patient_id: str, case: str, command: PatientCommand,
        kind: type[TwinError], message: str) -> None:
    error = await refused(resources, kind, command(doctor, patient_id), patient_id)
    assert str(error).startswith(message), str(error)


async def test_free_text_is_stored_nfc_and_multi_line_texts_keep_their_lines(
        resources: Resources, doctor: Unit) -> None:
    """The rule of README "Free text": one stored form per text, line breaks where a
    text is more than one line."""
    decomposed = "Ame\u0301lie"  # e + combining acute: looks like, and is, "Amélie"
    patient_id = await admitted(doctor, patient=replace(KAI, given_name=decomposed))
    await care.diagnose(doctor, _diagnosis(patient_id,
                                           findings="Bruised hip.\n\tNo fracture seen."))
    twin = await reads.twin(resources.store, reads.EVERYONE, patient_id)
    assert twin is not None
    assert twin["patient"]["given_name"] == "Am\u00e9lie"
    assert [s.get("findings") for s in twin["stages"] if "Diagnosis" in s["labels"]] == [
        "Bruised hip.\n\tNo fracture seen."]


async def test_codes_named_like_their_block_are_diagnoses(resources: Resources,
                                                          doctor: Unit) -> None:
    """39 ICD-10-CM categories share their name with the block that holds only them (B20
    HIV disease, F99, R99, Z66...): they are codes, where the blocks are headings."""
    patient_id = await admitted(doctor)
    colliding = ["B20", "F99", "P84", "R99", "Z66"]
    done = await care.diagnose(doctor, _diagnosis(patient_id, diseases=colliding))
    twin = await reads.twin(resources.store, reads.EVERYONE, patient_id)
    assert twin is not None
    [stage] = [s for s in twin["stages"] if s["id"] == done.node_id]
    displays = {d["code"]: d["display"] for d in stage["diseases"]}
    assert sorted(displays) == colliding
    assert displays["B20"] == "Human immunodeficiency virus [HIV] disease"


async def test_a_vital_sign_outside_what_a_living_patient_shows_names_its_field(
        resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    reading = forms.Measurement(VitalSign.HEART_RATE, 900, ago(minutes=5))
    with pytest.raises(InvalidInput) as refused:
        await care.record_vitals(doctor, forms.Vitals(patient_id, [reading]))
    assert refused.value.field == "vitals[0].value"
    with pytest.raises(InvalidInput, match="at least one measurement"):
        await care.record_vitals(doctor, forms.Vitals(patient_id, []))


async def test_vitals_go_to_the_current_stage_and_not_to_a_discharged_patient(
        resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    reading = forms.Measurement(VitalSign.RESPIRATORY_RATE, 18, ago(minutes=30))
    done = await care.record_vitals(doctor, forms.Vitals(patient_id, [reading]))
    row = await reads.patient_state(resources.store, scope(doctor.principal), patient_id)
    assert row is not None and done.node_id == row["last_stage"]["id"]
    await discharge.discharge(doctor, forms.Discharge(patient_id, ago(minutes=20),
                                                      forms.Disposition.HOME))
    with pytest.raises(Conflict, match="discharged"):
        await care.record_vitals(doctor, forms.Vitals(patient_id, [reading]))


async def test_a_diagnosis_takes_icd10_codes_after_the_last_stage(resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    with pytest.raises(InvalidInput) as unknown:
        await care.diagnose(doctor, forms.Diagnosis(patient_id, ago(minutes=30), ["X99.999"]))
    assert unknown.value.field == "diseases[0].code"
    with pytest.raises(InvalidInput) as early:
        await care.diagnose(doctor, forms.Diagnosis(patient_id, ago(hours=2), ["I48.91"]))
    assert early.value.field == "diagnosedAt"
    with pytest.raises(InvalidInput) as empty:
        await care.diagnose(doctor, forms.Diagnosis(patient_id, ago(minutes=30), []))
    assert empty.value.field == "diseases"
    result = forms.Result("8867-4", "Heart rate", ago(minutes=40))
    with pytest.raises(InvalidInput, match="a value or a text"):
        await care.diagnose(doctor, forms.Diagnosis(patient_id, ago(minutes=30), ["I48.91"],
                                                    results=[result]))
    done = await care.diagnose(doctor, forms.Diagnosis(patient_id, ago(minutes=30),
                                                       ["I48.91", "I48.91"]))
    [row] = await resources.store.read("diagnosis_get", {"stage_id": done.node_id})
    assert row["diagnosis"]["patient_id"] == patient_id


async def test_a_physician_outside_the_care_team_meets_an_unknown_patient(
        resources: Resources) -> None:
    doctor, other = await staff(resources, Role.PHYSICIAN), await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    with pytest.raises(NotFound) as hidden:
        await care.diagnose(other, forms.Diagnosis(patient_id, ago(minutes=30), ["I48.91"]))
    with pytest.raises(NotFound) as missing:
        await care.diagnose(other, forms.Diagnosis("no-such-patient", ago(minutes=30),
                                                   ["I48.91"]))
    assert str(hidden.value).replace(patient_id, "?") == \
        str(missing.value).replace("no-such-patient", "?")


async def test_assigning_a_physician_lets_them_act_for_the_patient(resources: Resources) -> None:
    admin = await staff(resources, Role.ADMIN)
    doctor, other = await staff(resources, Role.PHYSICIAN), await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    with pytest.raises(NotFound, match="physicianId"):
        await care.assign_physician(admin, patient_id, "no-such-physician")
    await care.assign_physician(admin, patient_id, other.principal.user_id)
    assert await reads.patient_visible(resources.store, scope(other.principal), patient_id)


async def test_break_glass_checks_the_reason_before_the_patient(resources: Resources) -> None:
    doctor, other = await staff(resources, Role.PHYSICIAN), await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    with pytest.raises(InvalidInput) as short:
        await care.break_glass(other, "no-such-patient", "urgent")
    assert short.value.field == "reason"
    with pytest.raises(NotFound):
        await care.break_glass(other, "no-such-patient", "unconscious in the corridor")
    done = await care.break_glass(other, patient_id, "unconscious in the corridor")
    assert done.patient_id == patient_id
