"""The twin's commands against a real embedded store and ledger, with no HTTP in between:
one opened set of resources per module, and staff recorded through the ledger like any user."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from api.auth.accounts import create_user, new_user
from api.resources import Resources
from api.twin import care, forms
from api.twin.access import Principal, Role
from api.twin.errors import TwinError
from api.twin.unit import Unit
from api.twin.vitals import VitalSign
from graph import reads
from graph.rows import TwinRow
from tests.api.conftest import STAFF_PASSWORD, make_settings

pytestmark = pytest.mark.anyio

PROFILES = {Role.PHYSICIAN: {"specialty": "Cardiology", "licence_number": "MD-1000"},
            Role.TRANSPORT: {"company": "Metro Ambulance Service"}, Role.ADMIN: {}}


@pytest.fixture(scope="module")
async def resources(short_tmp: Path) -> AsyncIterator[Resources]:
    opened = Resources(make_settings(short_tmp / uuid.uuid4().hex[:10]))
    await opened.open()
    yield opened
    await opened.close()


async def staff(resources: Resources, role: Role) -> Unit:
    """A new active staff member of `role`, recorded through the ledger; their unit of work."""
    username = f"{role.value.lower()}.{uuid.uuid4().hex[:8]}"
    event = new_user(username, STAFF_PASSWORD, f"Synthetic {role.value.title()}", role,
                     "ACTIVE", **PROFILES[role])
    await create_user(resources, event, actor="test")
    return unit_of(resources, Principal(event.user_id, role, username, event.display_name))


def unit_of(resources: Resources, principal: Principal) -> Unit:
    return Unit(resources.store, resources.recorder, principal, resources.patient_changes)


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def new_patient(arrived: datetime | None = None, **changes: object) -> forms.Admission:
    """A synthetic walk-in with one heart rate, arrived an hour ago unless said otherwise."""
    arrived = arrived or ago(hours=1)
    fields: dict[str, object] = {
        "arrival_mode": forms.ArrivalMode.WALK_IN, "arrived_at": arrived,
        "chief_complaint": "Palpitations", "triage_level": 3,
        "patient": forms.NewPatient("Sam", "Synthetic", date(1970, 1, 2), forms.Sex.FEMALE),
        "vitals": [forms.Measurement(VitalSign.HEART_RATE, 88, arrived)]} | changes
    return forms.Admission(**fields)  # type: ignore[arg-type]


async def admitted(doctor: Unit, **changes: object) -> str:
    """A new patient admitted by `doctor`, who cares for them from then on; their id."""
    return (await care.admit(doctor, new_patient(**changes))).patient_id


async def refused(resources: Resources, kind: type[TwinError], command: Awaitable[object],
                  patient_id: str | None = None) -> TwinError:
    """The refusal `command` raises, after checking it recorded nothing: the ledger has not
    grown, and the patient's twin (when one is named) reads as it did."""
    size = resources.ledger.size
    before = await _twin(resources, patient_id)
    with pytest.raises(kind) as caught:
        await command
    assert resources.ledger.size == size, "a refused command records nothing"
    assert await _twin(resources, patient_id) == before
    return caught.value


async def _twin(resources: Resources, patient_id: str | None) -> TwinRow | None:
    if patient_id is None:
        return None
    return await reads.twin(resources.store, reads.EVERYONE, patient_id)
