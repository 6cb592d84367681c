"""What every command works with: the graph it reads, the one writer it records through, and
who is asking. Built per request by the GraphQL edge, and by the demo for its staff."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from api.twin.access import Principal, scope, unknown_patient
from api.twin.errors import Conflict
from api.twin.recorder import Recorder
from graph import reads
from graph.events import Event
from graph.rows import PatientStateRow
from graph.store import GraphStore
from ledger import Anchor


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Unit:
    store: GraphStore
    recorder: Recorder
    principal: Principal
    patient_changes: Callable[[str], AbstractAsyncContextManager[None]]
    """Held while a patient's medications are checked and a change to them recorded
    (`Resources.patient_changes`)."""
    new_id: Callable[[], str] = field(default=new_id)
    """Ids of what a command creates: random, or drawn from a seed (the demo)."""


@dataclass(frozen=True)
class Recorded:
    """What a command recorded: durable in the ledger and applied to the graph."""

    node_id: str
    """The node the command created or changed."""
    patient_id: str
    anchor: Anchor
    warnings: tuple[str, ...] = ()


async def record(unit: Unit, event: Event, node_id: str, patient_id: str,
                 warnings: tuple[str, ...] = ()) -> Recorded:
    """Append the event as the principal's, wait until it is in the graph, and say where."""
    anchor = await unit.recorder.record(event, actor=unit.principal.user_id)
    return Recorded(node_id, patient_id, anchor, warnings)


async def patient_state(unit: Unit, patient_id: str, open_stay: bool = True) -> PatientStateRow:
    """The patient's state, after checking the caller may act on them (in the same read);
    with `open_stay`, refuse patients that are not currently admitted."""
    row = await reads.patient_state(unit.store, scope(unit.principal), patient_id)
    if row is None:
        raise unknown_patient(unit.principal, patient_id)
    if open_stay and row["patient"]["status"] != "ADMITTED":
        raise Conflict("the patient is discharged; admit them again first")
    return row


def after_last_stage(row: PatientStateRow) -> str | None:
    last = row["last_stage"]
    return last["at"] if last else None
