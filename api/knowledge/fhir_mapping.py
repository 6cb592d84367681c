"""One FHIR R4 resource to one twin event; fhir_export.py gives an imported one back as it
came, and writes what was recorded here the same way backwards.

- Patient: the patient (`PatientImported`): name, gender, birthDate, the MR identifier as
  `mrn`, the first phone, deceasedDateTime. The FHIR id is kept (`fhir_id`, and in the node
  id) so that a re-import finds the same patient. Imported history never opens a stay: the
  status is DISCHARGED, `admittedAt` the start of the latest encounter.
- Encounter: an `Admission` stage. Arrival time = period.start; chief complaint = reasonCode
  text (else type); triage level from priority (S 1; EM, A, T 2; UR 3; R 4; EL 5; without
  one, 3 for EMER/IMP/ACUTE and 5 otherwise); arrival mode from hospitalization.admitSource,
  else from the class (AMB and EMER walk-in, IMP referral). The class itself is kept.
- Condition: a `Diagnosis` stage with one disease, keyed by its first coding's system and
  code: SNOMED CT as Synthea writes it stays SNOMED CT (no code is dropped for want of an
  ICD-10 mapping), and the other codings are kept on the stage and the disease. Time =
  recordedDate, else its encounter's start (a disease is diagnosed during the encounter,
  though its onset may be years before), else the onset.
- Observation: Observation nodes on a stage: the Diagnosis of a condition citing it as
  evidence, else the Surgery of the procedure it is part of, else the Admission of its
  encounter. A component (systolic, diastolic) is a node of its own with `panel_id` naming
  the panel's node, so a blood pressure reads as vitals and exports as one resource.
- MedicationRequest: a prescription `MedicationTransaction` (RxNorm), for the diagnosis its
  reasonReference names. A dose it does not state is 0 in the twin, `dose_stated` false.
- MedicationAdministration: an administration, fulfilling the request it names.
- Procedure: a `Surgery` stage; the performed time is its intra-operative phase, outcome and
  complications its post-operative phase.

Every other type is kept whole on a node of its patient (`other`), with its type, date, code
and status to find it by; Organization, Location, Practitioner and PractitionerRole belong to
no one patient and are kept once (`SHARED`). The checks here are the
importer's own: FHIR data is history, so "not in the future" and "ICD-10 only" do not apply,
but codes, numbers and text lengths are checked as the mutations check them. A mapper raises
`Rejected`, naming the field at fault, for a valid resource that still cannot be placed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from api.knowledge import fhir_values as fv
from api.knowledge.fhir_values import Json, Rejected
from api.knowledge.medications import catalogue_names
from api.twin import validation as check
from api.twin.errors import InvalidInput
from graph.event_values import DiseaseRef, MedicationRef, SurgeryPhaseData
from graph.fhir_events import (
    AdministrationImported,
    AdmissionImported,
    DiagnosisImported,
    ImportedObservation,
    ObservationImported,
    PatientImported,
    PrescriptionImported,
    ResourceImported,
    SurgeryImported,
)

SUPPORTED = ("Patient", "Encounter", "Condition", "Procedure", "Observation",
             "MedicationRequest", "MedicationAdministration")
"""The resource types a twin's stages hold, in the order they are recorded: each only refers
back. Every other type is kept whole on a node of its patient (`other`)."""

SHARED = ("Organization", "Location", "Practitioner", "PractitionerRole", "HealthcareService",
          "Endpoint")
"""Types that belong to no one patient: kept once, and named by the twins that use them."""

_DATES = ("effectiveDateTime", "occurrenceDateTime", "performedDateTime", "recordedDate",
          "authoredOn", "issued", "date", "recorded", "created", "onsetDateTime", "started",
          "sent", "dateAsserted")
_PERIODS = ("effectivePeriod", "period", "performedPeriod", "billablePeriod",
            "occurrencePeriod", "whenHandedOver")
_CODES = ("code", "vaccineCode", "medicationCodeableConcept", "type", "category",
          "procedureCode", "suppliedItem")


class Links(Protocol):
    """What a mapper needs to know beyond its resource: the nodes other resources became."""

    def own(self, resource: Json) -> str:
        """The node id this resource becomes."""

    def patient(self, resource: Json) -> str:
        """The patient node of the resource's subject (or patient); raises Rejected."""

    def node(self, resource_type: str, reference: Json | None) -> str | None:
        """The node a reference to a resource of that type became, if it was loaded."""

    def start(self, reference: Json | None) -> str | None:
        """The start of a referenced encounter that was loaded."""

    def medication(self, reference: Json | None) -> Json | None:
        """The code of a referenced Medication resource of the bundle."""


