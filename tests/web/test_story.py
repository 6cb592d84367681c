"""The story of one patient through the console, each person at their own browser.

A physician and a crew member register and wait; the administrator authorizes both. The crew
member admits a patient from a tablet (on warfarin at home, allergic to penicillin); the
administrator puts the new physician in charge. The physician finds the patient, opens the
twin, diagnoses, is warned of warfarin before confirming aspirin, gives a dose, operates and
discharges. The auditor checks the discharge's proof in the browser against the key the
ledger's operator handed over, then sees a bent proof fail. The administrator's records show
the patient discharged and the prescription.

Everything is done through the screens; the GraphQL endpoint is only read, to check what a
user would. The users and the patient are new, so no other test module's changes matter.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.api.live import HDT
from tests.web.browser import check_screen, heading
from tests.web.conftest import Actor
from tests.web.test_auditor import expect_failed, expect_verified, flip_hex, graphql, tamper
from tests.web.test_auditor import token_of as demo_token
from tests.web.test_physician import ASPIRIN, choose, pick, saved
from tests.web.test_transport import TABLET

PASSWORD = "a long synthetic passphrase"
AMOXICILLIN = "723"


@dataclass
class Newcomer:
    """A person who registers through the console."""

    username: str
    display_name: str
    actor: Actor


@dataclass
class Patient:
    given: str
    family: str

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


def anchor_seq(page: Page, text: str) -> int:
    """The ledger seq of the acknowledged change whose message contains `text`."""
    status = page.locator(".saved", has_text=text)
    expect(status.locator(".anchor")).to_contain_text(re.compile(r"entry #\d+ [0-9a-f]{12}"))
    return int(status.locator(".anchor").get_attribute("data-seq") or "-1")


def main_menu(page: Page, link: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()


def this_patient(page: Page, link: str) -> None:
    """Follow a link of the patient's own menu (twin, diagnose, prescribe, ...)."""
    page.get_by_role("navigation", name="This patient").get_by_role("link", name=link).click()


def local_minutes(moment: datetime) -> str:
    """A datetime-local field's value (the browser and the test share the machine's zone)."""
    return moment.strftime("%Y-%m-%dT%H:%M")


# 1. Registering ----------------------------------------------------------------------------

def a_physician_registers(person: Actor, tag: str) -> Newcomer:
    page = person.page
    page.goto(f"{person.base}/register")
    heading(page, "Register")
    page.get_by_label("A physician").check()
    name = f"Dr. Sam Storey {tag}"
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Username").fill(f"dr.storey-{tag}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Specialty").fill("Interventional cardiology")
    page.get_by_label("Licence number").fill(f"MD-{tag}")
    check_screen(page, "story-register-physician")
    page.get_by_role("button", name="Register").click()
    heading(page, "Waiting for an administrator")
    expect(page.get_by_role("status")).to_contain_text(f"dr.storey-{tag}")
    return Newcomer(f"dr.storey-{tag}", name, person)


def a_crew_member_registers(person: Actor, tag: str) -> Newcomer:
    page = person.page
    page.goto(f"{person.base}/register")
    page.get_by_label("A transport crew member").check()
    name = f"Jo Paramedic {tag}"
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Username").fill(f"medic.jo-{tag}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Ambulance company").fill("Harbour Ambulance Trust")
    page.get_by_role("button", name="Register").click()
    heading(page, "Waiting for an administrator")
    expect(page.get_by_role("status")).to_contain_text(f"medic.jo-{tag}")
    return Newcomer(f"medic.jo-{tag}", name, person)


# 2. The administrator authorizes them ------------------------------------------------------

def the_admin_authorizes(admin: Actor, *newcomers: Newcomer) -> None:
    page = admin.page
    main_menu(page, "Pending users")
    heading(page, "Pending users")
    for newcomer in newcomers:
        expect(page.get_by_role("row").filter(has_text=newcomer.username)).to_be_visible()
    check_screen(page, "story-admin-pending-two")
    for newcomer in newcomers:
        page.get_by_role("button", name=f"Authorize {newcomer.username}").click()
        done = page.get_by_role("status").filter(has_text=f"{newcomer.username} authorized.")
        expect(done.locator(".anchor")).to_contain_text("entry #")
        expect(page.get_by_role("row").filter(has_text=newcomer.username)).to_have_count(0)


# 3. The crew admits the patient from a tablet ----------------------------------------------

