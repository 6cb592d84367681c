"""A patient's consents (GDPR art. 6/7, HIPAA minimum necessary), granted and revoked by the
patient per purpose, each an anchored event that the next read already obeys.

TREATMENT is granted by default while admitted: revoking it closes the twin to the care
team (a break-glass access still opens it, and the patient sees it in their access history).
SHARING names one physician, who may then read the twin. RESEARCH is opt-in and recorded;
HDT has no research export yet that would read it.
"""

from __future__ import annotations

from enum import Enum

from api.twin.access import Principal, Role, now_iso
from api.twin.errors import Forbidden, InvalidInput
from api.twin.unit import Recorded, Unit, record
from graph import reads
from graph.patient_events import ConsentChanged


class Purpose(Enum):
    TREATMENT = "TREATMENT"
    RESEARCH = "RESEARCH"
    SHARING = "SHARING"


def own_patient(principal: Principal,
                refusal: str = "consents are given by the patient, from their own account") -> str:
    """The patient whose account this is; only a patient changes their consents."""
    if principal.role is not Role.PATIENT or not principal.granted:
        raise Forbidden(refusal)
    return principal.granted[0]


async def change(unit: Unit, purpose: Purpose, granted: bool,
                 recipient_id: str | None = None) -> Recorded:
    """Grant or revoke one purpose; SHARING needs the physician it is given to."""
    patient_id = own_patient(unit.principal)
    if purpose is Purpose.SHARING:
        if not recipient_id:
            raise InvalidInput("recipientId", "name the physician to share the twin with")
        if await reads.physician_status(unit.store, recipient_id) != "ACTIVE":
            raise InvalidInput("recipientId", f"no active physician {recipient_id}")
    elif recipient_id:
        raise InvalidInput("recipientId", "only SHARING is given to a named physician")
    event = ConsentChanged(patient_id=patient_id, purpose=purpose.value, granted=granted,
                           changed_by=unit.principal.user_id, at=now_iso(),
                           recipient_id=recipient_id)
    return await record(unit, event, patient_id, patient_id)
