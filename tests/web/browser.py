"""What every browser test needs: Debian's Chromium driven by Playwright, axe-core run in the
page, a screenshot of each screen kept as an artifact, and logging in as a demo user."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "web" / "dist"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DEMO_PASSWORD = "demo-password-2026"
# axe-core's own levels; "moderate" and "minor" are reported in the failure text only.
BLOCKING = {"serious", "critical"}


def assert_accessible(page: Page, context: str = "") -> None:
    """No serious or critical axe-core violation on what the page shows now.

    axe is evaluated through the DevTools protocol rather than added as a <script> tag: the
    console's Content-Security-Policy (script-src 'self') rightly refuses an injected inline
    script, and the test must not switch that policy off to run."""
    page.evaluate(AXE.read_text())
    results: dict[str, Any] = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in results["violations"])
    assert not blocking, f"axe on {context or page.url}:\n{report}"


def screenshot(page: Page, name: str) -> Path:
    """Keep a picture of the screen as a test artifact (build/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_screen(page: Page, name: str) -> None:
    """The two checks every screen gets: axe, then a screenshot."""
    assert_accessible(page, name)
    screenshot(page, name)


def log_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def heading(page: Page, name: str) -> None:
    """Wait until the screen's title (its h1) is `name`."""
    expect(page.get_by_role("heading", level=1, name=re.compile(f"^{re.escape(name)}$"))
           ).to_be_visible()
