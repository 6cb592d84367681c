"""Subscriptions over a real websocket speaking graphql-transport-ws, authenticated on connect."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient, WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from api.auth.tokens import TokenIssuer, load_or_create_key
from api.resources import Resources
from tests.api.conftest import Api
from tests.api.test_audit import CHECKPOINT, new_auditor, story
from tests.api.test_story import ASSIGN, VITALS, admit_new_patient

pytestmark = pytest.mark.timeout(60)  # a message that never comes fails, not hangs

TWIN_UPDATED = """
subscription($p: ID!) {
  twinUpdated(patientId: $p) { patientId seq action anchor { seq entryHash treeSize } } }"""
LEDGER_GREW = "subscription { ledgerGrew { treeSize rootHash checkpoint } }"
PROTOCOL = "graphql-transport-ws"


@contextlib.contextmanager
def connected(client: TestClient, payload: dict[str, Any]) -> Iterator[WebSocketTestSession]:
    """A graphql-transport-ws connection, initialised with `payload` and acknowledged."""
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        assert ws.accepted_subprotocol == PROTOCOL
        ws.send_json({"type": "connection_init", "payload": payload})
        assert ws.receive_json() == {"type": "connection_ack"}
        yield ws


def subscribe(ws: WebSocketTestSession, op: str, query: str, **variables: Any) -> None:
    ws.send_json({"id": op, "type": "subscribe",
                  "payload": {"query": query, "variables": variables}})


def next_data(ws: WebSocketTestSession, op: str) -> dict[str, Any]:
    message = ws.receive_json()
    assert message["id"] == op and message["type"] == "next", message
    assert not message["payload"].get("errors"), message
    data: dict[str, Any] = message["payload"]["data"]
    return data


def ending_error(ws: WebSocketTestSession, op: str) -> dict[str, Any]:
    """The error that ends operation `op` (then `complete`, the connection stays open)."""
    message = ws.receive_json()
    assert message["id"] == op and message["type"] == "next", message
    assert message["payload"]["data"] is None, message
    assert ws.receive_json() == {"id": op, "type": "complete"}
    [error] = message["payload"]["errors"]
    return dict(error)


def vitals(caller: Api, patient_id: str, value: int) -> dict[str, Any]:
    result: dict[str, Any] = caller.data(VITALS.replace("anchor { seq }",
                                                        "anchor { seq entryHash treeSize }"),
                                          {"i": {"patientId": patient_id, "vitals": [
                                              {"sign": "HEART_RATE", "value": value,
                                               "measuredAt": "2026-11-20T09:00:00Z"}]}})
    return result["recordVitals"]


def test_a_physician_hears_of_changes_to_a_patient_in_their_care(
    api: Api, admin: Api, client: TestClient
) -> None:
    patient_id, anchors, doctor = story(api, admin, discharge=False)
    crew, _ = api.staff(admin, "TRANSPORT")

    with connected(client, {"token": doctor.token}) as ws:
        subscribe(ws, "1", TWIN_UPDATED, p=patient_id)
        now = next_data(ws, "1")["twinUpdated"]
        assert (now["seq"], now["action"]) == (anchors[-1]["seq"], "DiagnosisRecorded")
        assert now["anchor"]["entryHash"] == anchors[-1]["entryHash"]

        admit_new_patient(crew)  # another patient: not heard of
        recorded = vitals(doctor, patient_id, 97)
        update = next_data(ws, "1")["twinUpdated"]

    assert update == {"patientId": patient_id, "seq": recorded["anchor"]["seq"],
                      "action": "VitalsRecorded", "anchor": recorded["anchor"]}


def test_a_physician_not_caring_for_the_patient_gets_an_error(
    api: Api, admin: Api, client: TestClient
) -> None:
    patient_id, _, _ = story(api, admin, discharge=False)
    stranger, _ = api.staff(admin, "PHYSICIAN")
    auditor = new_auditor(api, admin)

    for caller, code in ((stranger, "NOT_FOUND"), (auditor, "FORBIDDEN")):
        with connected(client, {"token": caller.token}) as ws:
            subscribe(ws, "1", TWIN_UPDATED, p=patient_id)
            error = ending_error(ws, "1")
        assert error["extensions"]["code"] == code, error


def test_a_suspended_physician_stops_hearing_at_the_next_change(
    api: Api, admin: Api, client: TestClient
) -> None:
    patient_id, _, doctor = story(api, admin, discharge=False)
    colleague, colleague_id = api.staff(admin, "PHYSICIAN")
    admin.data(ASSIGN, {"p": patient_id, "d": colleague_id})
    doctor_id = doctor.data("{ me { id } }")["me"]["id"]

    with connected(client, {"token": doctor.token}) as ws:
        subscribe(ws, "1", TWIN_UPDATED, p=patient_id)
        next_data(ws, "1")
        admin.data("mutation($id: ID!) { suspendUser(id: $id) { user { status } } }",
                   {"id": doctor_id})
        vitals(colleague, patient_id, 101)
        error = ending_error(ws, "1")

    assert error["extensions"]["code"] == "UNAUTHENTICATED", error


def test_ledger_grew_reports_increasing_tree_sizes(
    api: Api, admin: Api, client: TestClient
) -> None:
    patient_id, _, doctor = story(api, admin, discharge=False)
    auditor = new_auditor(api, admin)
    note = auditor.data(CHECKPOINT)["ledgerCheckpoint"]
    ledger = client.app.state.resources.ledger  # type: ignore[attr-defined]

    with connected(client, {"token": auditor.token}) as ws:
        subscribe(ws, "g", LEDGER_GREW)
        now = next_data(ws, "g")["ledgerGrew"]
        assert now["checkpoint"] == note, "the tree as it is, with the checkpoint just signed"
        sizes = [now["treeSize"]]
        for value in (80, 81, 82):
            anchor = vitals(doctor, patient_id, value)["anchor"]
            grown = next_data(ws, "g")["ledgerGrew"]
            assert grown["treeSize"] == anchor["treeSize"]
            assert grown["rootHash"] == ledger.root_hash(grown["treeSize"]).hex()
            assert grown["checkpoint"] is None, "nobody signed this tree yet"
            sizes.append(grown["treeSize"])

    assert sizes == sorted(set(sizes)) and sizes[-1] == ledger.size


def test_ledger_grew_is_for_admins_and_auditors(
    api: Api, admin: Api, client: TestClient
) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    with connected(client, {"token": doctor.token}) as ws:
        subscribe(ws, "g", LEDGER_GREW)
        assert ending_error(ws, "g")["extensions"]["code"] == "FORBIDDEN"
    with connected(client, {"token": admin.token}) as ws:
        subscribe(ws, "g", LEDGER_GREW)
        assert next_data(ws, "g")["ledgerGrew"]["treeSize"] > 0


def forged_token(client: TestClient, tmp: Path, admin: Api) -> str:
    """A well-formed token for the real admin, signed by a key the server never had."""
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    admin_id = admin.data("{ me { id } }")["me"]["id"]
    issuer = TokenIssuer(load_or_create_key(tmp / "forger.pem"), timedelta(minutes=5))
    token, _ = issuer.issue(admin_id, "ADMIN")
    assert resources.tokens is not issuer
    return token


@pytest.mark.parametrize("payload", ["none", "garbage", "forged", "number"])
def test_a_connection_without_a_valid_token_is_closed_with_4403(
    admin: Api, client: TestClient, tmp_path: Path, payload: str
) -> None:
    sent = {"none": {}, "garbage": {"token": "not-a-token"},
            "forged": {"token": forged_token(client, tmp_path, admin)},
            "number": {"token": 42}}[payload]
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_json({"type": "connection_init", "payload": sent})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4403


def test_subscribing_before_connection_init_is_refused(admin: Api, client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        subscribe(ws, "g", LEDGER_GREW)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4401


def test_each_operation_on_a_socket_is_authorized_when_it_runs(
    api: Api, admin: Api, client: TestClient
) -> None:
    """A connection lives for hours; being let in on connect is not a pass for all of them."""
    patient_id, _, doctor = story(api, admin, discharge=False)
    doctor_id = doctor.data("{ me { id } }")["me"]["id"]
    twin = "query($p: ID!) { twin(patientId: $p) { patient { id } } }"

    with connected(client, {"token": doctor.token}) as ws:
        subscribe(ws, "1", twin, p=patient_id)
        assert next_data(ws, "1")["twin"]["patient"]["id"] == patient_id
        assert ws.receive_json() == {"id": "1", "type": "complete"}
        admin.data("mutation($id: ID!) { suspendUser(id: $id) { user { status } } }",
                   {"id": doctor_id})
        subscribe(ws, "2", twin, p=patient_id)
        error = ending_error(ws, "2")

    assert error["extensions"]["code"] == "UNAUTHENTICATED", error
