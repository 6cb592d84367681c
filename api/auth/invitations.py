"""A patient's account: an administrator invites, the patient registers with the code.

The code is the only secret the hospital hands over (on paper, at the desk): random, used
once, expiring after `INVITATION_HOURS`. Only its SHA-256 is recorded (in the ledger, under
the patient's key, and in the graph), which is enough for a code of 100 random bits: it
cannot be guessed, so it needs no slow hash. Every invitation and account is anchored.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from api.auth.accounts import USERNAME
from api.auth.passwords import hash_password, password_problem
from api.resources import Resources
from api.twin import validation as check
from api.twin.access import now_iso
from api.twin.errors import Conflict, InvalidInput, NotFound
from api.twin.unit import Unit
from graph import reads
from graph.patient_events import PatientAccountCreated, PatientInvited
from ledger import Anchor

INVITATION_HOURS = 72
CODE_BYTES = 15
"""120 random bits: 24 base32 letters, shown in groups of four."""
REFUSED = "this invitation code is unknown, used or expired; ask the hospital for a new one"


@dataclass(frozen=True)
class Invitation:
    invitation_id: str
    patient_id: str
    code: str
    """Shown once, to the administrator who hands it over; never stored."""
    expires_at: str
    anchor: Anchor


@dataclass(frozen=True)
class PatientAccount:
    user_id: str
    patient_id: str
    username: str
    anchor: Anchor


def new_code() -> str:
    letters = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def code_hash(code: str) -> str:
    """The digest of a code as typed: case, spaces and dashes do not matter."""
    canonical = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(canonical.encode("ascii", "replace")).hexdigest()


async def invite(unit: Unit, patient_id: str) -> Invitation:
    """A new invitation to the patient's own twin (ADMIN); earlier ones stay valid until
    used or expired."""
    if await reads.patient(unit.store, patient_id) is None:
        raise NotFound(f"no patient {patient_id}")
    code = new_code()
    at = now_iso()
    expires = datetime.fromisoformat(at.replace("Z", "+00:00")) + timedelta(hours=INVITATION_HOURS)
    event = PatientInvited(invitation_id=unit.new_id(), patient_id=patient_id,
                           code_hash=code_hash(code), invited_by=unit.principal.user_id,
                           at=at, expires_at=check.utc_text(expires))
    anchor = await unit.recorder.record(event, actor=unit.principal.user_id)
    return Invitation(event.invitation_id, patient_id, code, event.expires_at, anchor)


async def register(resources: Resources, code: str, username: str, password: str,
                   display_name: str) -> PatientAccount:
    """The patient's account, active at once, linked to the twin the code names. A code
    that is unknown, used or expired is answered alike."""
    if not isinstance(code, str) or len(code) > 64:
        raise InvalidInput("code", REFUSED)
    if not USERNAME.match(username):
        raise InvalidInput("username", "use 3 to 64 lower-case letters, digits, '.', '_' or '-'")
    if problem := password_problem(password):
        raise InvalidInput("password", problem)
    display_name = check.text("displayName", display_name, 200)
    async with resources.user_lock:
        found = await reads.invitation(resources.store, code_hash(code))
        now = now_iso()
        if found is None or found["invitation"]["used_at"] is not None \
                or found["invitation"]["expires_at"] <= now:
            raise InvalidInput("code", REFUSED)
        if await reads.user_by_username(resources.store, username) is not None:
            raise Conflict(f"the username {username!r} is taken")
        invitation = found["invitation"]
        event = PatientAccountCreated(
            user_id=str(uuid.uuid4()), patient_id=invitation["patient_id"],
            invitation_id=invitation["id"], username=username,
            password_hash=hash_password(password), display_name=display_name, at=now)
        anchor = await resources.recorder.record(event, actor=event.user_id)
    return PatientAccount(event.user_id, event.patient_id, username, anchor)
