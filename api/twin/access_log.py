"""The access history of a twin (GDPR art. 15, HIPAA §164.312(b)): every read, by anyone, is
a `TwinRead` ledger entry (who, when, which sections, on what grounds), so it has the
ledger's tamper evidence (hash chain, Merkle tree, signed checkpoints) and is erased with
the patient (it is under their data key).

The entry is appended while the twin is being read, not before: the ledger's one writer
groups concurrent appends into one fsync (group commit), and the read answers once both
the twin is read and its record is durable and projected, as every entry is acknowledged
(so the graph never lags the ledger behind an answer). A read whose record fails is not
answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from api.twin.access import Principal, Role, check_patient, now_iso, unknown_patient
from api.twin.errors import Forbidden
from api.twin.recorder import Recorder
from api.twin.unit import Unit
from graph import reads
from graph.patient_events import TwinRead
from graph.store import GraphStore
from ledger import Anchor

T = TypeVar("T")

HISTORY_READERS = frozenset({Role.ADMIN, Role.AUDITOR, Role.PATIENT})


async def recorded_read(unit: Unit, patient_id: str, sections: Sequence[str],
                        read: Callable[[], Awaitable[T]]) -> T:
    """Check the caller may read the twin, then read it and record the read together."""
    principal = unit.principal
    grounds = await check_patient(unit.store, principal, patient_id)
    event = TwinRead(access_id=unit.new_id(), patient_id=patient_id,
                     reader_id=principal.user_id, reader_role=principal.role.value,
                     grounds=grounds.value, sections=tuple(sorted(set(sections))),
                     at=now_iso())
    result, _ = await asyncio.gather(read(), _record(unit.recorder, event, principal))
    return result


async def _record(recorder: Recorder, event: TwinRead, principal: Principal) -> Anchor:
    return await recorder.record(event, actor=principal.user_id)


async def check_history_reader(store: GraphStore, principal: Principal, patient_id: str) -> None:
    """A patient reads their own history; an administrator or an auditor anyone's (an
    auditor sees who read, when and why, never the twin itself)."""
    if principal.role not in HISTORY_READERS:
        raise Forbidden("the access history is for the patient, administrators and auditors")
    if principal.role is Role.PATIENT:
        if patient_id not in principal.granted:
            raise unknown_patient(principal, patient_id)
        return
    if await reads.patient(store, patient_id) is None:
        raise unknown_patient(principal, patient_id)
