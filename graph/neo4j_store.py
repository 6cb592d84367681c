"""The Neo4j backend: any Neo4j 5 over Bolt, through the official driver's managed transactions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

import neo4j
from neo4j import AsyncGraphDatabase, NotificationDisabledClassification, RoutingControl
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable

from graph.cypher import schema_statements, statement
from graph.neo4j_local import JavaMissing, Neo4jLocalError, Neo4jLocalProcess
from graph.store import (
    Params,
    Row,
    StoreError,
    StoreUnavailable,
    clear_in_batches,
    refuse_nul,
)
from graph.values import plain

log = logging.getLogger(__name__)

BACKEND = "neo4j"


class Neo4jStore:
    """`GraphStore` over the neo4j driver.

    `execute_query` runs each statement in a managed transaction, which the driver retries
    on transient errors (leader switch, deadlock); reads are routed to readers in a cluster.
    """

    backend = BACKEND

    def __init__(
        self,
        uri: str,
        auth: tuple[str, str] | None = None,
        database: str | None = None,
    ) -> None:
        self._uri = uri
        self._auth = auth
        self._database = database
        self._driver: neo4j.AsyncDriver | None = None
        self.statements_run = 0

    async def open(self) -> None:
        # A young graph lacks types and properties its statements name (no discharge, no
        # break-glass access yet): Neo4j would warn about each on every request, and the
        # driver log every warning. Only that class of notification is turned off;
        # performance, deprecation and the others still reach the log.
        self._driver = AsyncGraphDatabase.driver(
            self._uri, auth=self._auth,
            notifications_disabled_classifications=[
                NotificationDisabledClassification.UNRECOGNIZED])
        try:
            await self._driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            await self._driver.close()
            self._driver = None
            raise StoreUnavailable(f"Neo4j at {self._uri} does not answer: {exc}") from None
        for name, text in schema_statements(BACKEND):
            try:
                await self._execute(text, None, RoutingControl.WRITE)
            except ClientError as exc:
                raise StoreError(f"schema statement {name} failed: {exc.message}") from None

    async def close(self) -> None:
        if self._driver is not None:
            await self._driver.close()
            self._driver = None

    async def read(self, name: str, params: Params | None = None) -> list[Row]:
        return await self._run(name, params, RoutingControl.READ)

    async def write(self, name: str, params: Params | None = None) -> list[Row]:
        return await self._run(name, params, RoutingControl.WRITE)

    async def write_batch(self, batch: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        if self._driver is None:
            raise StoreUnavailable("the Neo4j store is not open")
        self.statements_run += len(batch)
        for name, params in batch:
            refuse_nul(name, params)
        work = [(statement(name, BACKEND), dict(params or {})) for name, params in batch]

        async def run_all(tx: neo4j.AsyncManagedTransaction) -> list[list[Row]]:
            rows = []
            for text, params in work:
                result = await tx.run(text, params)
                keys = result.keys()
                rows.append([{key: plain(record[key]) for key in keys}
                             async for record in result])
            return rows

        try:
            async with self._driver.session(database=self._database) as session:
                return await session.execute_write(run_all)
        except ClientError as exc:
            names = ", ".join(sorted({name for name, _ in batch}))
            raise StoreError(f"a batch of {len(batch)} statements ({names}) failed: "
                             f"{exc.message}") from None
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from None

    async def _run(self, name: str, params: Params | None, routing: RoutingControl) -> list[Row]:
        self.statements_run += 1
        refuse_nul(name, params)
        try:
            return await self._execute(statement(name, BACKEND), params, routing)
        except ClientError as exc:
            raise StoreError(f"statement {name} failed: {exc.message}") from None
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from None

    async def _execute(
        self, text: str, params: Params | None, routing: RoutingControl
    ) -> list[Row]:
        if self._driver is None:
            raise StoreUnavailable("the Neo4j store is not open")
        records, _, keys = await self._driver.execute_query(
            text,
            dict(params or {}),
            routing_=routing,
            database_=self._database,
        )
        return [{key: plain(record[key]) for key in keys} for record in records]

    async def health(self) -> bool:
        if self._driver is None:
            return False
        try:
            await self._driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError):
            return False
        return True

    async def clear(self) -> None:
        await clear_in_batches(self)

    async def forget_deleted(self) -> bool:
        """False: Neo4j keeps deleted records in its transaction logs until they are rotated
        and pruned by its retention policy, and in its store files until their space is
        reused; neither can be forced from a Bolt session (README, "Erasure")."""
        return False



class Neo4jLocalStore(Neo4jStore):
    """Neo4j Community run by us as a child process (`neo4j-local://`), then used over Bolt."""

    def __init__(self, data_dir: Path, heap: str = "512m", port: int | None = None) -> None:
        super().__init__("bolt://127.0.0.1")
        self._process = Neo4jLocalProcess(data_dir, port=port, heap=heap)

    async def open(self) -> None:
        try:
            self._uri = await asyncio.to_thread(self._process.start)
        except (JavaMissing, Neo4jLocalError) as exc:
            raise StoreUnavailable(str(exc)) from None
        try:
            await super().open()
        except StoreUnavailable:
            await asyncio.to_thread(self._process.stop)
            raise

    async def close(self) -> None:
        await super().close()
        await asyncio.to_thread(self._process.stop)
