"""The values FHIR R4 and the twin exchange, both ways: ids, times, codings, quantities,
dosage timing, triage and arrival codes. The mapping of whole resources is in fhir_mapping.py.

Times are stored as UTC text to the millisecond (a date alone is midnight UTC); codings beyond
the one the twin keys on are kept as `system|code|display` text, so an export can write them
back. Node ids are uuid5 of `Type/fhir-id`: the same resource gives the same node on any server.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from api.twin import validation as check
from api.twin.errors import InvalidInput

Json = dict[str, Any]
T = TypeVar("T")

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:hdt:fhir")
UCUM_SYSTEM = "http://unitsofmeasure.org"
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PRIORITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
ADMIT_SOURCE_SYSTEM = "http://terminology.hl7.org/CodeSystem/admit-source"
ARRIVAL_MODE_SYSTEM = "urn:hdt:arrival-mode"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-category"
IDENTIFIER_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203"
URI_SYSTEM = "urn:ietf:rfc:3986"

TRIAGE_BY_PRIORITY = {"S": 1, "EM": 2, "A": 2, "T": 2, "UR": 3, "R": 4, "EL": 5}
PRIORITY_BY_TRIAGE = {1: "S", 2: "EM", 3: "UR", 4: "R", 5: "EL"}
ARRIVAL_BY_ADMIT_SOURCE = {"hosp-trans": "TRANSFER", "gp": "REFERRAL", "mp": "REFERRAL",
                           "outp": "REFERRAL", "nursing": "TRANSFER", "psych": "TRANSFER",
                           "rehab": "TRANSFER"}
ARRIVAL_BY_CLASS = {"AMB": "WALK_IN", "EMER": "WALK_IN", "IMP": "REFERRAL",
                    "ACUTE": "REFERRAL", "NONAC": "REFERRAL", "SS": "REFERRAL"}
_FREQUENCY = re.compile(r"^(\d+) per (\d+(?:\.\d+)?) (s|min|h|d|wk|mo|a)$")
_CONCEPT_IDS = {check.SNOMED_SYSTEM: "SNOMED CT", check.RXNORM_SYSTEM: "RxNorm"}
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class Rejected(Exception):
    """A resource that is valid FHIR but cannot become part of a twin; the message says why."""


def node_id(resource_type: str, fhir_id: str) -> str:
    """The twin node a FHIR resource becomes: the same for the same resource, on any server."""
    return str(uuid.uuid5(NAMESPACE, f"{resource_type}/{fhir_id}"))


def child_id(parent_id: str, name: str) -> str:
    """A node that one resource gives besides its own (a component, a surgery phase)."""
    return str(uuid.uuid5(uuid.UUID(parent_id), name))


def is_fhir_id(value: str) -> bool:
    return bool(_FHIR_ID.match(value))


def moment(field: str, value: str) -> str:
    """A FHIR date, dateTime or instant as stored time text (UTC, milliseconds). A date alone,
    or a year and month, is the first moment of it in UTC; a time without a zone is UTC."""
    text = value.strip()
    try:
        if len(text) <= 10:
            parts = [int(p) for p in text.split("-")] + [1, 1]
            parsed = datetime(parts[0], parts[1], parts[2], tzinfo=UTC)
        else:
            head, dot, tail = text.partition(".")
            if dot:  # Python reads at most six digits of a fraction
                digits = re.match(r"\d*", tail)
                frac = digits.group(0) if digits else ""
                text = f"{head}.{(frac + '000000')[:6]}{tail[len(frac):]}"
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
        return check.utc_text(parsed)
    except (ValueError, OverflowError, IndexError):
        raise Rejected(f"{field}: {value!r} is not a date or time the twin can hold") from None


def codings(concept: Json | None) -> list[Json]:
    """The codings of a CodeableConcept that have both a system and a code."""
    return [c for c in (concept or {}).get("coding") or [] if c.get("system") and c.get("code")]


def coding_text(coding: Json) -> str:
    """A coding as one string, `system|code|display`: how codings beyond the first are kept."""
    return f"{coding['system']}|{coding['code']}|{coding.get('display') or ''}"


def coding_of(text: str) -> Json:
    """The inverse of `coding_text`."""
    system, code, display = [*text.split("|", 2), "", ""][:3]
    return {"system": system, "code": code, **({"display": display} if display else {})}


def concept_text(concept: Json | None) -> str:
    """What a person would read for a CodeableConcept: its text, else its first display."""
    if not concept:
        return ""
    if concept.get("text"):
        return str(concept["text"])
    return next((str(c["display"]) for c in concept.get("coding") or [] if c.get("display")), "")


def first_code(concept: Json | None) -> str | None:
    found = codings(concept)
    return str(found[0]["code"]) if found else None


def text(field: str, value: str | None, max_length: int = 500, multiline: bool = False) -> str:
    return _checked(check.text, field, value, max_length, required=False, multiline=multiline)


def primary_coding(field: str, concept: Json | None) -> tuple[Json, tuple[str, ...]]:
    """The first coding (the one the twin keys on), checked, and the others as text."""
    found = codings(concept)
    if not found:
        raise Rejected(f"{field}: needs a coding with a system and a code")
    first = dict(found[0])
    system, code = str(first["system"]), str(first["code"])
    if system in _CONCEPT_IDS:
        _checked(check.concept_id, f"{field}.coding[0].code", code, _CONCEPT_IDS[system])
    elif system == check.LOINC_SYSTEM:
        _checked(check.loinc_code, f"{field}.coding[0].code", code)
    elif system == check.ICD10_SYSTEM:
        first["code"], official = _checked(check.icd10_code, f"{field}.coding[0].code", code)
        first["display"] = first.get("display") or official
    first["display"] = text(f"{field}.coding[0].display",
                            first.get("display") or concept_text(concept), 500)
    return first, tuple(coding_text(c) for c in found[1:])


def number(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Rejected(f"{field}: is not a finite number")
    return _checked(check.number, field, float(value), -1e12, 1e12)


def quantity(field: str, value: Json | None) -> tuple[float | None, str, str | None, str | None]:
    """(value, unit as shown, unit system, unit code) of a Quantity."""
    if not value or value.get("value") is None:
        return None, "", None, None
    unit = text(f"{field}.unit", value.get("unit") or value.get("code") or "", 40)
    return (number(f"{field}.value", value["value"]), unit, value.get("system"),
            value.get("code"))


def frequency_text(dosage: Json) -> str | None:
    """A dosage's timing as text: `2 per 1 d`, `as needed`, or the timing's own text."""
    parts = []
    timing = dosage.get("timing") or {}
    repeat = timing.get("repeat") or {}
    if repeat.get("frequency") and repeat.get("period") and repeat.get("periodUnit"):
        period = repeat["period"]
        period_text = str(int(period)) if float(period).is_integer() else str(period)
        parts.append(f"{repeat['frequency']} per {period_text} {repeat['periodUnit']}")
    elif timing.get("code"):
        parts.append(concept_text(timing["code"]))
    if dosage.get("asNeededBoolean"):
        parts.append("as needed")
    return text("dosageInstruction[0].timing", ", ".join(p for p in parts if p), 100) or None


def dosage_of(frequency: str | None) -> Json:
    """The inverse of `frequency_text`, as Dosage elements."""
    found: Json = {}
    for part in (frequency or "").split(", "):
        if not part:
            continue
        match = _FREQUENCY.match(part)
        if part == "as needed":
            found["asNeededBoolean"] = True
        elif match:
            period = float(match.group(2))
            found["timing"] = {"repeat": {"frequency": int(match.group(1)), "period": period,
                                          "periodUnit": match.group(3)}}
        else:
            found["timing"] = {"code": {"text": part}}
    return found


def status_upper(value: str) -> str:
    """A FHIR status code as the twin writes statuses (`entered-in-error` -> ENTERED_IN_ERROR)."""
    return value.upper().replace("-", "_")


def status_lower(value: str) -> str:
    return value.lower().replace("_", "-")


def triage_level(encounter: Json, encounter_class: str) -> int:
    code = first_code(encounter.get("priority"))
    if code in TRIAGE_BY_PRIORITY:
        return TRIAGE_BY_PRIORITY[code]
    return 3 if encounter_class in ("EMER", "IMP", "ACUTE") else 5


def arrival_mode(encounter: Json, encounter_class: str) -> str:
    source = (encounter.get("hospitalization") or {}).get("admitSource")
    for coding in codings(source):
        if coding["system"] == ARRIVAL_MODE_SYSTEM:
            return text("hospitalization.admitSource", str(coding["code"]), 40)
        if coding["system"] == ADMIT_SOURCE_SYSTEM and coding["code"] in ARRIVAL_BY_ADMIT_SOURCE:
            return ARRIVAL_BY_ADMIT_SOURCE[coding["code"]]
    return ARRIVAL_BY_CLASS.get(encounter_class, "UNKNOWN")


def _checked(rule: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one of the mutations' checks, turning its GraphQL error into a rejection."""
    try:
        return rule(*args, **kwargs)
    except InvalidInput as exc:
        raise Rejected(exc.message) from None
