"""A mutation walks from its input to the ledger and the graph through each of our files at
most once: no resolver module borrows another's helpers, no rule calls back into the edge.

Measured, not read: every call made while the server answers `admitPatient` and
`prescribeMedication` is seen by a profiler hook, and each call stack, cut down to our own
source files (api/, graph/, ledger/) from the mutation's resolver on, must name no file twice
apart (a file calling itself is one stop, not two). The HTTP plumbing above the resolver is
left out: an ASGI middleware is called back through the `receive` it hands down, by design.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from starlette.testclient import TestClient

from tests.api.conftest import Api
from tests.api.test_medications import PRESCRIBE
from tests.api.test_story import admit_new_patient

ROOT = Path(__file__).resolve().parents[2]
OURS = tuple(str(ROOT / package) + "/" for package in ("api", "graph", "ledger"))
PLUMBING = ("api/app.py", "api/logs.py", "api/graphql/")
PRESCRIPTION = {"medication": {"code": "1191", "name": "aspirin"}, "dose": 75, "unit": "mg",
                "route": "ORAL", "frequency": "daily", "prescribedAt": "2026-11-20T09:00:00Z"}


def _stops(frame: FrameType | None) -> list[str]:
    """Our files on the stack, outermost first, each run of one file counted once."""
    files: list[str] = []
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(OURS) and (not files or files[-1] != name):
            files.append(name)
        frame = frame.f_back
    return [str(Path(f).relative_to(ROOT)) for f in reversed(files)]


@contextmanager
def walks(client: TestClient) -> Iterator[set[tuple[str, ...]]]:
    """Every distinct stack of our files seen while the block runs: in the server's event
    loop, in this thread, and in any thread started meanwhile."""
    seen: set[tuple[str, ...]] = set()

    def profile(frame: FrameType, event: str, _: Any) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(OURS):
            seen.add(tuple(_stops(frame)))

    assert client.portal is not None
    threading.setprofile(profile)
    sys.setprofile(profile)
    client.portal.call(sys.setprofile, profile)
    try:
        yield seen
    finally:
        client.portal.call(sys.setprofile, None)
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


def _detours(seen: set[tuple[str, ...]], resolver: str) -> list[tuple[str, ...]]:
    """The stacks, from the resolver down, that come back to a file they left. A stack
    without the resolver is either HTTP plumbing (left out) or work the resolver handed to
    a task of its own, such as the recorder's projection (kept whole)."""
    walked = [stack[stack.index(resolver):] for stack in seen if resolver in stack]
    walked += [stack for stack in seen if resolver not in stack and stack
               and not stack[0].startswith(PLUMBING)]
    return sorted(stack for stack in walked if len(set(stack)) != len(stack))


def test_admitting_and_prescribing_pass_through_each_file_once(client: TestClient,
                                                               admin: Api) -> None:
    doctor, _ = Api(client).staff(admin, "PHYSICIAN")
    # The code lists and catalogues load on first use: done once unwatched, as they are slow
    # under a profiler and beside the point.
    first = admit_new_patient(doctor)["patientId"]
    doctor.data(PRESCRIBE, {"i": {"patientId": first, **PRESCRIPTION}})
    with walks(client) as admitting:
        patient_id = admit_new_patient(doctor)["patientId"]
    with walks(client) as prescribing:
        doctor.data(PRESCRIBE, {"i": {"patientId": patient_id, **PRESCRIPTION}})
    for seen, resolver in ((admitting, "api/graphql/care.py"),
                           (prescribing, "api/graphql/prescriptions.py")):
        reached = {f for stack in seen for f in stack}
        # the walk was seen whole: the edge, the rules, the ledger and the graph
        assert {resolver, "api/twin/recorder.py", "ledger/log.py",
                "graph/projection.py"} <= reached
        assert any(f.startswith("api/twin/") for f in reached)
        assert _detours(seen, resolver) == []
