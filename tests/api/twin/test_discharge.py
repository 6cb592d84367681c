"""The discharge command's rules: after the last stage, once per stay."""

from __future__ import annotations

import pytest

from api.resources import Resources
from api.twin import care, discharge, forms
from api.twin.access import Role
from api.twin.errors import Conflict, InvalidInput, NotFound
from graph import reads
from tests.api.twin.conftest import admitted, ago, new_patient, refused, staff

pytestmark = pytest.mark.anyio


async def test_a_discharge_closes_the_stay_after_its_last_stage_once(
        resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)  # an hour ago
    early = await refused(resources, InvalidInput, discharge.discharge(doctor, forms.Discharge(
        patient_id, ago(hours=2), forms.Disposition.HOME)), patient_id)
    assert str(early).startswith("dischargedAt: is before the previous step")
    done = await discharge.discharge(doctor, forms.Discharge(
        patient_id, ago(minutes=10), forms.Disposition.HOME, "Recovered.\nReview in a week."))
    assert done.node_id == patient_id
    row = await reads.patient(resources.store, patient_id)
    assert row is not None and row["patient"]["status"] == "DISCHARGED"
    again = await refused(resources, Conflict, discharge.discharge(doctor, forms.Discharge(
        patient_id, ago(minutes=5), forms.Disposition.HOME)), patient_id)
    assert str(again) == "the patient is discharged; admit them again first"


async def test_a_patient_is_admitted_again_after_the_end_of_the_previous_stay(
        resources: Resources) -> None:
    doctor = await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor, arrived=ago(hours=3))
    left = ago(hours=2)
    await discharge.discharge(doctor, forms.Discharge(patient_id, left,
                                                      forms.Disposition.HOME))
    back = new_patient(patient=None, patient_id=patient_id, arrived_at=ago(hours=2.5),
                       vitals=None)
    early = await refused(resources, InvalidInput, care.admit(doctor, back), patient_id)
    assert str(early).startswith("arrivedAt: is before the end of the previous stay")
    done = await care.admit(doctor, new_patient(patient=None, patient_id=patient_id,
                                                arrived_at=ago(hours=1), vitals=None))
    assert done.patient_id == patient_id


async def test_a_patient_outside_ones_care_cannot_be_discharged(resources: Resources) -> None:
    doctor, other = await staff(resources, Role.PHYSICIAN), await staff(resources, Role.PHYSICIAN)
    patient_id = await admitted(doctor)
    await refused(resources, NotFound, discharge.discharge(other, forms.Discharge(
        patient_id, ago(minutes=10), forms.Disposition.HOME)), patient_id)
