"""Medications for a patient as mutations: prescribe, give, stop.

Each checks and records while it holds the patient's changes (`Resources.patient_changes`):
what it checks (the active prescriptions a new one may interact with, whether a
prescription is still running) cannot change between the check and the record, even when
an earlier caller went away mid-record.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.care import Recorded, new_id, patient_state, record_event
from api.graphql.care_inputs import (
    AdministerMedicationInput,
    DiscontinueMedicationInput,
    PrescribeMedicationInput,
)
from api.graphql.context import Context
from api.graphql.errors import Conflict, NotFound
from api.graphql.twin_types import Medication
from api.knowledge.medications import MedicationInteraction
from api.twin import validation as check
from api.twin.access import CARE_WRITERS, Principal
from api.twin.prescription_checks import findings, prescribed
from graph.event_values import MedicationRef
from graph.events import MedicationAdministered, MedicationDiscontinued, MedicationPrescribed

STOPPABLE = frozenset({"ACTIVE", "ON_HOLD"})


@strawberry.type(description="A prescription as recorded. `warnings` (anchored with it) name "
                             "the patient's active prescriptions and home medications it "
                             "interacts with, the allergies noted at admission it meets, and "
                             "a code the catalogue lacks (nothing checked); `interactions` "
                             "details the first two. They do not stop it: the physician "
                             "decides.")
class Prescribed(Recorded):
    interactions: list[MedicationInteraction]


@strawberry.type(description="What prescribing a medication to a patient now would warn of: "
                             "the same `warnings` and `interactions` prescribeMedication would "
                             "anchor, by the same rule. Nothing is recorded.")
class InteractionCheck:
    patient_id: strawberry.ID
    medication: Medication = strawberry.field(description=(
        "The medication checked, named as the catalogue names it (empty when the catalogue "
        "does not have it: then nothing is known to interact with it)."))
    warnings: list[str]
    interactions: list[MedicationInteraction]


async def _prescription(context: Context, principal: Principal,
                        prescription_id: str) -> dict[str, Any]:
    """The prescription, after checking the caller may act on its patient. One they may not
    read gets the answer an unknown id gets: its patient's id is not theirs to learn."""
    rows = await context.resources.store.read("prescription_get",
                                              {"transaction_id": prescription_id})
    unknown = NotFound(f"prescriptionId: no prescription {prescription_id}")
    if not rows:
        raise unknown
    prescription: dict[str, Any] = rows[0]["prescription"]
    try:
        await patient_state(context, principal, prescription["patient_id"])
    except NotFound:
        raise unknown from None
    return prescription


@contextlib.asynccontextmanager
async def _held(context: Context, principal: Principal,
                prescription_id: str) -> AsyncIterator[dict[str, Any]]:
    """The prescription as it stands while its patient's changes are held: read once to find
    its patient, then again under the hold, where nothing can change it."""
    patient_id = (await _prescription(context, principal, prescription_id))["patient_id"]
    async with context.resources.patient_changes(patient_id):
        yield await _prescription(context, principal, prescription_id)


def _stopped_since(prescription: dict[str, Any]) -> str:
    """An imported prescription may be stopped without saying since when."""
    at = prescription.get("discontinued_at")
    return f"was stopped at {at}" if at else "is stopped"


def _check_running(prescription: dict[str, Any], at: str) -> None:
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


@strawberry.type
class PrescriptionQuery:
    @strawberry.field(description=(
        "The interaction warnings prescribing this medication to the patient would give now, "
        "before prescribing it (PHYSICIAN): read-only, the same rule as prescribeMedication. "
        "A patient you may not act on gets the answer an unknown id gets."))
    async def interaction_check(self, info: Info[Context, None], patient_id: strawberry.ID,
                                medication_code: str) -> InteractionCheck:
        principal = await info.context.require(CARE_WRITERS)
        await patient_state(info.context, principal, str(patient_id))
        code = check.concept_id("medicationCode", medication_code.strip(), "RxNorm")
        rows = await info.context.resources.store.read(
            "medication_knowledge", {"key": f"{check.RXNORM_SYSTEM}|{code}"})
        name = (rows[0]["medication"].get("name") or "") if rows else ""
        medication = MedicationRef(check.RXNORM_SYSTEM, code, name)
        found = await findings(info.context.resources.store, str(patient_id), medication)
        return InteractionCheck(patient_id=patient_id, medication=Medication.of(
            {"system": medication.system, "code": code, "name": name}),
            warnings=list(found.warnings), interactions=found.interactions)


