"""The physician's part of the story, in a real browser: diagnose with the ICD-10-CM search,
prescribe and see the interaction warning before confirming, give and stop a dose, operate,
discharge; the twin updating live when someone else records vitals; emergency access; the
disease explorer; and a physician never seeing another physician's patients.

Two times are measured and written to build/physician-timings.json (never asserted): from a
vitals mutation's answer to the open twin showing it, and for a twin of 500 observations to
render."""

from __future__ import annotations

import json
import re
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.web.browser import DEMO_PASSWORD, ROOT, check_screen, heading
from tests.web.conftest import Actor

TIMINGS = ROOT / "build" / "physician-timings.json"
WARFARIN, ASPIRIN = "11289", "1191"


class Gql:
    """Another actor talking to the real endpoint directly (a crew's tablet, an admin)."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.token = ""
        self.token = self.call("mutation($u: String!, $p: String!) { login(username: $u, "
                               "password: $p) { ... on Session { token } } }",
                               u=username, p=DEMO_PASSWORD)["login"]["token"]

    def post(self, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        body: dict[str, Any] = httpx.post(f"{self.base}/graphql", headers=headers, timeout=60,
                                          json={"query": query, "variables": variables}).json()
        return body

    def call(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self.post(query, **variables)
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


ADMIT = "mutation($i: AdmitPatientInput!) { admitPatient(input: $i) { patientId } }"
VITALS = "mutation($i: RecordVitalsInput!) { recordVitals(input: $i) { anchor { seq } } }"


def admit(caller: Gql, family: str, arrived: datetime, **extra: Any) -> str:
    data = caller.call(ADMIT, i={
        "patient": {"givenName": "Robin", "familyName": family, "birthDate": "1961-04-12",
                    "sex": "FEMALE", "mrn": f"MRN-{uuid.uuid4().hex[:8]}"},
        "arrivalMode": "AMBULANCE", "arrivedAt": _iso(arrived),
        "chiefComplaint": "Chest pain radiating to the left arm", "triageLevel": 2, **extra})
    return str(data["admitPatient"]["patientId"])


def user_id(admin: Gql, username: str) -> str:
    users = admin.call("{ physicians(first: 50) { edges { node { id username } } } }")
    return next(e["node"]["id"] for e in users["physicians"]["edges"]
                if e["node"]["username"] == username)


def patient_of(base: str, physician: str) -> str:
    """A new patient the crew brought in and the admin put in `physician`'s care."""
    crew, admin = Gql(base, "medic.kim"), Gql(base, "admin")
    patient_id = admit(crew, f"Story{uuid.uuid4().hex[:4]}",
                       datetime.now(UTC) - timedelta(hours=3), vitals=[
                           {"sign": "HEART_RATE", "value": 112,
                            "measuredAt": _iso(datetime.now(UTC) - timedelta(hours=3))}])
    admin.call("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, physicianId: $d) "
               "{ id } }", p=patient_id, d=user_id(admin, physician))
    return patient_id


def record_timing(name: str, values: list[float], note: str) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    found = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    found[name] = {"note": note, "runs_ms": [round(v, 1) for v in values],
                   "median_ms": round(statistics.median(values), 1),
                   "max_ms": round(max(values), 1)}
    TIMINGS.write_text(json.dumps(found, indent=2) + "\n")
    print(f"\n{name}: median {found[name]['median_ms']} ms, max {found[name]['max_ms']} ms "
          f"over {len(values)} runs ({note})")


def pick(page: Page, label: str, text: str, option: str) -> None:
    """Type into a search box and pick a suggestion with the keyboard alone."""
    box = page.get_by_role("combobox", name=label)
    box.fill(text)
    listbox = page.get_by_role("listbox", name=f"{label}: suggestions")
    expect(listbox.get_by_role("option", name=re.compile(option))).to_be_visible()
    while listbox.get_by_role("option", selected=True).inner_text().find(option) < 0:
        box.press("ArrowDown")
    box.press("Enter")


