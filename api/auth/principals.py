"""Who holds a valid account now, in memory: every user's role and status, and the break-glass
accesses open to them.

Why in memory: every request checks its caller, and asking the graph for it cost a
transaction of its own per request. This server is the ledger's only writer, so the state is
read from the graph once at start and then kept current from the recorder's own events, each
applied before the mutation that recorded it is answered: an administrator's `suspendUser`
has taken effect for every later request by the time it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.twin.access import Principal, Role
from graph import reads
from graph.events import BreakGlassUsed, Event, UserRegistered, UserStatusChanged
from graph.store import GraphStore

ACTIVE = "ACTIVE"


@dataclass
class _Account:
    principal: Principal
    status: str
    grants: list[tuple[str, str]] = field(default_factory=list)
    """(expires_at, patient_id) of the break-glass accesses this user opened."""


class Principals:
    """The accounts of the graph, kept current by `applied` (see the module's docstring)."""

    def __init__(self) -> None:
        self._accounts: dict[str, _Account] = {}

    async def load(self, store: GraphStore, now: str) -> None:
        """Read every user and the break-glass accesses running at `now`; called once the
        ledger is replayed into the graph, before the server answers anyone."""
        accounts = {}
        for user in await reads.principals(store):
            accounts[user["id"]] = _Account(
                Principal(user["id"], Role(user["role"]), user["username"],
                          user["display_name"]), user["status"])
        for grant in await reads.break_glass_open(store, now):
            account = accounts.get(grant["user_id"])
            if account is not None:
                account.grants.append((grant["expires_at"], grant["patient_id"]))
        self._accounts = accounts

    def applied(self, event: Event) -> None:
        """Take in one event the graph has just applied (events of other kinds change no
        account)."""
        if isinstance(event, UserRegistered):
            self._accounts[event.user_id] = _Account(
                Principal(event.user_id, Role(event.role), event.username, event.display_name),
                event.status)
        elif isinstance(event, UserStatusChanged):
            account = self._accounts.get(event.user_id)
            if account is not None:
                account.status = event.status
        elif isinstance(event, BreakGlassUsed):
            account = self._accounts.get(event.user_id)
            if account is not None:
                account.grants.append((event.expires_at, event.patient_id))

    def active(self, user_id: str, now: str) -> Principal | None:
        """The caller a token names, with the patients opened to them at `now`; None unless
        the account exists and is ACTIVE."""
        account = self._accounts.get(user_id)
        if account is None or account.status != ACTIVE:
            return None
        if not account.grants:
            return account.principal
        account.grants = [grant for grant in account.grants if grant[0] > now]
        granted = tuple(dict.fromkeys(patient for _, patient in account.grants))
        return Principal(account.principal.user_id, account.principal.role,
                         account.principal.username, account.principal.display_name, granted)
