"""Who may read and write what: every access rule of the API, in one place.

Roles: ADMIN reads every record; PHYSICIAN reads the patients in their care, or one patient
for a while after a stated break-glass reason; TRANSPORT reads the patients they brought in;
AUDITOR reads the ledger and provenance, never clinical content; PATIENT reads their own
twin and nothing else (their one patient is their `granted`, as a break-glass opens one).
A patient the caller may not read is reported exactly like a patient that does not exist,
so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Literal

from api.twin.errors import Forbidden, NotFound, Unauthenticated
from graph import reads
from graph.reads import Visibility
from graph.rows import PrincipalUser
from graph.store import GraphStore


class Role(Enum):
    ADMIN = "ADMIN"
    PHYSICIAN = "PHYSICIAN"
    TRANSPORT = "TRANSPORT"
    AUDITOR = "AUDITOR"
    PATIENT = "PATIENT"


CLINICAL_READERS = frozenset({Role.ADMIN, Role.PHYSICIAN, Role.TRANSPORT, Role.PATIENT})
CARE_WRITERS = frozenset({Role.PHYSICIAN})
ADMISSION_WRITERS = frozenset({Role.PHYSICIAN, Role.TRANSPORT})
LEDGER_READERS = frozenset({Role.ADMIN, Role.AUDITOR})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, checked against the store on every request (a suspended
    user's token stops working at once, not when it expires)."""

    user_id: str
    role: Role
    username: str
    display_name: str
    granted: tuple[str, ...] = ()
    """Patients opened to this caller: by a break-glass access still running, by the
    patient's consent to share with them, or (a PATIENT) their own twin."""
    shared: tuple[str, ...] = ()
    """Of `granted`, the patients who consented to share their twin with this caller."""


def principal_of(user: PrincipalUser, granted: Iterable[str] = (),
                 shared: Iterable[str] = ()) -> Principal:
    """The caller from their account: a patient's only grant is their own twin; staff have
    the patients their running break-glass accesses opened, and a physician those who
    consented to share with them."""
    role = Role(user["role"])
    if role is Role.PATIENT:
        own = user.get("patient_id")
        return Principal(user["id"], role, user["username"], user["display_name"],
                         (own,) if own else ())
    sharing = tuple(dict.fromkeys(shared)) if role is Role.PHYSICIAN else ()
    return Principal(user["id"], role, user["username"], user["display_name"],
                     tuple(dict.fromkeys([*granted, *sharing])), sharing)


def require(principal: Principal | None, roles: frozenset[Role]) -> Principal:
    if principal is None:
        raise Unauthenticated("log in first: send `Authorization: Bearer <token>`")
    if principal.role not in roles:
        allowed = ", ".join(sorted(r.value for r in roles))
        raise Forbidden(f"this operation is for {allowed}")
    return principal


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_SCOPES: dict[Role, Literal["all", "care", "brought_in"]] = {
    Role.ADMIN: "all", Role.PHYSICIAN: "care", Role.TRANSPORT: "brought_in",
    # No one cares "as" a patient user (no Physician has their id): they see their granted.
    Role.PATIENT: "care"}


def scope(principal: Principal) -> Visibility:
    """Whose patients this caller may read, as every patient-scoped read of graph/reads.py
    takes it: `scope`, `viewer` and `granted` (patients opened to this caller by a
    break-glass access still running)."""
    if principal.role not in _SCOPES:
        raise Forbidden("auditors read provenance, not clinical records")
    return {"scope": _SCOPES[principal.role], "viewer": principal.user_id,
            "granted": list(principal.granted)}


def unknown_patient(principal: Principal, patient_id: str) -> NotFound:
    """The one answer for a patient that does not exist and for one the caller may not read."""
    hint = "" if principal.role is Role.ADMIN else " or not in your care"
    return NotFound(f"no patient {patient_id}{hint}")


class Grounds(Enum):
    """Why a caller may read a twin, as the access history records it."""

    CARE_TEAM = "CARE_TEAM"
    BREAK_GLASS = "BREAK_GLASS"
    CONSENT = "CONSENT"
    SELF = "SELF"
    ADMINISTRATION = "ADMINISTRATION"


async def check_patient(store: GraphStore, principal: Principal, patient_id: str) -> Grounds:
    """The grounds on which the caller may read this patient's record; raise otherwise,
    answering a hidden patient exactly as an unknown one. A care relation counts only while
    the patient has not refused treatment; a break-glass access overrides the refusal."""
    found = await reads.patient_grounds(store, scope(principal), patient_id)
    if found is None:
        raise unknown_patient(principal, patient_id)
    if found != "GRANTED":
        return Grounds(found)
    if principal.role is Role.PATIENT:
        return Grounds.SELF
    return Grounds.CONSENT if patient_id in principal.shared else Grounds.BREAK_GLASS
