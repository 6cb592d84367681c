"""The medication commands' rules: the name fits the code, interactions and allergies warn
without refusing, a check records nothing, doses only against a running prescription."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api.knowledge import medications
from api.resources import Resources
from api.twin import forms, medication
from api.twin.access import Role
from api.twin.errors import Conflict, InvalidInput, NotFound
from api.twin.unit import Unit
from tests.api.twin.conftest import admitted, ago, staff

pytestmark = pytest.mark.anyio

WARFARIN, ASPIRIN = ("11289", "warfarin"), ("1191", "aspirin")


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
    doctor, patient_id = await _doctor_and_patient(catalogue)
    done = await medication.prescribe(doctor, _prescription(patient_id,
                                                            ("999999901", "synthetic compound")))
    assert done.recorded.warnings == (
        "RxNorm 999999901 (synthetic compound) is not in the medication catalogue: no "
        "interaction or allergy check was possible",)


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
