"""The account rules without GraphQL: usernames taken once, registrations checked, and who an
administrator may authorize or suspend."""

from __future__ import annotations

import uuid

import pytest

from api.auth import accounts
from api.resources import Resources
from api.twin.access import Role
from api.twin.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.api.conftest import STAFF_PASSWORD
from tests.api.twin.conftest import resources, staff

__all__ = ["resources"]  # the module's store and ledger, shared with the twin's tests
pytestmark = pytest.mark.anyio


def _name() -> str:
    return f"user.{uuid.uuid4().hex[:8]}"


async def test_a_username_is_taken_once(resources: Resources) -> None:
    username = _name()
    event = accounts.new_user(username, STAFF_PASSWORD, "Synthetic Auditor", Role.AUDITOR,
                              "ACTIVE")
    created = await accounts.create_user(resources, event, actor="test")
    assert (created.user_id, created.username) == (event.user_id, username)
    again = accounts.new_user(username, STAFF_PASSWORD, "Synthetic Other", Role.AUDITOR,
                              "ACTIVE")
    with pytest.raises(Conflict, match="taken"):
        await accounts.create_user(resources, again, actor="test")


def test_a_registration_names_the_field_it_refuses() -> None:
    with pytest.raises(InvalidInput) as licence:
        accounts.registration(Role.PHYSICIAN, _name(), STAFF_PASSWORD, "Dr Synthetic",
                              specialty="Cardiology", licence_number="!!")
    assert licence.value.field == "licenceNumber"
    with pytest.raises(InvalidInput) as password:
        accounts.registration(Role.TRANSPORT, _name(), "short", "Synthetic Medic",
                              company="Metro Ambulance Service")
    assert password.value.field == "password"
    with pytest.raises(InvalidInput) as username:
        accounts.registration(Role.TRANSPORT, "No Spaces", STAFF_PASSWORD, "Synthetic Medic",
                              company="Metro Ambulance Service")
    assert username.value.field == "username"
    with pytest.raises(InvalidInput) as display_name:
        accounts.registration(Role.TRANSPORT, _name(), STAFF_PASSWORD, "Dr \u202eeviL",
                              company="Metro")
    assert str(display_name.value).startswith(
        "displayName: holds U+202E (RIGHT-TO-LEFT OVERRIDE)")  # the free-text rule
    pending = accounts.registration(Role.TRANSPORT, _name(), STAFF_PASSWORD, "Synthetic Medic",
                                    company="Metro Ambulance Service")
    assert pending.status == "PENDING"


async def test_an_administrator_suspends_and_authorizes_staff_but_not_administrators(
        resources: Resources) -> None:
    admin, other_admin = await staff(resources, Role.ADMIN), await staff(resources, Role.ADMIN)
    medic = await staff(resources, Role.TRANSPORT)
    user_id = medic.principal.user_id
    with pytest.raises(Conflict, match="already ACTIVE"):
        await accounts.set_status(admin, user_id, "ACTIVE")
    await accounts.set_status(admin, user_id, "SUSPENDED")
    await accounts.set_status(admin, user_id, "ACTIVE")
    with pytest.raises(Forbidden):
        await accounts.set_status(admin, other_admin.principal.user_id, "SUSPENDED")
    with pytest.raises(NotFound):
        await accounts.set_status(admin, "no-such-user", "SUSPENDED")