def field_error(page: Page, label: str) -> str:
    """The error shown next to a field, read through its aria-describedby."""
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    ids = (field.get_attribute("aria-describedby") or "").split()
    return page.locator(f"#{ids[-1]}").inner_text()


def choose(page: Page, label: str, starting: str) -> None:
    """Select the option whose text starts with `starting`."""
    select = page.get_by_label(label)
    value = select.locator("option").filter(has_text=re.compile(f"^{starting}")).first
    select.select_option(value.get_attribute("value"))


def saved(page: Page, text: str) -> None:
    status = page.locator(".saved", has_text=text)
    expect(status).to_be_visible()
    expect(status.locator(".anchor")).to_contain_text(re.compile(r"entry #\d+ [0-9a-f]{12}"))


def test_the_physicians_part_of_the_story(actor: Callable[[], Actor], console: str) -> None:
    patient_id = patient_of(console, "dr.rivera")
    page = actor().log_in("dr.rivera")
    heading(page, "My patients")
    page.get_by_label("Stage").select_option("ADMISSION")
    row = page.locator(f"tr[data-patient-id='{patient_id}']")
    expect(row).to_be_visible()
    check_screen(page, "physician-patients")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Twin: Robin Story")
    expect(page.locator(".live")).to_contain_text("Live")
    check_screen(page, "physician-twin")

    # Diagnose: the API's error next to the field first, then ICD-10-CM found by name
    nav = page.get_by_role("navigation", name="This patient")
    nav.get_by_role("link", name="Diagnose").click()
    page.get_by_role("button", name="Record the diagnosis").click()
    expect(page.locator("#diagnosis-diseases-error")).to_contain_text("between 1 and 20")
    expect(page.get_by_role("alert")).to_contain_text("diseases")
    check_screen(page, "physician-diagnose-error")
    pick(page, "ICD-10-CM diseases", "NSTEMI myocardial", "I21.4")
    pick(page, "ICD-10-CM diseases", "E11.9", "E11.9")
    page.get_by_label("Symptoms").fill("chest pain, sweating")
    page.get_by_label("Examination findings").fill("ST depression in V4-V6; troponin rising")
    page.get_by_role("button", name="Record the diagnosis").click()
    saved(page, "Diagnosis recorded: I21.4, E11.9.")
    check_screen(page, "physician-diagnose")

    # Prescribe warfarin (no interaction yet), then aspirin: warned BEFORE confirming
    nav.get_by_role("link", name="Prescribe").click()
    pick(page, "Medication", "warfarin", f"RxNorm {WARFARIN}")
    page.get_by_role("button", name="Check interactions").click()
    expect(page.get_by_role("status").filter(has_text="No interaction")).to_be_visible()
    page.get_by_label("Dose (required)").fill("5")
    page.get_by_role("button", name="Confirm: prescribe warfarin").click()
    saved(page, "warfarin prescribed.")

    pick(page, "Medication", ASPIRIN, f"RxNorm {ASPIRIN}")
    page.get_by_role("button", name="Check interactions").click()
    warning = page.locator(".interaction-warning")
    expect(warning).to_contain_text("Contraindicated: warfarin")
    expect(warning).to_contain_text("hémorragique")
    # shown before confirming: nothing about aspirin is saved yet
    expect(page.locator(".saved", has_text="aspirin")).to_have_count(0)
    check_screen(page, "physician-prescribe-warning")
    page.get_by_label("Dose (required)").fill("75")
    page.get_by_role("button", name="Confirm: prescribe aspirin").click()
    saved(page, "aspirin prescribed, with 1 interaction warning(s) anchored with it.")
    expect(page.get_by_role("list", name="Warnings anchored with the prescription")
           ).to_contain_text("interacts with warfarin (CONTRAINDICATED)")

    # Give a dose of warfarin, then stop it (the API's error next to the reason first)
    nav.get_by_role("link", name="Give or stop").click()
    choose(page, "Prescription (required)", "warfarin")
    page.get_by_role("button", name="Record the dose given").click()
    saved(page, "Dose of warfarin recorded as given.")
    choose(page, "Prescription to stop (required)", "warfarin")
    page.get_by_role("button", name="Stop the prescription").click()
    assert "required" in field_error(page, "Reason (required)")
    check_screen(page, "physician-medications-error")
    page.get_by_label("Reason (required)").fill("INR above the target range")
    page.get_by_role("button", name="Stop the prescription").click()
    saved(page, "warfarin stopped.")
    check_screen(page, "physician-medications")

    # Surgery: pre-, intra- and post-operative, each acknowledged before the next appears
    nav.get_by_role("link", name="Surgery").click()
    page.get_by_label("Procedure (SNOMED CT code) (required)").fill("414088005")
    page.get_by_label("Procedure name (required)").fill("Percutaneous coronary intervention")
    page.get_by_label("ASA physical status (required)").select_option("3")
    page.get_by_label("Surgical risk (required)").select_option("HIGH")
    page.get_by_label("Consent signed").check()
    check_screen(page, "physician-surgery-pre")
    page.get_by_role("button", name="Record the pre-operative assessment").click()
    saved(page, "pre-operative assessment recorded")
    page.get_by_label("Anaesthesia (required)").fill("local anaesthesia and sedation")
    check_screen(page, "physician-surgery-intra")
    page.get_by_role("button", name="Record the operation").click()
    saved(page, "Intra-operative record added.")
    page.get_by_label("Recovery (required)").fill("Uneventful; chest pain resolved")
    page.get_by_label("Disposition", exact=True).fill("cardiac ward")
    check_screen(page, "physician-surgery-post")
    page.get_by_role("button", name="Record the post-operative course").click()
    saved(page, "Post-operative course recorded.")

    # Discharge, then the twin shows the three stages and the discharge on its timeline
    nav.get_by_role("link", name="Discharge").click()
    page.get_by_label("Disposition (required)").select_option("HOME")
    page.get_by_label("Discharge summary").fill("NSTEMI treated by PCI; aspirin continued")
    check_screen(page, "physician-discharge")
    page.get_by_role("button", name="Discharge the patient").click()
    saved(page, "Patient discharged.")
    nav.get_by_role("link", name="Twin").click()
    stages = page.locator("ol.stages")
    for text in ("Admission", "Diagnosis", "Surgery", "Pre-operative", "Intra-operative",
                 "Post-operative", "Discharged"):
        expect(stages).to_contain_text(text)
    expect(page.get_by_role("img", name=re.compile("^Timeline: Admission at .*Diagnosis at .*"
                                                   "Surgery at .*discharged at"))).to_be_visible()
    check_screen(page, "physician-twin-discharged")