def the_crew_member_admits(crew: Newcomer, patient: Patient) -> None:
    page = crew.actor.page
    page.set_viewport_size(TABLET)
    crew.actor.log_in(crew.username, PASSWORD)
    heading(page, "Admit a patient")
    page.get_by_label("Given name").fill(patient.given)
    page.get_by_label("Family name").fill(patient.family)
    page.get_by_label("Date of birth").fill("1949-07-23")
    page.get_by_label("Sex").select_option("MALE")
    page.get_by_label("Medical record number").fill(f"MRN-{patient.family[-6:]}")
    page.get_by_label("Arrival time").fill(local_minutes(datetime.now() - timedelta(minutes=35)))
    page.get_by_label("Arrival mode").select_option("AMBULANCE")
    page.get_by_label("Chief complaint").fill("Chest pain at rest for one hour, sweating")
    page.get_by_label("2 · Emergent").check()
    for label, value in (("Heart rate", "112"), ("Respiratory rate", "23"), ("SpO₂", "93"),
                         ("Systolic BP", "98"), ("Diastolic BP", "61"), ("Temperature", "37.2"),
                         ("Oxygen flow", "2"), ("Pain", "7")):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("New confusion").check()
    page.get_by_label("Allergies").fill("penicillin")
    page.get_by_label("Current medications").fill("warfarin\nmetformin")
    check_screen(page, "story-transport-admit-filled")
    page.get_by_role("button", name="Admit patient").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(f"{patient.name} is admitted.")
    expect(status.locator(".anchor")).to_contain_text(re.compile(r"entry #\d+ [0-9a-f]{12}"))


# 4. The administrator assigns the physician ------------------------------------------------

def the_admin_assigns(admin: Actor, physician: Newcomer, patient: Patient) -> None:
    page = admin.page
    main_menu(page, "Patient records")
    heading(page, "Patient records")
    page.get_by_label("Name or MRN").fill(patient.family)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("caption")).to_contain_text("1 patient matching")
    row = page.locator("tbody tr")
    expect(row).to_contain_text("admitted")
    expect(row).to_contain_text("Admission")
    page.get_by_role("link", name=f"Assign a physician to {patient.name}").click()
    heading(page, "Assign a physician")
    page.get_by_role("combobox", name="Physician").select_option(
        label=f"{physician.display_name} (Interventional cardiology)")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status").filter(has_text="now cares for")).to_contain_text(
        "Anchored as entry #")
    expect(page.locator(".card")).to_contain_text(physician.display_name)


# 5. The physician ---------------------------------------------------------------------------

def the_physician_opens_the_twin(physician: Newcomer, patient: Patient) -> str:
    page = physician.actor.log_in(physician.username, PASSWORD)
    heading(page, "My patients")
    rows = page.locator("tr[data-patient-id]")
    expect(rows).to_have_count(1)  # the new physician cares for this one patient only
    expect(rows).to_contain_text(patient.family)
    check_screen(page, "story-physician-my-patients")
    rows.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Twin: {patient.name}")
    expect(page.locator(".live")).to_contain_text("Live")
    admission = page.locator("ol.stages li.stage-admission")
    expect(admission).to_contain_text("Chest pain at rest for one hour, sweating (triage 2, "
                                      "ambulance)")
    expect(admission.locator(".anchor")).to_contain_text("entry #")
    expect(page.get_by_role("img", name=re.compile("^Timeline: Admission at "))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Heart rate: .*latest 112 \/min"))
           ).to_be_visible()
    expect(page.locator(".news2")).to_contain_text("NEWS2")
    # what the crew noted at admission is in front of the physician
    expect(page.get_by_test_id("allergies")).to_have_text("penicillin")
    expect(page.get_by_test_id("home-medications")).to_have_text("warfarin, metformin")
    check_screen(page, "story-physician-twin")
    return page.url.rsplit("/", 1)[-1]


def the_physician_diagnoses(page: Page) -> None:
    this_patient(page, "Diagnose")
    pick(page, "ICD-10-CM diseases", "NSTEMI myocardial", "I21.4")
    page.get_by_label("Symptoms").fill("chest pain at rest, sweating")
    page.get_by_label("Examination findings").fill("ST depression in V4-V6; troponin rising")
    page.get_by_role("button", name="Record the diagnosis").click()
    saved(page, "Diagnosis recorded: I21.4.")


def the_physician_considers_amoxicillin_and_is_warned_of_the_allergy(page: Page) -> None:
    this_patient(page, "Prescribe")
    pick(page, "Medication", AMOXICILLIN, f"RxNorm {AMOXICILLIN}")
    page.get_by_role("button", name="Check interactions").click()
    expect(page.get_by_role("list", name="Other warnings")).to_contain_text(
        "allergy noted at admission: penicillin; amoxicillin is covered by it")
    expect(page.locator(".saved")).to_have_count(0)
    check_screen(page, "story-physician-prescribe-allergy")


