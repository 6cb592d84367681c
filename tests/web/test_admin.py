"""The administrator's screens, and the part of one patient's story that runs through them:
the crew admits the patient, a physician registers, the admin authorizes the physician and
assigns them to the patient."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from tests.web.browser import DEMO_PASSWORD, check_screen, heading
from tests.web.conftest import Actor
from tests.web.test_transport import fill_admission

NEW_PASSWORD = "a long synthetic passphrase"


def _open(page: Page, link: str, title: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
    heading(page, title)


def _token(base: str, username: str, password: str) -> str:
    answer = httpx.post(f"{base}/graphql", json={
        "query": "mutation($u: String!, $p: String!) { login(username: $u, password: $p) "
                 "{ ... on Session { token } } }", "variables": {"u": username, "p": password}})
    return str(answer.json()["data"]["login"]["token"])


def test_the_admin_authorizes_a_new_physician_and_assigns_them_to_a_new_patient(
        actor: Callable[[], Actor]) -> None:
    crew, doctor, admin = actor(), actor(), actor()

    # The crew admits the patient.
    family = f"Samplesson-{uuid.uuid4().hex[:6]}"
    crew.log_in("medic.ortiz")
    fill_admission(crew.page, family, heart_rate="104")
    crew.page.get_by_role("button", name="Admit patient").click()
    expect(crew.page.get_by_role("status")).to_contain_text("is admitted")

    # A physician registers and waits.
    username = f"dr.new-{uuid.uuid4().hex[:6]}"
    page = doctor.page
    page.goto(f"{doctor.base}/register")
    page.get_by_label("Full name").fill("Dr. Ari Newcomer")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_label("Specialty").fill("Cardiology")
    page.get_by_label("Licence number").fill("MD-4242")
    page.get_by_role("button", name="Register").click()
    heading(page, "Waiting for an administrator")

    # The admin authorizes them.
    page = admin.log_in("admin")
    heading(page, "Pending users")
    row = page.get_by_role("row").filter(has_text=username)
    expect(row).to_contain_text("Cardiology")
    check_screen(page, "admin-pending-users")
    row.get_by_role("button", name=f"Authorize {username}").click()
    saved = page.get_by_role("status").filter(has_text="authorized")
    expect(saved).to_contain_text(f"{username} authorized.")
    expect(saved.get_by_role("link")).to_have_attribute("href", re.compile(r"^/audit/entry/\d+$"))
    expect(page.get_by_role("row").filter(has_text=username)).to_have_count(0)

    # ... finds the patient by name and assigns the new physician.
    _open(page, "Patient records", "Patient records")
    page.get_by_label("Name or MRN").fill(family.lower())
    page.get_by_role("button", name="Show").click()
    expect(page.locator("caption")).to_contain_text(f"1 patient matching “{family.lower()}”,")
    page.get_by_role("link", name=f"Assign a physician to Robin {family}").click()
    heading(page, "Assign a physician")
    expect(page.locator(".card")).to_contain_text("Ortiz")  # the crew is in the care team
    page.get_by_role("combobox", name="Physician").select_option(
        label="Dr. Ari Newcomer (Cardiology)")
    check_screen(page, "admin-assign-physician")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status").filter(has_text="now cares for")).to_contain_text(
        "Anchored as entry #")
    expect(page.locator(".card")).to_contain_text("Dr. Ari Newcomer")

    # The physician can log in now, and the server gives them the patient.
    doctor.log_in(username, NEW_PASSWORD)
    token = _token(doctor.base, username, NEW_PASSWORD)
    mine = httpx.post(f"{doctor.base}/graphql", headers={"Authorization": f"Bearer {token}"},
                      json={"query": "{ patients { edges { node { familyName } } } }"}).json()
    assert [e["node"]["familyName"] for e in mine["data"]["patients"]["edges"]] == [family]


def test_patient_records_filter_by_stage_and_status_and_search_by_mrn(
        actor: Callable[[], Actor]) -> None:
    page = actor().log_in("admin")
    _open(page, "Patient records", "Patient records")
    expect(page.get_by_role("row")).not_to_have_count(1)
    page.get_by_label("Status").select_option("ADMITTED")
    page.get_by_label("Stage").select_option("DIAGNOSIS")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"status=ADMITTED&stage=DIAGNOSIS"))
    expect(page.locator("caption")).to_have_text(
        re.compile(r"^\d+ patients? · admitted · in diagnosis, most recently admitted first$"))
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        cells = row.locator("td")
        expect(cells.nth(2)).to_have_text(re.compile(r"^admitted"))
        expect(cells.nth(3)).to_have_text("Diagnosis")
    check_screen(page, "admin-patient-records")
    mrn = rows.first.locator("td").first.inner_text()
    assert mrn.startswith("DEMO-")
    page.get_by_label("Name or MRN").fill(mrn)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("caption")).to_contain_text(f"1 patient matching “{mrn}”")
    expect(page.locator("tbody tr td").first).to_have_text(mrn)


def test_every_admin_screen_reads_and_is_accessible(actor: Callable[[], Actor]) -> None:
    page = actor().log_in("admin", DEMO_PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(
        ["Pending users", "Physicians and crews", "Patient records", "Medication transactions",
         "Disease records", "Disease results", "Erasure requests", "Ledger", "Provenance",
         "Consistency", "Break-glass accesses", "Verify the ledger", "Pinned key"])

    _open(page, "Physicians and crews", "Physicians and crews")
    expect(page.get_by_role("row").filter(has_text="dr.rivera")).to_contain_text(
        "Emergency medicine")
    expect(page.get_by_role("row").filter(has_text="medic.kim")).to_contain_text(
        "Metro Ambulance Service")
    check_screen(page, "admin-staff")

    _open(page, "Medication transactions", "Medication transactions")
    expect(page.locator("tbody tr").first).to_be_visible()
    page.get_by_label("Kind").select_option("PRESCRIPTION")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("caption")).to_have_text(re.compile(r"^\d+ prescriptions, newest first$"))
    expect(page.locator("tbody tr td:nth-child(2)").filter(has_not_text="prescription")
           ).to_have_count(0)
    check_screen(page, "admin-medication-transactions")

    _open(page, "Disease records", "Disease records")
    page.get_by_label("ICD-10-CM code").fill("NOT-A-CODE")
    page.get_by_role("button", name="Generate and anchor").click()
    expect(page.get_by_role("alert")).to_contain_text("Not saved")
    expect(page.get_by_role("status")).to_have_count(0)
    page.get_by_label("ICD-10-CM code").fill("I21.4")
    page.get_by_role("button", name="Generate and anchor").click()
    saved = page.get_by_role("status").filter(has_text="I21.4")
    expect(saved).to_contain_text("Anchored as entry #")
    seq = saved.locator("[data-seq]").get_attribute("data-seq")
    record = page.get_by_role("row").filter(has_text="I21.4")
    expect(record).to_contain_text(f"#{seq}")
    record.locator("summary").click()
    expect(record.locator("ol.proof li").first).to_be_visible()
    check_screen(page, "admin-disease-records")
    saved.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/audit/entry/{seq}$"))

    _open(page, "Disease results", "Disease results")
    for caption in ("Patients per disease", "Patients per stage of care", "Diagnoses per day"):
        figure = page.locator("figure").filter(has_text=caption)
        expect(figure.get_by_role("img")).to_have_attribute("aria-label", re.compile(r"\d"))
    check_screen(page, "admin-disease-results")
