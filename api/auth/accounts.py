"""Accounts: the rules of creating, registering and (un)suspending staff, apart from GraphQL.

A username is taken once (checked and recorded under one lock); a registration for a taken
username is answered like any other and logged for the administrators; administrators are
managed from the command line only.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

from api.auth.passwords import hash_password, password_problem
from api.resources import Resources
from api.twin import validation as check
from api.twin.access import Role, now_iso
from api.twin.errors import Conflict, Forbidden, InvalidInput, NotFound
from api.twin.unit import Unit
from graph import reads
from graph.events import UserRegistered, UserStatusChanged
from ledger import Anchor

log = logging.getLogger(__name__)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
LICENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{2,31}$")


@dataclass(frozen=True)
class Created:
    """A user recorded, and where."""

    user_id: str
    username: str
    anchor: Anchor


def _text(field: str, value: str | None, max_length: int = 200) -> str:
    return check.text(field, value, max_length)


def _account(username: str, password: str, display_name: str) -> tuple[str, str, str]:
    """Checked username, argon2id hash and display name for a new account."""
    if not USERNAME.match(username):
        raise InvalidInput("username", "use 3 to 64 lower-case letters, digits, '.', '_' or '-'")
    if problem := password_problem(password):
        raise InvalidInput("password", problem)
    return username, hash_password(password), _text("displayName", display_name)


def new_user(
    username: str, password: str, display_name: str, role: Role, status: str, **profile: Any
) -> UserRegistered:
    username, password_hash, display_name = _account(username, password, display_name)
    return UserRegistered(
        user_id=str(uuid.uuid4()), username=username, password_hash=password_hash,
        role=role.value, status=status, display_name=display_name, at=now_iso(), **profile,
    )


def registration(role: Role, username: str, password: str, display_name: str, *,
                 specialty: str | None = None, licence_number: str | None = None,
                 company: str | None = None) -> UserRegistered:
    """A physician's or a transport crew member's own registration, PENDING until an
    administrator authorizes it."""
    if role is Role.PHYSICIAN:
        licence = _text("licenceNumber", licence_number, 32)
        if not LICENCE.match(licence):
            raise InvalidInput("licenceNumber", "use letters, digits, space, '.', '/' or '-'")
        profile = {"specialty": _text("specialty", specialty), "licence_number": licence}
    else:
        profile = {"company": _text("company", company or None)}
    return new_user(username, password, display_name, role, "PENDING", **profile)


async def create_user(resources: Resources, event: UserRegistered, actor: str) -> Created:
    """Record a new user unless the username is taken (checked and written under one lock)."""
    async with resources.user_lock:
        if await reads.user_by_username(resources.store, event.username) is not None:
            raise Conflict(f"the username {event.username!r} is taken")
        anchor = await resources.recorder.record(event, actor=actor)
    return Created(event.user_id, event.username, anchor)


async def register_user(resources: Resources, event: UserRegistered, address: str) -> None:
    """Record a registration unless its username is taken. Either way the caller hears the
    same: a taken username is not confirmed to an anonymous caller; it is logged (the
    existing user's id and the caller's address, no name) for the administrators."""
    async with resources.user_lock:
        taken = await reads.user_by_username(resources.store, event.username)
        if taken is not None:
            log.warning("registration for a taken username declined",
                        extra={"user_id": taken["user"]["id"], "answered_id": event.user_id,
                               "address": address})
        else:
            await resources.recorder.record(event, actor=event.user_id)


async def set_status(unit: Unit, user_id: str, status: str) -> Anchor:
    """Authorize (ACTIVE) or suspend (SUSPENDED) a physician, crew member or auditor."""
    row = await reads.user(unit.store, user_id)
    if row is None:
        raise NotFound(f"no user {user_id}")
    user = row["user"]
    if user["role"] == Role.ADMIN.value:
        raise Forbidden("administrators are managed with the `hdt create-admin` command")
    if user["status"] == status:
        raise Conflict(f"the user is already {status}")
    event = UserStatusChanged(user_id=user_id, status=status, at=now_iso())
    return await unit.recorder.record(event, actor=unit.principal.user_id)


async def create_admin(resources: Resources, username: str, password: str,
                       display_name: str) -> Created:
    """An active administrator, created from the command line (`hdt create-admin`)."""
    event = new_user(username, password, display_name, Role.ADMIN, "ACTIVE")
    return await create_user(resources, event, actor="cli")