def the_physician_prescribes_aspirin_seeing_the_warfarin_warning(page: Page) -> None:
    # not amoxicillin, then: straight back to the medication box
    pick(page, "Medication", ASPIRIN, f"RxNorm {ASPIRIN}")
    page.get_by_role("button", name="Check interactions").click()
    warning = page.locator(".interaction-warning")
    expect(warning).to_contain_text("Interaction warning")
    # warfarin is not prescribed here: the crew noted it as taken at home
    expect(warning.get_by_role("listitem").filter(has_text="warfarin")).to_contain_text(
        re.compile(r"^Contraindicated: warfarin \(taken at home, noted at admission\) — "))
    expect(warning).not_to_contain_text("active prescription")
    # Warned before anything is recorded: no prescription of aspirin has been acknowledged.
    expect(page.locator(".saved")).to_have_count(0)
    expect(page.get_by_role("button", name="Confirm: prescribe aspirin")).to_be_visible()
    check_screen(page, "story-physician-prescribe-warning")
    page.get_by_label("Dose (required)").fill("75")
    choose(page, "For the diagnosis", "I21.4")
    page.get_by_role("button", name="Confirm: prescribe aspirin").click()
    saved(page, "aspirin prescribed, with")
    expect(page.get_by_role("list", name="Warnings anchored with the prescription")
           ).to_contain_text("warfarin")


def the_physician_gives_a_dose(page: Page) -> None:
    this_patient(page, "Give or stop")
    choose(page, "Prescription (required)", "aspirin")
    page.get_by_role("button", name="Record the dose given").click()
    saved(page, "Dose of aspirin recorded as given.")


def the_physician_operates(page: Page) -> None:
    this_patient(page, "Surgery")
    page.get_by_label("Procedure (SNOMED CT code) (required)").fill("414088005")
    page.get_by_label("Procedure name (required)").fill("Percutaneous coronary intervention")
    page.get_by_label("ASA physical status (required)").select_option("3")
    page.get_by_label("Surgical risk (required)").select_option("HIGH")
    page.get_by_label("Consent signed").check()
    page.get_by_role("button", name="Record the pre-operative assessment").click()
    saved(page, "pre-operative assessment recorded")
    page.get_by_label("Anaesthesia (required)").fill("local anaesthesia and sedation")
    page.get_by_role("button", name="Record the operation").click()
    saved(page, "Intra-operative record added.")
    page.get_by_label("Recovery (required)").fill("Uneventful; chest pain resolved")
    page.get_by_label("Disposition", exact=True).fill("cardiac ward")
    page.get_by_role("button", name="Record the post-operative course").click()
    saved(page, "Post-operative course recorded.")


def the_physician_discharges(page: Page) -> int:
    """Discharge the patient; the discharge's ledger seq, as the physician's screen shows it."""
    this_patient(page, "Discharge")
    page.get_by_label("Disposition (required)").select_option("HOME")
    page.get_by_label("Discharge summary").fill("NSTEMI treated by PCI; aspirin continued")
    page.get_by_role("button", name="Discharge the patient").click()
    seq = anchor_seq(page, "Patient discharged.")
    this_patient(page, "Twin")
    stages = page.locator("ol.stages")
    for text in ("Admission", "Diagnosis", "I21.4", "Surgery", "Pre-operative",
                 "Intra-operative", "Post-operative", "Discharged"):
        expect(stages).to_contain_text(text)
    expect(page.get_by_role("img", name=re.compile("^Timeline: Admission at .*Diagnosis at .*"
                                                   "Surgery at .*discharged at"))).to_be_visible()
    medications = page.locator("section[aria-labelledby=twin-medications] tbody tr")
    expect(medications.filter(has_text="prescribed")).to_contain_text("aspirin")
    expect(medications.filter(has_text="given")).to_contain_text("aspirin")
    check_screen(page, "story-physician-twin-discharged")
    return seq


# 6. The auditor -----------------------------------------------------------------------------

def the_operators_key(ledger_dir: Path) -> str:
    """What the ledger's operator hands the auditor: `hdt ledger public-key` on the host."""
    done = subprocess.run([HDT, "ledger", "public-key", str(ledger_dir)], capture_output=True,
                          text=True, check=True, timeout=60)
    return done.stdout.strip()


def the_auditor_pins_the_operators_key(auditor: Actor, key: str) -> None:
    page = auditor.page
    main_menu(page, "Pinned key")
    heading(page, "Pinned key")
    page.get_by_label("Ledger verifier key").fill(key)
    page.get_by_role("button", name="Pin this key").click()
    expect(page.get_by_test_id("pinned-key")).to_have_text(key)


def the_auditor_verifies_the_discharge(auditor: Actor, seq: int, patient_id: str) -> None:
    page = auditor.page
    page.goto(f"{auditor.base}/audit/entry/{seq}")
    heading(page, f"Ledger entry {seq}")
    expect(page.locator("dl.details")).to_contain_text("PatientDischarged")
    expect(page.locator("dl.details")).to_contain_text(patient_id)
    expect_verified(page, "entry-verdict", "Inclusion proof verified in this browser")
    expect_verified(page, "checkpoint-verdict", "signature verified")
    check_screen(page, "story-audit-discharge-verified")


