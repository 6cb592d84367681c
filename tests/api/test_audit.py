"""Auditing over GraphQL: metadata, signed checkpoints and proofs that verify offline, and never
a word of clinical content for the auditor."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.resources import Resources
from ledger.checkpoint import Checkpoint, open_checkpoint
from ledger.merkle import verify_consistency, verify_inclusion
from ledger.note import NoteVerifier
from ledger.verify import verify_ledger
from tests.api.conftest import STAFF_PASSWORD, Api
from tests.api.test_story import ASSIGN, DIAGNOSE, DISCHARGE, VITALS, admit_new_patient

GIVEN, FAMILY = "Ottoline", "Marchbanks"
COMPLAINT = "Crushing chest pain for 40 minutes"
FINDINGS = "ST depression V4-V6"
CLINICAL_WORDS = (GIVEN, FAMILY, COMPLAINT, FINDINGS, "penicillin")

CHECKPOINT = "{ ledgerCheckpoint ledgerPublicKey }"
ENTRIES = """
query($from: Int!, $first: Int!) {
  ledgerEntries(from: $from, first: $first) {
    seq time actor action subjects entryHash prevHash keySubject entryBytes } }"""
PROVENANCE = """
query($id: ID!, $from: Int! = 0, $first: Int! = 100) {
  provenance(nodeId: $id, from: $from, first: $first) {
    nodeId treeSize rootHash checkpoint nextFrom
    entries { entry { seq action subjects entryHash } inclusionProof treeSize rootHash } } }"""
CONSISTENCY = """
query($old: Int!, $new: Int) {
  consistencyProof(oldSize: $old, newSize: $new) {
    oldSize newSize oldRootHash newRootHash proof } }"""
VERIFY = "{ verifyLedger { ok treeSize rootHash firstBadSeq message seconds } }"
BREAK_GLASS = """
mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { anchor { seq } } }"""
ACCESSES = """
query($first: Int!, $after: String) {
  breakGlassAccesses(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id user { id username } patientId reason at expiresAt anchor { seq } } } } }"""


class RecordingApi(Api):
    """An auditor's caller that keeps every response's text, to search it for clinical words."""

    def __init__(self, client: TestClient, token: str | None) -> None:
        super().__init__(client, token)
        self.seen: list[str] = []

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = super().post(query, variables)
        self.seen.append(json.dumps(body, ensure_ascii=False))
        return body


def new_auditor(api: Api, admin: Api) -> RecordingApi:
    admin.data("mutation($i: AuditorInput!) { createAuditor(input: $i) { user { role } } }",
               {"i": {"username": "auditor.one", "password": STAFF_PASSWORD,
                      "displayName": "Synthetic Auditor"}})
    return RecordingApi(api.client, api.login("auditor.one", STAFF_PASSWORD).token)


def story(api: Api, admin: Api, discharge: bool = True) -> tuple[str, list[dict[str, Any]], Api]:
    """A short stay; the patient id, each step's anchor, and the physician caring for them."""
    crew, _ = api.staff(admin, "TRANSPORT")
    doctor, doctor_id = api.staff(admin, "PHYSICIAN")
    admitted = admit_new_patient(crew, patient={"givenName": GIVEN, "familyName": FAMILY,
                                                "birthDate": "1958-02-11", "sex": "FEMALE"},
                                 chiefComplaint=COMPLAINT)
    patient_id = admitted["patientId"]
    anchors = [admitted["anchor"]]
    full = "anchor { seq entryHash treeSize rootHash }"
    steps = [
        (crew, VITALS, {"i": {"patientId": patient_id, "vitals": [
            {"sign": "OXYGEN_SATURATION", "value": 93, "measuredAt": "2026-11-20T08:10:00Z"}]}}),
        (admin, ASSIGN, {"p": patient_id, "d": doctor_id}),
        (doctor, DIAGNOSE, {"i": {"patientId": patient_id, "diagnosedAt": "2026-11-20T08:40:00Z",
                                  "diseases": [{"code": "I21.4"}], "findings": FINDINGS}}),
    ]
    if discharge:
        steps.append((doctor, DISCHARGE, {"i": {"patientId": patient_id, "disposition": "HOME",
                                                "dischargedAt": "2026-11-24T10:00:00Z"}}))
    for caller, mutation, variables in steps:
        answer = caller.data(mutation.replace("anchor { seq }", full), variables)
        [result] = answer.values()
        anchors.append(result["anchor"])
    return patient_id, anchors, doctor


def signed(note: str, key: str) -> Checkpoint:
    """The checkpoint a note signs, checked with the verifier key alone."""
    return open_checkpoint(note, NoteVerifier.from_key_text(key))


