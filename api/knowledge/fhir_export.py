"""A twin as a FHIR R4 (4.0.1) Bundle of type collection (the `exportPatient` query is
api/graphql/fhir.py).

A resource that was imported comes back as it was imported: the node keeps its JSON text
(`fhir_resource`, numbers as written), and that text is the resource, whatever its type; the
patient's resources of the types the stages do not hold and the shared resources (an
Organization, a Practitioner) their bundles came with are read beside the twin.

What was recorded here is built from the one statement that reads a whole twin (`twin_get`),
the mapping of fhir_mapping.py run backwards: the Patient, an Encounter per Admission, a
Condition per diagnosed disease, an Observation per observation (components folded back into
their panel), a MedicationRequest or MedicationAdministration per transaction, a Procedure per
Surgery, a Practitioner per physician of the care team. Those use their node ids and the
values the twin implies (an admission is an emergency encounter); a value HDT derives, such as
the twin's id, carries HDT's own `system`. Every bundle is validated against the strict R4
models of `fhirclient` before it leaves: a failure is a bug here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirabstractbase import FHIRValidationError

from api.knowledge import fhir_json
from api.knowledge import fhir_values as fv
from api.knowledge.fhir_values import Json
from api.twin import validation as check
from api.twin.access import Principal, check_patient, now_iso, unknown_patient
from api.twin.errors import NotFound
from api.twin.vitals import BY_CODE
from graph import reads
from graph.reads import stage_kind
from graph.store import GraphStore

REQUEST_STATUSES = {"active", "on-hold", "cancelled", "completed", "entered-in-error",
                    "stopped", "draft", "unknown"}
TWIN_ID_SYSTEM = "urn:hdt:twin"
"""The system of the identifier an export gives a patient recorded here: the twin's id."""
ADMINISTRATION_STATUSES = {"in-progress", "not-done", "on-hold", "completed",
                           "entered-in-error", "stopped", "unknown"}


class ExportInvalid(Exception):
    """The bundle built would not validate as FHIR R4: a bug in the export, not bad data."""


async def export_patient(store: GraphStore, given: str) -> Json:
    """The patient's twin as a validated Bundle, named by its twin id or by the FHIR id it
    was imported with; NotFound when there is no such patient. Callers check the right to
    read it first (`readable_patient`)."""
    for patient_id in twin_ids(given):
        row = await reads.twin(store, reads.EVERYONE, patient_id)
        if row is not None:
            break
    else:
        raise NotFound(f"no patient {given}")
    bundle = bundle_of(row, await reads.fhir_resources_of_patient(store, patient_id))
    validate(bundle)
    return bundle


def twin_ids(given: str) -> list[str]:
    """The twin ids a patient id may stand for, in the order they are tried: itself, then
    the node a Patient imported with that FHIR id became (fhir_values.node_id)."""
    return list(dict.fromkeys([given, fv.node_id("Patient", given)]))


async def readable_patient(store: GraphStore, principal: Principal, given: str) -> str:
    """The twin id of the patient `given` names (its twin id or its FHIR id), when the caller
    may read that patient; else the one answer a patient that does not exist gets, naming
    only what the caller gave."""
    for patient_id in twin_ids(given):
        try:
            await check_patient(store, principal, patient_id)
        except NotFound:
            continue
        return patient_id
    raise unknown_patient(principal, given)


def validate(bundle: Json) -> None:
    try:
        Bundle(fhir_json.plain(bundle), strict=True)
    except FHIRValidationError as exc:
        raise ExportInvalid(str(exc)) from exc


def bundle_of(row: Mapping[str, Any], kept: Mapping[str, Any] | None = None) -> Json:
    """A `twin_get` row, and the `fhir_resources_of_patient` row beside it, as a Bundle (not
    yet validated). Numbers of imported resources are `Written` decimals: write the bundle
    with `fhir_json.dumps` to give them back as they came."""
    resources = _Twin(row).resources()
    kept = kept or {}
    for node in sorted(kept.get("own") or [], key=lambda n: (n.get("at") or "",
                                                           n["resource_type"], n["fhir_id"])):
        resources.append((_raw(node), str(node["fhir_id"])))
    for node in sorted(kept.get("shared") or [], key=lambda n: (n["resource_type"],
                                                              n["fhir_id"])):
        resources.append((_raw(node), str(node["fhir_id"])))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(fv.NAMESPACE, f"export/{row['patient']['id']}")),
        "type": "collection",
        "timestamp": now_iso(),
        "entry": [{**({"fullUrl": f"urn:uuid:{fhir_id}"} if _is_uuid(fhir_id) else {}),
                   "resource": r} for r, fhir_id in resources],
    }


