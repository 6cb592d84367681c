"""The auditor's Ledger screen with a witness: the cosigned checkpoint's cosignatures are
checked in the browser (C2SP tlog-cosignature/v1), and each witness's lag is shown."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.api.live import HDT, LiveServer, env_for, free_port
from tests.web.browser import BUILD, check_screen, heading
from tests.web.conftest import DEMO_PATIENTS, Actor
from tests.web.test_auditor import pin_key


@pytest.fixture
def witnessed(short_tmp: Path) -> Iterator[str]:
    """A demo hospital whose checkpoints go to one HDT witness (`hdt witness serve`)."""
    data_dir = short_tmp / "console-witnessed"
    env = env_for(data_dir, HDT_LOG_LEVEL="WARNING", HDT_CONSOLE_DIR=str(BUILD))
    subprocess.run([HDT, "demo", "--patients", str(DEMO_PATIENTS)], env=env, check=True,
                   capture_output=True, timeout=280)
    log_key = (data_dir / "ledger" / "keys" / "signing.pub").read_text().strip()
    wdir, name, port = short_tmp / "console-witness", "witness.example/w1", free_port()
    vkey = subprocess.run([HDT, "witness", "key", "--dir", str(wdir), "--name", name],
                          capture_output=True, text=True, check=True).stdout.strip()
    witness = subprocess.Popen([HDT, "witness", "serve", "--dir", str(wdir), "--name", name,
                                "--port", str(port), "--log", log_key, "--log-level", "WARNING"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env["HDT_WITNESSES"] = json.dumps([{"name": name, "url": f"http://127.0.0.1:{port}",
                                        "key": vkey}])
    server = LiveServer(data_dir, env)
    try:
        server.start()
        deadline = time.monotonic() + 60
        while httpx.get(f"{server.base}/ledger/cosigned-checkpoint").status_code != 200:
            assert time.monotonic() < deadline, "no cosigned checkpoint"
            time.sleep(0.2)
        yield server.base
    finally:
        server.stop()
        witness.terminate()
        witness.wait(timeout=30)


def test_the_ledger_screen_checks_the_witness_cosignature_in_the_browser(
    browser: Browser, witnessed: str
) -> None:
    person = Actor(browser.new_context(viewport={"width": 1280, "height": 900}), witnessed)
    try:
        page = person.log_in("auditor")
        heading(page, "Ledger")
        pin_key(page, witnessed)
        page.goto(f"{witnessed}/audit/ledger")
        heading(page, "Ledger")
        verdict = page.get_by_test_id("cosignature-verdict")
        expect(verdict).to_contain_text("1 of 1 witness cosignatures verified in this browser")
        expect(verdict).to_have_attribute("data-verdict", "ok")
        table = page.get_by_test_id("witnesses")
        expect(table).to_contain_text("witness.example/w1")
        expect(table).to_contain_text("verified, made ")
        check_screen(page, "audit-ledger-witnesses")
        assert person.foreign_requests == [] and person.page_errors == []
    finally:
        person.context.close()