def patient(resource: Json, links: Links, actor: str, admitted_at: str,
            discharged_at: str | None) -> PatientImported:
    names = resource.get("name") or [{}]
    name = next((n for n in names if n.get("use") == "official"), names[0])
    given = " ".join(name.get("given") or []) or (name.get("text") or "")
    mrn = next((i.get("value") for i in resource.get("identifier") or []
                if fv.first_code(i.get("type")) == "MR" and i.get("value")), None)
    phone = next((t.get("value") for t in resource.get("telecom") or []
                  if t.get("system") == "phone" and t.get("value")), None)
    deceased = resource.get("deceasedDateTime")
    return PatientImported(
        patient_id=links.own(resource), fhir_id=resource["id"], imported_by=actor,
        given_name=fv.text("name[0].given", given, 200),
        family_name=fv.text("name[0].family", name.get("family"), 200),
        birth_date=resource.get("birthDate") or "", sex=resource.get("gender") or "unknown",
        admitted_at=admitted_at, discharged_at=discharged_at,
        mrn=fv.text("identifier(MR).value", mrn, 100) or None,
        contact_phone=fv.text("telecom(phone).value", phone, 50) or None,
        deceased_at=fv.moment("deceasedDateTime", deceased) if deceased else None,
    )


def admission(resource: Json, links: Links, actor: str) -> AdmissionImported:
    period = resource.get("period") or {}
    if not period.get("start"):
        raise Rejected("period.start: needed to place the encounter in the timeline")
    klass = str((resource.get("class") or {}).get("code") or "")
    types = tuple(fv.coding_text(c) for t in resource.get("type") or [] for c in fv.codings(t))
    reasons = resource.get("reasonCode") or []
    complaint = next((fv.concept_text(r) for r in reasons if fv.concept_text(r)), "") or next(
        (fv.concept_text(t) for t in resource.get("type") or [] if fv.concept_text(t)), "")
    return AdmissionImported(
        patient_id=links.patient(resource), stage_id=links.own(resource),
        fhir_id=resource["id"], imported_by=actor,
        at=fv.moment("period.start", period["start"]),
        ended_at=fv.moment("period.end", period["end"]) if period.get("end") else None,
        encounter_class=fv.text("class.code", klass, 40), encounter_status=resource["status"],
        arrival_mode=fv.arrival_mode(resource, klass),
        chief_complaint=fv.text("reasonCode[0].text", complaint, 500),
        triage_level=fv.triage_level(resource, klass),
        types=types, reason_codings=tuple(fv.coding_text(c) for r in reasons
                                          for c in fv.codings(r)),
    )