def _raw(node: Json) -> Json:
    """An imported resource as it came: parsed from the text the node keeps."""
    resource: Json = fhir_json.loads(node["fhir_resource"])
    return resource


def _imported(node: Json) -> bool:
    return bool(node.get("fhir_resource"))


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _fhir_id(node: Json) -> str:
    return str(node.get("fhir_id") or node["id"])


def _reference(resource_type: str, fhir_id: str) -> Json:
    return {"reference": f"urn:uuid:{fhir_id}" if _is_uuid(fhir_id)
            else f"{resource_type}/{fhir_id}"}


def _concept(system: str, code: str, display: str, others: list[str] | None = None) -> Json:
    first = {"system": system, "code": code, **({"display": display} if display else {})}
    return {"coding": [first, *(fv.coding_of(c) for c in others or [])]}


def _quantity(value: float, unit: str | None, system: str | None = None,
              code: str | None = None) -> Json:
    found: Json = {"value": value}
    if unit:
        found["unit"] = unit
    if system:
        found["system"] = system
        found["code"] = code or unit
    return found


def _compact(resource: Json) -> Json:
    """Without empty elements: FHIR forbids empty strings, lists and objects."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}


class _Twin:
    """One twin row and the references between its parts."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.patient: Json = row["patient"]
        self.stages: list[Json] = [{**s, "stage": stage_kind(s)} for s in row["stages"]]
        self.transactions: list[Json] = sorted(row["transactions"],
                                               key=lambda t: (t["at"], t["id"]))
        self.physicians = {p["id"]: p for p in row["physicians"]}
        self.by_id = {s["id"]: s for s in self.stages}
        self.by_transaction = {t["id"]: t for t in self.transactions}
        self.subject = _reference("Patient", _fhir_id(self.patient))

    def resources(self) -> list[tuple[Json, str]]:
        """(resource, FHIR id) of each part of the twin: as imported, or built."""
        found: list[tuple[Json, str]] = [
            self._kept(self.patient, self._patient),
            *((_compact(self._practitioner(p)), p["id"]) for p in self.physicians.values())]
        admission: Json | None = None
        for stage in self.stages:
            if stage["stage"] == "ADMISSION":
                admission = stage
                found.append(self._kept(stage, partial(self._encounter, stage)))
            elif stage["stage"] == "DIAGNOSIS":
                if _imported(stage):
                    found.append((_raw(stage), _fhir_id(stage)))
                else:
                    found.extend((_compact(r), r["id"])
                                 for r in self._conditions(stage, admission))
            else:
                found.append(self._kept(stage, partial(self._procedure, stage, admission)))
            found.extend(self._observations(stage, admission))
        for t in self.transactions:
            build = self._request if t["kind"] == "PRESCRIPTION" else self._administration
            resource, fhir_id = self._kept(t, partial(build, t))
            if _imported(t) and t.get("discontinued_at"):
                # Stopped here after it was imported: the twin's word on its status is newer.
                resource = {**resource, "status": "stopped", **(
                    {"statusReason": {"text": t["discontinue_reason"]}}
                    if t.get("discontinue_reason") else {})}
            found.append((resource, fhir_id))
        return found

    def _kept(self, node: Json, build: Callable[[], Json]) -> tuple[Json, str]:
        """The node's resource as imported, else the one built from the twin."""
        if _imported(node):
            return _raw(node), _fhir_id(node)
        built = _compact(build())
        return built, str(built["id"])

    def _actor(self, user_id: str | None) -> Json | None:
        if user_id is None or user_id not in self.physicians:
            return None
        return _reference("Practitioner", user_id)

    def _encounter_of(self, node: Json, admission: Json | None) -> Json | None:
        """The encounter a stage or transaction belongs to: the one it was imported with, or
        for what was recorded here, the admission before it."""
        if node.get("stage") == "ADMISSION":
            target: Json | None = node
        elif node.get("fhir_id") is not None:
            target = self.by_id.get(node.get("encounter_id") or "")
        else:
            target = self.by_id.get(node.get("encounter_id") or "") or admission
        return _reference("Encounter", _fhir_id(target)) if target else None

    def _patient(self) -> Json:
        p = self.patient
        name = _compact({"use": "official", "family": p.get("family_name"),
                         "given": [p["given_name"]] if p.get("given_name") else []})
        identifiers: list[Json] = [{"system": TWIN_ID_SYSTEM, "value": p["id"]}]
        if p.get("mrn"):
            identifiers.insert(0, {"type": {"coding": [{"system": fv.IDENTIFIER_TYPE_SYSTEM,
                                                        "code": "MR"}]}, "value": p["mrn"]})
        sex = p.get("sex") if p.get("sex") in ("male", "female", "other") else "unknown"
        return {
            "resourceType": "Patient", "id": _fhir_id(p), "identifier": identifiers,
            "name": [name] if len(name) > 1 else [], "gender": sex,
            "birthDate": p.get("birth_date"),
            "telecom": ([{"system": "phone", "value": p["contact_phone"]}]
                        if p.get("contact_phone") else []),
            "deceasedDateTime": p.get("deceased_at"),
        }

    def _practitioner(self, physician: Json) -> Json:
        specialty = physician.get("specialty")
        return {"resourceType": "Practitioner", "id": physician["id"],
                "name": [{"text": physician.get("display_name") or ""}],
                "qualification": [{"code": {"text": specialty}}] if specialty else []}

    def _encounter(self, stage: Json) -> Json:
        imported = stage.get("fhir_id") is not None
        last = [s for s in self.stages if s["stage"] == "ADMISSION"][-1] is stage
        in_stay = last and self.patient.get("status") == "ADMITTED"
        ended = stage.get("ended_at") or (
            self.patient.get("discharged_at") if last and not imported and not in_stay else None)
        triage = stage.get("triage_level")
        complaint = stage.get("chief_complaint") or ""
        reasons = [fv.coding_of(c) for c in stage.get("reason_codings") or []]
        return {
            "resourceType": "Encounter", "id": _fhir_id(stage),
            "status": stage.get("encounter_status") or ("in-progress" if in_stay else "finished"),
            "class": {"system": fv.ACT_CODE_SYSTEM, "code": stage.get("encounter_class") or "EMER"},
            "type": [{"coding": [fv.coding_of(t)]} for t in stage.get("types") or []],
            "priority": ({"coding": [{"system": fv.PRIORITY_SYSTEM,
                                      "code": fv.PRIORITY_BY_TRIAGE[triage]}]}
                         if triage in fv.PRIORITY_BY_TRIAGE else None),
            "subject": self.subject,
            "period": _compact({"start": stage["at"], "end": ended}),
            "reasonCode": ([_compact({"coding": reasons, "text": complaint})]
                           if complaint or reasons else []),
            "hospitalization": ({"admitSource": {"coding": [{
                "system": fv.ARRIVAL_MODE_SYSTEM, "code": stage["arrival_mode"]}]}}
                if stage.get("arrival_mode") else None),
            "participant": ([{"individual": self._actor(stage.get("recorded_by"))}]
                            if self._actor(stage.get("recorded_by")) else []),
        }

    def _conditions(self, stage: Json, admission: Json | None) -> list[Json]:
        imported = stage.get("fhir_id") is not None
        evidence = [_reference("Observation", _fhir_id(o)) for o in stage["observations"]
                    if not o.get("panel_id")]
        found = []
        for i, disease in enumerate(sorted(stage["diseases"], key=lambda d: d["key"])):
            first = i == 0
            found.append({
                "resourceType": "Condition",
                "id": (_fhir_id(stage) if first
                       else str(uuid.uuid5(uuid.UUID(stage["id"]), disease["key"]))),
                "clinicalStatus": _status(fv.CONDITION_CLINICAL_SYSTEM, stage.get(
                    "clinical_status") or (None if imported else "active")),
                "verificationStatus": _status(fv.CONDITION_VERIFICATION_SYSTEM, stage.get(
                    "verification_status") or (None if imported else "confirmed")),
                "category": _listed(_status(fv.CONDITION_CATEGORY_SYSTEM, stage.get(
                    "category") or (None if imported else "encounter-diagnosis"))),
                "code": _concept(disease["system"], disease["code"],
                                 (stage.get("disease_display") if first else None)
                                 or disease.get("display") or "",
                                 stage.get("other_codings") if first else None),
                "subject": self.subject, "encounter": self._encounter_of(stage, admission),
                "onsetDateTime": stage.get("onset_at") or (None if imported else stage["at"]),
                "abatementDateTime": stage.get("abated_at"), "recordedDate": stage["at"],
                "asserter": self._actor(stage.get("recorded_by")),
                "evidence": ([*([{"code": [{"text": s} for s in stage["symptoms"]]}]
                                if stage.get("symptoms") else []),
                              *([{"detail": evidence}] if evidence else [])] if first else []),
                "note": ([{"text": stage["findings"]}] if first and stage.get("findings")
                         else []),
            })
        return found

    def _procedure(self, stage: Json, admission: Json | None) -> Json:
        phases = {p["phase"]: p for p in stage.get("phases") or []}
        intra, post = phases.get("INTRA_OPERATIVE"), phases.get("POST_OPERATIVE")
        team = [m for m in (intra or {}).get("team") or [] if m in self.physicians]
        return {
            "resourceType": "Procedure", "id": _fhir_id(stage),
            "status": stage.get("procedure_status") or ("completed" if intra else "preparation"),
            "code": (_concept(stage.get("procedure_system") or check.SNOMED_SYSTEM,
                              stage["procedure_code"], stage.get("procedure_display") or "",
                              stage.get("other_codings"))
                     if stage.get("procedure_code") else None),
            "subject": self.subject, "encounter": self._encounter_of(stage, admission),
            "performedDateTime": (intra["started_at"] if intra and not intra.get("ended_at")
                                  else None),
            "performedPeriod": ({"start": intra["started_at"], "end": intra["ended_at"]}
                                if intra and intra.get("ended_at") else None),
            "reasonCode": [{"text": r} for r in stage.get("reasons") or []],
            "performer": [{"actor": _reference("Practitioner", m)} for m in team],
            "outcome": {"text": post["recovery"]} if post and post.get("recovery") else None,
            "complication": [{"text": c} for c in (post or {}).get("complications") or []],
        }

    def _observations(self, stage: Json, admission: Json | None) -> list[tuple[Json, str]]:
        nodes = sorted(stage["observations"], key=lambda o: (o["at"], o["id"]))
        parts: dict[str, list[Json]] = {}
        for node in nodes:
            if node.get("panel_id"):
                parts.setdefault(node["panel_id"], []).append(node)
        encounter = self._encounter_of(stage, admission)
        part_of = ([_reference("Procedure", _fhir_id(stage))] if stage["stage"] == "SURGERY"
                   else [])
        found: list[tuple[Json, str]] = []
        for node in nodes:
            if node.get("panel_id"):
                continue
            if _imported(node):
                found.append((_raw(node), _fhir_id(node)))
                continue
            components = sorted(parts.get(node["id"], []), key=lambda o: o["component_index"])
            found.append((_compact({
                "resourceType": "Observation", "id": _fhir_id(node),
                "status": node.get("status") or "final",
                "category": _listed(_status(fv.OBSERVATION_CATEGORY_SYSTEM,
                                            _category(node, stage))),
                "code": _observed_code(node), "subject": self.subject, "encounter": encounter,
                "partOf": part_of, "effectiveDateTime": node["at"], **_value(node),
                "component": [{"code": _observed_code(c), **_value(c)} for c in components],
            }), _fhir_id(node)))
        return found

    def _medication(self, transaction: Json) -> Json:
        m = transaction["medication"]
        own = transaction.get("medication_display") or m.get("name") or ""
        return _concept(m["system"], m["code"], own, transaction.get("other_codings"))

    def _request(self, t: Json) -> Json:
        dosage = fv.dosage_of(t.get("frequency"))
        if t.get("route"):
            dosage["route"] = {"text": t["route"]}
        if t.get("dose") is not None and t.get("dose_stated", True):
            dosage["doseAndRate"] = [{"doseQuantity": _quantity(t["dose"], t.get("unit"))}]
        diagnosis = self.by_id.get(t.get("diagnosis_id") or "")
        status = fv.status_lower(t.get("status") or "ACTIVE")
        return {
            "resourceType": "MedicationRequest", "id": _fhir_id(t),
            "status": status if status in REQUEST_STATUSES else "unknown",
            **({"statusReason": {"text": t["discontinue_reason"]}}
               if t.get("discontinue_reason") else {}),
            "intent": t.get("intent") or "order",
            "medicationCodeableConcept": self._medication(t), "subject": self.subject,
            "encounter": self._transaction_encounter(t), "authoredOn": t["at"],
            "requester": self._actor(t.get("recorded_by")),
            "reasonReference": ([_reference("Condition", _fhir_id(diagnosis))]
                                if diagnosis and diagnosis["diseases"] else []),
            "dosageInstruction": [dosage] if dosage else [],
        }

    def _administration(self, t: Json) -> Json:
        dosage: Json = {}
        if t.get("route"):
            dosage["route"] = {"text": t["route"]}
        if t.get("dose") is not None and t.get("dose_stated", True):
            dosage["dose"] = _quantity(t["dose"], t.get("unit"))
        request = self.by_transaction.get(t.get("prescription_id") or "")
        status = fv.status_lower(t.get("status") or "COMPLETED")
        return {
            "resourceType": "MedicationAdministration", "id": _fhir_id(t),
            "status": status if status in ADMINISTRATION_STATUSES else "unknown",
            "medicationCodeableConcept": self._medication(t), "subject": self.subject,
            "context": self._transaction_encounter(t), "effectiveDateTime": t["at"],
            "request": _reference("MedicationRequest", _fhir_id(request)) if request else None,
            "performer": ([{"actor": self._actor(t.get("recorded_by"))}]
                          if self._actor(t.get("recorded_by")) else []),
            "dosage": dosage or None,
        }

    def _transaction_encounter(self, t: Json) -> Json | None:
        """The encounter a transaction was imported with; for one recorded here, the last
        admission at or before it."""
        stage = self.by_id.get(t.get("encounter_id") or "")
        if stage is None and t.get("fhir_id") is None:
            before = [s for s in self.stages if s["stage"] == "ADMISSION" and s["at"] <= t["at"]]
            stage = before[-1] if before else None
        return _reference("Encounter", _fhir_id(stage)) if stage else None


