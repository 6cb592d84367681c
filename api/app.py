"""The ASGI application: routes, middleware and the lifespan that opens the store and ledger."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from api.graphql.endpoint import TwinGraphQL
from api.graphql.limits import BodyLimit
from api.graphql.schema import build_schema
from api.http.console import console_routes
from api.http.fhir import fhir_routes
from api.http.ledger import ledger_routes
from api.http.metrics import metrics_routes
from api.resources import Resources
from api.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> Starlette:
    """Compose the server. Nothing is opened until the lifespan starts."""
    resources = Resources(settings)
    graphql = TwinGraphQL(build_schema(settings), resources)

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(_: Request) -> Response:
        checks = await resources.readiness()
        status = 200 if all(checks.values()) else 503
        body: dict[str, object] = {"ready": status == 200, "checks": checks}
        if status == 200:
            body["progress"] = await resources.progress()
        return JSONResponse(body, status_code=status)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await resources.open()
        log.info("server ready", extra={"graph": resources.store.backend})
        try:
            yield
        finally:
            await resources.close()
            log.info("server stopped")

    app = Starlette(
        routes=[
            Route("/health", health),
            Route("/ready", ready),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            *fhir_routes(resources),
            *ledger_routes(resources),
            *metrics_routes(resources),
            *console_routes(settings.console_dir),
        ],
        lifespan=lifespan,
        middleware=[Middleware(BodyLimit, max_bytes=settings.max_body_bytes)],
    )
    app.state.resources = resources
    return app
