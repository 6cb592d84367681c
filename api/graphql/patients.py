"""Patients as users, and their rights, over GraphQL: the invitation and the patient's own
account (api/auth/invitations.py), erasure (GDPR art. 17, api/twin/erasure.py)."""

from __future__ import annotations

import math

import strawberry
from strawberry.types import Info

from api.auth import invitations
from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.graphql.errors import TooManyRequests
from api.graphql.identity import client_address
from api.twin import erasure
from api.twin.access import ADMINS


@strawberry.type(description="A one-time code that links a patient's account to their twin.")
class PatientInvitation:
    patient_id: strawberry.ID
    code: str = strawberry.field(description="Shown this once: only its hash is recorded. "
                                             "Hand it to the patient; it works once.")
    expires_at: str
    anchor: Anchor


@strawberry.input
class RegisterPatientInput:
    code: str = strawberry.field(description="The invitation code the hospital handed over.")
    username: str
    password: str
    display_name: str


@strawberry.type(description="A patient's account, active at once, reading their own twin.")
class PatientAccount:
    user_id: strawberry.ID
    username: str
    patient_id: strawberry.ID
    anchor: Anchor


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
    @strawberry.mutation(description=f"A one-time invitation code for the patient's own "
                                     f"account, valid {invitations.INVITATION_HOURS} hours; "
                                     "anchored (ADMIN).")
    async def invite_patient(self, info: Info[Context, None],
                             patient_id: strawberry.ID) -> PatientInvitation:
        work = await info.context.unit(ADMINS)
        made = await invitations.invite(work, str(patient_id))
        return PatientInvitation(patient_id=strawberry.ID(made.patient_id), code=made.code,
                                 expires_at=made.expires_at, anchor=Anchor.of(made.anchor))

    @strawberry.mutation(description="Make a patient's account with an invitation code; it "
                                     "can log in at once and reads its own twin only. "
                                     "Throttled per client address (TOO_MANY_REQUESTS).")
    async def register_patient(self, info: Info[Context, None],
                               input: RegisterPatientInput) -> PatientAccount:
        resources = info.context.resources
        address = client_address(info.context)
        throttle = resources.throttles.registrations
        wait = throttle.retry_after(address)
        if wait > 0:
            raise TooManyRequests("too many registrations from this address; try again later",
                                  math.ceil(wait))
        throttle.count(address)
        made = await invitations.register(resources, input.code, input.username,
                                          input.password, input.display_name)
        return PatientAccount(user_id=strawberry.ID(made.user_id), username=made.username,
                              patient_id=strawberry.ID(made.patient_id),
                              anchor=Anchor.of(made.anchor))

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
