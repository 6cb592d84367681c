"""The import command: an administrator's act, only history, each resource for a patient the
twin has and within its size; a refused batch records nothing."""

from __future__ import annotations

import re
import uuid

import pytest

from api.resources import Resources
from api.twin import imports
from api.twin.access import Principal, Role
from api.twin.errors import Forbidden, InvalidInput
from graph.events import Event
from graph.fhir_events import PatientImported, ResourceImported
from tests import synthetic

pytestmark = pytest.mark.anyio

ADMIN = Principal("importer", Role.ADMIN, "importer", "FHIR import")


def _patient() -> PatientImported:
    return PatientImported(patient_id=str(uuid.uuid4()), fhir_id="p", imported_by="importer",
                           given_name="Sam", family_name="Synthetic", birth_date="1980-01-01",
                           sex="other", admitted_at="2024-01-01T00:00:00.000Z",
                           resource='{"resourceType":"Patient","id":"p"}')


def _allergy(patient_id: str, resource: str = '{"resourceType":"AllergyIntolerance"}',
             ) -> ResourceImported:
    return ResourceImported(patient_id=patient_id, node_id=str(uuid.uuid4()), fhir_id="a",
                            resource_type="AllergyIntolerance", imported_by="importer",
                            resource=resource)


async def test_a_patient_and_their_resources_are_recorded_in_order(
    resources: Resources,
) -> None:
    patient = _patient()
    allergy = _allergy(patient.patient_id)
    anchors = await imports.record_history(resources.recorder, ADMIN, [patient, allergy])
    assert [a.seq for a in anchors] == sorted(a.seq for a in anchors)
    [row] = await resources.store.read("fhir_resources_of_patient",
                                       {"patient_id": patient.patient_id})
    assert [r["id"] for r in row["own"]] == [allergy.node_id]


@pytest.mark.parametrize("case", ["physician", "not history", "no such patient", "oversized"])
async def test_a_refused_batch_records_nothing(resources: Resources, case: str) -> None:
    patient = _patient()
    events: list[Event] = [patient, _allergy(patient.patient_id)]
    principal = ADMIN
    expected: type[Exception] = InvalidInput
    if case == "physician":
        principal, expected = Principal("doc", Role.PHYSICIAN, "doc", "Dr Synthetic"), Forbidden
    elif case == "not history":
        events.append(synthetic.admission(patient.patient_id, by="doc"))
    elif case == "no such patient":
        events.append(_allergy(str(uuid.uuid4())))
    else:
        events.append(_allergy(patient.patient_id, "x" * 50_000))
    size = resources.ledger.size
    with pytest.raises(expected) as refused:
        await imports.record_history(resources.recorder, principal, events)
    assert resources.ledger.size == size
    if expected is InvalidInput:
        assert str(refused.value).startswith("events[2]")
    if case == "oversized":
        assert re.search(r"a ledger entry of 6\d{4} bytes, more than the 65535", str(refused.value))
