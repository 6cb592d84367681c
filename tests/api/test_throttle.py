"""Failed logins and registrations are throttled: an account at one address is locked, an
account from anywhere and everyone behind one address wait longer and longer (a ward behind
one NAT is slowed, never shut out for the window), registrations are counted per address,
and the address is the one the server saw unless a configured proxy forwarded it."""

from __future__ import annotations

import signal
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.auth.throttle import Throttle
from tests.api.conftest import (
    ADMIN_PASSWORD,
    STAFF_PASSWORD,
    Api,
    first_admin,
    from_address,
    make_settings,
)
from tests.api.live import CLEAN_EXIT, HDT, env_for, wait_for_health

LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename ... on TooManyAttempts { retryAfterSeconds } } }"""
REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
PENDING = "{ pendingUsers { totalCount } }"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_lock_lasts_until_the_window_slides() -> None:
    clock = Clock()
    throttle = Throttle(limit=3, window_seconds=60, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("dr.x") == 0
        throttle.count("dr.x")
        clock.now += 10
    assert throttle.retry_after("dr.x") == 30  # the first failure leaves the window at 1060
    assert throttle.retry_after("dr.y") == 0
    clock.now += 30
    assert throttle.retry_after("dr.x") == 0
    throttle.count("dr.x")
    throttle.forget("dr.x")
    assert throttle.retry_after("dr.x") == 0


def test_a_delay_doubles_with_each_failure_up_to_its_cap() -> None:
    clock = Clock()
    throttle = Throttle(limit=2, window_seconds=900, max_delay_seconds=5, clock=clock)
    throttle.count("10.0.0.1")
    throttle.count("10.0.0.1")
    waits = []
    for _ in range(5):
        waits.append(throttle.retry_after("10.0.0.1"))
        clock.now += waits[-1]
        assert throttle.retry_after("10.0.0.1") == 0
        throttle.count("10.0.0.1")
    assert waits == [1, 2, 4, 5, 5]
    clock.now += 900  # every failure has left the window
    assert throttle.retry_after("10.0.0.1") == 0


def _login(api: Api, username: str, password: str) -> dict[str, object]:
    result: dict[str, object] = api.data(LOGIN, {"u": username, "p": password})["login"]
    return result


def test_an_account_is_locked_after_repeated_failures(api: Api, admin: Api) -> None:
    for _ in range(5):
        assert _login(api, "admin", "not the password at all")["__typename"] == \
            "InvalidCredentials"
    locked = _login(api, "admin", ADMIN_PASSWORD)
    assert locked["__typename"] == "TooManyAttempts"
    assert 0 < int(str(locked["retryAfterSeconds"])) <= 900
    for _ in range(5):  # an unknown username is throttled the same way
        _login(api, "nobody.at.all", "guess guess guess")
    assert _login(api, "nobody.at.all", "guess")["__typename"] == "TooManyAttempts"


def test_a_locked_account_still_logs_in_from_another_address(client: TestClient,
                                                             admin: Api) -> None:
    """The lock is per account and address: failures at one terminal do not lock the user
    out of the others."""
    ward, office = from_address(client, "10.0.0.7"), from_address(client, "10.0.0.8")
    for _ in range(5):
        assert _login(ward, "admin", "not the password at all")["__typename"] == \
            "InvalidCredentials"
    assert _login(ward, "admin", ADMIN_PASSWORD)["__typename"] == "TooManyAttempts"
    assert _login(office, "admin", ADMIN_PASSWORD)["__typename"] == "Session"


def test_one_address_spraying_slows_its_users_but_does_not_shut_them_out(
        data_dir: Path) -> None:
    settings = make_settings(data_dir, login_failures_per_address=4)
    with TestClient(create_app(settings)) as client:
        first_admin(client)
        api = Api(client)
        answers = [_login(api, f"user{i}", "wrong password here")["__typename"]
                   for i in range(4)]
        assert answers == ["InvalidCredentials"] * 4
        # The next try from this address, whoever makes it, waits a second at most (it
        # may already have passed): not the 15 minutes of the window.
        admin = _login(api, "admin", ADMIN_PASSWORD)
        assert admin["__typename"] == "Session" or admin == {
            "__typename": "TooManyAttempts", "retryAfterSeconds": 1}, admin
        assert _login(from_address(client, "10.0.0.9"), "admin",
                      ADMIN_PASSWORD)["__typename"] == "Session"


def _registration(username: str) -> dict[str, Any]:
    return {"username": username, "password": STAFF_PASSWORD, "displayName": "Synthetic Medic",
            "role": "TRANSPORT", "company": "Metro Ambulance Service"}


def test_registrations_are_throttled_per_address(data_dir: Path) -> None:
    settings = make_settings(data_dir, registrations_per_address=2)
    with TestClient(create_app(settings)) as client:
        admin = first_admin(client)
        api = Api(client)
        for i in range(2):
            api.data(REGISTER, {"i": _registration(f"medic.{i}")})
        error = api.error(REGISTER, {"i": _registration("medic.2")})
        assert error["extensions"]["code"] == "TOO_MANY_REQUESTS"
        assert 0 < error["extensions"]["retryAfterSeconds"] <= 3600
        assert admin.data(PENDING)["pendingUsers"]["totalCount"] == 2
        from_address(client, "10.0.0.10").data(REGISTER, {"i": _registration("medic.3")})
        assert admin.data(PENDING)["pendingUsers"]["totalCount"] == 3


@contextmanager
def _serving(data_dir: Path, **settings: str) -> Iterator[str]:
    """A real `hdt serve`, as an operator starts it."""
    env = env_for(data_dir, **settings)
    proc = subprocess.Popen([HDT, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{env['HDT_PORT']}"
    try:
        wait_for_health(base, proc, timeout=120)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) in CLEAN_EXIT


def _register_via(base: str, forwarded_for: str) -> str:
    """The error code of a registration sent with this X-Forwarded-For; "" when accepted."""
    answer = httpx.post(f"{base}/graphql", headers={"X-Forwarded-For": forwarded_for},
                        json={"query": REGISTER,
                              "variables": {"i": _registration(f"medic.{uuid.uuid4().hex[:8]}")}},
                        timeout=30).json()
    return str(answer["errors"][0]["extensions"]["code"]) if answer.get("errors") else ""


@pytest.mark.timeout(300)
def test_forwarded_addresses_are_believed_only_from_configured_proxies(
        short_tmp: Path) -> None:
    with _serving(short_tmp / "no-proxy", HDT_REGISTRATIONS_PER_ADDRESS="2") as base:
        codes = [_register_via(base, f"203.0.113.{i}") for i in range(3)]
    assert codes == ["", "", "TOO_MANY_REQUESTS"], "a client chose its own address"
    with _serving(short_tmp / "proxy", HDT_REGISTRATIONS_PER_ADDRESS="2",
                  HDT_TRUSTED_PROXIES="127.0.0.1") as base:
        codes = [_register_via(base, address) for address in
                 ("203.0.113.1", "203.0.113.2", "203.0.113.1", "203.0.113.1")]
    assert codes == ["", "", "", "TOO_MANY_REQUESTS"]