def _seq_shown(page: Page) -> int:
    return int(page.locator(".live").get_attribute("data-twin-seq") or -1)


def test_the_open_twin_updates_live_when_a_crew_member_records_vitals(
        actor: Callable[[], Actor], console: str) -> None:
    patient_id = patient_of(console, "dr.rivera")
    crew = Gql(console, "medic.kim")
    page = actor().log_in("dr.rivera")
    page.goto(f"{console}/physician/patients/{patient_id}")
    expect(page.locator(".live")).to_contain_text("Live")
    # every change the twin's screen applies, with the browser's clock
    page.evaluate("""() => {
        window.__shown = [];
        const live = document.querySelector('.live');
        new MutationObserver(() => window.__shown.push(
            [Number(live.dataset.twinSeq), Date.now()])).observe(
            live, {attributes: true, attributeFilter: ['data-twin-seq']});
    }""")
    delays = []
    for minutes_ago, rate in zip(range(7, 0, -1), (96, 104, 122, 131, 140, 118, 99),
                                 strict=True):
        measured = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        answer = crew.call(VITALS, i={"patientId": patient_id, "vitals": [
            {"sign": "HEART_RATE", "value": rate, "measuredAt": _iso(measured)}]})
        answered = time.time() * 1000
        seq = answer["recordVitals"]["anchor"]["seq"]
        expect(page.locator(".live")).to_have_attribute(
            "data-twin-seq", re.compile(r"\d+"), timeout=10_000)
        page.wait_for_function("seq => Number(document.querySelector('.live').dataset.twinSeq)"
                               " >= seq", arg=seq, timeout=10_000)
        expect(page.get_by_role("img", name=re.compile(f"^Heart rate: .*latest {rate} \\/min"))
               ).to_be_visible()
        shown = page.evaluate("seq => window.__shown.find(([s]) => s >= seq)[1]", seq)
        delays.append(shown - answered)
        assert _seq_shown(page) >= seq
    expect(page.locator(".live")).to_contain_text("VitalsRecorded")
    check_screen(page, "physician-twin-live")
    record_timing("subscription_update", delays,
                  "from recordVitals' answer (by another actor) to the open twin showing the "
                  "new value; browser and test share the machine's clock")