@strawberry.type
class PrescriptionMutation:
    @strawberry.mutation(description="Prescribe a medication (a MedicationTransaction), "
                                     "optionally for a diagnosis (PHYSICIAN). The name must be "
                                     "one of the code's in the catalogue. Interactions with "
                                     "the patient's active prescriptions and home medications, "
                                     "and allergies noted at admission, come back as warnings "
                                     "and are anchored with the prescription.")
    async def prescribe_medication(self, info: Info[Context, None],
                                   input: PrescribeMedicationInput) -> Prescribed:
        principal = await info.context.require(CARE_WRITERS)
        patient_id = str(input.patient_id)
        store = info.context.resources.store
        row = await patient_state(info.context, principal, patient_id)
        diagnosis_id = str(input.diagnosis_id) if input.diagnosis_id else None
        if diagnosis_id is not None:
            diagnosis = await store.read("diagnosis_get", {"stage_id": diagnosis_id})
            if not diagnosis or diagnosis[0]["diagnosis"]["patient_id"] != patient_id:
                raise NotFound(f"diagnosisId: no diagnosis {diagnosis_id} for this patient")
        medication = prescribed(input.medication.code, input.medication.name)
        async with info.context.resources.patient_changes(patient_id):
            found = await findings(store, patient_id, medication)
            event = MedicationPrescribed(
                patient_id=patient_id, transaction_id=new_id(), physician_id=principal.user_id,
                medication=medication,
                dose=check.number("dose", input.dose, 1e-6, 1e6),
                unit=check.text("unit", input.unit, 20), route=input.route.value,
                frequency=check.text("frequency", input.frequency, 100),
                at=check.moment("prescribedAt", input.prescribed_at,
                                row["patient"].get("admitted_at"), "the admission"),
                diagnosis_id=diagnosis_id,
                warnings=found.warnings,
            )
            recorded = await record_event(info, event, principal, event.transaction_id,
                                          patient_id, event.warnings)
        return Prescribed(id=recorded.id, patient_id=recorded.patient_id, anchor=recorded.anchor,
                          warnings=recorded.warnings, interactions=found.interactions)

    @strawberry.mutation(description="Record that a prescribed dose was given (PHYSICIAN). "
                                     "A dose given after the prescription was stopped is "
                                     "refused.")
    async def administer_medication(self, info: Info[Context, None],
                                    input: AdministerMedicationInput) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        prescription_id = str(input.prescription_id)
        async with _held(info.context, principal, prescription_id) as prescription:
            patient_id = prescription["patient_id"]
            at = check.moment("administeredAt", input.administered_at, prescription["at"],
                              "the prescription")
            _check_running(prescription, at)
            event = MedicationAdministered(
                patient_id=patient_id, transaction_id=new_id(),
                prescription_id=prescription_id, administered_by=principal.user_id,
                dose=check.number("dose", input.dose, 1e-6, 1e6),
                unit=check.text("unit", input.unit, 20), route=input.route.value, at=at,
            )
            return await record_event(info, event, principal, event.transaction_id, patient_id)

    @strawberry.mutation(description="Stop a prescription (PHYSICIAN): its status becomes "
                                     "STOPPED, no later dose can be recorded against it, and "
                                     "new prescriptions are no longer checked against it.")
    async def discontinue_medication(self, info: Info[Context, None],
                                     input: DiscontinueMedicationInput) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        prescription_id = str(input.prescription_id)
        async with _held(info.context, principal, prescription_id) as prescription:
            patient_id = prescription["patient_id"]
            status = prescription.get("status")
            if status == "STOPPED":
                raise Conflict(f"prescriptionId: the prescription {_stopped_since(prescription)}")
            if status not in STOPPABLE:
                raise Conflict(f"prescriptionId: the prescription is {status}; only an ACTIVE "
                               "or ON_HOLD one can be stopped")
            last = prescription.get("last_given")
            event = MedicationDiscontinued(
                patient_id=patient_id, prescription_id=prescription_id,
                discontinued_by=principal.user_id,
                at=check.moment("discontinuedAt", input.discontinued_at,
                                last or prescription["at"],
                                "its last dose" if last else "the prescription"),
                reason=check.text("reason", input.reason, 500, multiline=True),
            )
            return await record_event(info, event, principal, prescription_id, patient_id)
