"""The endpoint speaks GraphQL over HTTP, and bounds what one request may cost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.app import create_app
from tests.api.conftest import Api, first_admin, make_settings
from tests.api.test_subscriptions import connected

GRAPHQL_RESPONSE = "application/graphql-response+json"
INFO = "{ serverInfo { graphBackend } }"


@pytest.fixture
def server(shared_client: TestClient) -> TestClient:
    """The module's one server, for requests that record nothing and so need no server of
    their own (a test that checks what is recorded, or records, takes `client`)."""
    return shared_client


def test_a_query_over_get(server: TestClient) -> None:
    response = server.get("/graphql", params={"query": INFO})
    assert response.status_code == 200
    assert response.json()["data"]["serverInfo"]["graphBackend"] == "falkordb"


def test_a_mutation_over_get_is_refused(server: TestClient) -> None:
    response = server.get("/graphql", params={
        "query": 'mutation { login(username: "a", password: "b") { __typename } }'})
    assert response.status_code == 405


def test_graphql_response_media_type_gets_spec_status_codes(server: TestClient) -> None:
    headers = {"Accept": GRAPHQL_RESPONSE}
    ok = server.post("/graphql", json={"query": INFO}, headers=headers)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith(GRAPHQL_RESPONSE)

    broken = server.post("/graphql", json={"query": "{ serverInfo { "}, headers=headers)
    assert broken.status_code == 400
    assert broken.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = broken.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error")

    unknown = server.post("/graphql", json={"query": "{ nothingHere }"}, headers=headers)
    assert unknown.status_code == 400
    assert "Cannot query field 'nothingHere'" in unknown.json()["errors"][0]["message"]


def test_plain_json_clients_get_200_with_the_errors(server: TestClient) -> None:
    response = server.post("/graphql", json={"query": "{ serverInfo { "})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["message"].startswith("Syntax Error")


def test_a_body_that_is_not_json_is_a_clear_400(server: TestClient) -> None:
    response = server.post("/graphql", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Unable to parse request body as JSON"}]}


@pytest.mark.parametrize("body", [
    b"0", b'"query"', b"null", b"true", b"[0]", b'{"query": 5}',
    b'{"query": "{ serverInfo { version } }", "variables": 3}',
    b'{"query": "{ serverInfo { version } }", "variables": []}',
    b'{"query": "{ serverInfo { version } }", "operationName": 7}',
])
def test_json_that_is_not_a_graphql_request_is_a_clear_400(server: TestClient,
                                                           body: bytes) -> None:
    response = server.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["message"]


def test_a_nul_character_anywhere_in_a_request_is_a_clear_400(server: TestClient) -> None:
    query = "query($p: ID!) { twin(patientId: $p) { patient { id } } }"
    accept = {"Accept": GRAPHQL_RESPONSE}
    for response in (
        server.post("/graphql", json={"query": query, "variables": {"p": "a\x00b"}},
                    headers=accept),
        server.post("/graphql", json={
            "query": '{ twin(patientId: "a\\u0000b") { patient { id } } }'}, headers=accept),
        server.get("/graphql", params={"query": query, "variables": '{"p": "a\\u0000b"}'},
                   headers=accept),
    ):
        assert response.status_code == 400, response.text
        assert "NUL character" in response.json()["errors"][0]["message"]


def test_a_variable_of_the_wrong_type_is_named(server: TestClient) -> None:
    error = Api(server).error("query($p: ID!) { twin(patientId: $p) { patient { id } } }",
                              {"p": [1]})
    assert "Variable '$p'" in error["message"]


def test_a_batch_of_operations_is_refused(server: TestClient) -> None:
    """One request, one operation: a batch would multiply what the limits allow."""
    response = server.post("/graphql", json=[{"query": INFO}, {"query": INFO}])
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Batching is not enabled"}]}


def test_an_oversized_body_is_refused_before_it_is_read(server: TestClient) -> None:
    response = server.post("/graphql", json={"query": INFO, "pad": "x" * 300_000})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_too_many_aliases_are_refused(server: TestClient) -> None:
    many = "query { " + "".join(f"a{i}: serverInfo {{ version }} " for i in range(40)) + "}"
    assert "aliases found" in Api(server).error(many)["message"]
    few = "query { " + "".join(f"a{i}: serverInfo {{ version }} " for i in range(5)) + "}"
    assert len(Api(server).data(few)) == 5


def test_depth_limit(data_dir: Path) -> None:
    with TestClient(create_app(make_settings(data_dir, max_query_depth=3))) as client:
        deep = Api(client).post(
            "{ twin(patientId: \"x\") { timeline { observations { anchor { seq } } } } }")
        shallow = Api(client).post("{ twin(patientId: \"x\") { patient { id } } }")
    assert "exceeds maximum operation depth" in deep["errors"][0]["message"]
    assert shallow["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_token_limit(data_dir: Path) -> None:
    with TestClient(create_app(make_settings(data_dir, max_query_tokens=50))) as client:
        body = Api(client).post("{ " + "serverInfo { version } " * 30 + "}")
    assert "token" in body["errors"][0]["message"].lower()


@pytest.mark.parametrize("enabled", [True, False])
def test_introspection_and_graphiql_follow_the_settings(data_dir: Path, enabled: bool) -> None:
    settings = make_settings(data_dir, introspection=enabled, graphiql=enabled)
    with TestClient(create_app(settings)) as client:
        body = Api(client).post("{ __schema { queryType { name } } }")
        page = client.get("/graphql", headers={"Accept": "text/html"})
    assert ("errors" not in body) is enabled
    assert (page.status_code == 200 and "graphiql" in page.text.lower()) is enabled


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready == {"ready": True, "checks": {"graph": True, "ledger": True},
                     "progress": {"ledger_size": 0, "graph_cursor": -1,
                                  "refused_entries": [],
                                  "witnessing": {"quorum": 1, "cosigned_size": 0,
                                                 "witnesses": {}}}}


DEEP = b"[" * 100_000 + b"]" * 100_000
SURROGATE = b'{"query": "query($p: ID!) { twin(patientId: $p) { patient { id } } }", ' \
            b'"variables": {"p": "a\\ud800b"}}'


@pytest.mark.parametrize(("body", "message"), [
    (DEEP, "the request nests JSON deeper than 32 levels"),
    (b'{"query": "{ serverInfo { version } }", "variables": {"v": ' + b"[" * 40 + b"]" * 40
     + b"}}", "the request nests JSON deeper than 32 levels"),
    (SURROGATE, "the request holds a lone surrogate (U+D800)"),
    (b'{"query": "{ twin(patientId: \\"\\udfff\\") { patient { id } } }"}',
     "the request holds a lone surrogate (U+DFFF)"),
], ids=["100000 nested arrays", "nested variables", "surrogate in a variable",
        "surrogate in the document"])
def test_json_no_operation_could_take_is_a_clear_400(server: TestClient, body: bytes,
                                                     message: str) -> None:
    for accept in ("application/json", GRAPHQL_RESPONSE):
        response = server.post("/graphql", content=body, headers={
            "Content-Type": "application/json", "Accept": accept})
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["message"].startswith(message)


def test_a_lone_surrogate_in_get_variables_is_a_clear_400(server: TestClient) -> None:
    response = server.get("/graphql", params={
        "query": "query($p: ID!) { twin(patientId: $p) { patient { id } } }",
        "variables": '{"p": "\\ud83d"}'})
    assert response.status_code == 400
    assert "lone surrogate (U+D83D)" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_subscription_over_http_is_a_clear_400(server: TestClient, method: str) -> None:
    query = "subscription { ledgerGrew { treeSize } }"
    response = (server.post("/graphql", json={"query": query}) if method == "POST"
                else server.get("/graphql", params={"query": query}))
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["message"] == (
        f"subscriptions are not allowed when using {method}; subscribe over a WebSocket at "
        "/graphql (graphql-transport-ws)")


TWO_OPERATIONS = "query A { serverInfo { version } } query B { serverInfo { graphBackend } }"


def test_two_operations_without_an_operation_name_are_an_error(server: TestClient) -> None:
    """GraphQL spec, GetOperation(): a document with several operations needs a name."""
    response = server.post("/graphql", json={"query": TWO_OPERATIONS},
                           headers={"Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert response.json() == {"errors": [{
        "message": "Must provide operation name if query contains multiple operations.",
        "extensions": {"code": "BAD_REQUEST"}}]}
    named = server.post("/graphql", json={"query": TWO_OPERATIONS, "operationName": "B"})
    assert named.json() == {"data": {"serverInfo": {"graphBackend": "falkordb"}}}


def _socket_answer(client: TestClient, token: str | None, message: str) -> dict[str, Any]:
    """What the server does with one raw message after the handshake: the message it
    answers with, or how it closes the socket."""
    with connected(client, {"token": token}) as ws:
        ws.send_text(message)
        try:
            answer: dict[str, Any] = ws.receive_json()
        except WebSocketDisconnect as closed:
            return {"close": closed.code, "reason": closed.reason}
        return answer


def _subscribe(query: str, **payload: Any) -> str:
    return json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, **payload}})


def test_json_no_operation_could_take_closes_a_socket_with_4400(client: TestClient,
                                                                admin: Api) -> None:
    """graphql-transport-ws: an invalid message closes with 4400, and says why."""
    assert _socket_answer(client, admin.token, DEEP.decode()) == {
        "close": 4400, "reason": "the request nests JSON deeper than 32 levels"}
    surrogate = _socket_answer(client, admin.token, '{"id": "1", "type": "subscribe", '
                               '"payload": {"query": "{ serverInfo { version } }", '
                               '"variables": {"p": "\\ud800"}}}')
    assert surrogate["close"] == 4400
    assert surrogate["reason"].startswith("the request holds a lone surrogate (U+D800)")


def test_a_socket_has_the_limits_of_a_post(data_dir: Path) -> None:
    """The same bounds on both transports: message size as body size, and the depth, alias
    and token limits of the document."""
    settings = make_settings(data_dir, max_query_depth=3, max_query_tokens=200,
                             max_body_bytes=4096)
    with TestClient(create_app(settings)) as client:
        token = first_admin(client).token
        big = _socket_answer(client, token, _subscribe(INFO, variables={"pad": "x" * 5000}))
        tokens = _socket_answer(client, token, _subscribe("{ " + "serverInfo { version } " * 60
                                                          + "}"))
        deep = _socket_answer(client, token, _subscribe(
            '{ twin(patientId: "x") { timeline { observations { anchor { seq } } } } }'))
        aliases = _socket_answer(client, token, _subscribe(
            "{ " + "".join(f"a{i}: __typename " for i in range(40)) + "}"))
        two = _socket_answer(client, token, _subscribe(TWO_OPERATIONS))
    assert big == {"close": 1009, "reason": "a message is larger than 4096 bytes"}
    assert tokens == {"close": 4400, "reason": "Syntax Error: Document contains more than 200 "
                                               "tokens. Parsing aborted."}
    assert deep["type"] == "error"
    assert "exceeds maximum operation depth of 3" in deep["payload"][0]["message"]
    assert aliases["type"] == "error"
    assert aliases["payload"][0]["message"] == "40 aliases found. Allowed: 30"
    assert two["type"] == "error"
    assert two["payload"][0]["message"].startswith("Must provide operation name")