def _status(system: str, code: str | None) -> Json | None:
    return {"coding": [{"system": system, "code": code}]} if code else None


def _listed(item: Json | None) -> list[Json]:
    return [item] if item is not None else []


def _category(node: Json, stage: Json) -> str | None:
    if node.get("category") or node.get("fhir_id"):
        return node.get("category")
    if node["code"] in BY_CODE:
        return "vital-signs"
    return "laboratory" if stage["stage"] == "DIAGNOSIS" else None


def _observed_code(node: Json) -> Json:
    return _concept(node.get("system") or check.LOINC_SYSTEM, node["code"], node.get("name") or "",
                    node.get("other_codings"))


def _value(node: Json) -> dict[str, Any]:
    if node.get("value") is not None:
        system = node.get("unit_system")
        recorded_here = node.get("fhir_id") is None and node.get("panel_id") is None
        if system is None and recorded_here and node["code"] in BY_CODE:
            system = fv.UCUM_SYSTEM  # the vital signs recorded here are in UCUM units
        return {"valueQuantity": _quantity(node["value"], node.get("unit"), system,
                                           node.get("unit_code"))}
    if node.get("value_code"):
        return {"valueCodeableConcept": _concept(str(node.get("value_system")),
                                                 node["value_code"], node.get("text") or "")}
    if node.get("text") is not None:
        return {"valueString": node["text"]}
    return {}