def test_a_twin_whose_stream_ends_subscribes_again_and_misses_nothing(
        actor: Callable[[], Actor], console: str) -> None:
    """The server ends a stream with an error (a token that expired, a care relationship
    lost): the twin says so, reads itself again and subscribes again on a new socket."""
    patient_id = patient_of(console, "dr.rivera")
    crew = Gql(console, "medic.kim")
    page = actor().log_in("dr.rivera")
    sockets: list[WebSocketRoute] = []

    def through(socket: WebSocketRoute) -> None:
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/graphql$"), through)
    page.goto(f"{console}/physician/patients/{patient_id}")
    expect(page.locator(".live")).to_contain_text("Live ·")
    assert len(sockets) == 1
    # the stream ends as the server ends it for a refused caller (4403 is fatal to graphql-ws:
    # no silent retry), and a change happens while no stream is open
    sockets[0].close(code=4403, reason="Forbidden")
    crew.call(VITALS, i={"patientId": patient_id, "vitals": [
        {"sign": "HEART_RATE", "value": 77,
         "measuredAt": _iso(datetime.now(UTC) - timedelta(minutes=2))}]})
    expect(page.get_by_role("img", name=re.compile("^Heart rate: .*latest 77 \\/min"))
           ).to_be_visible()
    expect(page.locator(".live")).to_contain_text("Live ·")
    assert len(sockets) == 2
    # and the new stream carries the next change
    crew.call(VITALS, i={"patientId": patient_id, "vitals": [
        {"sign": "HEART_RATE", "value": 81,
         "measuredAt": _iso(datetime.now(UTC) - timedelta(minutes=1))}]})
    expect(page.get_by_role("img", name=re.compile("^Heart rate: .*latest 81 \\/min"))
           ).to_be_visible()


def test_a_twin_with_500_observations_renders(actor: Callable[[], Actor], console: str) -> None:
    doctor = Gql(console, "dr.rivera")
    start = datetime.now(UTC) - timedelta(days=2)
    patient_id = admit(doctor, "Fivehundred", start)
    signs = {"HEART_RATE": (70, 30), "RESPIRATORY_RATE": (14, 10), "OXYGEN_SATURATION": (90, 9),
             "SYSTOLIC_BLOOD_PRESSURE": (100, 40), "BODY_TEMPERATURE": (36.5, 2.5)}
    for batch in range(5):
        vitals = []
        for step in range(batch * 20, batch * 20 + 20):
            at = _iso(start + timedelta(minutes=10 * step + 5))
            wave = (step % 17) / 16
            vitals += [{"sign": sign, "value": round(low + span * wave, 1), "measuredAt": at}
                       for sign, (low, span) in signs.items()]
        doctor.call(VITALS, i={"patientId": patient_id, "vitals": vitals})
    page = actor().log_in("dr.rivera")
    runs = []
    for _ in range(3):
        page.goto(f"{console}/physician/patients/{patient_id}")
        runs.append(page.evaluate("""() => new Promise(resolve => {
            const done = () => document.querySelector('.vital-charts[data-observations="500"]');
            if (done()) return resolve(performance.now());
            new MutationObserver((_, observer) => {
                if (done()) { observer.disconnect(); resolve(performance.now()); }
            }).observe(document.body, {childList: true, subtree: true});
        })"""))
    expect(page.get_by_role("img", name=re.compile("^NEWS2 trend: 100 scores"))).to_be_visible()
    expect(page.locator("figure.vital-chart")).to_have_count(6)
    check_screen(page, "physician-twin-500")
    record_timing("twin_500_observations_render", runs,
                  "from navigating to the twin's URL (page load, session, twin query, charts) "
                  "to the charts of its 500 observations in the DOM")


