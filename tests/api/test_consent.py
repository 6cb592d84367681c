"""Consent and the access history at the real GraphQL endpoint: a revocation holds from the
next read, break-glass overrides it and the patient sees that, sharing opens the twin to one
named physician, and every read of a twin is listed with its grounds and its ledger entry."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.test_patient_role import ward

TWIN = "query($p: ID!) { twin(patientId: $p) { patient { id } vitals { code } } }"
EXPORT = "query($p: ID!) { exportPatient(patientId: $p) }"
CONSENT = """mutation($purpose: ConsentPurpose!, $r: ID) {
  %s(purpose: $purpose, recipientId: $r) { purpose granted anchor { seq } } }"""
CONSENTS = "query($p: ID!) { consents(patientId: $p) { purpose granted recipientId seq } }"
HISTORY = """query($p: ID!) { accessHistory(patientId: $p, first: 50) { totalCount edges {
  node { readerId readerRole readerName grounds sections at seq } } } }"""
PATIENTS = "{ patients(first: 50) { edges { node { id } } } }"
BREAK_GLASS = """mutation($p: ID!) { breakGlass(patientId: $p,
  reason: "unconscious, allergies unknown") { id } }"""


def history(caller: Api, patient_id: str) -> list[dict[str, Any]]:
    page = caller.data(HISTORY, {"p": patient_id})["accessHistory"]
    assert page["totalCount"] == len(page["edges"])
    return [e["node"] for e in page["edges"]]


def doctor_of(api: Api, admin: Api, patient_id: str) -> tuple[Api, str]:
    doctor, doctor_id = api.staff(admin, "PHYSICIAN")
    admin.data("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, physicianId: $d) "
               "{ id } }", {"p": patient_id, "d": doctor_id})
    return doctor, doctor_id


def test_revoked_treatment_closes_the_twin_at_once_and_break_glass_shows(
        api: Api, admin: Api) -> None:
    patient, mine, _ = ward(api, admin)
    doctor, doctor_id = doctor_of(api, admin, mine)
    assert doctor.data(TWIN, {"p": mine})["twin"]["patient"]["id"] == mine

    revoked = patient.data(CONSENT % "revokeConsent", {"purpose": "TREATMENT"})
    assert revoked["revokeConsent"]["granted"] is False
    unknown = doctor.error(TWIN, {"p": "00000000-0000-4000-8000-000000000000"})
    refused = doctor.error(TWIN, {"p": mine})
    assert refused["extensions"] == unknown["extensions"]
    assert doctor.error(EXPORT, {"p": mine})["extensions"]["code"] == "NOT_FOUND"
    assert mine not in [e["node"]["id"] for e in doctor.data(PATIENTS)["patients"]["edges"]]
    assert [c["purpose"] for c in patient.data(CONSENTS, {"p": mine})["consents"]
            if not c["granted"]] == ["TREATMENT"]

    doctor.data(BREAK_GLASS, {"p": mine})
    assert doctor.data(TWIN, {"p": mine})["twin"]["patient"]["id"] == mine
    reads = history(patient, mine)
    assert reads[0]["readerId"] == doctor_id
    assert reads[0]["grounds"] == "BREAK_GLASS"
    assert reads[0]["sections"] == ["patient", "vitals"]
    assert [r["grounds"] for r in reads if r["readerId"] == doctor_id] == [
        "BREAK_GLASS", "CARE_TEAM"]

    patient.data(CONSENT % "grantConsent", {"purpose": "TREATMENT"})
    doctor.data(TWIN, {"p": mine})
    assert history(patient, mine)[0]["grounds"] in {"CARE_TEAM", "BREAK_GLASS"}


def test_sharing_opens_the_twin_to_the_named_physician_only(api: Api, admin: Api) -> None:
    patient, mine, _ = ward(api, admin)
    outside, outside_id = api.staff(admin, "PHYSICIAN")
    other, _ = api.staff(admin, "PHYSICIAN")
    assert outside.error(TWIN, {"p": mine})["extensions"]["code"] == "NOT_FOUND"
    patient.data(CONSENT % "grantConsent", {"purpose": "SHARING", "r": outside_id})
    assert outside.data(TWIN, {"p": mine})["twin"]["patient"]["id"] == mine
    assert other.error(TWIN, {"p": mine})["extensions"]["code"] == "NOT_FOUND"
    assert history(patient, mine)[0]["grounds"] == "CONSENT"
    patient.data(CONSENT % "revokeConsent", {"purpose": "SHARING", "r": outside_id})
    assert outside.error(TWIN, {"p": mine})["extensions"]["code"] == "NOT_FOUND"
    bad = patient.error(CONSENT % "grantConsent", {"purpose": "SHARING"})
    assert bad["extensions"]["code"] == "BAD_USER_INPUT"


def test_only_the_patient_changes_consent_and_reads_their_history(api: Api, admin: Api) -> None:
    patient, mine, other = ward(api, admin)
    doctor, _ = doctor_of(api, admin, mine)
    assert doctor.error(CONSENT % "revokeConsent", {"purpose": "TREATMENT"})[
        "extensions"]["code"] == "FORBIDDEN"
    assert doctor.error(HISTORY, {"p": mine})["extensions"]["code"] == "FORBIDDEN"
    unknown = patient.error(HISTORY, {"p": "00000000-0000-4000-8000-000000000000"})
    assert patient.error(HISTORY, {"p": other})["extensions"] == unknown["extensions"]


def test_every_read_is_a_ledger_entry_the_auditor_lists(api: Api, admin: Api) -> None:
    patient, mine, _ = ward(api, admin)
    doctor, doctor_id = doctor_of(api, admin, mine)
    patient.data(TWIN, {"p": mine})
    doctor.data(EXPORT, {"p": mine})
    admin.data(TWIN, {"p": mine})
    auditor = admin.data("""mutation { createAuditor(input: {username: "aud.consent",
        password: "an auditor's long passphrase", displayName: "Aud"}) { user { id } } }""")
    assert auditor
    reader = api.login("aud.consent", "an auditor's long passphrase")
    reads = history(reader, mine)
    assert [(r["readerRole"], r["grounds"], r["sections"]) for r in reads] == [
        ("ADMIN", "ADMINISTRATION", ["patient", "vitals"]),
        ("PHYSICIAN", "CARE_TEAM", ["export"]),
        ("PATIENT", "SELF", ["patient", "vitals"])]
    assert reads[1]["readerId"] == doctor_id
    entries = admin.data("query($s: Int!) { ledgerEntries(from: $s, first: 1) { action "
                         "subjects } }", {"s": reads[1]["seq"]})["ledgerEntries"]
    assert entries == [{"action": "TwinRead", "subjects": entries[0]["subjects"]}]
    assert mine in entries[0]["subjects"] and doctor_id in entries[0]["subjects"]
