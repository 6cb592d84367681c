"""A whole graph reads back the same, in the same order, on every backend; two graphs compare
element by element, each difference named with the seq that last wrote it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from graph import projection, snapshot
from graph.events import UserStatusChanged
from graph.falkordb_store import FalkorStore
from graph.knowledge_events import DiseaseRow, DiseasesImported
from graph.snapshot import Difference, Node, Relationship
from graph.store import GraphStore
from tests import synthetic

pytestmark = pytest.mark.anyio

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"


@pytest.fixture
async def expected(falkordb_socket: Path) -> AsyncIterator[GraphStore]:
    """A second graph on the session's embedded store, to compare the backend under test with."""
    other = FalkorStore(socket=falkordb_socket, graph_name="snapshot-expected")
    await other.open()
    await other.clear()
    yield other
    await other.clear()
    await other.close()


async def _apply(stores: list[GraphStore], events: list[Any], first_seq: int = 0) -> None:
    for seq, event in enumerate(events, start=first_seq):
        for store in stores:
            await projection.apply(store, event, seq)


def _ward() -> tuple[list[Any], str, str]:
    """A physician, a crew, and a patient brought in, diagnosed, treated and operated on."""
    doctor, crew = synthetic.physician(), synthetic.crew()
    patient_id = synthetic.new_id()
    admitted = synthetic.admission(patient_id, by=doctor.user_id, crew_id=crew.user_id)
    diagnosis = synthetic.diagnosis(patient_id, doctor.user_id)
    events = [doctor, crew, admitted, diagnosis,
              synthetic.prescription(patient_id, doctor.user_id, diagnosis.stage_id),
              synthetic.surgery(patient_id, doctor.user_id)]
    return events, doctor.user_id, patient_id


async def _all_nodes(store: GraphStore, page_size: int) -> list[list[Node]]:
    return [group async for group in snapshot.nodes(store, page_size)]


async def _all_relationships(store: GraphStore, page_size: int) -> list[list[Relationship]]:
    return [group async for group in snapshot.relationships(store, page_size)]


async def test_an_empty_graph_has_nothing_to_read(store: GraphStore) -> None:
    assert await snapshot.size(store) == (0, 0)
    assert await _all_nodes(store, 10) == []
    assert await _all_relationships(store, 10) == []


async def test_nodes_come_in_whole_groups_in_identity_order(store: GraphStore) -> None:
    events, doctor_id, patient_id = _ward()
    await _apply([store], events)
    groups = await _all_nodes(store, snapshot.PAGE_SIZE)
    identities = [group[0].identity for group in groups]
    assert identities == sorted(identities) and len(set(identities)) == len(identities)
    assert all(node.identity == group[0].identity for group in groups for node in group)
    by_identity = {group[0].identity: group for group in groups}
    assert sorted(node.labels for node in by_identity[doctor_id]) == [("Physician",), ("User",)]
    [patient] = by_identity[patient_id]
    assert patient.labels == ("Patient",) and patient.seq == 5
    assert ("Admission", "Stage") in {n.labels for group in groups for n in group}
    assert by_identity["projection"][0].properties == {"id": "projection", "seq": 5}
    assert all(v is not None for group in groups for n in group for v in n.properties.values())
    nodes, _ = await snapshot.size(store)
    assert sum(len(group) for group in groups) == nodes


async def test_small_pages_read_the_same_graph(store: GraphStore) -> None:
    """Pages of one row split every group of two (a user and their profile): the group is
    read again, whole, with a larger page."""
    events, _, _ = _ward()
    await _apply([store], events)
    assert await _all_nodes(store, 1) == await _all_nodes(store, snapshot.PAGE_SIZE)
    assert await _all_nodes(store, 3) == await _all_nodes(store, snapshot.PAGE_SIZE)
    assert await _all_relationships(store, 1) == await _all_relationships(store, 1000)
    assert await _all_relationships(store, 4) == await _all_relationships(store, 1000)


async def test_relationships_name_both_ends(store: GraphStore) -> None:
    events, doctor_id, patient_id = _ward()
    await _apply([store], events)
    found = [r for group in await _all_relationships(store, 100) for r in group]
    assert len(found) == (await snapshot.size(store))[1]
    acts_as = {(r.start, r.start_labels, r.end, r.end_labels) for r in found
               if r.type == "ACTS_AS"}
    assert (doctor_id, ("User",), doctor_id, ("Physician",)) in acts_as
    cares = [r for r in found if r.type == "CARES_FOR"]
    assert [(r.start, r.end) for r in cares] == [(doctor_id, patient_id)]
    [diagnosed] = [r for r in found if r.type == "DIAGNOSED_AS"]
    assert diagnosed.end == "http://hl7.org/fhir/sid/icd-10-cm|I21.4"
    assert diagnosed.end_labels == ("Disease",) and diagnosed.seq is None
    assert diagnosed.ends_seq == 3  # the diagnosis that made it
    assert {"HAS_STAGE", "NEXT", "HAS_OBSERVATION", "HAS_TRANSACTION", "OF", "TREATED_WITH",
            "HAS_PHASE", "BROUGHT_IN", "TRANSPORTED"} <= {r.type for r in found}


