"""Events of a patient's own account: the invitation the hospital hands over, and the account
made with it. Both are encrypted under the patient's data key, so that an erasure takes the
account (its username may name the person) with the rest of the patient."""

from __future__ import annotations

from dataclasses import dataclass

from graph.event_base import EventBase


@dataclass(frozen=True)
class PatientInvited(EventBase, kind="PatientInvited",
                     subjects=("invitation_id", "patient_id")):
    """A one-time code linking an account to be made to this patient's twin; only its
    SHA-256 is recorded, so neither the ledger nor the graph can give the code out."""

    invitation_id: str
    patient_id: str
    code_hash: str
    invited_by: str
    at: str
    expires_at: str


@dataclass(frozen=True)
class PatientAccountCreated(EventBase, kind="PatientAccountCreated",
                            subjects=("user_id", "patient_id", "invitation_id")):
    """The patient's account, made with an invitation that this uses up; active at once."""

    user_id: str
    patient_id: str
    invitation_id: str
    username: str
    password_hash: str
    display_name: str
    at: str


@dataclass(frozen=True)
class ConsentChanged(EventBase, kind="ConsentChanged", subjects=("patient_id", "recipient_id")):
    """A patient's grant or revocation of consent for one purpose (GDPR art. 6/7): TREATMENT
    (granted by default while admitted), RESEARCH (de-identified use) or SHARING (with the
    named physician `recipient_id`)."""

    patient_id: str
    purpose: str
    granted: bool
    changed_by: str
    at: str
    recipient_id: str | None = None


@dataclass(frozen=True)
class ErasureRequested(EventBase, kind="ErasureRequested", subjects=("patient_id",)):
    """The patient asks to be erased (GDPR art. 17), from their own account. It erases
    nothing: it puts the request in front of the administrators, who erase with
    `PatientErased`. No free text, so the request cannot carry what it asks to remove."""

    patient_id: str
    requested_by: str
    at: str


@dataclass(frozen=True)
class TwinRead(EventBase, kind="TwinRead", subjects=("access_id", "patient_id", "reader_id")):
    """One read of a twin (GDPR art. 15, HIPAA §164.312(b)): who, when, which sections, and
    on what grounds (CARE_TEAM, BREAK_GLASS, CONSENT, SELF, ADMINISTRATION)."""

    access_id: str
    patient_id: str
    reader_id: str
    reader_role: str
    grounds: str
    sections: tuple[str, ...]
    at: str