def diagnosis(resource: Json, links: Links, actor: str) -> DiagnosisImported:
    coding, others = fv.primary_coding("code", resource.get("code"))
    onset = resource.get("onsetDateTime") or (resource.get("onsetPeriod") or {}).get("start")
    abated = (resource.get("abatementDateTime")
              or (resource.get("abatementPeriod") or {}).get("start"))
    encounter = resource.get("encounter")
    if resource.get("recordedDate"):
        at = fv.moment("recordedDate", resource["recordedDate"])
    elif links.start(encounter):
        at = str(links.start(encounter))
    elif onset:
        at = fv.moment("onsetDateTime", onset)
    else:
        raise Rejected("recordedDate: needed (or a loaded encounter, or an onset) to place "
                       "the diagnosis in the timeline")
    return DiagnosisImported(
        patient_id=links.patient(resource), stage_id=links.own(resource),
        fhir_id=resource["id"], imported_by=actor, at=at,
        disease=DiseaseRef(str(coding["system"]), str(coding["code"]), shared_name(
            str(coding["system"]), str(coding["code"]), coding["display"])),
        disease_display=coding["display"], other_codings=others,
        symptoms=tuple(fv.text(f"evidence[{i}].code", fv.concept_text(c), 200)
                       for i, e in enumerate(resource.get("evidence") or [])
                       for c in e.get("code") or [] if fv.concept_text(c)),
        findings=fv.text("note", "\n".join(n.get("text") or "" for n in resource.get("note")
                                            or []), 4000, multiline=True),
        clinical_status=fv.first_code(resource.get("clinicalStatus")),
        verification_status=fv.first_code(resource.get("verificationStatus")),
        category=next((fv.first_code(c) for c in resource.get("category") or []
                       if fv.first_code(c)), None),
        onset_at=fv.moment("onsetDateTime", onset) if onset else None,
        abated_at=fv.moment("abatementDateTime", abated) if abated else None,
        encounter_id=links.node("Encounter", encounter),
    )


def surgery(resource: Json, links: Links, actor: str) -> SurgeryImported:
    coding, others = fv.primary_coding("code", resource.get("code"))
    stage_id = links.own(resource)
    period = resource.get("performedPeriod") or {}
    started = resource.get("performedDateTime") or period.get("start")
    started_at = fv.moment("performed", started) if started else None
    ended_at = fv.moment("performedPeriod.end", period["end"]) if period.get("end") else None
    at = started_at or links.start(resource.get("encounter"))
    if at is None:
        raise Rejected("performed[x]: needed (or a loaded encounter) to place the procedure "
                       "in the timeline")
    phases = []
    if started_at:
        phases.append(SurgeryPhaseData(
            id=fv.child_id(stage_id, "INTRA_OPERATIVE"), phase="INTRA_OPERATIVE",
            at=started_at, started_at=started_at, ended_at=ended_at))
    complications = tuple(fv.text(f"complication[{i}]", fv.concept_text(c), 200)
                          for i, c in enumerate(resource.get("complication") or []))
    recovery = fv.text("outcome.text", fv.concept_text(resource.get("outcome")), 2000,
                       multiline=True)
    if complications or recovery:
        phases.append(SurgeryPhaseData(
            id=fv.child_id(stage_id, "POST_OPERATIVE"), phase="POST_OPERATIVE",
            at=ended_at or at, complications=complications, recovery=recovery or None))
    return SurgeryImported(
        patient_id=links.patient(resource), stage_id=stage_id, fhir_id=resource["id"],
        imported_by=actor, at=at, procedure_system=str(coding["system"]),
        procedure_code=str(coding["code"]), procedure_display=coding["display"],
        procedure_status=resource["status"], other_codings=others,
        encounter_id=links.node("Encounter", resource.get("encounter")),
        reasons=tuple(fv.text(f"reasonCode[{i}]", fv.concept_text(r), 200)
                      for i, r in enumerate(resource.get("reasonCode") or [])
                      if fv.concept_text(r)),
        phases=tuple(phases),
    )


def observation(resource: Json, links: Links, actor: str, stage_id: str) -> ObservationImported:
    period = resource.get("effectivePeriod") or {}
    when = (resource.get("effectiveDateTime") or resource.get("effectiveInstant")
            or period.get("start") or resource.get("issued"))
    if not when:
        raise Rejected("effective[x]: needed to place the observation in time")
    at = fv.moment("effective[x]", when)
    own = links.own(resource)
    category = next((c["code"] for cat in resource.get("category") or []
                     for c in fv.codings(cat)), None)
    nodes = [replace(_observed(own, "", resource, at, resource["status"]), category=category,
                     fhir_id=resource["id"])]
    for i, component in enumerate(resource.get("component") or []):
        node = _observed(fv.child_id(own, f"component/{i}"), f"component[{i}].", component, at,
                         resource["status"])
        nodes.append(replace(node, category=category, panel_id=own, component_index=i))
    return ObservationImported(patient_id=links.patient(resource), stage_id=stage_id,
                               imported_by=actor, observations=tuple(nodes))


