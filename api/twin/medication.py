"""The medication commands: prescribe, give, stop, and the read-only check before prescribing.

Each checks and records while it holds the patient's changes (`Unit.patient_changes`): what
it checks (the active prescriptions a new one may interact with, whether a prescription is
still running) cannot change between the check and the record, even when an earlier caller
went away mid-record.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from api.twin import forms
from api.twin import validation as check
from api.twin.errors import Conflict, NotFound
from api.twin.prescription_checks import Findings, findings, prescribed
from api.twin.unit import Recorded, Unit, patient_state, record
from graph import reads
from graph.event_values import MedicationRef
from graph.events import MedicationAdministered, MedicationDiscontinued, MedicationPrescribed
from graph.rows import PrescriptionFields

STOPPABLE = frozenset({"ACTIVE", "ON_HOLD"})


@dataclass(frozen=True)
class Prescribed:
    recorded: Recorded
    findings: Findings


@dataclass(frozen=True)
class Check:
    medication: MedicationRef
    """Named as the catalogue names it (empty when the catalogue does not have it)."""
    findings: Findings


async def _prescription(unit: Unit, prescription_id: str) -> PrescriptionFields:
    """The prescription, after checking the caller may act on its patient. One they may not
    read gets the answer an unknown id gets: its patient's id is not theirs to learn."""
    row = await reads.prescription(unit.store, prescription_id)
    unknown = NotFound(f"prescriptionId: no prescription {prescription_id}")
    if row is None:
        raise unknown
    prescription = row["prescription"]
    try:
        await patient_state(unit, prescription["patient_id"])
    except NotFound:
        raise unknown from None
    return prescription


@contextlib.asynccontextmanager
async def _held(unit: Unit, prescription_id: str) -> AsyncIterator[PrescriptionFields]:
    """The prescription as it stands while its patient's changes are held: read once to find
    its patient, then again under the hold, where nothing can change it."""
    patient_id = (await _prescription(unit, prescription_id))["patient_id"]
    async with unit.patient_changes(patient_id):
        yield await _prescription(unit, prescription_id)


def _stopped_since(prescription: PrescriptionFields) -> str:
    """An imported prescription may be stopped without saying since when."""
    at = prescription.get("discontinued_at")
    return f"was stopped at {at}" if at else "is stopped"


def _check_running(prescription: PrescriptionFields, at: str) -> None:
    """A dose is recorded against a prescription that ran at that moment: an active one, or
    a stopped one given before it was stopped (documented late)."""
    status = prescription.get("status")
    stopped = prescription.get("discontinued_at")
    if status == "ACTIVE" or (status == "STOPPED" and stopped is not None and at < stopped):
        return
    if status == "STOPPED":
        raise Conflict(f"prescriptionId: the prescription {_stopped_since(prescription)}; "
                       "record a dose given after that against a new prescription")
    raise Conflict(f"prescriptionId: the prescription is {status}; a dose is recorded "
                   "against an ACTIVE one")


async def check_interactions(unit: Unit, patient_id: str, medication_code: str) -> Check:
    """What prescribing this medication now would warn of, by the prescription's own rule;
    nothing is recorded."""
    await patient_state(unit, patient_id)
    code = check.concept_id("medicationCode", medication_code.strip(), "RxNorm")
    known = await reads.medication_knowledge(unit.store, f"{check.RXNORM_SYSTEM}|{code}")
    name = (known["medication"].get("name") or "") if known else ""
    medication = MedicationRef(check.RXNORM_SYSTEM, code, name)
    return Check(medication, await findings(unit.store, patient_id, medication))


async def prescribe(unit: Unit, data: forms.Prescription) -> Prescribed:
    """A prescription (a MedicationTransaction), optionally for a diagnosis; its warnings are
    anchored with it and do not stop it: the physician decides."""
    patient_id = data.patient_id
    row = await patient_state(unit, patient_id)
    if data.diagnosis_id is not None:
        diagnosis = await reads.diagnosis(unit.store, data.diagnosis_id)
        if diagnosis is None or diagnosis["diagnosis"]["patient_id"] != patient_id:
            raise NotFound(f"diagnosisId: no diagnosis {data.diagnosis_id} for this patient")
    medication = prescribed(data.medication_code, data.medication_name)
    async with unit.patient_changes(patient_id):
        found = await findings(unit.store, patient_id, medication)
        event = MedicationPrescribed(
            patient_id=patient_id, transaction_id=unit.new_id(),
            physician_id=unit.principal.user_id, medication=medication,
            dose=check.number("dose", data.dose, 1e-6, 1e6),
            unit=check.text("unit", data.unit, 20), route=data.route.value,
            frequency=check.text("frequency", data.frequency, 100),
            at=check.moment("prescribedAt", data.prescribed_at,
                            row["patient"].get("admitted_at"), "the admission"),
            diagnosis_id=data.diagnosis_id,
            warnings=found.warnings,
        )
        recorded = await record(unit, event, event.transaction_id, patient_id, event.warnings)
    return Prescribed(recorded, found)


async def administer(unit: Unit, data: forms.Administration) -> Recorded:
    """A prescribed dose given; refused after the prescription was stopped."""
    async with _held(unit, data.prescription_id) as prescription:
        patient_id = prescription["patient_id"]
        at = check.moment("administeredAt", data.administered_at, prescription["at"],
                          "the prescription")
        _check_running(prescription, at)
        event = MedicationAdministered(
            patient_id=patient_id, transaction_id=unit.new_id(),
            prescription_id=data.prescription_id, administered_by=unit.principal.user_id,
            dose=check.number("dose", data.dose, 1e-6, 1e6),
            unit=check.text("unit", data.unit, 20), route=data.route.value, at=at,
        )
        return await record(unit, event, event.transaction_id, patient_id)


async def discontinue(unit: Unit, data: forms.Discontinuation) -> Recorded:
    """A prescription stopped: no later dose, and no longer checked against."""
    async with _held(unit, data.prescription_id) as prescription:
        patient_id = prescription["patient_id"]
        status = prescription.get("status")
        if status == "STOPPED":
            raise Conflict(f"prescriptionId: the prescription {_stopped_since(prescription)}")
        if status not in STOPPABLE:
            raise Conflict(f"prescriptionId: the prescription is {status}; only an ACTIVE "
                           "or ON_HOLD one can be stopped")
        last = prescription.get("last_given")
        event = MedicationDiscontinued(
            patient_id=patient_id, prescription_id=data.prescription_id,
            discontinued_by=unit.principal.user_id,
            at=check.moment("discontinuedAt", data.discontinued_at, last or prescription["at"],
                            "its last dose" if last else "the prescription"),
            reason=check.text("reason", data.reason, 500, multiline=True),
        )
        return await record(unit, event, data.prescription_id, patient_id)
