"""A patient's twin exported with its proofs (GDPR art. 20): the FHIR R4 Bundle, the signed
checkpoint, and every ledger entry naming the patient with its inclusion proof in that
checkpoint's tree, so that a third party checks it offline (`hdt ledger check-export`)."""

from __future__ import annotations

import asyncio
from typing import Any

from api.knowledge.fhir_export import export_patient
from api.twin import access_log
from api.twin.unit import Unit
from ledger import Ledger
from ledger.entry import b64, encode
from ledger.export_check import FORMAT


async def proven_export(unit: Unit, ledger: Ledger, patient_id: str) -> dict[str, Any]:
    """The export document, for a caller who may read the twin (the read is recorded)."""
    bundle = await access_log.recorded_read(unit, patient_id, ["export"],
                                            lambda: export_patient(unit.store, patient_id))
    seqs = list(unit.recorder.subjects.get(patient_id, ()))
    return await asyncio.to_thread(_document, ledger, patient_id, bundle, seqs)


def _document(ledger: Ledger, patient_id: str, bundle: dict[str, Any],
              seqs: list[int]) -> dict[str, Any]:
    head = ledger.checkpoint()
    entries = [{"seq": seq, "entry": b64(encode(ledger.entry(seq))),
                "inclusion_proof": [h.hex() for h in ledger.inclusion_proof(seq, head.tree_size)]}
               for seq in seqs if seq < head.tree_size]
    return {"format": FORMAT, "patient_id": patient_id, "bundle": bundle,
            "checkpoint": head.note, "entries": entries}
