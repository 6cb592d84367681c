"""Registration, login and authorization: who may log in, and which tokens are honoured."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.testclient import TestClient

from api.auth.tokens import AUDIENCE, ISSUER, TokenIssuer
from tests.api.conftest import STAFF_PASSWORD, Api

LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename ... on Session { token user { role status } } ... on InvalidCredentials { message }
} }"""
ME = "{ me { username role status } }"
PENDING = "{ pendingUsers(first: 10) { totalCount edges { node { username role status } } } }"


def _login(api: Api, username: str, password: str) -> dict[str, str]:
    result: dict[str, str] = api.data(LOGIN, {"u": username, "p": password})["login"]
    return result


def test_registration_waits_for_an_admin(api: Api, admin: Api) -> None:
    user_id = api.register("PHYSICIAN", "dr.new")
    assert _login(api, "dr.new", STAFF_PASSWORD)["__typename"] == "InvalidCredentials"
    pending = admin.data(PENDING)["pendingUsers"]
    assert pending["totalCount"] == 1
    assert pending["edges"][0]["node"] == {"username": "dr.new", "role": "PHYSICIAN",
                                           "status": "PENDING"}
    authorized = admin.data("mutation($id: ID!) { authorizeUser(id: $id) {"
                            " user { status } anchor { seq } } }", {"id": user_id})
    assert authorized["authorizeUser"]["user"]["status"] == "ACTIVE"
    session = _login(api, "dr.new", STAFF_PASSWORD)
    assert session["__typename"] == "Session"
    assert api.as_(session["token"]).data(ME)["me"] == {
        "username": "dr.new", "role": "PHYSICIAN", "status": "ACTIVE"}
    assert admin.data(PENDING)["pendingUsers"]["totalCount"] == 0


def test_every_refused_login_says_the_same(api: Api, admin: Api) -> None:
    api.register("TRANSPORT", "medic.pending")
    suspended_id = api.register("PHYSICIAN", "dr.suspended")
    admin.data("mutation($id: ID!) { authorizeUser(id: $id) { user { id } } }",
               {"id": suspended_id})
    admin.data("mutation($id: ID!) { suspendUser(id: $id) { user { id } } }",
               {"id": suspended_id})
    answers = {
        _login(api, "admin", "wrong password entirely")["message"],
        _login(api, "nobody.here", STAFF_PASSWORD)["message"],
        _login(api, "medic.pending", STAFF_PASSWORD)["message"],
        _login(api, "dr.suspended", STAFF_PASSWORD)["message"],
    }
    assert answers == {"invalid username or password, or the account is not active"}


def test_a_suspended_users_token_stops_working_at_once(api: Api, admin: Api) -> None:
    doctor, doctor_id = api.staff(admin, "PHYSICIAN")
    assert doctor.data(ME)["me"]["status"] == "ACTIVE"
    admin.data("mutation($id: ID!) { suspendUser(id: $id) { user { status } } }",
               {"id": doctor_id})
    error = doctor.error(ME)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "not active" in error["message"]


@pytest.mark.parametrize("field,value,message", [
    ("username", "No Spaces Allowed", "username: use 3 to 64 lower-case letters"),
    ("username", "ab", "username: use 3 to 64"),
    ("password", "short", "password: must be at least 12 characters"),
    ("licenceNumber", "", "licenceNumber: is required"),
    ("specialty", "   ", "specialty: is required"),
    ("displayName", "x" * 201, "displayName: must be at most 200 characters"),
])
def test_registration_input_is_checked(api: Api, admin: Api, field: str, value: str,
                                       message: str) -> None:
    data = {"username": "dr.valid", "password": STAFF_PASSWORD, "displayName": "Dr Valid",
            "role": "PHYSICIAN", "specialty": "Surgery", "licenceNumber": "MD-1", field: value}
    error = api.error("mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
                      {"i": data})
    assert error["message"].startswith(message)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert admin.data(PENDING)["pendingUsers"]["totalCount"] == 0


REGISTER = """mutation($i: RegisterInput!) { register(input: $i) { message user {
  id username role status displayName registeredAt specialty licenceNumber company
  anchor { seq } } } }"""


def _ledger_size(client: TestClient) -> int:
    return int(client.get("/ready").json()["progress"]["ledger_size"])