def test_an_auditor_reads_ledger_metadata_but_no_clinical_record(api: Api, admin: Api) -> None:
    patient_id, anchors, _ = story(api, admin)
    auditor = new_auditor(api, admin)

    for query in ("query($p: ID!) { twin(patientId: $p) { patient { givenName } } }",
                  "{ patients(first: 5) { edges { node { id } } } }"):
        variables = {"p": patient_id} if "$p" in query else {}
        assert auditor.error(query, variables)["extensions"]["code"] == "FORBIDDEN"

    entries = auditor.data(ENTRIES, {"from": 0, "first": 100})["ledgerEntries"]
    assert [e["seq"] for e in entries] == list(range(len(entries)))
    assert all(e["prevHash"] == before["entryHash"] for before, e in pairwise(entries))
    story_entries = [e for e in entries if patient_id in e["subjects"]]
    assert [e["entryHash"] for e in story_entries] == [a["entryHash"] for a in anchors]
    assert [e["action"] for e in story_entries] == [
        "PatientAdmitted", "VitalsRecorded", "PhysicianAssigned", "DiagnosisRecorded",
        "PatientDischarged"]
    assert {e["keySubject"] for e in story_entries} == {patient_id}

    auditor.data(PROVENANCE, {"id": patient_id})
    auditor.data(CHECKPOINT)
    auditor.data(VERIFY)
    leaked = [w for w in CLINICAL_WORDS for text in auditor.seen if w in text]
    assert not leaked, f"clinical content reached the auditor: {leaked}"
    assert any(patient_id in text for text in auditor.seen), "the search above searched nothing"


def test_entry_bytes_hash_to_the_entry_hash_and_say_what_the_metadata_says(
    api: Api, admin: Api
) -> None:
    """An auditor recomputes each leaf hash from `entryBytes` and reads the metadata from the
    bytes the hash covers; the patient's data is in them only as ciphertext."""
    patient_id, anchors, _ = story(api, admin)
    auditor = new_auditor(api, admin)

    entries = auditor.data(ENTRIES, {"from": 0, "first": 100})["ledgerEntries"]
    assert {a["seq"] for a in anchors} <= {e["seq"] for e in entries}
    for e in entries:
        data = base64.b64decode(e["entryBytes"], validate=True)
        assert hashlib.sha256(b"\x00" + data).hexdigest() == e["entryHash"]
        parsed = json.loads(data)
        assert parsed["chain"] == {"seq": e["seq"], "time": e["time"],
                                   "prev": base64.b64encode(bytes.fromhex(e["prevHash"])).decode()}
        assert parsed["event"] == {"action": e["action"], "actor": e["actor"],
                                   "subjects": e["subjects"], "key_subject": e["keySubject"]}
        assert set(parsed["payload"]) == {"nonce", "ciphertext"}
        assert base64.b64decode(parsed["payload"]["ciphertext"], validate=True)
        leaked = [w for w in CLINICAL_WORDS if w.encode() in data]
        assert not leaked, f"entry {e['seq']} holds clinical content in clear: {leaked}"
    admitted = next(e for e in entries if e["seq"] == anchors[0]["seq"])
    assert admitted["action"] == "PatientAdmitted" and patient_id in admitted["subjects"]


def test_provenance_of_a_patient_proves_every_entry_against_a_signed_checkpoint(
    api: Api, admin: Api, data_dir: Path
) -> None:
    patient_id, anchors, _ = story(api, admin)
    auditor = new_auditor(api, admin)
    key = auditor.data(CHECKPOINT)["ledgerPublicKey"]
    assert key + "\n" == (data_dir / "ledger" / "keys" / "signing.pub").read_text()

    provenance = auditor.data(PROVENANCE, {"id": patient_id})["provenance"]

    assert [p["entry"]["seq"] for p in provenance["entries"]] == [a["seq"] for a in anchors]
    head = signed(provenance["checkpoint"], key)
    assert (head.tree_size, head.root_hash.hex()) == (provenance["treeSize"],
                                                      provenance["rootHash"])
    for item, anchor in zip(provenance["entries"], anchors, strict=True):
        leaf = bytes.fromhex(item["entry"]["entryHash"])
        assert item["entry"]["entryHash"] == anchor["entryHash"]
        assert (item["treeSize"], item["rootHash"]) == (head.tree_size, head.root_hash.hex())
        proof = [bytes.fromhex(h) for h in item["inclusionProof"]]
        assert verify_inclusion(leaf, item["entry"]["seq"], head.tree_size, proof,
                                head.root_hash)
        assert not verify_inclusion(leaf, item["entry"]["seq"] ^ 1, head.tree_size, proof,
                                    head.root_hash)
    assert provenance["nextFrom"] is None


