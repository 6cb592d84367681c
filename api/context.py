"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.websockets import WebSocket

from api.resources import Resources


@dataclass
class Context:
    resources: Resources
    request: Request | WebSocket
