"""The endpoint speaks GraphQL over HTTP, and bounds what one request may cost."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from tests.api.conftest import Api, make_settings

GRAPHQL_RESPONSE = "application/graphql-response+json"
INFO = "{ serverInfo { graphBackend } }"


def test_a_query_over_get(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": INFO})
    assert response.status_code == 200
    assert response.json()["data"]["serverInfo"]["graphBackend"] == "falkordb"


def test_a_mutation_over_get_is_refused(client: TestClient) -> None:
    response = client.get("/graphql", params={
        "query": 'mutation { login(username: "a", password: "b") { __typename } }'})
    assert response.status_code == 405


def test_graphql_response_media_type_gets_spec_status_codes(client: TestClient) -> None:
    headers = {"Accept": GRAPHQL_RESPONSE}
    ok = client.post("/graphql", json={"query": INFO}, headers=headers)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith(GRAPHQL_RESPONSE)

    broken = client.post("/graphql", json={"query": "{ serverInfo { "}, headers=headers)
    assert broken.status_code == 400
    assert broken.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = broken.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error")

    unknown = client.post("/graphql", json={"query": "{ nothingHere }"}, headers=headers)
    assert unknown.status_code == 400
    assert "Cannot query field 'nothingHere'" in unknown.json()["errors"][0]["message"]


def test_plain_json_clients_get_200_with_the_errors(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ serverInfo { "})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["message"].startswith("Syntax Error")


def test_a_body_that_is_not_json_is_a_clear_400(client: TestClient) -> None:
    response = client.post("/graphql", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Unable to parse request body as JSON"}]}


@pytest.mark.parametrize("body", [
    b"0", b'"query"', b"null", b"true", b"[0]", b'{"query": 5}',
    b'{"query": "{ serverInfo { version } }", "variables": 3}',
    b'{"query": "{ serverInfo { version } }", "variables": []}',
    b'{"query": "{ serverInfo { version } }", "operationName": 7}',
])
def test_json_that_is_not_a_graphql_request_is_a_clear_400(client: TestClient,
                                                           body: bytes) -> None:
    response = client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["message"]


def test_a_nul_character_anywhere_in_a_request_is_a_clear_400(client: TestClient) -> None:
    query = "query($p: ID!) { twin(patientId: $p) { patient { id } } }"
    accept = {"Accept": GRAPHQL_RESPONSE}
    for response in (
        client.post("/graphql", json={"query": query, "variables": {"p": "a\x00b"}},
                    headers=accept),
        client.post("/graphql", json={
            "query": '{ twin(patientId: "a\\u0000b") { patient { id } } }'}, headers=accept),
        client.get("/graphql", params={"query": query, "variables": '{"p": "a\\u0000b"}'},
                   headers=accept),
    ):
        assert response.status_code == 400, response.text
        assert "NUL character" in response.json()["errors"][0]["message"]


def test_a_variable_of_the_wrong_type_is_named(api: Api) -> None:
    error = api.error("query($p: ID!) { twin(patientId: $p) { patient { id } } }", {"p": [1]})
    assert "Variable '$p'" in error["message"]


def test_a_batch_of_operations_is_refused(client: TestClient) -> None:
    """One request, one operation: a batch would multiply what the limits allow."""
    response = client.post("/graphql", json=[{"query": INFO}, {"query": INFO}])
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Batching is not enabled"}]}


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": INFO, "pad": "x" * 300_000})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_too_many_aliases_are_refused(api: Api) -> None:
    many = "query { " + "".join(f"a{i}: serverInfo {{ version }} " for i in range(40)) + "}"
    assert "aliases found" in api.error(many)["message"]
    few = "query { " + "".join(f"a{i}: serverInfo {{ version }} " for i in range(5)) + "}"
    assert len(api.data(few)) == 5


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
                                  "refused_entries": []}}
