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
