"""An expired session: the console asks for the password over the screen, keeps what was
typed, and sends the interrupted request again; nothing is saved twice or before that."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.api.live import HDT, PASSWORD, LiveServer, env_for
from tests.web.browser import BUILD, check_screen, heading
from tests.web.conftest import Actor
from tests.web.test_transport import fill_admission

TOKEN_SECONDS = 4


@pytest.fixture(scope="module")
def short_sessions(short_tmp: Path) -> Iterator[LiveServer]:
    """A server whose tokens last TOKEN_SECONDS, with an admin and one active crew member
    `crew.live` (both with PASSWORD)."""
    env = env_for(short_tmp / "short-sessions", HDT_ADMIN_PASSWORD=PASSWORD,
                  HDT_LOG_LEVEL="WARNING", HDT_CONSOLE_DIR=str(BUILD),
                  HDT_TOKEN_TTL_SECONDS=str(TOKEN_SECONDS))
    subprocess.run([HDT, "create-admin", "--username", "admin", "--display-name", "Admin"],
                   env=env, check=True, capture_output=True)
    server = LiveServer(short_tmp / "short-sessions", env)
    server.start()
    try:
        registered = server.call(None, "mutation($i: RegisterInput!) { register(input: $i) "
                                 "{ user { id } } }", {"i": {
                                     "username": "crew.live", "password": PASSWORD,
                                     "displayName": "Crew Live", "role": "TRANSPORT",
                                     "company": "Metro Ambulance Service"}})
        server.call(server.login("admin"), "mutation($id: ID!) { authorizeUser(id: $id) "
                    "{ user { id } } }", {"id": registered["register"]["user"]["id"]})
        yield server
    finally:
        server.stop()


def test_an_expired_session_asks_for_the_password_and_loses_nothing(
        browser: Browser, short_sessions: LiveServer) -> None:
    person = Actor(browser.new_context(), short_sessions.base)
    try:
        page = person.log_in("crew.live", PASSWORD)
        heading(page, "Admit a patient")
        family = f"Mockford-{uuid.uuid4().hex[:6]}"
        fill_admission(page, family, heart_rate="118")
        page.wait_for_timeout((TOKEN_SECONDS + 1) * 1000)  # let the token expire
        page.get_by_role("button", name="Admit patient").click()

        dialog = page.get_by_role("dialog", name="Your session has expired")
        expect(dialog).to_be_visible()
        # The form is still there under the dialog, with everything typed into it.
        expect(page.get_by_label("Family name")).to_have_value(family)
        expect(page.get_by_label("Chief complaint")).to_have_value(
            "Crushing chest pain for 40 minutes")
        expect(page.get_by_label("Responds to voice")).to_be_checked()
        expect(page.get_by_text("is admitted")).to_have_count(0)
        check_screen(page, "session-expired")

        dialog.get_by_label("Password").fill("not the password")
        dialog.get_by_role("button", name="Continue").click()
        expect(dialog.get_by_role("alert")).to_be_visible()
        expect(dialog).to_be_visible()
        dialog.get_by_label("Password").fill(PASSWORD)
        dialog.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("status")).to_contain_text(f"Robin {family} is admitted.")
        expect(dialog).to_be_hidden()
        admin = short_sessions.login("admin")
        found = short_sessions.call(admin, "query($s: String!) { patients(filter: {search: $s})"
                                    " { totalCount } }", {"s": family})
        assert found["patients"]["totalCount"] == 1  # sent again once, not twice
    finally:
        person.context.close()
    assert person.foreign_requests == [] and person.page_errors == []
    assert httpx.get(f"{short_sessions.base}/health").status_code == 200
