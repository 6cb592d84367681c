"""The ledger served read-only as C2SP tlog-tiles under /ledger/: checkpoint, tiles, bundles.

Public by design: entries hold ids and ciphertext only. A full tile or bundle never changes,
so it is cached for good; the checkpoint and partial tiles change, so they are not cached.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from api.resources import Resources
from ledger import Ledger
from ledger.tiles import (
    EntryTooLarge,
    TileNotFound,
    TileRef,
    bundle_range,
    entry_bundle,
    parse_tile_path,
    tile_hashes,
)

PREFIX = "/ledger"
IMMUTABLE = "public, max-age=31536000, immutable"
MUTABLE = "no-cache"
TEXT = "text/plain; charset=utf-8"
OCTETS = "application/octet-stream"


def ledger_routes(resources: Resources) -> list[Route]:
    async def checkpoint(_: Request) -> Response:
        note = await asyncio.to_thread(resources.published_checkpoint)
        if note is None:
            return _missing("no checkpoint yet")
        return Response(note, media_type=TEXT, headers={"Cache-Control": MUTABLE})

    async def cosigned(_: Request) -> Response:
        note = resources.cosigned_checkpoint()
        if note is None:
            return _missing("no checkpoint has enough cosignatures yet")
        return Response(note, media_type=TEXT, headers={"Cache-Control": MUTABLE})

    async def tile(request: Request) -> Response:
        try:
            ref = parse_tile_path(request.path_params["path"])
            data = await asyncio.to_thread(_tile_bytes, resources.ledger, ref)
        except TileNotFound as exc:
            return _missing(str(exc))
        except EntryTooLarge as exc:
            return PlainTextResponse(str(exc), status_code=500)
        cache = IMMUTABLE if ref.full else MUTABLE
        return Response(data, media_type=OCTETS, headers={"Cache-Control": cache})

    return [
        Route(f"{PREFIX}/checkpoint", checkpoint, methods=["GET"]),
        Route(f"{PREFIX}/cosigned-checkpoint", cosigned, methods=["GET"]),
        Route(f"{PREFIX}/tile/{{path:path}}", tile, methods=["GET"]),
    ]


def _tile_bytes(ledger: Ledger, ref: TileRef) -> bytes:
    size = ledger.size
    if ref.level is None:
        seqs = bundle_range(ref, size)
        return entry_bundle(ledger.entry_bytes(seqs.start, seqs.stop))
    node: Callable[[int, int], bytes] = ledger.node
    return tile_hashes(ref, size, node)


def _missing(message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=404,
                             headers={"Cache-Control": MUTABLE})