def test_provenance_pages_by_seq(api: Api, admin: Api) -> None:
    patient_id, anchors, _ = story(api, admin)
    seqs = [a["seq"] for a in anchors]

    first = admin.data(PROVENANCE, {"id": patient_id, "first": 2})["provenance"]
    rest = admin.data(PROVENANCE, {"id": patient_id, "from": first["nextFrom"]})["provenance"]

    assert [p["entry"]["seq"] for p in first["entries"]] == seqs[:2]
    assert first["nextFrom"] == seqs[2]
    assert [p["entry"]["seq"] for p in rest["entries"]] == seqs[2:]
    assert admin.error(PROVENANCE, {"id": "no-such-node"})["extensions"]["code"] == "NOT_FOUND"


def test_a_consistency_proof_links_an_old_signed_checkpoint_to_a_newer_one(
    api: Api, admin: Api
) -> None:
    patient_id, _, doctor = story(api, admin, discharge=False)
    auditor = new_auditor(api, admin)
    before = auditor.data(CHECKPOINT)
    key = before["ledgerPublicKey"]
    doctor.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
        {"sign": "HEART_RATE", "value": 88, "measuredAt": "2026-11-24T09:00:00Z"}]}})
    old = signed(before["ledgerCheckpoint"], key)
    new = signed(auditor.data(CHECKPOINT)["ledgerCheckpoint"], key)
    assert new.tree_size > old.tree_size

    answer = auditor.data(CONSISTENCY, {"old": old.tree_size, "new": new.tree_size})
    proof = [bytes.fromhex(h) for h in answer["consistencyProof"]["proof"]]

    assert verify_consistency(old.tree_size, new.tree_size, old.root_hash, new.root_hash, proof)
    assert not verify_consistency(old.tree_size, new.tree_size, new.root_hash, new.root_hash,
                                  proof)


def test_the_same_tree_is_not_signed_twice(api: Api, admin: Api, data_dir: Path) -> None:
    """Polling `ledgerCheckpoint` must not grow checkpoints.log while nothing is appended."""
    history = data_dir / "ledger" / "checkpoints.log"
    first = admin.data(CHECKPOINT)["ledgerCheckpoint"]
    size = history.stat().st_size
    assert admin.data(CHECKPOINT)["ledgerCheckpoint"] == first
    assert history.stat().st_size == size


def test_the_server_signs_a_grown_tree_of_itself_once_the_interval_has_passed(
    api: Api, admin: Api, client: TestClient, data_dir: Path
) -> None:
    """No one asks for a checkpoint here: after a batch, the ledger's writer signs the tree
    it grew to when a second (the default interval) has passed since the last signature, so
    `ledgerGrew` and anyone watching the files see signed heads without polling."""
    patient_id, _, doctor = story(api, admin, discharge=False)
    ledger = (client.app.state.resources).ledger  # type: ignore[attr-defined]
    time.sleep(1.1)
    vitals = VITALS.replace("anchor { seq }", "anchor { seq treeSize rootHash }")
    grown = doctor.data(vitals, {"i": {"patientId": patient_id, "vitals": [
        {"sign": "HEART_RATE", "value": 72, "measuredAt": "2026-11-24T09:00:00Z"}]}}
    )["recordVitals"]["anchor"]
    deadline = time.monotonic() + 5  # persisted by the checkpoints thread, after the answer
    while (ledger.latest_checkpoint().tree_size < grown["treeSize"]
           and time.monotonic() < deadline):
        time.sleep(0.01)
    note = (data_dir / "ledger" / "checkpoint").read_text()
    head = signed(note, ledger.public_key_text())
    assert (head.tree_size, head.root_hash.hex()) == (grown["treeSize"], grown["rootHash"])


@pytest.mark.parametrize(("query", "variables", "field"), [
    (CONSISTENCY, {"old": -1}, "oldSize"),
    (CONSISTENCY, {"old": 1, "new": 0}, "oldSize"),
    (CONSISTENCY, {"old": 0, "new": -1}, "newSize"),
    (CONSISTENCY, {"old": 0, "new": 10_000}, "newSize"),
    (ENTRIES, {"from": -1, "first": 10}, "from"),
    (ENTRIES, {"from": 10_000, "first": 10}, "from"),
    (ENTRIES, {"from": 0, "first": 0}, "first"),
    (ENTRIES, {"from": 0, "first": 101}, "first"),
    (PROVENANCE, {"id": "x", "from": -1}, "from"),
    (PROVENANCE, {"id": "x", "first": 0}, "first"),
    (PROVENANCE, {"id": "x", "first": 501}, "first"),
])
def test_bad_sizes_are_bad_user_input(
    admin: Api, query: str, variables: dict[str, Any], field: str
) -> None:
    error = admin.error(query, variables)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, error


