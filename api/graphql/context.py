"""The per-request context: resources, the caller (resolved once), and per-request caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket

from api.auth.tokens import InvalidToken
from api.graphql.errors import Unauthenticated
from api.resources import Resources
from api.twin import access
from api.twin.access import Principal, Role
from api.twin.unit import Unit
from graph.reads import Visibility


@dataclass
class Context:
    resources: Resources
    request: Request | WebSocket
    token: str | None = None
    _principal: Principal | None = None
    _resolved: bool = False
    _visibility: Visibility | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    async def principal(self) -> Principal | None:
        """The caller, or None without a token. A bad, expired or revoked token is an error,
        never silently anonymous."""
        if not self._resolved:
            self._principal = await self._authenticate()
            self._resolved = True
        return self._principal

    async def require(self, roles: frozenset[Role]) -> Principal:
        return access.require(await self.principal(), roles)

    async def unit(self, roles: frozenset[Role]) -> Unit:
        """What a command of the twin works with, for a caller of one of `roles`: the one
        role check of each mutation."""
        resources = self.resources
        return Unit(resources.store, resources.recorder, await self.require(roles),
                    resources.patient_changes)

    async def visibility(self) -> Visibility:
        if self._visibility is None:
            principal = await self.require(access.CLINICAL_READERS)
            self._visibility = access.scope(principal)
        return self._visibility

    async def _authenticate(self) -> Principal | None:
        token = self.token if self.token is not None else _bearer(self.request)
        if token is None:
            return None
        try:
            claims = self.resources.tokens.verify(token)
        except InvalidToken as exc:
            raise Unauthenticated(str(exc)) from None
        principal = self.resources.principals.active(claims.user_id, access.now_iso())
        if principal is None:
            raise Unauthenticated("this account is not active; ask an administrator")
        return principal


def _bearer(request: Request | WebSocket) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("the Authorization header must be `Bearer <token>`")
    return value.strip()