def test_my_patients_page_by_page_and_filtered(actor: Callable[[], Actor], console: str) -> None:
    doctor = Gql(console, "dr.tanaka")
    for n in range(21):
        admit(doctor, f"Paged{n:02d}", datetime.now(UTC) - timedelta(hours=2, minutes=n))
    mine = doctor.call("{ patients(first: 100) { totalCount edges { node { id } } } }")[
        "patients"]
    discharged = doctor.call('{ patients(first: 100, filter: {status: DISCHARGED}) { edges { '
                             'node { id } } } }')["patients"]["edges"]
    page = actor().log_in("dr.tanaka")
    rows = page.locator("tr[data-patient-id]")
    expect(page.locator("table")).to_have_attribute("data-total", str(mine["totalCount"]))
    expect(rows).to_have_count(20)
    first = rows.evaluate_all("rows => rows.map(r => r.dataset.patientId)")
    page.get_by_role("button", name="Next page").click()
    expect(page.locator("caption")).to_contain_text("page 2")
    expect(rows).to_have_count(min(20, mine["totalCount"] - 20))
    second = rows.evaluate_all("rows => rows.map(r => r.dataset.patientId)")
    assert not set(first) & set(second)
    if mine["totalCount"] <= 40:
        assert set(first) | set(second) == {e["node"]["id"] for e in mine["edges"]}
        expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.get_by_role("button", name="Previous page").click()
    expect(page.locator("caption")).to_contain_text("page 1")
    expect(rows.first).to_have_attribute("data-patient-id", first[0])
    # the filter is the server's, and stays in the URL
    page.get_by_label("Status").select_option("DISCHARGED")
    expect(page).to_have_url(re.compile(r"status=DISCHARGED"))
    if discharged:
        expect(rows).to_have_count(min(20, len(discharged)))
    else:
        expect(page.get_by_role("status")).to_have_text("No patient in your care matches.")
    check_screen(page, "physician-patients-filtered")


NOT_FOUND_TEXT = "No patient with this id is in your care."


def test_a_physician_does_not_see_another_physicians_patients(
        actor: Callable[[], Actor], console: str) -> None:
    theirs = patient_of(console, "dr.okafor")
    okafor = actor().log_in("dr.okafor")
    expect(okafor.locator(f"tr[data-patient-id='{theirs}']")).to_be_visible()

    rivera = actor().log_in("dr.rivera")
    heading(rivera, "My patients")
    expect(rivera.locator("table")).to_be_visible()
    rivera_ids = rivera.locator("tr[data-patient-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.patientId)")
    okafor_ids = okafor.locator("tr[data-patient-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.patientId)")
    assert theirs not in rivera_ids
    direct = Gql(console, "dr.rivera")
    total = direct.call("{ patients(first: 100) { totalCount edges { node { id } } } }")
    assert theirs not in {e["node"]["id"] for e in total["patients"]["edges"]}
    assert set(okafor_ids) - {e["node"]["id"] for e in total["patients"]["edges"]}

    def screen(patient_id: str) -> str:
        rivera.goto(f"{console}/physician/patients/{patient_id}")
        heading(rivera, "Patient not found")
        return rivera.locator("main").inner_text().replace(patient_id, "ID")

    random_id = str(uuid.uuid4())
    assert screen(theirs) == screen(random_id)
    expect(rivera.locator("main")).to_contain_text(NOT_FOUND_TEXT)
    check_screen(rivera, "physician-not-found")
    # and the same through the API, for a page of another screen of that patient too
    rivera.goto(f"{console}/physician/patients/{theirs}/prescribe")
    heading(rivera, "Patient not found")
    query = "query($p: ID!) { twin(patientId: $p) { patient { id } } }"
    hidden, unknown = (direct.post(query, p=p)["errors"][0] for p in (theirs, random_id))
    assert hidden["extensions"] == unknown["extensions"] == {"code": "NOT_FOUND"}
    assert hidden["message"].replace(theirs, "ID") == unknown["message"].replace(random_id, "ID")


