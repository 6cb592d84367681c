"""Who holds a valid account now, in memory: every user's role and status, the break-glass
accesses open to them, the patients who consented to share with them, and (a patient) whose
twin is theirs.

Why in memory: every request checks its caller, and asking the graph for it cost a
transaction of its own per request. This server is the ledger's only writer, so the state is
read from the graph once at start and then kept current from the recorder's own events, each
applied before the mutation that recorded it is answered: an administrator's `suspendUser`,
a patient's revoked sharing or an erasure has taken effect for every later request by the
time it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.twin.access import Principal, Role, principal_of
from graph import reads
from graph.events import (
    BreakGlassUsed,
    Event,
    PatientErased,
    UserRegistered,
    UserStatusChanged,
)
from graph.patient_events import ConsentChanged, PatientAccountCreated
from graph.rows import PrincipalUser
from graph.store import GraphStore

ACTIVE = "ACTIVE"
SHARING = "SHARING"


@dataclass
class _Account:
    user: PrincipalUser
    grants: list[tuple[str, str]] = field(default_factory=list)
    """(expires_at, patient_id) of the break-glass accesses this user opened."""
    shared: set[str] = field(default_factory=set)
    """Patients who consented to share their twin with this user."""


class Principals:
    """The accounts of the graph, kept current by `applied` (see the module's docstring)."""

    def __init__(self) -> None:
        self._accounts: dict[str, _Account] = {}

    async def load(self, store: GraphStore, now: str) -> None:
        """Read every user, the break-glass accesses running at `now` and the sharing
        consents granted; called once the ledger is replayed into the graph, before the
        server answers anyone."""
        accounts = {user["id"]: _Account(user) for user in await reads.principals(store)}
        for grant in await reads.break_glass_open(store, now):
            if (account := accounts.get(grant["user_id"])) is not None:
                account.grants.append((grant["expires_at"], grant["patient_id"]))
        for consent in await reads.sharing_consents(store):
            if (account := accounts.get(consent["user_id"])) is not None:
                account.shared.add(consent["patient_id"])
        self._accounts = accounts

    def applied(self, event: Event) -> None:
        """Take in one event the graph has just applied (events of other kinds change no
        account)."""
        if isinstance(event, UserRegistered):
            self._accounts[event.user_id] = _Account(PrincipalUser(
                id=event.user_id, username=event.username, role=event.role,
                status=event.status, display_name=event.display_name, patient_id=None))
        elif isinstance(event, PatientAccountCreated):
            self._accounts[event.user_id] = _Account(PrincipalUser(
                id=event.user_id, username=event.username, role=Role.PATIENT.value,
                status=ACTIVE, display_name=event.display_name, patient_id=event.patient_id))
        elif isinstance(event, UserStatusChanged):
            if (account := self._accounts.get(event.user_id)) is not None:
                account.user = {**account.user, "status": event.status}
        elif isinstance(event, BreakGlassUsed):
            if (account := self._accounts.get(event.user_id)) is not None:
                account.grants.append((event.expires_at, event.patient_id))
        elif isinstance(event, ConsentChanged) and event.purpose == SHARING:
            if event.recipient_id and (account := self._accounts.get(event.recipient_id)):
                if event.granted:
                    account.shared.add(event.patient_id)
                else:
                    account.shared.discard(event.patient_id)
        elif isinstance(event, PatientErased):
            self._erased(event.patient_id)

    def _erased(self, patient_id: str) -> None:
        """The patient's own account goes with their nodes; nobody keeps a grant to them."""
        self._accounts = {user_id: account for user_id, account in self._accounts.items()
                          if account.user.get("patient_id") != patient_id}
        for account in self._accounts.values():
            account.shared.discard(patient_id)
            account.grants = [g for g in account.grants if g[1] != patient_id]

    def active(self, user_id: str, now: str) -> Principal | None:
        """The caller a token names, with the patients opened to them at `now`; None unless
        the account exists and is ACTIVE."""
        account = self._accounts.get(user_id)
        if account is None or account.user["status"] != ACTIVE:
            return None
        account.grants = [grant for grant in account.grants if grant[0] > now]
        return principal_of(account.user, [patient for _, patient in account.grants],
                            sorted(account.shared))
