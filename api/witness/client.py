"""The witness client: each new signed checkpoint goes to the configured witnesses over C2SP
tlog-witness; their cosignatures are collected, and once k of n cosigned one checkpoint it is
published as the cosigned checkpoint.

Writes never wait for this: the ledger signs checkpoints on its own, and this loop picks up
the latest one. A witness that is down or slow only falls behind; `status()` says how far
(its lag in entries, its last error), for /ready and the metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

import httpx

from api.settings import WitnessConfig
from ledger import Ledger, SignedCheckpoint
from ledger.cosignature import CosignatureVerifier, add_signatures, cosignatures
from ledger.cosigned import publish_cosigned, read_cosigned
from ledger.errors import InvalidNote
from ledger.witness import AddCheckpoint

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)
COSIGNED, CONFLICT, FAILED = "cosigned", "conflict", "failed"
KEEP_TREES = 64
"""How many recent trees' cosignatures are kept while waiting for a quorum on one."""


@dataclass
class WitnessStatus:
    """What one witness has done for this log (owned by the event loop)."""

    name: str
    url: str
    verifier: CosignatureVerifier
    known_size: int | None = None
    """The size the witness holds for this log, as it last told us (None: not asked yet)."""
    cosigned_size: int = 0
    last_error: str | None = None
    failures: int = 0
    last_cosigned_at: float | None = None
    cosign_seconds: list[float] = field(default_factory=list)
    """Seconds from a checkpoint being seen to its cosignature arriving, recent ones."""
    busy: bool = False

    def report(self, checkpoint_size: int) -> dict[str, object]:
        return {"cosigned_size": self.cosigned_size,
                "lag_entries": max(0, checkpoint_size - self.cosigned_size),
                "last_error": self.last_error, "failures": self.failures,
                "seconds_since_cosignature": None if self.last_cosigned_at is None
                else round(time.monotonic() - self.last_cosigned_at, 3)}


