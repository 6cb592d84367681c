"""The import command: history from another system (a FHIR bundle, already mapped to events)
recorded through the one writer, after the API's rules where they apply to history.

The mapping (api/knowledge/fhir_mapping.py) checks codes, numbers and texts with the
mutations' own checks (api/twin/validation.py); what is left to the command is what every
write must meet: an administrator's act, only the events an import may record, each
patient-scoped one for a patient the twin has, each resource kept within the size a request
may carry, each event within one ledger entry that a tlog-tiles entry bundle carries. A
refused batch records nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import get_args

from api.twin.access import ADMINS, Principal, require
from api.twin.errors import InvalidInput
from api.twin.recorder import Recorder
from graph.events import Event, encode
from graph.fhir_events import ImportedEvent, PatientImported
from ledger import MAX_ENTRY, Anchor
from ledger.entry import MAX_SEQ, entry_size, event_bytes

IMPORTED = get_args(ImportedEvent)
"""The events an import records (graph/fhir_events.py)."""
CONCURRENT_APPENDS = 256
"""Appends in flight at once: the ledger makes them durable together (group commit)."""


def entry_length(event: Event, actor: str) -> int:
    """The length of the ledger entry that would record `event` for `actor` (at the widest
    seq): what the ledger would refuse is known before anything of a batch is recorded."""
    meta = event_bytes(actor, event.kind, event.subjects, event.key_subject)
    return entry_size(len(meta), len(encode(event)), MAX_SEQ)


def too_large(event: Event, actor: str) -> str | None:
    """Why `event` cannot be one ledger entry, or None if it can. The bound is the entry's,
    not the resource's: a resource is JSON held as a JSON string (each quote escaped), sealed
    and base64'd (4/3), beside the event's other fields, so about 45,000 characters of
    resource fit where a Provenance listing many targets may not."""
    length = entry_length(event, actor)
    if length <= MAX_ENTRY:
        return None
    return (f"would be a ledger entry of {length} bytes, more than the {MAX_ENTRY} a "
            f"tlog-tiles entry bundle carries")


def check(events: Sequence[Event], known: Callable[[str], bool], actor: str) -> None:
    """Raise InvalidInput, naming the event at fault, unless every event may be recorded by
    `actor`. `known` says whether a node id is in the ledger already."""
    patients = {e.patient_id for e in events if isinstance(e, PatientImported)}
    for i, event in enumerate(events):
        where = f"events[{i}] ({event.kind})"
        if not isinstance(event, IMPORTED):
            raise InvalidInput(where, "is not history an import may record")
        oversized = too_large(event, actor)
        if oversized is not None:
            raise InvalidInput(where, oversized)
        patient = getattr(event, "patient_id", None)
        if patient is not None and patient not in patients and not known(patient):
            raise InvalidInput(f"{where}.patient_id", "names no patient of the import or of "
                                                      "the twins")


async def record_history(recorder: Recorder, principal: Principal, events: Sequence[Event],
                         progress: Callable[[int], None] | None = None) -> list[Anchor]:
    """Record the events in their order, many appends in flight at once; `progress` hears
    how many are recorded so far. Durable and in the graph when this returns."""
    require(principal, ADMINS)
    check(events, lambda node: node in recorder.subjects, principal.user_id)
    anchors: list[Anchor] = []
    for start in range(0, len(events), CONCURRENT_APPENDS):
        chunk = events[start:start + CONCURRENT_APPENDS]
        anchors.extend(await asyncio.gather(*[recorder.record(event, actor=principal.user_id)
                                              for event in chunk]))
        if progress is not None:
            progress(len(anchors))
    return anchors
