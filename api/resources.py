"""What a running server holds open: the graph store and the ledger, created once per app."""

from __future__ import annotations

import logging

from api.settings import Settings
from graph.backends import store_for
from graph.store import GraphStore

log = logging.getLogger(__name__)


class Resources:
    """Opened by the lifespan, closed by it, and passed to every request through the context."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._open = False
        password = settings.neo4j_password.get_secret_value()
        self.store: GraphStore = store_for(
            settings.graph,
            graph_name=settings.graph_name,
            neo4j_auth=(settings.neo4j_user, password) if password else None,
            neo4j_database=settings.neo4j_database,
            neo4j_heap=settings.neo4j_heap,
            neo4j_port=settings.neo4j_port,
        )

    async def open(self) -> None:
        """Open everything; a second call (the lifespan after `hdt serve`) does nothing."""
        if self._open:
            return
        await self.store.open()
        self._open = True

    async def close(self) -> None:
        if not self._open:
            return
        self._open = False
        await self.store.close()

    async def readiness(self) -> dict[str, bool]:
        return {"graph": await self.store.health()}