def test_a_taken_username_is_answered_like_a_free_one_and_written_nowhere(
        client: TestClient, api: Api, admin: Api, caplog: pytest.LogCaptureFixture) -> None:
    """Registration does not tell an anonymous caller that a user exists: the answer for a
    taken username is the answer for a free one; nothing is recorded, and the server logs
    the attempt (the existing user's id, no name) for the administrators."""
    existing_id = api.register("TRANSPORT", "medic.one")
    attempt = {"username": "medic.one", "password": STAFF_PASSWORD, "displayName": "Other",
               "role": "TRANSPORT", "company": "Elsewhere Ambulance"}
    size = _ledger_size(client)
    with caplog.at_level(logging.WARNING, logger="api.auth.accounts"):
        taken = api.data(REGISTER, {"i": attempt})["register"]
    assert _ledger_size(client) == size
    free = api.data(REGISTER, {"i": {**attempt, "username": "medic.two"}})["register"]
    assert _ledger_size(client) == size + 1

    def shape(answer: dict[str, Any]) -> dict[str, Any]:
        user = {k: v for k, v in answer["user"].items()
                if k not in ("id", "username", "registeredAt")}
        return {"message": answer["message"], "user": user,
                "id": str(uuid.UUID(answer["user"]["id"])) == answer["user"]["id"]}

    assert shape(taken) == shape(free)
    assert taken["user"]["id"] != existing_id
    pending = admin.data("{ pendingUsers { edges { node { id username company } } } }")
    assert sorted((e["node"]["username"], e["node"]["company"])
                  for e in pending["pendingUsers"]["edges"]) == [
        ("medic.one", "Metro Ambulance Service"), ("medic.two", "Elsewhere Ambulance")]
    [record] = [r for r in caplog.records if r.getMessage().startswith("registration for")]
    assert (record.user_id, record.answered_id) == (existing_id, taken["user"]["id"])
    assert "medic.one" not in str(record.__dict__)


def test_admin_operations_need_an_admin(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    target = api.register("TRANSPORT")
    for caller, code in [(api, "UNAUTHENTICATED"), (doctor, "FORBIDDEN")]:
        error = caller.error("mutation($id: ID!) { authorizeUser(id: $id) { user { id } } }",
                             {"id": target})
        assert error["extensions"]["code"] == code
        assert caller.error(PENDING)["extensions"]["code"] == code


def test_an_admin_creates_auditors_who_can_log_in(api: Api, admin: Api) -> None:
    created = admin.data("mutation($i: AuditorInput!) { createAuditor(input: $i) {"
                         " user { role status } } }",
                         {"i": {"username": "audit.one", "password": STAFF_PASSWORD,
                                "displayName": "External Auditor"}})
    assert created["createAuditor"]["user"] == {"role": "AUDITOR", "status": "ACTIVE"}
    assert _login(api, "audit.one", STAFF_PASSWORD)["__typename"] == "Session"


def test_physicians_and_crews_are_listed_page_by_page(api: Api, admin: Api) -> None:
    for i in range(5):
        api.register("PHYSICIAN", f"dr.page{i}")
    api.register("TRANSPORT", "medic.page")
    query = """query($after: String) { physicians(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { username } } } }"""
    seen, after = [], None
    while True:
        page = admin.data(query, {"after": after})["physicians"]
        assert page["totalCount"] == 5
        seen += [e["node"]["username"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"dr.page{i}" for i in range(5)]
    crews = admin.data("{ transportCrews { edges { node { username company } } } }")
    assert crews["transportCrews"]["edges"] == [
        {"node": {"username": "medic.page", "company": "Metro Ambulance Service"}}]
    bad = admin.error("{ physicians(after: \"bm90IGEgY3Vyc29y\") { totalCount } }")
    assert bad["message"] == "after: is not a cursor returned by this list"


def _token(client: TestClient, key: Ed25519PrivateKey | None = None, **claims: object) -> str:
    now = datetime.now(UTC)
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "role": "ADMIN", "iat": now,
               "exp": now + timedelta(minutes=5), **claims}
    return jwt.encode(payload, key or Ed25519PrivateKey.generate(), algorithm="EdDSA")


def test_forged_expired_and_unsigned_tokens_are_refused(client: TestClient, admin: Api) -> None:
    resources = client.app.state.resources  # type: ignore[attr-defined]
    issuer: TokenIssuer = resources.tokens
    assert admin.token is not None
    admin_id = issuer.verify(admin.token).user_id
    expired, _ = issuer.issue(admin_id, "ADMIN", now=datetime.now(UTC) - timedelta(hours=1))
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    body = jwt.utils.base64url_encode(
        f'{{"sub":"{admin_id}","role":"ADMIN","iss":"hdt","aud":"hdt-api",'
        f'"exp":{int(time.time()) + 300},"iat":{int(time.time())}}}'.encode()).decode()
    cases = {
        "another key": (_token(client, sub=admin_id), "the access token is not valid"),
        "expired": (expired, "the access token has expired; log in again"),
        "alg none": (f"{header}.{body}.", "the access token is not valid"),
        "garbage": ("not-a-token", "the access token is not valid"),
    }
    for name, (token, message) in cases.items():
        error = admin.as_(token).error(ME)
        assert (error["extensions"]["code"], error["message"]) == ("UNAUTHENTICATED", message), name
    response = client.post("/graphql", json={"query": ME}, headers={"Authorization": "Basic x"})
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