def test_emergency_access_opens_a_patient_outside_my_care_with_its_reason(
        actor: Callable[[], Actor], console: str) -> None:
    outside = admit(Gql(console, "dr.haddad"), "Glass", datetime.now(UTC) - timedelta(hours=1))
    page = actor().log_in("dr.rivera")
    page.goto(f"{console}/physician/patients/{outside}")
    heading(page, "Patient not found")
    page.get_by_role("link", name="emergency access", exact=True).click()
    heading(page, "Emergency access")
    expect(page.get_by_label("Patient ID (required)")).to_have_value(outside)
    page.get_by_label("Reason (required)").fill("urgent")
    page.get_by_role("button", name="Break the glass").click()
    assert "at least 10 characters" in field_error(page, "Reason (required)")
    check_screen(page, "physician-break-glass-error")
    # with the keyboard alone: type the reason, Tab to the button, Enter
    page.get_by_label("Reason (required)").fill("")
    page.keyboard.type("Unconscious on arrival; the treating physician cannot be reached")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Break the glass")).to_be_focused()
    page.keyboard.press("Enter")
    saved(page, "Emergency access granted for 4 hours")
    check_screen(page, "physician-break-glass")
    page.get_by_role("link", name="Open the patient's twin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Twin: Robin Glass")


def test_the_disease_explorer_draws_the_tree_and_the_path_between_two_diseases(
        actor: Callable[[], Actor], console: str) -> None:
    page = actor().log_in("dr.rivera")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Disease explorer").click()
    heading(page, "Disease explorer")
    pick(page, "Disease", "NSTEMI myocardial", "I21.4")
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "I21.4 Non-ST elevation (NSTEMI) myocardial infarction")
    tree = page.get_by_role("img", name=re.compile("^I21.4 .*3 ancestors \\(9 > I20-I25 > "
                                                   "I21\\)"))
    expect(tree).to_be_visible()
    ancestors = page.locator("section", has=page.get_by_role("heading", name="In the ICD-10-CM "
                                                                           "tree")).locator("ol")
    expect(ancestors.get_by_role("link")).to_have_text([
        "I21 Acute myocardial infarction", "I20-I25 Ischemic heart diseases (I20-I25)",
        "9 Diseases of the circulatory system (I00-I99)"])
    expect(page.get_by_role("heading", name="Co-occurring in my patients")).to_be_visible()
    pick(page, "Path to another disease", "I50.9", "I50.9")
    path = page.locator("ol.path-list li")
    expect(path.first).to_have_text(re.compile("^I21.4 "))
    expect(path.last).to_have_text("I50.9 Heart failure, unspecified")
    expect(page.get_by_role("img", name="Path of 6 IS_A links: I21.4 → I21 → I20-I25 → 9 → "
                                        "I30-I5A → I50 → I50.9")).to_be_visible()
    check_screen(page, "physician-disease-explorer")
    # the tree is walked with the keyboard: a link in the lists opens that disease
    page.get_by_role("link", name="I21 Acute myocardial infarction").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2)).to_have_text("I21 Acute myocardial infarction")


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