def _observed(node: str, field: str, element: Json, at: str, status: str) -> ImportedObservation:
    """The code and value of an Observation or of one of its components."""
    coding, others = fv.primary_coding(f"{field}code", element.get("code"))
    value = unit = unit_system = unit_code = text = value_system = value_code = None
    if "valueQuantity" in element:
        value, unit, unit_system, unit_code = fv.quantity(f"{field}valueQuantity",
                                                          element["valueQuantity"])
        unit = unit or None
    elif "valueInteger" in element:
        value = fv.number(f"{field}valueInteger", element["valueInteger"])
    elif "valueCodeableConcept" in element:
        concept = element["valueCodeableConcept"]
        text = fv.text(f"{field}valueCodeableConcept", fv.concept_text(concept), 2000,
                       multiline=True)
        found = fv.codings(concept)
        if found:
            value_system, value_code = str(found[0]["system"]), str(found[0]["code"])
    elif "valueString" in element:
        text = fv.text(f"{field}valueString", element["valueString"], 2000, multiline=True)
    elif "valueBoolean" in element:
        text = "true" if element["valueBoolean"] else "false"
    else:
        kinds = [k for k in element if k.startswith("value")]
        if kinds:
            raise Rejected(f"{field}{kinds[0]}: this kind of value is not one the twin holds "
                           "(quantity, integer, coded, text or boolean)")
    return ImportedObservation(
        id=node, code=str(coding["code"]), name=coding["display"] or str(coding["code"]), at=at,
        system=str(coding["system"]), status=status, value=value, unit=unit,
        unit_system=unit_system, unit_code=unit_code, text=text or None,
        value_system=value_system, value_code=value_code, other_codings=others,
    )


def prescription(resource: Json, links: Links, actor: str) -> PrescriptionImported:
    medication, display, others = _medication(resource, links)
    encounter = resource.get("encounter")
    at = (fv.moment("authoredOn", resource["authoredOn"]) if resource.get("authoredOn")
          else links.start(encounter))
    if at is None:
        raise Rejected("authoredOn: needed (or a loaded encounter) to place the prescription "
                       "in time")
    dosage = (resource.get("dosageInstruction") or [{}])[0]
    dose, unit, _, _ = fv.quantity("dosageInstruction[0].doseAndRate[0].doseQuantity",
                                   ((dosage.get("doseAndRate") or [{}])[0]).get("doseQuantity"))
    diagnosis_id = next((links.node("Condition", r) for r in resource.get("reasonReference") or []
                         if links.node("Condition", r)), None)
    return PrescriptionImported(
        patient_id=links.patient(resource), transaction_id=links.own(resource),
        fhir_id=resource["id"], imported_by=actor, at=at, medication=medication,
        medication_display=display, other_codings=others,
        status=fv.status_upper(resource["status"]), intent=resource["intent"], dose=dose, unit=unit,
        route=fv.text("dosageInstruction[0].route", fv.concept_text(dosage.get("route")), 100),
        frequency=fv.frequency_text(dosage), diagnosis_id=diagnosis_id,
        encounter_id=links.node("Encounter", encounter),
    )


