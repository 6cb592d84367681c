"""The `hdt` command line: serve the twin, manage it and audit its ledger."""

from __future__ import annotations

import asyncio
import sys

import typer
import uvicorn

from api import logs
from api.app import create_app
from api.resources import Resources
from api.settings import Settings
from graph.store import StoreError
from graph.url import BadGraphUrl

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


@app.callback()
def root() -> None:
    """Healthcare Digital Twin server."""


@app.command()
def serve() -> None:
    """Start the server (settings from HDT_* variables and .env)."""
    settings = Settings()
    settings.graph  # noqa: B018 - fail on a bad HDT_GRAPH_URL before anything starts
    logs.configure(settings.log_level)
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    """Open the store and ledger before listening, so a failure is one line, not a traceback."""
    app = create_app(settings)
    resources: Resources = app.state.resources
    await resources.open()
    try:
        config = uvicorn.Config(
            app, host=settings.host, port=settings.port, log_config=None,
            timeout_graceful_shutdown=10,
        )
        await uvicorn.Server(config).serve()
    finally:
        await resources.close()


def main() -> None:
    """Entry point: expected failures print one line and exit 2; nothing else is swallowed."""
    try:
        app()
    except (BadGraphUrl, StoreError) as exc:
        print(f"hdt: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
