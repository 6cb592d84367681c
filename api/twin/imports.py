"""The import command: history from another system (a FHIR bundle, already mapped to events)
recorded through the one writer, after the API's rules where they apply to history.

The mapping (api/knowledge/fhir_mapping.py) checks codes, numbers and texts with the
mutations' own checks (api/twin/validation.py); what is left to the command is what every
write must meet: an administrator's act, only the events an import may record, each
patient-scoped one for a patient the twin has, each resource kept within the size a request
may carry. A refused batch records nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import get_args

from api.twin.access import ADMINS, Principal, require
from api.twin.errors import InvalidInput
from api.twin.recorder import Recorder
from graph.events import Event
from graph.fhir_events import ImportedEvent, PatientImported
from ledger import Anchor

IMPORTED = get_args(ImportedEvent)
"""The events an import records (graph/fhir_events.py)."""
MAX_RESOURCE_CHARS = 1_000_000
"""A resource kept whole is at most this long (a request to the API is smaller still)."""
CONCURRENT_APPENDS = 256
"""Appends in flight at once: the ledger makes them durable together (group commit)."""


def check(events: Sequence[Event], known: Callable[[str], bool]) -> None:
    """Raise InvalidInput, naming the event at fault, unless every event may be recorded.
    `known` says whether a node id is in the ledger already."""
    patients = {e.patient_id for e in events if isinstance(e, PatientImported)}
    for i, event in enumerate(events):
        where = f"events[{i}] ({event.kind})"
        if not isinstance(event, IMPORTED):
            raise InvalidInput(where, "is not history an import may record")
        resource = getattr(event, "resource", "")
        if len(resource) > MAX_RESOURCE_CHARS:
            raise InvalidInput(f"{where}.resource",
                               f"must be at most {MAX_RESOURCE_CHARS} characters")
        patient = getattr(event, "patient_id", None)
        if patient is not None and patient not in patients and not known(patient):
            raise InvalidInput(f"{where}.patient_id", "names no patient of the import or of "
                                                      "the twins")


async def record_history(recorder: Recorder, principal: Principal, events: Sequence[Event],
                         progress: Callable[[int], None] | None = None) -> list[Anchor]:
    """Record the events in their order, many appends in flight at once; `progress` hears
    how many are recorded so far. Durable and in the graph when this returns."""
    require(principal, ADMINS)
    check(events, lambda node: node in recorder.subjects)
    anchors: list[Anchor] = []
    for start in range(0, len(events), CONCURRENT_APPENDS):
        chunk = events[start:start + CONCURRENT_APPENDS]
        anchors.extend(await asyncio.gather(*[recorder.record(event, actor=principal.user_id)
                                              for event in chunk]))
        if progress is not None:
            progress(len(anchors))
    return anchors
