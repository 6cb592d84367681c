"""Everyone's screens: log in and out, register and wait for an administrator; the console
shows each role only its own part."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.browser import check_screen, heading
from tests.web.conftest import Actor


def test_a_crew_member_sees_only_the_crew_screens_and_logs_out(
        actor: Callable[[], Actor]) -> None:
    person = actor()
    page = person.page
    page.goto(f"{person.base}/")
    heading(page, "Log in to HDT")
    check_screen(page, "login")
    person.log_in("medic.kim")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Admit a patient")).to_be_visible()
    expect(nav.get_by_role("link", name="Pending users")).to_have_count(0)
    expect(nav.get_by_role("link", name="Ledger")).to_have_count(0)
    page.goto(f"{person.base}/admin/users/pending")
    heading(page, "Not found")
    page.get_by_role("button", name="Log out").click()
    heading(page, "Log in to HDT")
    page.goto(f"{person.base}/transport/admit")
    heading(page, "Log in to HDT")


def test_registering_shows_the_api_field_error_then_waits_for_an_administrator(
        actor: Callable[[], Actor]) -> None:
    person = actor()
    page = person.page
    page.goto(f"{person.base}/register")
    heading(page, "Register")
    page.get_by_label("A transport crew member").check()
    page.get_by_label("Full name").fill("Casey Newcrew")
    page.get_by_label("Username").fill("Not A Username")
    page.get_by_label("Password").fill("a long synthetic passphrase")
    page.get_by_label("Ambulance company").fill("Metro Ambulance Service")
    page.get_by_role("button", name="Register").click()
    username = page.get_by_label("Username")
    expect(username).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{username.get_attribute('aria-describedby').split()[-1]}")
    expect(error).to_contain_text("lower-case letters")
    # What was typed is still there, to be corrected rather than typed again.
    expect(page.get_by_label("Full name")).to_have_value("Casey Newcrew")
    check_screen(page, "register-field-error")
    name = f"crew.{uuid.uuid4().hex[:8]}"
    username.fill(name)
    page.get_by_role("button", name="Register").click()
    heading(page, "Waiting for an administrator")
    expect(page.get_by_role("status")).to_contain_text(name)
    check_screen(page, "waiting")
    # Until an administrator authorizes it, the account cannot log in.
    page.goto(f"{person.base}/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill("a long synthetic passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
