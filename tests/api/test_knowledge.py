"""Disease knowledge over the real endpoint: hierarchy, co-occurrence within what the caller may
read, anchored record hashes that anyone can recompute and prove, and disease results."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785
from starlette.testclient import TestClient

from api.resources import Resources
from graph.knowledge_events import DiseaseRow, DiseasesImported
from ledger import merkle
from tests.api.conftest import STAFF_PASSWORD, Api
from tests.api.test_story import DIAGNOSE, admit_new_patient

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
DISEASE = """
query($c: String!) {
  disease(code: $c) {
    system code display recordHash anchor { seq entryHash }
    parents { system code display } children { code } treatedBy { system code }
  }
}"""
CO_OCCURRING = """
query($c: String!) { disease(code: $c) { code coOccurring { disease { code } patients } } }"""
GENERATE = """
mutation($c: String!) {
  generateDiseaseHash(code: $c) {
    recordHash anchor { seq entryHash treeSize rootHash }
    disease { code recordHash anchor { seq } }
  }
}"""
RECORDS = """
query($first: Int!, $after: String) {
  diseaseRecords(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node {
      disease { code } recordHash generatedBy
      anchor { seq entryHash } inclusionProof treeSize rootHash
    } }
  }
}"""
RESULTS = """
query($from: String, $to: String) {
  diseaseResults(from: $from, to: $to) {
    perDisease { disease { code } patients }
    perStage { stage patients }
    overTime { day diagnoses }
  }
}"""


def _patient_with(doctor: Api, codes: list[str], day: str = "2026-11-20") -> str:
    """Admit a new patient (so the admitting physician cares for them) and diagnose them."""
    admitted = admit_new_patient(doctor, arrivedAt=f"{day}T08:05:00Z")
    if codes:
        doctor.data(DIAGNOSE, {"i": {
            "patientId": admitted["patientId"], "diagnosedAt": f"{day}T09:00:00Z",
            "diseases": [{"code": c} for c in codes]}})
    return str(admitted["patientId"])


def _recomputed_hash(disease: dict[str, Any]) -> str:
    """The record hash as a client computes it from what `disease` answers."""
    record = {
        "system": disease["system"], "code": disease["code"], "display": disease["display"],
        "parents": sorted(f"{p['system']}|{p['code']}" for p in disease["parents"]),
        "treatedBy": sorted(f"{m['system']}|{m['code']}" for m in disease["treatedBy"]),
    }
    return hashlib.sha256(rfc8785.dumps(record)).hexdigest()


def test_the_hierarchy_of_a_code_nobody_was_diagnosed_with(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    nstemi = doctor.data(DISEASE, {"c": "i214"})["disease"]
    assert nstemi["code"] == "I21.4" and nstemi["system"] == ICD10
    assert nstemi["display"] == "Non-ST elevation (NSTEMI) myocardial infarction"
    assert nstemi["parents"] == [{"system": ICD10, "code": "I21",
                                  "display": "Acute myocardial infarction"}]
    assert nstemi["children"] == [] and nstemi["treatedBy"] == []
    assert nstemi["recordHash"] is None and nstemi["anchor"] is None

    infarction = doctor.data(DISEASE, {"c": "I21"})["disease"]
    assert [p["code"] for p in infarction["parents"]] == ["I20-I25"]
    assert {"I21.0", "I21.4", "I21.9"} <= {c["code"] for c in infarction["children"]}

    _patient_with(doctor, ["I21.4"])
    assert doctor.data(DISEASE, {"c": "I21.4"})["disease"] == nstemi, \
        "a diagnosis creates the node, and the answer stays the same"


def test_unknown_codes_and_callers(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    assert doctor.error(DISEASE, {"c": "XYZ.9"})["extensions"]["code"] == "NOT_FOUND"
    assert admin.error(GENERATE, {"c": "XYZ.9"})["extensions"]["code"] == "NOT_FOUND"
    assert api.error(DISEASE, {"c": "I21.4"})["extensions"]["code"] == "UNAUTHENTICATED"

    crew, _ = api.staff(admin, "TRANSPORT")
    assert crew.data(DISEASE, {"c": "I21.4"})["disease"]["code"] == "I21.4"
    refused: list[tuple[Api, str, dict[str, Any]]] = [
        (doctor, GENERATE, {"c": "I21.4"}),
        (doctor, RECORDS, {"first": 5}),
        (crew, RESULTS, {}),
    ]
    for caller, query, variables in refused:
        assert caller.error(query, variables)["extensions"]["code"] == "FORBIDDEN"


def test_co_occurrence_counts_only_the_patients_the_caller_may_read(api: Api, admin: Api) -> None:
    cardiology, _ = api.staff(admin, "PHYSICIAN")
    pulmonology, _ = api.staff(admin, "PHYSICIAN")
    _patient_with(cardiology, ["I21.4", "E11.9"])
    _patient_with(cardiology, ["I21.4", "E11.9"])
    _patient_with(pulmonology, ["I21.4", "J18.9"])

    def co_occurring(caller: Api) -> list[tuple[str, int]]:
        found = caller.data(CO_OCCURRING, {"c": "I21.4"})["disease"]["coOccurring"]
        return [(c["disease"]["code"], c["patients"]) for c in found]

    assert co_occurring(cardiology) == [("E11.9", 2)]
    assert co_occurring(pulmonology) == [("J18.9", 1)]
    assert co_occurring(admin) == [("E11.9", 2), ("J18.9", 1)]

    admin.data("mutation($i: AuditorInput!) { createAuditor(input: $i) { user { id } } }",
               {"i": {"username": "auditor.one", "password": STAFF_PASSWORD,
                      "displayName": "Synthetic Auditor"}})
    auditor = api.login("auditor.one", STAFF_PASSWORD)
    body = auditor.post(CO_OCCURRING, {"c": "I21.4"})
    assert body["data"]["disease"] == {"code": "I21.4", "coOccurring": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["path"] == ["disease", "coOccurring"]


def test_the_record_hash_is_deterministic_and_follows_the_record(
    api: Api, admin: Api, client: TestClient,
) -> None:
    first = admin.data(GENERATE, {"c": "I21.4"})["generateDiseaseHash"]
    again = admin.data(GENERATE, {"c": "I21.4"})["generateDiseaseHash"]
    assert first["recordHash"] == again["recordHash"]
    assert again["anchor"]["seq"] > first["anchor"]["seq"]
    assert again["disease"] == {"code": "I21.4", "recordHash": again["recordHash"],
                                "anchor": {"seq": again["anchor"]["seq"]}}

    shown = admin.data(DISEASE, {"c": "I21.4"})["disease"]
    assert _recomputed_hash(shown) == first["recordHash"]
    assert shown["anchor"] == {"seq": again["anchor"]["seq"],
                               "entryHash": again["anchor"]["entryHash"]}

    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    assert client.portal is not None
    client.portal.call(resources.recorder.record, DiseasesImported(
        source="icd10cm", batch=0, imported_by="test", at="2026-11-22T07:00:00.000Z", rows=(
            DiseaseRow(ICD10, "I25", "Chronic ischemic heart disease"),
            DiseaseRow(ICD10, "I21.4", shown["display"], "I25"))), "test")
    changed = admin.data(GENERATE, {"c": "I21.4"})["generateDiseaseHash"]
    assert changed["recordHash"] != first["recordHash"]
    reshown = admin.data(DISEASE, {"c": "I21.4"})["disease"]
    assert [p["code"] for p in reshown["parents"]] == ["I21", "I25"]
    assert _recomputed_hash(reshown) == changed["recordHash"]


def test_disease_records_page_by_key_and_prove_their_anchor(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    _patient_with(doctor, ["I21.4"])
    admin.data(GENERATE, {"c": "I21.4"})
    admin.data(GENERATE, {"c": "E11.9"})  # never diagnosed: the node is created for it
    _patient_with(doctor, ["J18.9"])  # the ledger grows past both anchors

    page = admin.data(RECORDS, {"first": 1})["diseaseRecords"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    rest = admin.data(RECORDS, {"first": 5, "after": page["pageInfo"]["endCursor"]})
    assert not rest["diseaseRecords"]["pageInfo"]["hasNextPage"]
    records = [e["node"] for e in page["edges"] + rest["diseaseRecords"]["edges"]]
    assert [r["disease"]["code"] for r in records] == ["E11.9", "I21.4"]

    admin_id = admin.data("{ me { id } }")["me"]["id"]
    for record in records:
        assert record["generatedBy"] == admin_id
        anchor = record["anchor"]
        assert record["treeSize"] > anchor["seq"] + 1, "proven against the current tree"
        proof = [bytes.fromhex(h) for h in record["inclusionProof"]]
        leaf, root = bytes.fromhex(anchor["entryHash"]), bytes.fromhex(record["rootHash"])
        assert merkle.verify_inclusion(leaf, anchor["seq"], record["treeSize"], proof, root)
        assert not merkle.verify_inclusion(hashlib.sha256(leaf).digest(), anchor["seq"],
                                           record["treeSize"], proof, root)


def test_disease_results_count_what_the_caller_may_read(api: Api, admin: Api) -> None:
    cardiology, _ = api.staff(admin, "PHYSICIAN")
    pulmonology, _ = api.staff(admin, "PHYSICIAN")
    _patient_with(cardiology, ["I21.4", "E11.9"], day="2026-11-20")
    _patient_with(cardiology, ["I21.4"], day="2026-11-21")
    _patient_with(cardiology, [], day="2026-11-21")
    _patient_with(pulmonology, ["J18.9"], day="2026-11-21")

    everything = admin.data(RESULTS)["diseaseResults"]
    assert everything["perDisease"] == [
        {"disease": {"code": "I21.4"}, "patients": 2},
        {"disease": {"code": "E11.9"}, "patients": 1},
        {"disease": {"code": "J18.9"}, "patients": 1},
    ]
    assert everything["perStage"] == [{"stage": "ADMISSION", "patients": 1},
                                      {"stage": "DIAGNOSIS", "patients": 3}]
    assert everything["overTime"] == [{"day": "2026-11-20", "diagnoses": 1},
                                      {"day": "2026-11-21", "diagnoses": 2}]

    mine = cardiology.data(RESULTS, {"from": "2026-11-21"})["diseaseResults"]
    assert mine["perDisease"] == [{"disease": {"code": "I21.4"}, "patients": 1}]
    assert mine["perStage"] == [{"stage": "ADMISSION", "patients": 1},
                                {"stage": "DIAGNOSIS", "patients": 1}]
    assert mine["overTime"] == [{"day": "2026-11-21", "diagnoses": 1}]

    window = admin.data(RESULTS, {"from": "2026-11-20T00:00:00Z",
                                  "to": "2026-11-21T00:00:00+00:00"})["diseaseResults"]
    assert window["overTime"] == [{"day": "2026-11-20", "diagnoses": 1}]
    bad = admin.error(RESULTS, {"from": "last week"})
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "from"}
