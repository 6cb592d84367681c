"""The one writer: what a check that reads the graph before recording may rely on."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.resources import Resources
from api.twin.recorder import UnstorableEvent, encoded_nul
from graph import reads
from graph.events import encode
from tests import synthetic
from tests.api.conftest import make_settings

pytestmark = pytest.mark.anyio


async def test_a_write_whose_caller_went_away_is_in_the_graph_once_caught_up(
    short_tmp: Path,
) -> None:
    """A request cancelled after its append leaves the event to be projected; a prescription
    checked next for interactions must see it, so `caught_up` waits for it."""
    resources = Resources(make_settings(short_tmp / "cancelled"))
    await resources.open()
    try:
        recorder = resources.recorder
        doctor = synthetic.physician()
        await recorder.record(doctor, actor="test")
        admitted = [synthetic.admission(synthetic.new_id(), by=doctor.user_id)
                    for _ in range(20)]
        callers = [asyncio.create_task(recorder.record(e, actor="test")) for e in admitted]
        await asyncio.sleep(0)  # each has appended and now waits for the graph
        for caller in callers:
            caller.cancel()
        await recorder.caught_up()
        for event in admitted:
            assert await resources.store.read("patient_get", {"patient_id": event.patient_id})
    finally:
        await resources.close()


async def test_a_nul_that_slips_past_the_commands_is_refused_before_the_ledger(
        resources: Resources) -> None:
    """The last line of defence: an event the graph would refuse never reaches the ledger,
    which would otherwise hold an entry that the twin never shows."""
    doctor = synthetic.physician(f"dr.{synthetic.new_id()[:8]}")
    await resources.recorder.record(doctor, actor="test")
    patient_id = synthetic.new_id()
    await resources.recorder.record(synthetic.admission(patient_id, by=doctor.user_id), "test")
    size, before = resources.ledger.size, await reads.twin(resources.store, patient_id)
    event = replace(synthetic.admission(patient_id, by=doctor.user_id),
                    chief_complaint="Chest pain\x00")
    with pytest.raises(UnstorableEvent, match="PatientAdmitted: a text holds a NUL character"):
        await resources.recorder.record(event, "test")
    assert resources.ledger.size == size
    assert await reads.twin(resources.store, patient_id) == before


@given(st.text(alphabet="\x00\\u0a") | st.text())
def test_a_nul_is_found_in_any_text_however_it_is_escaped(text: str) -> None:
    event = replace(synthetic.admission("p", by="d"), chief_complaint=text)
    assert encoded_nul(encode(event)) == ("\x00" in text)
