"""Checking a patient's proven export offline (GDPR art. 20): that its ledger entries are in
the log a signed checkpoint commits to, with nothing but the export and a public key.

The export (`hdt-proven-export/1`, JSON) holds the patient's twin as a FHIR R4 Bundle, the
signed checkpoint, and each entry naming the patient: its canonical bytes and its inclusion
proof in the checkpoint's tree. A third party checks the signature, recomputes each leaf
hash from the bytes (RFC 6962: SHA-256(0x00 || bytes)), climbs its audit path to the signed
root, and reads from the bytes that the entry names the patient; then that every resource of
the bundle is named by some proven entry (its id, or the patient's own), so that nothing in
the bundle lacks an anchor. Entry payloads are ciphertext: the proof is that these entries,
in this order, are in the log; the bundle is what the twin built from them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ledger.checkpoint import open_checkpoint
from ledger.entry import decode
from ledger.errors import InvalidProof, LedgerError
from ledger.proof_check import check_inclusion
from ledger.rfc6962 import leaf_hash
from ledger.verify import load_verifier

FORMAT = "hdt-proven-export/1"


@dataclass(frozen=True, slots=True)
class ExportReport:
    ok: bool
    message: str
    tree_size: int = 0
    entries: int = 0
    resources: int = 0


def check_export(document: Mapping[str, Any], public_key: str,
                 origin: str | None = None) -> ExportReport:
    """The verdict on an export, naming the first thing that fails. `origin` defaults to the
    checkpoint's own first line (the signature covers it)."""
    try:
        if origin is None:
            origin = str(document["checkpoint"]).split("\n", 1)[0]
        return _check(document, public_key, origin)
    except (LedgerError, InvalidProof, ValueError, KeyError, TypeError, binascii.Error) as exc:
        return ExportReport(False, f"{type(exc).__name__}: {exc}")


def _check(document: Mapping[str, Any], public_key: str, origin: str) -> ExportReport:
    if document.get("format") != FORMAT:
        return ExportReport(False, f"not an {FORMAT} document")
    patient_id = str(document["patient_id"])
    head = open_checkpoint(str(document["checkpoint"]), load_verifier(public_key, origin),
                           origin)
    named: set[str] = set()
    last = -1
    for item in document["entries"]:
        data = base64.b64decode(item["entry"], validate=True)
        leaf = leaf_hash(data)
        entry = decode(data, leaf)
        seq = int(item["seq"])
        if entry.seq != seq or seq <= last:
            return ExportReport(False, f"entry {seq}: its bytes say seq {entry.seq}, or it is "
                                       "out of order")
        last = seq
        if patient_id not in entry.subjects:
            return ExportReport(False, f"entry {seq} does not name the patient")
        proof = [bytes.fromhex(h) for h in item["inclusion_proof"]]
        check_inclusion(leaf, seq, head.tree_size, proof, head.root_hash)
        named.update(entry.subjects)
    bundle = document["bundle"]
    resources = [e["resource"] for e in bundle.get("entry", [])]
    for resource in resources:
        if resource["resourceType"] in {"Practitioner", "Medication"}:
            continue  # staff and catalogue, not the patient's record
        if resource["id"] not in named and resource["id"] != patient_id:
            return ExportReport(False, f"{resource['resourceType']}/{resource['id']} is in no "
                                       "proven entry")
    return ExportReport(True, f"{len(document['entries'])} entries proven in the signed tree "
                              f"of {head.tree_size}; {len(resources)} resources anchored",
                        head.tree_size, len(document["entries"]), len(resources))


def load(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    return document
