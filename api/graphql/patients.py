"""Patients' rights over GraphQL: erasure (GDPR art. 17); the rules are api/twin/erasure.py."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.twin import erasure
from api.twin.access import ADMINS


@strawberry.type(description="An erasure: anchored, the patient's nodes gone, a tombstone left.")
class PatientErasure:
    patient_id: strawberry.ID
    anchor: Anchor = strawberry.field(description="The PatientErased entry.")
    store_files_rewritten: bool = strawberry.field(
        description="True when the graph store's own files were rewritten without the "
                    "patient; false on Neo4j, whose transaction logs keep deleted data "
                    "until pruned (README, Erasure).")


@strawberry.type
class PatientRightsMutation:
    @strawberry.mutation(description="Erase a patient at their request (GDPR art. 17): their "
                                     "data key is destroyed, their nodes removed, a tombstone "
                                     "left. The reason is anchored and must not name the "
                                     "patient (ADMIN).")
    async def erase_patient(self, info: Info[Context, None], patient_id: strawberry.ID,
                            reason: str) -> PatientErasure:
        work = await info.context.unit(ADMINS)
        done = await erasure.erase_patient(work, str(patient_id), reason)
        return PatientErasure(patient_id=strawberry.ID(done.recorded.patient_id),
                              anchor=Anchor.of(done.recorded.anchor),
                              store_files_rewritten=done.store_files_rewritten)
