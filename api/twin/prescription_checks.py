"""What a prescription is checked against before it is recorded: its code and name against the
medication catalogue, then the patient's active prescriptions, the medications they take at
home and their allergies (both noted at admission).

Only a code and a name that name two different medications are refused: the record would
say one drug and mean another. Everything else comes back as warnings, anchored with the
prescription; the physician decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.knowledge import medication_names as names
from api.knowledge.medications import Interaction, interactions_with_active
from api.twin import validation as check
from api.twin.errors import InvalidInput
from graph import reads
from graph.event_values import MedicationRef
from graph.store import GraphStore


def prescribed(code: str, name: str) -> MedicationRef:
    """An RxNorm medication whose name fits its code when the catalogue knows the code; an
    InvalidInput on `medication.name` when it names another medication."""
    medication = MedicationRef(check.RXNORM_SYSTEM,
                               check.concept_id("medication.code", code.strip(), "RxNorm"),
                               check.text("medication.name", name, 200))
    known = names.known_names(medication.key)
    if known is not None and not names.name_fits(medication.key, medication.name):
        shown = ", ".join(sorted(known)[:5])
        raise InvalidInput("medication.name", f"{medication.name!r} is not RxNorm "
                                              f"{medication.code} (that is: {shown})")
    return medication


@dataclass(frozen=True)
class Findings:
    interactions: list[Interaction]
    """With the active prescriptions first, then with the medications taken at home."""
    warnings: tuple[str, ...]
    """What the prescription records and anchors: every interaction, every allergy it
    meets, and what could not be checked."""


async def findings(store: GraphStore, patient_id: str, medication: MedicationRef) -> Findings:
    """Every check of a prescription against what the graph knows of the patient. Read while
    the patient's changes are held, so that nothing it reads can change before the record."""
    if names.known_names(medication.key) is None:
        named = f" ({medication.name})" if medication.name else ""
        return Findings([], (f"RxNorm {medication.code}{named} is not in the medication "
                             "catalogue: no interaction or allergy check was possible",))
    active = await interactions_with_active(store, patient_id, medication)
    admissions = await reads.patient_admissions_noted(store, patient_id)
    home = list(admissions[-1].get("current_medications") or []) if admissions else []
    allergies = sorted({a for row in admissions for a in row.get("allergies") or []})

    taken: set[str] = set()
    unknown: list[str] = []
    for line in home:
        found = names.written(line)
        taken |= found
        if not found:
            unknown.append(line)
    already = {(i.medication.system, i.medication.code) for i in active}
    taken = {key for key in taken - {medication.key}
             if tuple(key.split("|", 1)) not in already}
    at_home = [Interaction.of(row, taken_at_home=True)
               for row in await reads.medication_interactions_among(store, medication.key,
                                                                    sorted(taken))]
    at_home.sort(key=lambda i: (i.severity.rank, i.medication.name, i.medication.code))

    warnings = [i.warning for i in [*active, *at_home]]
    warnings += [f"allergy noted at admission: {allergy}; {medication.name} is covered by it"
                 for allergy in allergies if names.allergy_covers(allergy, medication.key)]
    if unknown:
        warnings.append("not checked for interactions, not in the medication catalogue: "
                        "home medication " + "; ".join(unknown))
    return Findings([*active, *at_home], tuple(warnings))
