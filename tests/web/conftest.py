"""A real `hdt serve` with a small demo hospital and the built console, and one Chromium for
the session; each actor gets a browser context of their own, as a person at their own
computer would."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.api.live import HDT, LiveServer, env_for
from tests.web.browser import BUILD, CHROMIUM, CHROMIUM_ARGS, log_in

DEMO_PATIENTS = 12


def start_console_server(data_dir: Path, **extra: str) -> LiveServer:
    """`hdt demo` then `hdt serve` on a free loopback port, serving web/dist."""
    assert (BUILD / "index.html").is_file(), "the console is not built: run `make web` first"
    env = env_for(data_dir, HDT_LOG_LEVEL="WARNING", HDT_CONSOLE_DIR=str(BUILD), **extra)
    subprocess.run([HDT, "demo", "--patients", str(DEMO_PATIENTS)], env=env, check=True,
                   capture_output=True, timeout=280)
    server = LiveServer(data_dir, env)
    server.start()
    return server


@pytest.fixture(scope="session")
def console(short_tmp: Path) -> Iterator[str]:
    """The base URL of the console's server, shared by every browser test of the session."""
    server = start_console_server(short_tmp / "console")
    try:
        yield server.base
    finally:
        server.stop()


@pytest.fixture(scope="session")
def console_ledger(console: str, short_tmp: Path) -> Path:
    """The ledger directory of the console's server, as its operator has it on the host."""
    ledger = short_tmp / "console" / "ledger"
    assert (ledger / "keys").is_dir(), ledger
    return ledger


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser per test module, not per session: Playwright's sync API keeps an asyncio
    loop running in the main thread while it is started, and any later test of the same
    process that runs a loop of its own (anyio, asyncio.run) would fail on it."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Actor:
    """One person's browser context: what it requested, and what went wrong in its pages."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context = context
        self.base = base
        self.foreign_requests: list[str] = []
        self.page_errors: list[str] = []
        context.on("request", self._request)
        self.page = context.new_page()
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", lambda message: self.page_errors.append(message.text)
                     if message.type == "error" and "Content Security Policy" in message.text
                     else None)

    def _request(self, request: object) -> None:
        url: str = request.url  # type: ignore[attr-defined]
        origin = self.base.replace("http://", "ws://")
        if not (url.startswith(self.base + "/") or url.startswith(origin + "/")
                or url.startswith("data:")):
            self.foreign_requests.append(url)

    def log_in(self, username: str, password: str | None = None) -> Page:
        if password is None:
            log_in(self.page, self.base, username)
        else:
            log_in(self.page, self.base, username, password)
        return self.page


@pytest.fixture
def actor(browser: Browser, console: str) -> Iterator[Callable[[], Actor]]:
    """Make a fresh browser context per call; at the end, check that none of them loaded
    anything from another origin or hit a script error or a CSP refusal."""
    made: list[Actor] = []

    def make() -> Actor:
        person = Actor(browser.new_context(viewport={"width": 1280, "height": 900}), console)
        made.append(person)
        return person

    yield make
    for person in made:
        person.context.close()
    for person in made:
        assert person.foreign_requests == [], person.foreign_requests
        assert person.page_errors == [], person.page_errors
