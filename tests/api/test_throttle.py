"""Failed logins are throttled per username and per client address."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from api.app import create_app
from api.throttle import LoginThrottle
from tests.api.conftest import ADMIN_PASSWORD, Api, first_admin, make_settings

LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename ... on TooManyAttempts { retryAfterSeconds } } }"""


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides() -> None:
    clock = Clock()
    throttle = LoginThrottle(max_failures=3, window_seconds=60, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("dr.x") == 0
        throttle.failed("dr.x")
        clock.now += 10
    assert throttle.retry_after("dr.x") == 30  # the first failure leaves the window at 1060
    assert throttle.retry_after("dr.y") == 0
    clock.now += 30
    assert throttle.retry_after("dr.x") == 0
    throttle.failed("dr.x")
    throttle.succeeded("dr.x")
    assert throttle.retry_after("dr.x") == 0


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


def test_one_address_spraying_many_usernames_is_stopped(data_dir: Path) -> None:
    settings = make_settings(data_dir, login_failures_per_address=4)
    with TestClient(create_app(settings)) as client:
        first_admin(client)
        api = Api(client)
        answers = [_login(api, f"user{i}", "wrong password here")["__typename"]
                   for i in range(6)]
        assert answers == ["InvalidCredentials"] * 4 + ["TooManyAttempts"] * 2
        assert _login(api, "admin", ADMIN_PASSWORD)["__typename"] == "TooManyAttempts"
