"""The first load's JavaScript, gzipped, as a browser fetches it: the page's entry script,
then the chunk of the role that logs in. Target: at most 300 KB. The figures are written
to build/weight.json for the README and the report."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import httpx

from tests.web.browser import ROOT, heading
from tests.web.conftest import Actor
from tests.web.test_patient import PASSPHRASE, patient_account

BUDGET = 300 * 1024
# A patient's account is not in the demo: the test makes one (see `patient_account`).
PATIENT = "a patient"
HOMES = {"admin": "Pending users", "medic.kim": "Admit a patient", "dr.rivera": None,
         "auditor": None, PATIENT: "My twin"}


def _gzipped(urls: list[str]) -> int:
    return sum(len(gzip.compress(httpx.get(url).content, compresslevel=9)) for url in urls)


def test_the_first_load_of_every_role_is_under_300_kb_of_gzipped_javascript(
        actor: Callable[[], Actor]) -> None:
    figures: dict[str, dict[str, object]] = {}
    for username, home in HOMES.items():
        person = actor()
        scripts: list[str] = []
        person.page.on("request", lambda r, s=scripts: s.append(r.url)  # type: ignore[misc]
                       if r.resource_type == "script" else None)
        person.page.goto(f"{person.base}/login")
        heading(person.page, "Log in to HDT")
        person.page.wait_for_load_state("networkidle")
        login_scripts = list(scripts)
        if username == PATIENT:
            person.log_in(patient_account(person.base), PASSPHRASE)
        else:
            person.log_in(username)
        if home:
            heading(person.page, home)
        person.page.wait_for_load_state("networkidle")
        figures[username] = {
            "login_page_bytes": _gzipped(login_scripts),
            "first_load_bytes": _gzipped(sorted(set(scripts))),
            "scripts": [url.rsplit("/", 1)[-1] for url in sorted(set(scripts))],
        }
    out = ROOT / "build" / "weight.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    print(json.dumps({u: f["first_load_bytes"] for u, f in figures.items()}))
    for username, figure in figures.items():
        assert isinstance(figure["first_load_bytes"], int)
        assert figure["first_load_bytes"] <= BUDGET, (username, figure)
