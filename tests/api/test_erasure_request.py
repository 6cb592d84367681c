"""A patient asks to be erased from their own account, at the real GraphQL endpoint: the
request is anchored, listed to administrators and to the patient, erases nothing by itself,
hides another patient's request as unknown, and goes with the patient's erasure."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_patient_role import ward

REQUEST = "mutation { requestErasure { patientId anchor { seq } } }"
MINE = "query($p: ID!) { erasureRequest(patientId: $p) { patientId requestedByName at seq } }"
LISTED = "{ erasureRequests { patientId requestedByName at seq } }"
TWIN = "query($p: ID!) { twin(patientId: $p) { patient { id } } }"
ERASE = """mutation($p: ID!) { erasePatient(patientId: $p,
  reason: "GDPR art. 17 request, ticket 2026-118") { patientId } }"""
NOBODY = "00000000-0000-4000-8000-000000000000"


def test_a_patients_erasure_request_is_anchored_listed_to_admins_and_goes_with_the_erasure(
        api: Api, admin: Api) -> None:
    patient, mine, other = ward(api, admin)
    assert patient.data(MINE, {"p": mine})["erasureRequest"] is None
    assert admin.data(LISTED)["erasureRequests"] == []

    made = patient.data(REQUEST)["requestErasure"]
    assert made["patientId"] == mine
    seq = made["anchor"]["seq"]
    entry = admin.data("query($s: Int!) { ledgerEntries(from: $s, first: 1) { seq action "
                       "subjects } }", {"s": seq})["ledgerEntries"]
    assert entry == [{"seq": seq, "action": "ErasureRequested", "subjects": [mine]}]

    request = patient.data(MINE, {"p": mine})["erasureRequest"]
    assert request["patientId"] == mine and request["seq"] == seq
    assert request["requestedByName"] is not None
    assert admin.data(LISTED)["erasureRequests"] == [request]
    # It erases nothing by itself: the twin is still there.
    assert patient.data(TWIN, {"p": mine})["twin"]["patient"]["id"] == mine

    # Asking again renews the one request.
    again = patient.data(REQUEST)["requestErasure"]["anchor"]["seq"]
    listed = admin.data(LISTED)["erasureRequests"]
    assert [(r["patientId"], r["seq"]) for r in listed] == [(mine, again)]

    # Another patient's request answers as an unknown patient's; staff cannot request.
    hidden = patient.error(MINE, {"p": other})
    unknown = patient.error(MINE, {"p": NOBODY})
    assert hidden["extensions"] == unknown["extensions"]
    assert hidden["message"] == unknown["message"].replace(NOBODY, other)
    assert admin.error(REQUEST)["extensions"]["code"] == "FORBIDDEN"
    assert patient.error(LISTED)["extensions"]["code"] == "FORBIDDEN"

    admin.data(ERASE, {"p": mine})
    assert admin.data(LISTED)["erasureRequests"] == []
