"""The patient's own events projected on every backend: the invitation and the account, a
consent that closes the twin to the care team while a grant still opens it, the access
history, the patient's request to be erased (renewed, not doubled); and an erasure that takes
all of them."""

from __future__ import annotations

import pytest

from graph import reads
from graph.events import PatientErased
from graph.patient_events import (
    ConsentChanged,
    ErasureRequested,
    PatientAccountCreated,
    PatientInvited,
    TwinRead,
)
from graph.reads import Visibility
from graph.store import GraphStore
from tests import synthetic

pytestmark = pytest.mark.anyio

AT = "2026-11-26T09:00:00.000Z"
LATER = "2026-11-29T09:00:00.000Z"


async def test_invitation_account_consent_history_and_their_erasure(store: GraphStore) -> None:
    ward = synthetic.Ward(store)
    doctor = synthetic.physician()
    await ward.apply(doctor)
    patient_id = synthetic.new_id()
    await ward.apply(synthetic.admission(patient_id, by=doctor.user_id))
    care = Visibility(scope="care", viewer=doctor.user_id, granted=[])
    assert await reads.patient_grounds(store, care, patient_id) == "CARE_TEAM"

    await ward.apply(PatientInvited(invitation_id="i-1", patient_id=patient_id,
                                    code_hash="ab" * 32, invited_by="admin", at=AT,
                                    expires_at=LATER))
    found = await reads.invitation(store, "ab" * 32)
    assert found is not None and found["invitation"]["used_at"] is None
    await ward.apply(PatientAccountCreated(user_id="u-p", patient_id=patient_id,
                                           invitation_id="i-1", username="p.synthetic",
                                           password_hash="$argon2id$x", display_name="P", at=AT))
    found = await reads.invitation(store, "ab" * 32)
    assert found is not None and found["invitation"]["used_at"] == AT
    [user] = [u for u in await reads.principals(store) if u["id"] == "u-p"]
    assert user["role"] == "PATIENT"
    assert user["patient_id"] == patient_id

    await ward.apply(ConsentChanged(patient_id=patient_id, purpose="TREATMENT", granted=False,
                                    changed_by="u-p", at=AT))
    assert await reads.patient_grounds(store, care, patient_id) is None
    page = await reads.patients_page(store, care, {
        "status": None, "stage": None, "admitted_after": None, "admitted_before": None,
        "search": None}, None, 10)
    assert page == []
    opened = Visibility(scope="care", viewer=doctor.user_id, granted=[patient_id])
    assert await reads.patient_grounds(store, opened, patient_id) == "GRANTED"
    await ward.apply(ConsentChanged(patient_id=patient_id, purpose="SHARING", granted=True,
                                    changed_by="u-p", at=AT, recipient_id=doctor.user_id))
    assert await reads.sharing_consents(store) == [
        {"user_id": doctor.user_id, "patient_id": patient_id}]
    assert [c["consent"]["purpose"] for c in await reads.consents(store, patient_id)] == [
        "SHARING", "TREATMENT"]

    await ward.apply(TwinRead(access_id="r-1", patient_id=patient_id, reader_id=doctor.user_id,
                              reader_role="PHYSICIAN", grounds="BREAK_GLASS",
                              sections=("patient", "vitals"), at=AT))
    [access] = await reads.access_history_page(store, patient_id, None, 10)
    assert access["access"]["grounds"] == "BREAK_GLASS"
    assert access["access"]["reader_name"] == doctor.display_name
    assert access["access"]["sections"] == ["patient", "vitals"]

    await ward.apply(ErasureRequested(patient_id=patient_id, requested_by="u-p", at=AT))
    await ward.apply(ErasureRequested(patient_id=patient_id, requested_by="u-p", at=LATER))
    [request] = await reads.erasure_requests(store, 10)
    assert request["request"] == {"patient_id": patient_id, "at": LATER,
                                  "seq": request["request"]["seq"], "requested_by_name": "P"}
    assert await reads.erasure_request(store, patient_id) == request

    await ward.apply(PatientErased(patient_id=patient_id, erased_by="admin", reason="art. 17",
                                   at=AT))
    assert await reads.patient_nodes(store, patient_id) == 0
    assert [u for u in await reads.principals(store) if u["id"] == "u-p"] == []
    assert await reads.sharing_consents(store) == []
    assert await reads.invitation(store, "ab" * 32) is None
    assert await reads.consents(store, patient_id) == []
    assert await reads.access_history_count(store, patient_id) == 0
    assert await reads.erasure_requests(store, 10) == []