def the_auditor_sees_a_bent_proof_fail(auditor: Actor, seq: int) -> None:
    page = auditor.page

    def bend_one_hash(data: dict[str, Any]) -> None:
        for item in data["provenance"]["entries"]:
            if item["entry"]["seq"] == seq:
                item["inclusionProof"][0] = flip_hex(item["inclusionProof"][0], 9)

    tamper(page, "Provenance", bend_one_hash)
    page.reload()
    heading(page, f"Ledger entry {seq}")
    expect_failed(page, "entry-verdict", re.compile(r"^Reason: root mismatch"))
    check_screen(page, "story-audit-discharge-tampered")
    page.unroute("**/graphql")


# 7. The administrator's records -------------------------------------------------------------

def the_admin_sees_the_patient_discharged(admin: Actor, patient: Patient) -> None:
    page = admin.page
    main_menu(page, "Patient records")
    heading(page, "Patient records")
    page.get_by_label("Status").select_option("DISCHARGED")
    page.get_by_label("Name or MRN").fill(patient.family)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("caption")).to_contain_text("1 patient matching")
    row = page.locator("tbody tr")
    expect(row.locator("td").nth(2)).to_have_text(re.compile(r"^discharged "))
    expect(row).to_contain_text("I21.4")
    expect(row).to_contain_text("aspirin")
    check_screen(page, "story-admin-patient-discharged")


def the_admin_sees_the_prescription(admin: Actor, patient_id: str) -> None:
    page = admin.page
    main_menu(page, "Medication transactions")
    heading(page, "Medication transactions")
    page.get_by_label("Kind").select_option("PRESCRIPTION")
    page.get_by_label("RxNorm code").fill(ASPIRIN)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("caption")).to_contain_text(f"prescriptions of RxNorm {ASPIRIN}")
    row = page.locator("tbody tr").filter(has=page.locator(f"code[title='{patient_id}']"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("aspirin")
    expect(row).to_contain_text("75 mg oral")
    expect(row.locator(".warning-text")).to_contain_text("warfarin")
    expect(row.locator(".anchor")).to_contain_text("entry #")
    check_screen(page, "story-admin-medication-transactions")


# What a user checks afterwards, read back from the API -------------------------------------

def the_record_says(base: str, patient_id: str, physician: Newcomer, crew: Newcomer) -> None:
    twin = graphql(base, demo_token(base, "admin"), """query($p: ID!) { twin(patientId: $p) {
        patient { status disposition }
        careTeam { displayName }
        timeline { __typename ... on Admission { allergies currentMedications triageLevel } }
        medicationTransactions { kind medication { code } warnings } } }""",
        {"p": patient_id})["twin"]
    assert twin["patient"] == {"status": "DISCHARGED", "disposition": "HOME"}
    assert {m["displayName"] for m in twin["careTeam"]} >= {physician.display_name,
                                                             crew.display_name}
    admission = next(s for s in twin["timeline"] if s["__typename"] == "Admission")
    assert admission == {"__typename": "Admission", "allergies": ["penicillin"],
                         "currentMedications": ["warfarin", "metformin"], "triageLevel": 2}
    prescriptions = [t for t in twin["medicationTransactions"] if t["kind"] == "PRESCRIPTION"]
    assert [p["medication"]["code"] for p in prescriptions] == [ASPIRIN]
    assert any("warfarin" in w for w in prescriptions[0]["warnings"])


def test_the_story_of_one_patient(actor: Callable[[], Actor], console_ledger: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    patient = Patient("Morgan", f"Storyline-{tag}")

    physician = a_physician_registers(actor(), tag)
    crew = a_crew_member_registers(actor(), tag)

    admin = actor()
    admin.log_in("admin")
    the_admin_authorizes(admin, physician, crew)

    the_crew_member_admits(crew, patient)
    the_admin_assigns(admin, physician, patient)

    patient_id = the_physician_opens_the_twin(physician, patient)
    page = physician.actor.page
    the_physician_diagnoses(page)
    the_physician_considers_amoxicillin_and_is_warned_of_the_allergy(page)
    the_physician_prescribes_aspirin_seeing_the_warfarin_warning(page)
    the_physician_gives_a_dose(page)
    the_physician_operates(page)
    discharge = the_physician_discharges(page)

    auditor = actor()
    auditor.log_in("auditor")
    the_auditor_pins_the_operators_key(auditor, the_operators_key(console_ledger))
    the_auditor_verifies_the_discharge(auditor, discharge, patient_id)
    the_auditor_sees_a_bent_proof_fail(auditor, discharge)

    the_admin_sees_the_patient_discharged(admin, patient)
    the_admin_sees_the_prescription(admin, patient_id)
    the_record_says(admin.base, patient_id, physician, crew)