@pytest.mark.parametrize("query", [
    CHECKPOINT, VERIFY, "{ ledgerEntries { seq } }", "{ consistencyProof(oldSize: 0) { proof } }",
    '{ provenance(nodeId: "x") { treeSize } }', "{ breakGlassAccesses { totalCount } }",
    "{ cosignedCheckpoint { treeSize } }", "{ witnesses { name } }",
])
def test_ledger_reads_are_for_admins_and_auditors(api: Api, admin: Api, query: str) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    assert doctor.error(query)["extensions"]["code"] == "FORBIDDEN"
    assert api.error(query)["extensions"]["code"] == "UNAUTHENTICATED"


def test_without_witnesses_no_checkpoint_is_cosigned(api: Api, admin: Api) -> None:
    auditor = new_auditor(api, admin)
    assert auditor.data("{ cosignedCheckpoint { treeSize } witnesses { name } }") == {
        "cosignedCheckpoint": None, "witnesses": []}


def test_verify_ledger_checks_the_whole_live_ledger(api: Api, admin: Api) -> None:
    story(api, admin)
    auditor = new_auditor(api, admin)
    checkpoint = signed(auditor.data(CHECKPOINT)["ledgerCheckpoint"],
                        auditor.data(CHECKPOINT)["ledgerPublicKey"])

    report = auditor.data(VERIFY)["verifyLedger"]

    assert report["ok"] and report["firstBadSeq"] is None, report
    assert report["treeSize"] >= checkpoint.tree_size > 0
    assert report["message"].startswith("ledger verified")
    assert 0 <= report["seconds"] < 60


def test_verify_ledger_sees_past_a_batch_still_being_written(
    api: Api, admin: Api, client: TestClient, data_dir: Path
) -> None:
    """Mid-batch, the files run ahead of the durable size: a frame half written, tree nodes and
    a checkpoint record being appended. Read whole, that is damage; the server verifies the
    durable prefix instead."""
    story(api, admin)
    ledger = (client.app.state.resources).ledger  # type: ignore[attr-defined]
    directory = data_dir / "ledger"
    size = ledger.size
    for name, partial in (("entries.log", b"\x00\x00\x01\x00\x12"), ("tree.bin", b"\x07" * 64),
                          ("checkpoints.log", b"\x00\x00\x00\x40")):
        with (directory / name).open("ab") as f:
            f.write(partial)
    assert not verify_ledger(directory).ok, "the files do look damaged when read whole"

    report = admin.data(VERIFY)["verifyLedger"]

    assert report["ok"], report
    assert (report["treeSize"], report["rootHash"]) == (size, ledger.root_hash(size).hex())


def test_verify_ledger_runs_while_the_server_appends(
    api: Api, admin: Api, client: TestClient
) -> None:
    patient_id, _, doctor = story(api, admin, discharge=False)
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    stop = threading.Event()

    def append() -> None:
        value = 60
        while not stop.is_set():
            value = 60 + (value - 59) % 60
            doctor.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
                {"sign": "HEART_RATE", "value": value, "measuredAt": "2026-11-24T09:00:00Z"}]}})

    writer = threading.Thread(target=append)
    writer.start()
    try:
        reports = [admin.data(VERIFY)["verifyLedger"] for _ in range(15)]
    finally:
        stop.set()
        writer.join()

    assert all(r["ok"] for r in reports), [r["message"] for r in reports if not r["ok"]]
    sizes = [r["treeSize"] for r in reports]
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0], sizes
    assert resources.ledger.size > sizes[0]


def test_break_glass_accesses_are_listed_for_auditors_with_their_reason(
    api: Api, admin: Api
) -> None:
    patient_id, _, _ = story(api, admin)
    outsider, outsider_id = api.staff(admin, "PHYSICIAN")
    reasons = ["Unconscious on arrival, no physician on call", "Cardiac arrest on the ward"]
    seqs = [outsider.data(BREAK_GLASS, {"p": patient_id, "r": r})["breakGlass"]["anchor"]["seq"]
            for r in reasons]
    auditor = new_auditor(api, admin)

    page = auditor.data(ACCESSES, {"first": 1})["breakGlassAccesses"]
    after = auditor.data(ACCESSES, {"first": 5, "after": page["pageInfo"]["endCursor"]}
                         )["breakGlassAccesses"]

    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert not after["pageInfo"]["hasNextPage"]
    listed = [e["node"] for e in page["edges"] + after["edges"]]
    assert {(a["reason"], a["anchor"]["seq"]) for a in listed} == set(
        zip(reasons, seqs, strict=True))
    assert [(a["at"], a["id"]) for a in listed] == sorted(
        [(a["at"], a["id"]) for a in listed], reverse=True), "newest first"
    for access in listed:
        assert access["user"]["id"] == outsider_id and access["patientId"] == patient_id
        assert access["expiresAt"] > access["at"]