async def test_the_same_events_give_the_same_graph_on_every_backend(
    store: GraphStore, expected: GraphStore
) -> None:
    """The backend under test against the embedded store: one canonical form for both."""
    events, _, _ = _ward()
    rows = tuple(DiseaseRow(ICD10, f"Z{i:03}", f"Synthetic code {i}", "Z00" if i else None)
                 for i in range(300))
    events.append(DiseasesImported(source="icd10-test", batch=0, rows=rows, imported_by="cli",
                                   at="2026-11-25T07:00:00.000Z"))
    await _apply([store, expected], events)
    assert [d async for d in snapshot.compare(expected, store, page_size=50)] == []


async def test_differences_are_what_changed_with_the_seq_that_wrote_it(
    store: GraphStore, expected: GraphStore
) -> None:
    doctor = synthetic.physician()
    kept = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    await _apply([store, expected], [doctor, kept])
    lost = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    await projection.apply(expected, lost, 2)
    suspended = UserStatusChanged(user_id=doctor.user_id, status="SUSPENDED",
                                  at="2026-11-25T11:00:00.000Z")
    await projection.apply(store, suspended, 2)
    crew = synthetic.crew()
    await projection.apply(store, crew, 3)
    steps: list[tuple[str, int, int]] = []

    found = [d async for d in snapshot.compare(
        expected, store, page_size=2, progress=lambda e, done, total: steps.append(
            (e, done, total)))]

    def brief(d: Difference) -> tuple[Any, ...]:
        return d.element, d.change, d.labels, d.identity, d.type, d.end, d.seq

    lost_stage = lost.stage_id
    assert sorted(map(brief, found), key=repr) == sorted([
        ("node", "changed", ("Cursor",), "projection", None, None, 2),
        ("node", "changed", ("User",), doctor.user_id, None, None, 0),
        ("node", "extra", ("User",), crew.user_id, None, None, 3),
        ("node", "extra", ("TransportCrew",), crew.user_id, None, None, 3),
        ("node", "missing", ("Patient",), lost.patient_id, None, None, 2),
        ("node", "missing", ("Admission", "Stage"), lost_stage, None, None, 2),
        ("node", "missing", ("Observation",), lost.observations[0].id, None, None, 2),
        ("relationship", "extra", ("User",), crew.user_id, "ACTS_AS", crew.user_id, 3),
        ("relationship", "missing", ("Physician",), doctor.user_id, "CARES_FOR",
         lost.patient_id, 2),
        ("relationship", "missing", ("Patient",), lost.patient_id, "HAS_STAGE", lost_stage, 2),
        ("relationship", "missing", ("Admission", "Stage"), lost_stage, "HAS_OBSERVATION",
         lost.observations[0].id, 2),
    ], key=repr)
    [user] = [d for d in found if d.labels == ("User",) and d.change == "changed"]
    assert [p.name for p in user.properties] == ["seq", "status", "status_changed_at"]
    status = user.properties[1]
    assert status.expected and status.actual and status.expected != status.actual
    assert user.properties[2].expected is None and user.properties[2].actual is not None
    assert "SUSPENDED" not in repr(found) and "ACTIVE" not in repr(found)
    nodes, relationships = await snapshot.size(store)
    assert steps[-1] == ("relationship", relationships, relationships)
    assert ("node", nodes, nodes) in steps


async def test_parallel_relationships_are_counted(store: GraphStore, expected: GraphStore) -> None:
    """One disease named twice in a diagnosis gives two parallel relationships: the same pair
    matches, and a graph with one of them lacks the other."""
    doctor = synthetic.physician()
    patient_id = synthetic.new_id()
    admitted = synthetic.admission(patient_id, by=doctor.user_id)
    once = synthetic.diagnosis(patient_id, doctor.user_id)
    twice = dataclasses.replace(once, diseases=once.diseases * 2)
    await _apply([store, expected], [doctor, admitted])
    await projection.apply(expected, twice, 2)
    await projection.apply(store, once, 2)
    found = [d async for d in snapshot.compare(expected, store)]
    assert [(d.element, d.change, d.type, d.identity) for d in found] == [
        ("relationship", "missing", "DIAGNOSED_AS", once.stage_id)]
    assert [d async for d in snapshot.compare(expected, expected)] == []