def administration(resource: Json, links: Links, actor: str) -> AdministrationImported:
    medication, display, others = _medication(resource, links)
    when = (resource.get("effectiveDateTime")
            or (resource.get("effectivePeriod") or {}).get("start"))
    if not when:
        raise Rejected("effective[x]: needed to place the administration in time")
    dosage = resource.get("dosage") or {}
    dose, unit, _, _ = fv.quantity("dosage.dose", dosage.get("dose"))
    return AdministrationImported(
        patient_id=links.patient(resource), transaction_id=links.own(resource),
        fhir_id=resource["id"], imported_by=actor, at=fv.moment("effective[x]", when),
        medication=medication, medication_display=display, other_codings=others,
        status=fv.status_upper(resource["status"]), dose=dose, unit=unit,
        route=fv.text("dosage.route", fv.concept_text(dosage.get("route")), 100),
        prescription_id=links.node("MedicationRequest", resource.get("request")),
        encounter_id=links.node("Encounter", resource.get("context")),
    )


def _medication(resource: Json, links: Links) -> tuple[MedicationRef, str, tuple[str, ...]]:
    """The shared medication (named from the catalogue when it has the code), the resource's
    own text for it, and its other codings."""
    field = "medicationCodeableConcept"
    concept = resource.get(field)
    if concept is None:
        field, concept = "medicationReference", links.medication(resource.get(field))
        if concept is None:
            raise Rejected("medicationReference: names no Medication of this bundle")
    coding, others = fv.primary_coding(field, concept)
    system, code = str(coding["system"]), str(coding["code"])
    return (MedicationRef(system, code, shared_name(system, code, coding["display"])),
            coding["display"], others)


def shared_name(system: str, code: str, own: str) -> str:
    """The name a shared knowledge node (Disease, Medication) takes from an import: the
    catalogue's (ICD-10-CM, the RxNorm codes of the medication catalogue), else the text of
    the first resource that brings the code. A patient's own text stays on their resource:
    the shared node is seen by every patient's twin and must never show another's words."""
    if system == check.ICD10_SYSTEM:
        try:
            return check.icd10_code("code", code)[1]
        except InvalidInput:
            return own
    if system == check.RXNORM_SYSTEM:
        return catalogue_names().get(f"{system}|{code}", own)
    return own


def other(resource: Json, node: str, patient: str, actor: str, text: str) -> ResourceImported:
    """A resource of a type the stages do not hold, whole (`text`), with its type, first
    date, first code and status to find it by."""
    return ResourceImported(
        patient_id=patient, node_id=node, fhir_id=str(resource["id"]),
        resource_type=str(resource["resourceType"]), imported_by=actor, resource=text,
        at=_first_date(resource), **_first_code(resource), status=_status(resource))


def shared_display(resource: Json) -> str | None:
    """What a shared resource is called: its name (Organization, Location), or the text of
    its first HumanName (Practitioner)."""
    name = resource.get("name")
    if isinstance(name, str):
        return name
    if isinstance(name, list) and name and isinstance(name[0], dict):
        first = name[0]
        words = [*(first.get("prefix") or []), *(first.get("given") or []),
                 first.get("family") or ""]
        return str(first.get("text") or " ".join(words).strip()) or None
    return None


def _first_date(resource: Json) -> str | None:
    values = [resource.get(k) for k in _DATES]
    values += [(resource.get(k) or {}).get("start") for k in _PERIODS
               if isinstance(resource.get(k), dict)]
    for value in values:
        if isinstance(value, str):
            try:
                return fv.moment("date", value)
            except Rejected:
                continue
    return None


def _first_code(resource: Json) -> dict[str, str | None]:
    for key in _CODES:
        value = resource.get(key)
        concepts = value if isinstance(value, list) else [value]
        for concept in concepts:
            if not isinstance(concept, dict):
                continue
            found = fv.codings(concept)
            if found:
                return {"code_system": str(found[0]["system"]), "code": str(found[0]["code"]),
                        "display": fv.concept_text(concept) or None}
            if concept.get("text"):
                return {"code_system": None, "code": None, "display": str(concept["text"])}
    return {"code_system": None, "code": None, "display": None}


def _status(resource: Json) -> str | None:
    status = resource.get("status")
    if isinstance(status, str):
        return status
    return fv.first_code(resource.get("clinicalStatus")) or None
