"""The care commands' rules: admission, vital signs, diagnosis, the care team, break-glass."""

from __future__ import annotations

from datetime import date

import pytest

from api.resources import Resources
from api.twin import care, discharge, forms
from api.twin.access import Role, scope
from api.twin.errors import Conflict, InvalidInput, NotFound
from api.twin.vitals import VitalSign
from graph import reads
from tests.api.twin.conftest import admitted, ago, new_patient, staff

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


async def test_a_patient_cannot_arrive_before_being_born(resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    unborn = forms.NewPatient("Sam", "Synthetic", date.today(), forms.Sex.MALE)
    with pytest.raises(InvalidInput) as refused:
        await care.admit(doctor, new_patient(patient=unborn, arrived_at=ago(days=2),
                                             vitals=None))
    assert refused.value.field == "arrivedAt"


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
