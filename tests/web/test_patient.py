"""The patient's screens, the patient's whole path through the console: the admin invites
them from their record, they make their account with the code, read their twin, see the
admin's read of it and a break-glass read, change consents, download an export that
`hdt ledger check-export` verifies offline, and ask to be erased, which the admin then finds."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import expect

from tests.api.live import HDT
from tests.web.browser import check_screen, heading
from tests.web.conftest import Actor
from tests.web.test_physician import Gql, patient_of
from tests.web.test_story import the_operators_key

PASSPHRASE = "a patient's own long synthetic passphrase"
INVITE = "mutation($p: ID!) { invitePatient(patientId: $p) { code } }"
REGISTER = ("mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { patientId } }")


def patient_account(base: str) -> str:
    """A new patient (in dr.rivera's care) with an account made over the API, as another test
    needs one; its username (the password is PASSPHRASE)."""
    patient_id = patient_of(base, "dr.rivera")
    code = Gql(base, "admin").call(INVITE, p=patient_id)["invitePatient"]["code"]
    username = f"robin.{uuid.uuid4().hex[:6]}"
    answer = httpx.post(f"{base}/graphql", timeout=60, json={"query": REGISTER, "variables": {"i": {
        "code": code, "username": username, "password": PASSPHRASE,
        "displayName": "Robin Synthetic"}}}).json()
    assert answer.get("data", {}).get("registerPatient", {}).get("patientId") == patient_id, answer
    return username


def test_a_patient_invited_by_the_admin_reads_their_twin_its_reads_and_exports_it(
        actor: Callable[[], Actor], console: str, console_ledger: Path, tmp_path: Path) -> None:
    patient_id = patient_of(console, "dr.rivera")
    admin, patient = actor(), actor()

    # The admin opens the patient's record and invites them; the code is shown once.
    page = admin.log_in("admin")
    page.goto(f"{console}/admin/patients/{patient_id}/assign")
    heading(page, "Assign a physician")
    expect(page.get_by_role("heading", level=2, name=re.compile("^Robin Story"))).to_be_visible()
    page.get_by_role("button", name="Invite patient").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation made")
    code = page.get_by_test_id("invitation-code").inner_text().strip()
    assert len(code) >= 8, code
    check_screen(page, "admin-invite-patient")

    # The patient makes their account from the login screen and lands on their twin.
    page = patient.page
    page.goto(f"{console}/login")
    page.get_by_role("link", name="Make your patient account").click()
    heading(page, "Make my patient account")
    check_screen(page, "patient-register")
    username = f"robin.{uuid.uuid4().hex[:6]}"
    page.get_by_label("Invitation code").fill(code)
    page.get_by_label("Full name").fill("Robin Synthetic")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Make my account").click()
    heading(page, "My twin")
    expect(page.get_by_role("heading", level=2, name=re.compile("^Robin Story"))).to_be_visible()
    stages = page.get_by_role("table", name=re.compile("stages of my stay"))
    expect(stages).to_contain_text("Admission")
    expect(stages).to_contain_text("Chest pain")
    expect(page.get_by_role("table", name=re.compile("measurements"))).to_be_visible()
    check_screen(page, "patient-twin")

    # The same code works once: a second account with it is refused, on its field.
    other = actor().page
    other.goto(f"{console}/register/patient")
    other.get_by_label("Invitation code").fill(code)
    other.get_by_label("Full name").fill("Someone Else")
    other.get_by_label("Username").fill(f"robin.{uuid.uuid4().hex[:6]}")
    other.get_by_label("Password").fill(PASSPHRASE)
    other.get_by_role("button", name="Make my account").click()
    expect(other.get_by_role("alert")).to_contain_text("Invitation code")
    heading(other, "Make my patient account")

    # A physician outside the care team reads the twin by break-glass.
    stranger = Gql(console, "dr.tanaka")
    stranger.call("mutation($p: ID!) { breakGlass(patientId: $p, reason: \"Unconscious in the "
                  "emergency room\") { id } }", p=patient_id)
    stranger.call("query($p: ID!) { twin(patientId: $p) { patient { id } } }", p=patient_id)

    # Who read the record: the admin's read (ADMINISTRATION), the break-glass read, made
    # visible, and the patient's own.
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Who accessed my record").click()
    heading(page, "Who accessed my record")
    history = page.get_by_role("table", name=re.compile("reads of your record"))
    admin_read = history.locator("tr[data-grounds='ADMINISTRATION']")
    expect(admin_read.first).to_contain_text("Hospital administration")
    expect(admin_read.first).to_contain_text("admin")
    expect(history.locator("tr[data-grounds='SELF']").first).to_contain_text("Myself")
    emergency = history.locator("tr[data-grounds='BREAK_GLASS']")
    expect(emergency).to_have_count(1)
    expect(emergency).to_contain_text("Emergency access (break-glass)")
    expect(emergency).to_contain_text("Dr. Yui Tanaka")
    expect(page.get_by_role("alert")).to_contain_text("in an emergency (break-glass)")
    expect(history).not_to_contain_text("__typename")
    check_screen(page, "patient-access")

    # Consents: grant research, then revoke it; the list shows the last decision.
    nav.get_by_role("link", name="My consents").click()
    heading(page, "My consents")
    expect(page.get_by_text("You have not changed any consent.")).to_be_visible()
    page.get_by_role("radio", name="De-identified use for research").check()
    page.get_by_role("radio", name="Grant").check()
    page.get_by_role("button", name="Save my decision").click()
    expect(page.get_by_role("status")).to_contain_text("research: granted")
    research = page.locator("tr[data-purpose='RESEARCH']")
    expect(research).to_have_attribute("data-granted", "true")
    page.get_by_role("radio", name="Revoke").check()
    page.get_by_role("button", name="Save my decision").click()
    expect(page.get_by_role("status")).to_contain_text("research: revoked")
    expect(research).to_have_attribute("data-granted", "false")
    # Sharing names a physician of the care team.
    page.get_by_role("radio", name="Sharing my twin with a named physician").check()
    page.get_by_role("radio", name="Grant").check()
    page.get_by_label("Physician to share my twin with").select_option(index=1)
    page.get_by_role("button", name="Save my decision").click()
    expect(page.get_by_role("status")).to_contain_text("named physician: granted")
    expect(page.locator("tr[data-purpose='SHARING']")).to_have_attribute("data-granted", "true")
    check_screen(page, "patient-consents")

    # The export downloads as a file that checks offline against the operator's key.
    nav.get_by_role("link", name="Export").click()
    heading(page, "Export")
    expect(page.get_by_text("hdt ledger check-export")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my export").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["bundle"]["resourceType"] == "Bundle"
    expect(page.get_by_role("status")).to_contain_text(saved.name)
    check_screen(page, "patient-export")
    key = tmp_path / "hdt.pub"
    key.write_text(the_operators_key(console_ledger) + "\n", encoding="utf-8")
    checked = subprocess.run([HDT, "ledger", "check-export", str(saved), "--public-key", str(key)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("OK"), checked.stdout

    # The patient asks to be erased; the admin finds the request, which links to the record.
    nav.get_by_role("link", name="Erase my record").click()
    heading(page, "Erase my record")
    expect(page.get_by_text("You have not asked to be erased.")).to_be_visible()
    page.get_by_role("button", name="Ask to be erased").click()
    expect(page.get_by_role("status")).to_contain_text("Your request to be erased is recorded")
    expect(page.get_by_test_id("erasure-request")).to_contain_text("You asked to be erased")
    check_screen(page, "patient-erasure")
    page = admin.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Erasure requests").click()
    heading(page, "Erasure requests")
    request = page.locator(f"tr[data-patient-id='{patient_id}']")
    expect(request).to_contain_text("Robin Synthetic")
    request.get_by_role("link", name="Patient record of Robin Synthetic").click()
    heading(page, "Assign a physician")
    check_screen(page, "admin-erasure-requests")
