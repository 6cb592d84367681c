"""The one writer: what a check that reads the graph before recording may rely on."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from api.resources import Resources
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
