"""Identity over GraphQL: registration, login, and the admin's authorization of staff; the
rules of accounts are api/auth/accounts.py."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.auth import accounts
from api.auth.passwords import verify_password
from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.graphql.pagination import Connection, keyset_page
from api.twin.access import ADMINS, Role
from graph import reads
from graph.events import UserRegistered
from ledger import Anchor as LedgerAnchor

REFUSED_LOGIN = "invalid username or password, or the account is not active"
RECEIVED = "registration received; an administrator will review it before you can log in"


@strawberry.enum
class UserRole(Enum):
    ADMIN = "ADMIN"
    PHYSICIAN = "PHYSICIAN"
    TRANSPORT = "TRANSPORT"
    AUDITOR = "AUDITOR"
    PATIENT = "PATIENT"


@strawberry.enum
class StaffRole(Enum):
    PHYSICIAN = "PHYSICIAN"
    TRANSPORT = "TRANSPORT"


@strawberry.enum
class UserStatus(Enum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"


@strawberry.type
class User:
    id: strawberry.ID
    username: str
    role: UserRole
    status: UserStatus
    display_name: str
    registered_at: str | None
    specialty: str | None
    licence_number: str | None
    company: str | None = strawberry.field(description="The transport crew's company.")
    seq: strawberry.Private[int | None]

    @strawberry.field(description="The ledger entry that last changed this user.")
    def anchor(self, info: Info[Context, None]) -> Anchor | None:
        return None if self.seq is None else Anchor.at(info.context.resources.ledger, self.seq)

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> User:
        return cls(
            id=strawberry.ID(row["id"]), username=row["username"], role=UserRole(row["role"]),
            status=UserStatus(row["status"]), display_name=row["display_name"],
            registered_at=row.get("registered_at"), specialty=row.get("specialty"),
            licence_number=row.get("licence_number"), company=row.get("company"),
            seq=row.get("seq"),
        )


@strawberry.input
class RegisterInput:
    username: str
    password: str
    display_name: str
    role: StaffRole
    specialty: str | None = None
    licence_number: str | None = None
    company: str | None = None


@strawberry.input
class AuditorInput:
    username: str
    password: str
    display_name: str


@strawberry.type
class UserChange:
    user: User
    anchor: Anchor


@strawberry.type(description=(
    "A registration as received. The same answer whether or not the username was free: "
    "a registration for a taken username writes nothing, and the server logs it for the "
    "administrators. No anchor: the registrant may not read the ledger, and an anchor "
    "would tell a taken username from a free one; administrators see it on the user."))
class Registration:
    user: User
    message: str


@strawberry.type
class Session:
    token: str
    expires_at: datetime
    user: User


@strawberry.type
class InvalidCredentials:
    message: str


@strawberry.type(description="Too many failed logins for this username, from this address, "
                             "or both.")
class TooManyAttempts:
    message: str
    retry_after_seconds: int


LoginResult = Annotated[Session | InvalidCredentials | TooManyAttempts,
                        strawberry.union("LoginResult")]


async def _user_change(context: Context, user_id: str, anchor: LedgerAnchor) -> UserChange:
    return UserChange(user=await _user(context, user_id), anchor=Anchor.of(anchor))


async def _user(context: Context, user_id: str) -> User:
    """A user known to exist (the caller, or one just changed)."""
    row = await reads.user(context.resources.store, user_id)
    if row is None:
        raise RuntimeError("a user read after their change is missing")
    return User.of(row["user"])


def client_address(context: Context) -> str:
    """The caller's address as the server saw it (a trusted proxy's X-Forwarded-For only
    when `HDT_TRUSTED_PROXIES` names that proxy: see `hdt serve`)."""
    client = context.request.client
    return client.host if client else "unknown"


def _registration(data: RegisterInput) -> UserRegistered:
    return accounts.registration(
        Role(data.role.value), data.username, data.password, data.display_name,
        specialty=data.specialty, licence_number=data.licence_number, company=data.company)


async def _users(
    info: Info[Context, None], role: Role | None, status: UserStatus | None, first: int,
    after: str | None,
) -> Connection[User]:
    context = info.context
    await context.require(ADMINS)
    store = context.resources.store
    where = {"role": role.value if role else None, "status": status.value if status else None}
    return await keyset_page(
        first, after, 1,
        lambda key, limit: reads.users_page(store, **where, after=key[0] if key else None,
                                            limit=limit),
        lambda: reads.users_count(store, **where),
        lambda r: User.of(r["user"]), lambda u: [u.username])


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The logged-in user.")
    async def me(self, info: Info[Context, None]) -> User | None:
        principal = await info.context.principal()
        if principal is None:
            return None
        return await _user(info.context, principal.user_id)

    @strawberry.field(description="Physicians, by username (ADMIN).")
    async def physicians(self, info: Info[Context, None], first: int = 20,
                         after: str | None = None,
                         status: UserStatus | None = None) -> Connection[User]:
        return await _users(info, Role.PHYSICIAN, status, first, after)

    @strawberry.field(description="Transport crew members, by username (ADMIN).")
    async def transport_crews(self, info: Info[Context, None], first: int = 20,
                              after: str | None = None,
                              status: UserStatus | None = None) -> Connection[User]:
        return await _users(info, Role.TRANSPORT, status, first, after)

    @strawberry.field(description="Registrations waiting for an administrator (ADMIN).")
    async def pending_users(self, info: Info[Context, None], first: int = 20,
                            after: str | None = None) -> Connection[User]:
        return await _users(info, None, UserStatus.PENDING, first, after)


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Register as a physician or transport crew member; the "
                                     "account is PENDING until an administrator authorizes it. "
                                     "Throttled per client address (TOO_MANY_REQUESTS).")
    async def register(self, info: Info[Context, None], input: RegisterInput) -> Registration:
        resources = info.context.resources
        address = client_address(info.context)
        resources.throttles.registrations.take(
            address, "too many registrations from this address; try again later")
        event = _registration(input)
        await accounts.register_user(resources, event, address)
        user = User(
            id=strawberry.ID(event.user_id), username=event.username, role=UserRole(event.role),
            status=UserStatus(event.status), display_name=event.display_name,
            registered_at=event.at, specialty=event.specialty,
            licence_number=event.licence_number, company=event.company, seq=None,
        )
        return Registration(user=user, message=RECEIVED)

    @strawberry.mutation(description="Exchange a username and password for an access token.")
    async def login(self, info: Info[Context, None], username: str, password: str) -> LoginResult:
        resources = info.context.resources
        address, account = client_address(info.context), username.strip().lower()
        limits = resources.throttles
        throttles = ((limits.account_at_address, f"{account}\n{address}"),
                     (limits.account, account), (limits.address, address))
        wait = max(throttle.retry_after(key) for throttle, key in throttles)
        if wait > 0:
            return TooManyAttempts(message="too many failed logins; try again later",
                                   retry_after_seconds=math.ceil(wait))
        found = await reads.user_by_username(resources.store, username)
        user = found["user"] if found else None
        ok = verify_password(user["password_hash"] if user else None, password)
        if not ok or user is None or user["status"] != UserStatus.ACTIVE.value:
            for throttle, key in throttles:
                throttle.count(key)
            return InvalidCredentials(message=REFUSED_LOGIN)
        limits.account_at_address.forget(throttles[0][1])
        token, expires = resources.tokens.issue(user["id"], user["role"])
        return Session(token=token, expires_at=expires,
                       user=await _user(info.context, user["id"]))

    @strawberry.mutation(description="Let a pending or suspended user log in (ADMIN).")
    async def authorize_user(self, info: Info[Context, None], id: strawberry.ID) -> UserChange:
        work = await info.context.unit(ADMINS)
        anchor = await accounts.set_status(work, str(id), UserStatus.ACTIVE.value)
        return await _user_change(info.context, str(id), anchor)

    @strawberry.mutation(description="Stop a user from logging in; their tokens stop working "
                                     "at once (ADMIN).")
    async def suspend_user(self, info: Info[Context, None], id: strawberry.ID) -> UserChange:
        work = await info.context.unit(ADMINS)
        anchor = await accounts.set_status(work, str(id), UserStatus.SUSPENDED.value)
        return await _user_change(info.context, str(id), anchor)

    @strawberry.mutation(description="Create an active auditor account (ADMIN).")
    async def create_auditor(self, info: Info[Context, None], input: AuditorInput) -> UserChange:
        admin = await info.context.require(ADMINS)
        event = accounts.new_user(input.username, input.password, input.display_name,
                                  Role.AUDITOR, UserStatus.ACTIVE.value)
        created = await accounts.create_user(info.context.resources, event, actor=admin.user_id)
        return await _user_change(info.context, created.user_id, created.anchor)
