"""`hdt witness serve`: HDT as a C2SP tlog-witness for other logs, over HTTP.

The rules live in ledger.witness; this is the HTTP edge: POST /add-checkpoint. (The spec's
optional monitoring read, the latest cosigned checkpoint per log, is not served.)
"""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ledger.witness import MAX_REQUEST, SIZE_TYPE, AddCheckpoint, Conflict, Refused, Witness


def create_witness_app(witness: Witness) -> Starlette:
    async def add_checkpoint(request: Request) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_REQUEST:
                return PlainTextResponse("the request is too large\n", status_code=400)
        try:
            parsed = AddCheckpoint.parse(bytes(body))
            line = await asyncio.to_thread(witness.add_checkpoint, parsed)
        except Conflict as exc:
            return Response(f"{exc.known}\n", status_code=409,
                            headers={"Content-Type": SIZE_TYPE})
        except Refused as exc:
            return PlainTextResponse(exc.message + "\n", status_code=exc.status)
        return PlainTextResponse(line)

    return Starlette(routes=[
        Route("/add-checkpoint", add_checkpoint, methods=["POST"]),
    ])
