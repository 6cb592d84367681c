"""Medications for a patient as mutations: prescribe, give, stop; and the check before
prescribing. The rules are the medication commands' (api/twin/medication.py)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.care import Recorded
from api.graphql.care_inputs import (
    AdministerMedicationInput,
    DiscontinueMedicationInput,
    PrescribeMedicationInput,
)
from api.graphql.context import Context
from api.graphql.medications import MedicationInteraction
from api.graphql.twin_types import Medication
from api.twin import forms, medication
from api.twin.access import CARE_WRITERS
from api.twin.prescription_checks import Findings


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


def _interactions(found: Findings) -> list[MedicationInteraction]:
    return [MedicationInteraction.of_interaction(i) for i in found.interactions]


@strawberry.type
class PrescriptionQuery:
    @strawberry.field(description=(
        "The interaction warnings prescribing this medication to the patient would give now, "
        "before prescribing it (PHYSICIAN): read-only, the same rule as prescribeMedication. "
        "A patient you may not act on gets the answer an unknown id gets."))
    async def interaction_check(self, info: Info[Context, None], patient_id: strawberry.ID,
                                medication_code: str) -> InteractionCheck:
        work = await info.context.unit(CARE_WRITERS)
        checked = await medication.check_interactions(work, str(patient_id), medication_code)
        ref = checked.medication
        return InteractionCheck(patient_id=patient_id, medication=Medication.of(
            {"system": ref.system, "code": ref.code, "name": ref.name}),
            warnings=list(checked.findings.warnings), interactions=_interactions(checked.findings))


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
        work = await info.context.unit(CARE_WRITERS)
        done = await medication.prescribe(work, forms.Prescription(
            str(input.patient_id), input.medication.code, input.medication.name, input.dose,
            input.unit, input.route, input.frequency, input.prescribed_at,
            None if input.diagnosis_id is None else str(input.diagnosis_id)))
        recorded = Recorded.of(done.recorded)
        return Prescribed(id=recorded.id, patient_id=recorded.patient_id, anchor=recorded.anchor,
                          warnings=recorded.warnings, interactions=_interactions(done.findings))

    @strawberry.mutation(description="Record that a prescribed dose was given (PHYSICIAN). "
                                     "A dose given after the prescription was stopped is "
                                     "refused.")
    async def administer_medication(self, info: Info[Context, None],
                                    input: AdministerMedicationInput) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await medication.administer(work, forms.Administration(
            str(input.prescription_id), input.dose, input.unit, input.route,
            input.administered_at)))

    @strawberry.mutation(description="Stop a prescription (PHYSICIAN): its status becomes "
                                     "STOPPED, no later dose can be recorded against it, and "
                                     "new prescriptions are no longer checked against it.")
    async def discontinue_medication(self, info: Info[Context, None],
                                     input: DiscontinueMedicationInput) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await medication.discontinue(work, forms.Discontinuation(
            str(input.prescription_id), input.discontinued_at, input.reason)))
