"""The web console's built files at `/`: hashed assets cached for good, the app's page for
every client-side route, and a Content-Security-Policy that lets the page load nothing but
this server's own files.

The console is a single-page app: a path such as `/admin/patients` is a route of the app,
not a file, so any GET that is not an asset or an API path answers with `index.html`, which
is never cached (a new build must reach the next load). Its assets carry a content hash in
their names, so they are cached for a year and never revalidated; a missing asset is a 404,
not the page, so a stale chunk fails visibly rather than as HTML parsed as script.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
# A host as the Host header may carry it (name or address, optional port): anything else is
# left out of connect-src rather than echoed into a header.
HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
NOT_BUILT = ("The console is not built: run `make serve`, or `npm ci && npm run build` in web/. "
             "The API is at /graphql.\n")


def content_security_policy(host: str | None) -> str:
    """The page may load and connect to this server only. 'self' covers the websocket of the
    same origin in CSP 3, but not in every browser in use, so it is named explicitly."""
    sockets = f" ws://{host} wss://{host}" if host and HOST.match(host) else ""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"connect-src 'self'{sockets}",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _page_headers(request: Request) -> dict[str, str]:
    return {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": content_security_policy(request.headers.get("host")),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


class ImmutableAssets(StaticFiles):
    """Hashed build outputs: a name never changes content, so caches keep them for a year."""

    def file_response(self, full_path: PathLike, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = IMMUTABLE
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def console_routes(build_dir: Path) -> list[BaseRoute]:
    """Routes to put after the API's own: `/assets/*`, then the app's page for any other GET.
    A build made after the server started is served; a missing build says how to make it."""
    index = build_dir / "index.html"
    if not index.is_file():
        log.warning("console not built", extra={"build_dir": str(build_dir)})

    async def page(request: Request) -> Response:
        if not index.is_file():
            return PlainTextResponse(NOT_BUILT, status_code=503)
        return FileResponse(index, media_type="text/html; charset=utf-8",
                            headers=_page_headers(request))

    return [
        Mount("/assets", app=GZipMiddleware(
            ImmutableAssets(directory=build_dir / "assets", check_dir=False), minimum_size=1024)),
        Route("/", page, methods=["GET", "HEAD"]),
        Route("/{path:path}", page, methods=["GET", "HEAD"]),
    ]
