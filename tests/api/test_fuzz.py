"""Hostile input: queries and mutations generated from our own schema by hypothesis-graphql,
sent with and without tokens. No answer may be a 500, leak an internal message or a stack
trace, or put clinical content in the logs. `HDT_FUZZ_EXAMPLES` sets the effort."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import hypothesis_graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from starlette.testclient import TestClient
from strawberry.printer import print_schema

from api.graphql.limits import MASKED_MESSAGE
from api.graphql.schema import schema
from tests.api.conftest import Api, first_admin
from tests.api.test_story import admit_new_patient

EXAMPLES = int(os.environ.get("HDT_FUZZ_EXAMPLES", "120"))
SDL = print_schema(schema)
LEAKS = ("Traceback", "File \"", "StoreError", "KeyError", "AttributeError", "TypeError",
         "redis", "falkordb", "neo4j.", "/work/", ".py", MASKED_MESSAGE)
SCALARS = {
    "DateTime": st.datetimes(timezones=st.sampled_from([None]) | st.timezones())
    .map(lambda d: nodes.String(d.isoformat())),
    "Date": st.dates().map(lambda d: nodes.String(d.isoformat())),
}


@pytest.fixture(scope="module")
def callers(shared_client: TestClient) -> dict[str, Api]:
    admin = first_admin(shared_client)
    doctor, _ = Api(shared_client).staff(admin, "PHYSICIAN")
    admit_new_patient(doctor)  # something clinical that must never reach a log
    return {"anonymous": Api(shared_client), "admin": admin, "physician": doctor}


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    caplog.set_level(logging.DEBUG)
    yield caplog.records


def _check(body: dict[str, Any], status: int) -> None:
    assert status < 500, body
    assert "data" in body or "errors" in body, body
    text = str(body.get("errors", ""))
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} leaked in {text}"


def _send(caller: Api, query: object) -> None:
    headers = {"Authorization": f"Bearer {caller.token}"} if caller.token else {}
    response = caller.client.post("/graphql", json={"query": query}, headers=headers)
    _check(response.json(), response.status_code)


@pytest.mark.parametrize("who", ["anonymous", "admin", "physician"])
def test_generated_queries_and_mutations_never_fail_badly(
    callers: dict[str, Api], who: str, records: list[logging.LogRecord],
) -> None:
    operations = (hypothesis_graphql.from_schema(SDL, custom_scalars=SCALARS)
                  | hypothesis_graphql.from_schema(SDL, custom_scalars=SCALARS,
                                                   mode=hypothesis_graphql.Mode.NEGATIVE))

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(operations)
    def run(query: object) -> None:
        _send(callers[who], query)

    run()
    logged = "\n".join(record.getMessage() + str(record.__dict__) for record in records)
    for clinical in ("Robin", "Crushing chest pain", "penicillin"):
        assert clinical not in logged


@given(st.text(max_size=300))
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_arbitrary_text_as_a_query(shared_client: TestClient, text: str) -> None:
    response = shared_client.post("/graphql", json={"query": text})
    _check(response.json(), response.status_code)


@given(st.binary(max_size=300))
@settings(max_examples=EXAMPLES // 2, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_arbitrary_bytes_as_a_body(shared_client: TestClient, body: bytes) -> None:
    response = shared_client.post("/graphql", content=body,
                                  headers={"Content-Type": "application/json"})
    assert response.status_code < 500
