"""Patients as users, and their rights, over GraphQL: the invitation and the patient's own
account (api/auth/invitations.py), erasure (GDPR art. 17, api/twin/erasure.py)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from api.auth import invitations
from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.graphql.identity import client_address
from api.graphql.pagination import Connection, keyset_page, page_size
from api.twin import access_log, consent, erasure, erasure_request, export
from api.twin.access import ADMINS, CLINICAL_READERS, Role
from graph import reads


@strawberry.enum(description="Why a twin was read.")
class ReadGrounds(Enum):
    CARE_TEAM = "CARE_TEAM"
    BREAK_GLASS = "BREAK_GLASS"
    CONSENT = "CONSENT"
    SELF = "SELF"
    ADMINISTRATION = "ADMINISTRATION"


@strawberry.type(description="One read of a twin: who, when, which sections, on what grounds; "
                             "a ledger entry (`seq`), so it has the ledger's tamper evidence.")
class TwinAccess:
    id: strawberry.ID
    reader_id: strawberry.ID
    reader_name: str | None
    reader_role: str
    grounds: ReadGrounds
    sections: list[str]
    at: str
    seq: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> TwinAccess:
        return cls(id=strawberry.ID(row["id"]), reader_id=strawberry.ID(row["reader_id"]),
                   reader_name=row.get("reader_name"), reader_role=row["reader_role"],
                   grounds=ReadGrounds(row["grounds"]), sections=list(row["sections"]),
                   at=row["at"], seq=row["seq"])


ConsentPurpose = strawberry.enum(consent.Purpose, name="ConsentPurpose",
                                 description="TREATMENT (granted by default while admitted), "
                                             "RESEARCH (de-identified use), SHARING (with one "
                                             "named physician).")


@strawberry.type(description="A patient's consent for one purpose, as last changed.")
class Consent:
    purpose: ConsentPurpose  # type: ignore[valid-type]
    granted: bool
    recipient_id: strawberry.ID | None
    recipient_name: str | None
    at: str
    seq: int


@strawberry.type(description="A consent granted or revoked, and its anchor.")
class ConsentChange:
    purpose: ConsentPurpose  # type: ignore[valid-type]
    granted: bool
    anchor: Anchor


@strawberry.type
class PatientRightsQuery:
    @strawberry.field(description="Every read of the twin, newest first: the patient's own, "
                                  "or anyone's for ADMIN and AUDITOR.")
    async def access_history(self, info: Info[Context, None], patient_id: strawberry.ID,
                             first: int = 20,
                             after: str | None = None) -> Connection[TwinAccess]:
        principal = await info.context.require(access_log.HISTORY_READERS)
        store = info.context.resources.store
        await access_log.check_history_reader(store, principal, str(patient_id))
        return await keyset_page(
            first, after, 2,
            lambda key, limit: reads.access_history_page(store, str(patient_id), key, limit),
            lambda: reads.access_history_count(store, str(patient_id)),
            lambda r: TwinAccess.of(r["access"]), lambda a: [a.at, str(a.id)])

    @strawberry.field(description="The whole twin as a FHIR R4 Bundle with the inclusion "
                                  "proof of every ledger entry naming the patient and the "
                                  "signed checkpoint, as JSON (`hdt-proven-export/1`); check "
                                  "it offline with `hdt ledger check-export`. The same access "
                                  "as `twin`, and recorded as a read.")
    async def export_proven(self, info: Info[Context, None], patient_id: strawberry.ID) -> str:
        work = await info.context.unit(CLINICAL_READERS)
        document = await export.proven_export(work, info.context.resources.ledger,
                                              str(patient_id))
        return json.dumps(document, ensure_ascii=False)

    @strawberry.field(description="The patient's consents (the patient's own, or ADMIN). "
                                  "TREATMENT not listed is granted (the default).")
    async def consents(self, info: Info[Context, None],
                       patient_id: strawberry.ID) -> list[Consent]:
        principal = await info.context.require(frozenset({Role.ADMIN, Role.PATIENT}))
        store = info.context.resources.store
        await access_log.check_history_reader(store, principal, str(patient_id))
        return [Consent(purpose=consent.Purpose(c["purpose"]), granted=c["status"] == "GRANTED",
                        recipient_id=None if c.get("recipient_id") is None
                        else strawberry.ID(c["recipient_id"]),
                        recipient_name=c.get("recipient_name"), at=c["at"], seq=c["seq"])
                for c in (row["consent"] for row in await reads.consents(store,
                                                                       str(patient_id)))]

    @strawberry.field(description="The patient's open request to be erased, if they made one "
                                  "(the patient's own, or ADMIN).")
    async def erasure_request(self, info: Info[Context, None],
                              patient_id: strawberry.ID) -> ErasureRequest | None:
        principal = await info.context.require(frozenset({Role.ADMIN, Role.PATIENT}))
        store = info.context.resources.store
        await access_log.check_history_reader(store, principal, str(patient_id))
        row = await reads.erasure_request(store, str(patient_id))
        return None if row is None else ErasureRequest.of(row["request"])

    @strawberry.field(description="Patients' requests to be erased, newest first; a request "
                                  "goes with its patient's erasure (ADMIN).")
    async def erasure_requests(self, info: Info[Context, None],
                               first: int = 50) -> list[ErasureRequest]:
        await info.context.require(ADMINS)
        rows = await reads.erasure_requests(info.context.resources.store, page_size(first))
        return [ErasureRequest.of(row["request"]) for row in rows]


@strawberry.type(description="A patient's request to be erased (GDPR art. 17); an "
                             "administrator erases with `erasePatient`.")
class ErasureRequest:
    patient_id: strawberry.ID
    requested_by_name: str | None
    at: str
    seq: int = strawberry.field(description="The ErasureRequested ledger entry.")

    @classmethod
    def of(cls, row: dict[str, Any]) -> ErasureRequest:
        return cls(patient_id=strawberry.ID(row["patient_id"]),
                   requested_by_name=row.get("requested_by_name"), at=row["at"],
                   seq=row["seq"])


@strawberry.type(description="An erasure request as recorded, and its anchor.")
class ErasureRequestMade:
    patient_id: strawberry.ID
    anchor: Anchor


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
    @strawberry.mutation(description="Grant consent for a purpose; SHARING names the "
                                     "physician (PATIENT, for their own twin).")
    async def grant_consent(self, info: Info[Context, None],
                            purpose: ConsentPurpose,  # type: ignore[valid-type]
                            recipient_id: strawberry.ID | None = None) -> ConsentChange:
        return await _consent(info, purpose, True, recipient_id)

    @strawberry.mutation(description="Revoke consent for a purpose, at once: revoking "
                                     "TREATMENT closes the twin to the care team, except by "
                                     "break-glass, which the patient then sees (PATIENT).")
    async def revoke_consent(self, info: Info[Context, None],
                             purpose: ConsentPurpose,  # type: ignore[valid-type]
                             recipient_id: strawberry.ID | None = None) -> ConsentChange:
        return await _consent(info, purpose, False, recipient_id)

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
        resources.throttles.registrations.take(
            address, "too many registrations from this address; try again later")
        made = await invitations.register(resources, input.code, input.username,
                                          input.password, input.display_name)
        return PatientAccount(user_id=strawberry.ID(made.user_id), username=made.username,
                              patient_id=strawberry.ID(made.patient_id),
                              anchor=Anchor.of(made.anchor))

    @strawberry.mutation(description="Ask to be erased (GDPR art. 17): anchored and listed "
                                     "to administrators (`erasureRequests`), who erase; "
                                     "asking again renews the request (PATIENT, for their "
                                     "own twin).")
    async def request_erasure(self, info: Info[Context, None]) -> ErasureRequestMade:
        work = await info.context.unit(frozenset({Role.PATIENT}))
        done = await erasure_request.request(work)
        return ErasureRequestMade(patient_id=strawberry.ID(done.patient_id),
                                  anchor=Anchor.of(done.anchor))

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


async def _consent(info: Info[Context, None], purpose: consent.Purpose, granted: bool,
                   recipient_id: strawberry.ID | None) -> ConsentChange:
    work = await info.context.unit(frozenset({Role.PATIENT}))
    done = await consent.change(work, consent.Purpose(purpose.value), granted,
                                None if recipient_id is None else str(recipient_id))
    return ConsentChange(purpose=purpose, granted=granted, anchor=Anchor.of(done.anchor))
