"""Erasing a patient (GDPR art. 17) with the ledger's chain intact.

The erasure is an anchored event of its own (`PatientErased`, under the erasures data key,
so that it still replays once the patient's key is gone). Recording it removes the
patient's nodes and leaves a tombstone; then the store's own files are rewritten so that
the deleted data is not left in them; last, the patient's data key is destroyed, so that
every ledger entry about them can no longer be read, and no replay or `hdt rebuild` can
bring them back. The order makes a crash safe: an erasure whose key still exists is
finished on the next start (`finish_erasures`).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from api.twin import validation as check
from api.twin.access import now_iso
from api.twin.errors import InvalidInput, NotFound
from api.twin.unit import Recorded, Unit, record
from graph import reads
from graph.events import PatientErased
from graph.store import GraphStore, StoreError
from ledger import Ledger

log = logging.getLogger(__name__)

MIN_REASON = 10

ErasesKey = Callable[[str], None]
"""Destroys a subject's data key (`Ledger.erase_subject`)."""


@dataclass(frozen=True)
class Erasure:
    recorded: Recorded
    store_files_rewritten: bool
    """False on a backend that cannot rewrite its files (Neo4j): the operator must act."""


async def erase_patient(unit: Unit, patient_id: str, reason: str) -> Erasure:
    """Erase the patient for good (ADMIN). The reason is anchored with the erasure, so it
    must not name the patient: a reason holding their name or record number is refused."""
    reason = check.text("reason", reason, 500, multiline=True)
    if len(reason) < MIN_REASON:
        raise InvalidInput("reason", f"state the grounds in at least {MIN_REASON} characters")
    async with unit.patient_changes(patient_id):
        row = await reads.patient(unit.store, patient_id)
        if row is None:
            raise NotFound(f"no patient {patient_id}")
        _refuse_identifying(reason, row["patient"])
        event = PatientErased(patient_id=patient_id, erased_by=unit.principal.user_id,
                              reason=reason, at=now_iso(),
                              seqs=tuple(unit.recorder.subjects.get(patient_id, ())))
        recorded = await record(unit, event, patient_id, patient_id)
        left = await reads.patient_nodes(unit.store, patient_id)
        if left:
            raise StoreError(f"erasure of {patient_id}: {left} nodes remain in the graph")
        rewritten = await forget(unit.store, unit.recorder.erase_subject, patient_id)
    return Erasure(recorded, rewritten)


async def forget(store: GraphStore, erase_key: ErasesKey, patient_id: str) -> bool:
    """The last two steps of an erasure, in their crash-safe order: the store's files, then
    the key (an erasure is finished on start while its key still exists)."""
    rewritten = await store.forget_deleted()
    if not rewritten:
        log.warning("the graph store keeps deleted data in its files until the operator "
                    "acts (README, Erasure)", extra={"event": "erasure.store_not_rewritten",
                                                     "backend": store.backend,
                                                     "patient_id": patient_id})
    erase_key(patient_id)
    log.info("patient erased", extra={"event": "erasure.done", "patient_id": patient_id})
    return rewritten


async def finish_erasures(ledger: Ledger, store: GraphStore) -> int:
    """Finish erasures a crash interrupted after their event was recorded: the store's files
    rewritten, the key destroyed. Returns how many were finished."""
    pending = sorted({entry.subjects[0] for entry in ledger.entries()
                      if entry.action == PatientErased.kind and entry.subjects
                      and not ledger.is_erased(entry.subjects[0])})
    for patient_id in pending:
        await forget(store, ledger.erase_subject, patient_id)
    return len(pending)


def _refuse_identifying(reason: str, patient: Mapping[str, Any]) -> None:
    folded = _fold(reason)
    for field in ("given_name", "family_name", "mrn", "contact_phone"):
        value = patient.get(field)
        if isinstance(value, str) and len(value) >= 2 and _fold(value) in folded:
            raise InvalidInput("reason", "the reason is kept with the erasure: it must not "
                                         "name the patient (name, record number, phone)")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()