class Witnessing:
    """Runs in the server's event loop from `start` to `stop`."""

    def __init__(self, ledger: Ledger, configs: list[WitnessConfig], quorum: int,
                 timeout: float) -> None:
        self._ledger = ledger
        self.quorum = quorum
        self._timeout = timeout
        self.witnesses = [WitnessStatus(c.name, c.url.rstrip("/"),
                                        CosignatureVerifier.from_key_text(c.key))
                          for c in configs]
        self._lines: dict[tuple[int, bytes], dict[str, str]] = {}
        self._seen_at: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._publishing = asyncio.Lock()
        note = read_cosigned(ledger.path)
        self.cosigned_size = 0 if note is None else SignedCheckpoint.of(note).tree_size

    async def start(self) -> None:
        if not self.witnesses or self._task is not None:
            return
        self._http = httpx.AsyncClient(timeout=self._timeout)
        self._task = asyncio.create_task(self._run(), name="witnessing")

    async def stop(self) -> None:
        """Stop submitting; a submission under way is abandoned (its witness may still cosign:
        the next start proves from the size it then holds)."""
        if self._task is None:
            return
        # A flag, not only a cancel: the loop must end even if a cancel is lost in a wait.
        self._stopping = True
        self._wake.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(self._task, *self._tasks, return_exceptions=True)
        self._task = None
        if self._http is not None:
            await self._http.aclose()

    def cosigned_note(self, checkpoint: SignedCheckpoint) -> str:
        """`checkpoint`'s note with every cosignature collected for that very tree."""
        lines = self._lines.get((checkpoint.tree_size, checkpoint.root_hash), {})
        return add_signatures(checkpoint.note, list(lines.values())) if lines else checkpoint.note

    def status(self) -> dict[str, object]:
        latest = self._ledger.latest_checkpoint()
        size = 0 if latest is None else latest.tree_size
        return {"quorum": self.quorum, "cosigned_size": self.cosigned_size,
                "witnesses": {w.name: w.report(size) for w in self.witnesses}}

    async def _run(self) -> None:
        """Hand each witness that is free the latest checkpoint it has not cosigned."""
        while not self._stopping:
            latest = self._ledger.latest_checkpoint()
            if latest is not None:
                self._seen_at.setdefault(latest.tree_size, time.monotonic())
                for witness in self.witnesses:
                    if not witness.busy and witness.cosigned_size < latest.tree_size:
                        witness.busy = True
                        task = asyncio.create_task(self._submit(witness, latest))
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(POLL_SECONDS):
                    await self._wake.wait()
            self._wake.clear()

    async def _submit(self, witness: WitnessStatus, checkpoint: SignedCheckpoint) -> None:
        try:
            # A 409 names the size the witness holds: prove from there, once more.
            if (await self._add_checkpoint(witness, checkpoint) == CONFLICT
                    and await self._add_checkpoint(witness, checkpoint) == CONFLICT):
                self._failed(witness, "the witness moved while we proved to it")
        except (httpx.HTTPError, OSError) as exc:
            self._failed(witness, f"{type(exc).__name__}: {exc}".rstrip(": "))
        try:
            if witness.last_error is not None:  # back off; never in a `finally`: stop() must
                # not wait for a backoff after it cancelled the task
                await asyncio.sleep(RETRY_SECONDS[min(witness.failures, len(RETRY_SECONDS)) - 1])
        finally:
            witness.busy = False
            self._wake.set()

    async def _add_checkpoint(self, witness: WitnessStatus, checkpoint: SignedCheckpoint) -> str:
        """One add-checkpoint call: COSIGNED, CONFLICT (`known_size` is updated) or FAILED."""
        assert self._http is not None
        old = witness.known_size or 0
        if old > checkpoint.tree_size:
            self._failed(witness, f"the witness holds size {old}, more than this log's "
                         f"{checkpoint.tree_size}: another history was shown to it")
            return FAILED
        proof = await asyncio.to_thread(self._ledger.consistency_proof, old,
                                        checkpoint.tree_size) if old else []
        body = AddCheckpoint(old, tuple(proof), checkpoint.note).body()
        answer = await self._http.post(f"{witness.url}/add-checkpoint", content=body)
        if answer.status_code == 409 and answer.text.strip().isdigit():
            witness.known_size = int(answer.text.strip())
            return CONFLICT
        if answer.status_code != 200:
            self._failed(witness, f"HTTP {answer.status_code}: {answer.text.strip()[:200]}")
            return FAILED
        lines = [line + "\n" for line in answer.text.splitlines() if line]
        try:
            mine = [line for line in lines if cosignatures(
                add_signatures(checkpoint.note, [line]), [witness.verifier])]
        except InvalidNote as exc:
            self._failed(witness, f"not a cosignature: {exc}")
            return FAILED
        if not mine:
            self._failed(witness, "no valid cosignature by the witness's key in its answer")
            return FAILED
        note = self._cosigned(witness, checkpoint, mine[0])
        if note is not None:
            await self._publish(note)
        return COSIGNED

    def _failed(self, witness: WitnessStatus, error: str) -> None:
        if witness.last_error != error:
            log.warning("witness refused or unreachable", extra={
                "event": "witness.failed", "witness": witness.name, "error": error})
        witness.last_error = error
        witness.failures += 1

    def _cosigned(self, witness: WitnessStatus, checkpoint: SignedCheckpoint,
                  line: str) -> str | None:
        """Record a cosignature; the note to publish if its tree now has a quorum."""
        now = time.monotonic()
        witness.known_size = witness.cosigned_size = checkpoint.tree_size
        witness.last_error, witness.failures, witness.last_cosigned_at = None, 0, now
        seen = self._seen_at.get(checkpoint.tree_size)
        if seen is not None:
            witness.cosign_seconds = [*witness.cosign_seconds[-99:], now - seen]
        key = (checkpoint.tree_size, checkpoint.root_hash)
        self._lines.setdefault(key, {})[witness.name] = line
        for old in sorted(self._lines)[:-KEEP_TREES]:
            del self._lines[old]
        floor = min(w.cosigned_size for w in self.witnesses)
        for size in [s for s in self._seen_at if s <= floor]:
            del self._seen_at[size]
        lines = self._lines[key]
        if len(lines) >= self.quorum and checkpoint.tree_size >= self.cosigned_size:
            return add_signatures(checkpoint.note, list(lines.values()))
        return None

    async def _publish(self, note: str) -> None:
        """Keep a cosigned checkpoint durably (off the loop: it fsyncs). One at a time, so
        that the kept one only grows."""
        async with self._publishing:
            if await asyncio.to_thread(publish_cosigned, self._ledger.path, note):
                head = SignedCheckpoint.of(note)
                self.cosigned_size = max(self.cosigned_size, head.tree_size)
                log.info("checkpoint cosigned", extra={
                    "event": "ledger.cosigned", "tree_size": head.tree_size})
