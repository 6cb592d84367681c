"""The medication catalogue over GraphQL: a medication, what it treats and what it interacts
with; the catalogue itself is api/knowledge/medications.py."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.errors import NotFound
from api.graphql.knowledge import KNOWLEDGE_READERS
from api.graphql.twin_types import Disease, Medication
from api.knowledge import ansm
from api.knowledge.medications import Interaction, by_severity, medication_key
from api.knowledge.tabular import icd10
from api.twin import validation as check
from graph import reads

# Makes `ansm.Severity` itself the GraphQL enum `InteractionSeverity` (strawberry marks the class).
strawberry.enum(
    ansm.Severity, name="InteractionSeverity",
    description="ANSM's levels of constraint: CONTRAINDICATED (contre-indication), AVOID "
                "(association déconseillée), PRECAUTION (précaution d'emploi), CAUTION (à "
                "prendre en compte).")


@strawberry.type(description="A medication that interacts with another, per the ANSM thesaurus.")
class MedicationInteraction:
    medication: Medication
    severity: ansm.Severity
    description: str = strawberry.field(description=(
        "The thesaurus's own words (French): the mechanism, then each level of constraint "
        "with the condition under which it holds. `severity` is the highest level that can "
        "hold for this pair."))
    taken_at_home: bool = strawberry.field(default=False, description=(
        "True when the patient takes `medication` at home (noted at admission in "
        "`currentMedications`) rather than on an active prescription."))

    @classmethod
    def of_interaction(cls, interaction: Interaction) -> MedicationInteraction:
        ref = interaction.medication
        return cls(medication=Medication.of(ref),
                   severity=interaction.severity, description=interaction.description,
                   taken_at_home=interaction.taken_at_home)


def _disease(row: dict[str, Any]) -> Disease:
    """A disease node; one that only a TREATS link created has no display yet: ICD-10-CM's."""
    disease = Disease.of(row)
    if not disease.display and disease.system == check.ICD10_SYSTEM \
            and icd10.is_valid_item(disease.code):
        disease.display = icd10.get_description(disease.code)
    return disease


@strawberry.type(description="A medication of the catalogue: what it treats, what it interacts "
                             "with.")
class MedicationKnowledge:
    system: str
    code: str
    name: str
    treats: list[Disease] = strawberry.field(description=(
        "Diseases it treats, from the curated demo table (api/data/treats.tsv)."))
    interactions: list[MedicationInteraction] = strawberry.field(description=(
        "Medications it interacts with, most severe first."))


@strawberry.type
class MedicationQuery:
    @strawberry.field(description="A medication of the catalogue, by code (RxNorm unless "
                                  "`system` says otherwise); any role.")
    async def medication(self, info: Info[Context, None], code: str,
                         system: str = check.RXNORM_SYSTEM) -> MedicationKnowledge:
        await info.context.require(KNOWLEDGE_READERS)
        system, code = system.strip(), code.strip()
        row = await reads.medication_knowledge(info.context.resources.store,
                                               medication_key(system, code))
        if row is None:
            raise NotFound(f"no medication {code!r} in {system}")
        return MedicationKnowledge(
            system=system, code=code, name=row["medication"].get("name") or "",
            treats=sorted(map(_disease, row["treats"]), key=lambda d: (d.system, d.code)),
            interactions=[MedicationInteraction.of_interaction(i) for i in by_severity(
                [Interaction.of(i) for i in row["interactions"]])],
        )
