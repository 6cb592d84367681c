"""A patient's export with proofs (GDPR art. 20): the bundle validates as FHIR R4, and a third
party holding only the export and the ledger's public key checks it offline with
`hdt ledger check-export`; a changed byte, a missing entry or another key fails it."""

from __future__ import annotations

import base64
import copy
import json
import subprocess
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fhirclient.models.bundle import Bundle

from ledger.note import NoteVerifier
from tests.api.conftest import Api
from tests.api.live import HDT
from tests.api.test_patient_role import ward
from tests.api.test_story import DIAGNOSE, VITALS

EXPORT = "query($p: ID!) { exportProven(patientId: $p) }"


def check(tmp: Path, document: dict[str, Any], key: Path) -> subprocess.CompletedProcess[str]:
    path = tmp / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return subprocess.run([HDT, "ledger", "check-export", str(path), "--public-key", str(key)],
                          capture_output=True, text=True, timeout=120)


def test_the_export_validates_and_its_proofs_verify_offline(
        api: Api, admin: Api, data_dir: Path, short_tmp: Path) -> None:
    patient, mine, _ = ward(api, admin)
    doctor, doctor_id = api.staff(admin, "PHYSICIAN")
    admin.data("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, physicianId: $d) "
               "{ id } }", {"p": mine, "d": doctor_id})
    doctor.data(VITALS, {"i": {"patientId": mine, "vitals": [
        {"sign": "OXYGEN_SATURATION", "value": 95, "measuredAt": "2026-11-20T08:10:00Z"}]}})
    doctor.data(DIAGNOSE, {"i": {"patientId": mine, "diagnosedAt": "2026-11-20T08:40:00Z",
                                 "diseases": [{"code": "I21.4"}], "findings": "ST depression"}})
    document = json.loads(patient.data(EXPORT, {"p": mine})["exportProven"])
    Bundle(document["bundle"], strict=True)  # raises on anything not FHIR R4
    kinds = {e["resource"]["resourceType"] for e in document["bundle"]["entry"]}
    assert {"Patient", "Encounter", "Observation", "Condition"} <= kinds
    assert len(document["entries"]) >= 5

    key = data_dir / "ledger" / "keys" / "signing.pub"
    ok = check(short_tmp, document, key)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "entries proven" in ok.stdout

    changed = copy.deepcopy(document)
    raw = bytearray(base64.b64decode(changed["entries"][1]["entry"]))
    raw[-5] ^= 1
    changed["entries"][1]["entry"] = base64.b64encode(bytes(raw)).decode()
    assert check(short_tmp, changed, key).returncode == 1

    missing = copy.deepcopy(document)
    del missing["entries"][0]  # the admission, which names the Encounter
    failed = check(short_tmp, missing, key)
    assert failed.returncode == 1 and "in no proven entry" in failed.stderr + failed.stdout

    # Another key under the same name: the signature does not verify.
    name = NoteVerifier.from_key_text(key.read_text().strip()).name
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    other_key = short_tmp / "other.pub"
    other_key.write_text(NoteVerifier(name, other).key_text() + "\n")
    assert check(short_tmp, document, other_key).returncode == 1


def test_export_of_another_patient_is_answered_as_unknown(api: Api, admin: Api) -> None:
    patient, _, other = ward(api, admin)
    unknown = patient.error(EXPORT, {"p": "00000000-0000-4000-8000-000000000000"})
    hidden = patient.error(EXPORT, {"p": other})
    assert hidden["extensions"] == unknown["extensions"]
