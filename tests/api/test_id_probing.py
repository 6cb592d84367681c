"""No id can be probed: for every field of the schema that takes the id of a patient, a stage,
a diagnosis, a prescription, a surgery or any node, a caller outside the ward gets for
another ward's object exactly the answer an id that names nothing gets.

The fields are found by introspection, and their arguments built from it: the id under test
goes where the field takes it, the caller's own objects fill the other required ids, and a
small table gives the other required inputs. A field that takes an id and is not in
`ID_KINDS` fails `test_every_id_taking_field_is_covered`: a new field is covered, or the
suite says so.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import STAFF_PASSWORD, Api, first_admin
from tests.api.test_story import DIAGNOSE, PRESCRIBE, SURGERY, admit_new_patient
from tests.api.test_subscriptions import PROTOCOL

# Every argument or input field of type ID (or a list of IDs), by "Root.field(path)", and
# the kind of object it names. Users are staff, not a ward's objects: their ids are not
# probed here (only an administrator manages them, and colleagues name each other).
ID_KINDS = {
    "Query.twin(patientId)": "patient",
    "Query.exportPatient(patientId)": "patient",
    "Query.exportProven(patientId)": "patient",
    "Query.medicationTransactions(filter.patientId)": "patient",
    "Query.provenance(nodeId)": "node",
    "Query.interactionCheck(patientId)": "patient",
    "Query.accessHistory(patientId)": "patient",
    "Query.consents(patientId)": "patient",
    "Query.erasureRequest(patientId)": "patient",
    "Mutation.grantConsent(recipientId)": "user",
    "Mutation.revokeConsent(recipientId)": "user",
    "Mutation.admitPatient(input.patientId)": "patient",
    "Mutation.admitPatient(input.crewId)": "user",
    "Mutation.recordVitals(input.patientId)": "patient",
    "Mutation.recordDiagnosis(input.patientId)": "patient",
    "Mutation.recordSurgery(input.patientId)": "patient",
    "Mutation.recordSurgery(input.intraOperative.team)": "user",
    "Mutation.recordIntraOperative(surgeryId)": "surgery",
    "Mutation.recordIntraOperative(input.team)": "user",
    "Mutation.recordPostOperative(surgeryId)": "surgery",
    "Mutation.assignPhysician(patientId)": "patient",
    "Mutation.assignPhysician(physicianId)": "user",
    "Mutation.dischargePatient(input.patientId)": "patient",
    "Mutation.breakGlass(patientId)": "patient",
    "Mutation.invitePatient(patientId)": "patient",
    "Mutation.erasePatient(patientId)": "patient",
    "Mutation.prescribeMedication(input.patientId)": "patient",
    "Mutation.prescribeMedication(input.diagnosisId)": "diagnosis",
    "Mutation.administerMedication(input.prescriptionId)": "prescription",
    "Mutation.discontinueMedication(input.prescriptionId)": "prescription",
    "Mutation.authorizeUser(id)": "user",
    "Mutation.suspendUser(id)": "user",
    "Subscription.twinUpdated(patientId)": "patient",
}
PROBED = sorted(key for key, kind in ID_KINDS.items() if kind != "user")

# The required inputs that are not ids or enums (enums take their first value): valid
# values, so that a call gets as far as the id's lookup.
VALUES: dict[str, Any] = {
    "AdmitPatientInput.arrivedAt": "2026-11-21T08:00:00Z",
    "AdmitPatientInput.chiefComplaint": "Synthetic complaint for a probe",
    "AdmitPatientInput.triageLevel": 3,
    "RecordDiagnosisInput.diagnosedAt": "2026-11-21T09:00:00Z",
    "DiseaseCodeInput.code": "R07.9",
    "RecordSurgeryInput.procedureCode": "232717009",
    "RecordSurgeryInput.procedureDisplay": "Coronary artery bypass grafting",
    "RecordSurgeryInput.scheduledAt": "2026-11-21T10:00:00Z",
    "PreOperativeInput.assessedAt": "2026-11-21T10:00:00Z",
    "PreOperativeInput.asaClass": 2,
    "PreOperativeInput.consentSigned": True,
    "IntraOperativeInput.startedAt": "2026-11-21T11:00:00Z",
    "IntraOperativeInput.endedAt": "2026-11-21T12:00:00Z",
    "IntraOperativeInput.anaesthesia": "general",
    "PostOperativeInput.recordedAt": "2026-11-21T13:00:00Z",
    "PostOperativeInput.recovery": "uneventful",
    "DischargeInput.dischargedAt": "2026-11-22T10:00:00Z",
    "PrescribeMedicationInput.dose": 75,
    "PrescribeMedicationInput.unit": "mg",
    "PrescribeMedicationInput.frequency": "daily",
    "PrescribeMedicationInput.prescribedAt": "2026-11-21T09:30:00Z",
    "MedicationInput.code": "1191",
    "MedicationInput.name": "aspirin",
    "AdministerMedicationInput.dose": 75,
    "AdministerMedicationInput.unit": "mg",
    "AdministerMedicationInput.administeredAt": "2026-11-21T09:45:00Z",
    "DiscontinueMedicationInput.discontinuedAt": "2026-11-21T09:50:00Z",
    "DiscontinueMedicationInput.reason": "course complete",
    "Query.interactionCheck.medicationCode": "1191",
    # Break-glass opens a patient outside one's care by design: the accepted call is the
    # anchored emergency access administrators review. A refused reason must tell nothing.
    "Mutation.breakGlass.reason": "urgent",
    "Mutation.erasePatient.reason": "GDPR art. 17 request, a probe",
}
# What an id that names nothing gets: a refusal with one of these codes, or an empty list.
REFUSED = {"NOT_FOUND", "FORBIDDEN"}
REFUSED_BY_FIELD = {"Mutation.breakGlass": {"BAD_USER_INPUT", "FORBIDDEN"}}
CALLERS = ["stranger", "other_crew", "patient"]

TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }"
INTROSPECTION = f"""{{ __schema {{
  queryType {{ name }} mutationType {{ name }} subscriptionType {{ name }}
  types {{ kind name
    fields {{ name args {{ name defaultValue type {{ {TYPE_REF} }} }} type {{ {TYPE_REF} }} }}
    inputFields {{ name defaultValue type {{ {TYPE_REF} }} }}
    enumValues {{ name }} }} }} }}"""

Json = dict[str, Any]


class Omit:
    """An optional input the call leaves out."""


OMIT = Omit()


class Schema:
    """The served schema, as introspection tells it."""

    def __init__(self, api: Api) -> None:
        answer = api.data(INTROSPECTION)["__schema"]
        self.types: dict[str, Json] = {t["name"]: t for t in answer["types"]}
        self.roots = {answer[f"{r}Type"]["name"]: r.title() for r in
                      ("query", "mutation", "subscription") if answer[f"{r}Type"]}

    def id_paths(self) -> set[str]:
        """Every argument or input field of type ID, under every field of every object."""
        found: set[str] = set()
        for type_ in self.types.values():
            if type_["kind"] != "OBJECT" or type_["name"].startswith("__"):
                continue
            owner = self.roots.get(type_["name"], type_["name"])
            for field in type_["fields"]:
                for arg in field["args"]:
                    for path in self._ids_under(arg["name"], arg["type"], set()):
                        found.add(f"{owner}.{field['name']}({path})")
        return found

    def _ids_under(self, path: str, ref: Json, seen: set[str]) -> list[str]:
        named = unwrap(ref)
        if named["name"] == "ID":
            return [path]
        if named["kind"] != "INPUT_OBJECT" or named["name"] in seen:
            return []
        inner = self.types[named["name"]]["inputFields"]
        return [p for f in inner
                for p in self._ids_under(f"{path}.{f['name']}", f["type"], seen | {named["name"]})]

    def field(self, root: str, name: str) -> Json:
        [type_name] = [t for t, r in self.roots.items() if r == root]
        [found] = [f for f in self.types[type_name]["fields"] if f["name"] == name]
        return found

    def selection(self, ref: Json) -> str:
        """`__typename` and the scalar fields without arguments: what an answer shows."""
        named = self.types[unwrap(ref)["name"]]
        if named["kind"] in ("SCALAR", "ENUM"):
            return ""
        scalars = [f["name"] for f in named["fields"] or []
                   if not f["args"] and unwrap(f["type"])["kind"] in ("SCALAR", "ENUM")]
        return "{ " + " ".join(["__typename", *scalars]) + " }"


def unwrap(ref: Json) -> Json:
    while ref.get("ofType") is not None:
        ref = ref["ofType"]
    return ref


def type_text(ref: Json) -> str:
    if ref["kind"] == "NON_NULL":
        return type_text(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return f"[{type_text(ref['ofType'])}]"
    return str(ref["name"])


@dataclass
class Probe:
    """One call of a field with the id under test at `path`, the rest filled as needed."""

    schema: Schema
    root: str
    field: str
    path: str
    own: dict[str, str]

    def request(self, probe_id: str) -> tuple[str, Json]:
        field = self.schema.field(self.root, self.field)
        definitions, arguments, variables = [], [], {}
        for arg in field["args"]:
            value = self._value(arg["name"], arg["type"], arg["defaultValue"],
                                f"{self.root}.{self.field}", probe_id)
            if value is OMIT:
                continue
            definitions.append(f"${arg['name']}: {type_text(arg['type'])}")
            arguments.append(f"{arg['name']}: ${arg['name']}")
            variables[arg["name"]] = value
        operation = "query" if self.root == "Query" else self.root.lower()
        query = (f"{operation}({', '.join(definitions)}) {{ {self.field}"
                 f"({', '.join(arguments)}) {self.schema.selection(field['type'])} }}")
        return query, variables

    def _value(self, path: str, ref: Json, default: str | None, owner: str,
               probe_id: str) -> Any:
        named = unwrap(ref)
        is_list = ref["kind"] == "LIST" or (ref["kind"] == "NON_NULL"
                                            and ref["ofType"]["kind"] == "LIST")
        key = f"{self.root}.{self.field}({path})"
        if path == self.path:
            return [probe_id] if is_list else probe_id
        holds_probe = self.path.startswith(path + ".")
        if not holds_probe and (ref["kind"] != "NON_NULL" or default is not None):
            return OMIT
        if named["name"] == "ID":
            value: Any = self.own[ID_KINDS[key]]
        elif named["kind"] == "INPUT_OBJECT":
            value = {}
            for inner in self.schema.types[named["name"]]["inputFields"]:
                found = self._value(f"{path}.{inner['name']}", inner["type"],
                                    inner["defaultValue"], named["name"], probe_id)
                if found is not OMIT:
                    value[inner["name"]] = found
        elif named["kind"] == "ENUM":
            value = self.schema.types[named["name"]]["enumValues"][0]["name"]
        else:
            name = f"{owner}.{path.rsplit('.', 1)[-1]}"
            assert name in VALUES, f"add a valid value for the required input {name} to VALUES"
            value = VALUES[name]
        return [value] if is_list else value


@dataclass
class Wards:
    """One ward's patient with a diagnosis, a prescription and a surgery; callers from
    elsewhere, each with a patient of their own."""

    client: TestClient
    foreign: dict[str, str]
    callers: dict[str, Api]
    own: dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def wards(shared_client: TestClient) -> Wards:
    admin = first_admin(shared_client)
    api = Api(shared_client)
    crew, _ = api.staff(admin, "TRANSPORT")
    doctor, _ = api.staff(admin, "PHYSICIAN")
    stranger, stranger_id = api.staff(admin, "PHYSICIAN")
    other_crew, other_crew_id = api.staff(admin, "TRANSPORT")
    patient_id = admit_new_patient(crew)["patientId"]
    doctor_id = doctor.data("{ me { id } }")["me"]["id"]
    admin.data("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, physicianId: $d)"
               " { id } }", {"p": patient_id, "d": doctor_id})
    diagnosis = doctor.data(DIAGNOSE, {"i": {
        "patientId": patient_id, "diagnosedAt": "2026-11-20T08:40:00Z",
        "diseases": [{"code": "I21.4"}]}})["recordDiagnosis"]["id"]
    prescription = doctor.data(PRESCRIBE, {"i": {
        "patientId": patient_id, "diagnosisId": diagnosis,
        "medication": {"code": "1191", "name": "aspirin"}, "dose": 300, "unit": "mg",
        "route": "ORAL", "frequency": "once", "prescribedAt": "2026-11-20T08:45:00Z"}}
    )["prescribeMedication"]["id"]
    surgery = doctor.data(SURGERY, {"i": {
        "patientId": patient_id, "procedureCode": "232717009",
        "procedureDisplay": "Coronary artery bypass grafting",
        "scheduledAt": "2026-11-20T10:00:00Z",
        "preOperative": {"assessedAt": "2026-11-20T10:00:00Z", "asaClass": 3,
                         "consentSigned": True, "risk": "MODERATE"}}})["recordSurgery"]["id"]
    own = {"stranger": {"patient": admit_new_patient(stranger)["patientId"],
                        "user": stranger_id},
           "other_crew": {"patient": admit_new_patient(other_crew)["patientId"],
                          "user": other_crew_id}}
    # A patient with an account of their own, who reads their own twin only.
    own_twin = own["stranger"]["patient"]
    code = admin.data("mutation($p: ID!) { invitePatient(patientId: $p) { code } }",
                      {"p": own_twin})["invitePatient"]["code"]
    account = api.data("mutation($i: RegisterPatientInput!) { registerPatient(input: $i) "
                       "{ userId } }", {"i": {"code": code, "username": "probe.patient",
                                              "password": STAFF_PASSWORD,
                                              "displayName": "Probe Patient"}})
    patient = api.login("probe.patient", STAFF_PASSWORD)
    own["patient"] = {"patient": own_twin, "user": account["registerPatient"]["userId"]}
    foreign = {"patient": patient_id, "diagnosis": diagnosis, "prescription": prescription,
               "surgery": surgery, "node": diagnosis}
    return Wards(shared_client, foreign, {"stranger": stranger, "other_crew": other_crew,
                                          "patient": patient}, own)


def test_every_id_taking_field_is_covered(wards: Wards) -> None:
    schema = Schema(wards.callers["stranger"])
    assert schema.id_paths() == set(ID_KINDS), (
        "a field takes an id this test does not know: add it to ID_KINDS (and VALUES)")


def _answer(wards: Wards, caller: str, probe: Probe, probe_id: str) -> str:
    """The whole answer, with the probed id replaced by a placeholder."""
    query, variables = probe.request(probe_id)
    api = wards.callers[caller]
    if probe.root == "Subscription":
        answer: Any = _first_messages(wards.client, api, query, variables)
    else:
        answer = api.post(query, variables)
    return json.dumps(answer, sort_keys=True).replace(probe_id, "<ID>")


def _first_messages(client: TestClient, api: Api, query: str, variables: Json) -> list[Json]:
    """What a subscription sends first, up to its end if it ends at once."""
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"token": api.token}})
        assert ws.receive_json() == {"type": "connection_ack"}
        ws.send_json({"id": "1", "type": "subscribe",
                      "payload": {"query": query, "variables": variables}})
        first: Json = ws.receive_json()
        messages = [first]
        if first["type"] == "next" and first["payload"].get("errors"):
            messages.append(ws.receive_json())
        return messages


def _refused(answer: str, key: str) -> bool:
    """An id that names nothing is refused with a refusal code, or filters a list to
    nothing."""
    body = json.loads(answer)
    payload = body[0]["payload"] if isinstance(body, list) else body
    if payload.get("errors"):
        codes = {e.get("extensions", {}).get("code") for e in payload["errors"]}
        return codes <= REFUSED_BY_FIELD.get(key.split("(")[0], REFUSED)
    [page] = payload["data"].values()
    return isinstance(page, dict) and page.get("totalCount") == 0


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("key", PROBED)
def test_another_wards_object_is_answered_like_no_object(wards: Wards, key: str,
                                                         caller: str) -> None:
    schema = Schema(wards.callers[caller])
    root, rest = key.split(".", 1)
    field, path = rest.rstrip(")").split("(")
    probe = Probe(schema, root, field, path, wards.own[caller])
    unknown = _answer(wards, caller, probe, str(uuid.uuid4()))
    assert _refused(unknown, key), f"{key}: an unknown id is not refused: {unknown}"
    hidden = _answer(wards, caller, probe, wards.foreign[ID_KINDS[key]])
    assert hidden == unknown
