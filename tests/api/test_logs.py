"""The server's whole log, read from a real `hdt serve` at DEBUG (the most it ever writes, every
logger, uvicorn's access log included), holds ids and outcomes only: failing operations that
carry clinical content leave none of it behind, on either transport."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from tests.api.live import LiveServer, start_ward

pytestmark = pytest.mark.timeout(240)

# Synthetic clinical content, one marker per place it could leak from; alphanumeric, so that
# neither JSON nor URL encoding would hide one from the search below.
NAME, FAMILY, COMPLAINT = "Zebulonqx", "Quixoticqx", "Ulcerqx"
FINDING, BAD_CODE, GET_ID = "Findingqx", "Icdqx9", "Getqx"
SOCKET_ID, SOCKET_SYNTAX = "Socketqx", "Syntaxqx"
CODE = "F20.0"  # a real ICD-10-CM code: a diagnosis is clinical content too
MARKERS = (NAME, FAMILY, COMPLAINT, FINDING, BAD_CODE, GET_ID, SOCKET_ID, SOCKET_SYNTAX, CODE)

ADMIT = "mutation($i: AdmitPatientInput!) { admitPatient(input: $i) { patientId } }"


@pytest.fixture
def ward(short_tmp: Path) -> Iterator[LiveServer]:
    running = start_ward(short_tmp / "logs", log_path=short_tmp / "server.log",
                         log_level="DEBUG")
    try:
        yield running
    finally:
        running.stop()


def _post(ward: LiveServer, token: str, query: str,
          variables: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = httpx.post(f"{ward.base}/graphql", json={"query": query, "variables": variables},
                        headers={"Authorization": f"Bearer {token}"}, timeout=30)
    body: dict[str, Any] = answer.json()
    assert body.get("errors"), body  # every operation here must fail
    return body


def _failing_operations(ward: LiveServer, token: str) -> None:
    patient = {"givenName": NAME, "familyName": FAMILY, "birthDate": "1980-01-01",
               "sex": "FEMALE"}
    admission = {"patient": patient, "arrivalMode": "AMBULANCE", "chiefComplaint": COMPLAINT,
                 "triageLevel": 3}
    _post(ward, token, ADMIT, {"i": {**admission, "arrivedAt": "yest"}})  # coercion error
    _post(ward, token, ADMIT, {"i": {**admission, "arrivedAt": "2026-11-20T08:00:00Z",
                                     "triageLevel": 9}})  # refused by our checks
    _post(ward, token, f"""mutation {{ recordDiagnosis(input: {{patientId: "nobody",
        diagnosedAt: "2026-11-20T09:00:00Z", diseases: [{{code: "{CODE}"}}],
        findings: "{FINDING}"}}) {{ id }} }}""")  # not found, the content in the document
    _post(ward, token, """mutation($i: RecordDiagnosisInput!) {
        recordDiagnosis(input: $i) { id } }""", {"i": {
        "patientId": "nobody", "diagnosedAt": "2026-11-20T09:00:00Z",
        "diseases": [{"code": BAD_CODE}]}})
    answer = httpx.get(f"{ward.base}/graphql", params={
        "query": f'{{ twin(patientId: "{GET_ID}") {{ patient {{ id }} }} }}'},
        headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.json()["errors"]

    url = ward.base.replace("http", "ws", 1) + "/graphql"
    with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {"token": token}}))
        assert json.loads(ws.recv(timeout=30))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": f'subscription {{ twinUpdated(patientId: "{SOCKET_ID}") {{ seq }} }}'}}))
        _until_done(ws)
        ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {
            "query": f'{{ twin(patientId: "{SOCKET_SYNTAX}") '}}))
        _until_done(ws)


def _until_done(ws: ClientConnection) -> None:
    """Read until the operation ends: `error`, `complete`, or a closed socket."""
    with contextlib.suppress(ConnectionClosed):
        while json.loads(ws.recv(timeout=30))["type"] not in ("error", "complete"):
            pass


def test_failing_operations_leave_no_clinical_content_in_the_log(ward: LiveServer) -> None:
    token = ward.login("dr.live")
    _failing_operations(ward, token)
    ward.stop()
    assert ward.log_path is not None
    log = ward.log_path.read_text(encoding="utf-8")

    for marker in MARKERS:
        assert marker.lower() not in log.lower(), f"{marker} is in the log:\n{log}"
    lines = [json.loads(line) for line in log.splitlines()]
    refused = [line for line in lines if line["event"] == "operation refused"]
    assert len(refused) >= 5, log  # the failures were logged: ids and outcomes
    assert any("/graphql" in line["event"] for line in lines if line["logger"] ==
               "uvicorn.access"), log
