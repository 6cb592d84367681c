"""The one writer: what a check that reads the graph before recording may rely on."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.resources import Resources
from api.twin.recorder import ProjectionFailed, UnstorableEvent, encoded_nul
from graph import projection, reads
from graph.events import Event, PatientAdmitted, encode
from tests import synthetic
from tests.api.conftest import make_settings
from tests.conftest import clear_neo4j

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
    size = resources.ledger.size
    before = await reads.twin(resources.store, reads.EVERYONE, patient_id)
    event = replace(synthetic.admission(patient_id, by=doctor.user_id),
                    chief_complaint="Chest pain\x00")
    with pytest.raises(UnstorableEvent, match="PatientAdmitted: a text holds a NUL character"):
        await resources.recorder.record(event, "test")
    assert resources.ledger.size == size
    assert await reads.twin(resources.store, reads.EVERYONE, patient_id) == before


@given(st.text(alphabet="\x00\\u0a") | st.text())
def test_a_nul_is_found_in_any_text_however_it_is_escaped(text: str) -> None:
    event = replace(synthetic.admission("p", by="d"), chief_complaint=text)
    assert encoded_nul(encode(event)) == ("\x00" in text)


@pytest.fixture(params=["falkordb", "neo4j-local"])
async def opened(request: pytest.FixtureRequest, short_tmp: Path) -> AsyncIterator[Resources]:
    """Resources on the embedded store, or on a real Neo4j whose graph starts empty."""
    overrides = {}
    if request.param == "neo4j-local":
        uri = request.getfixturevalue("neo4j_local_uri")
        await clear_neo4j(uri)
        overrides["graph_url"] = uri
    resources = Resources(make_settings(short_tmp / uuid.uuid4().hex[:10], **overrides))
    await resources.open()
    yield resources
    await resources.close()
    if request.param == "neo4j-local":
        await clear_neo4j(uri)


async def test_concurrent_writes_share_transactions_and_each_caller_finds_its_own(
        opened: Resources) -> None:
    recorder, store = opened.recorder, opened.store
    doctor = synthetic.physician()
    await recorder.record(doctor, actor="test")
    admitted = [synthetic.admission(synthetic.new_id(), by=doctor.user_id) for _ in range(32)]

    async def admit(event: PatientAdmitted) -> int:
        anchor = await recorder.record(event, actor="test")
        # Answered only once its own event is in the graph, whatever the batch it was in.
        assert await store.read("patient_get", {"patient_id": event.patient_id})
        return anchor.seq

    seqs = await asyncio.gather(*(admit(e) for e in admitted))
    assert seqs == sorted(seqs) and len(set(seqs)) == len(admitted)
    assert await projection.cursor(store) == seqs[-1]
    assert 1 <= recorder.batches < len(admitted)


async def test_an_event_the_graph_refuses_is_refused_alone_in_its_batch(
        opened: Resources) -> None:
    recorder, store = opened.recorder, opened.store
    doctor = synthetic.physician()
    await recorder.record(doctor, actor="test")
    admitted = [synthetic.admission(synthetic.new_id(), by=doctor.user_id) for _ in range(8)]
    # The same username again under another id: the graph's unique constraint refuses it
    # (the command layer never records one; the recorder must still survive it).
    twin = replace(doctor, user_id=synthetic.new_id())
    events: list[Event] = [*admitted[:4], twin, *admitted[4:]]
    answers = await asyncio.gather(*(recorder.record(e, actor="test") for e in events),
                                   return_exceptions=True)
    assert isinstance(answers[4], ProjectionFailed)
    assert [a for a in answers if isinstance(a, BaseException)] == [answers[4]]
    for event in admitted:
        assert await store.read("patient_get", {"patient_id": event.patient_id})
    before = answers[3]
    assert not isinstance(before, BaseException)
    assert recorder.refused == [before.seq + 1]
