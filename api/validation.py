"""Input checks shared by the mutations: times, codes, text; each failure names its field."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

from api.errors import InvalidInput
from api.tabular import icd10

ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED_SYSTEM = "http://snomed.info/sct"
RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC_SYSTEM = "http://loinc.org"

CLOCK_SKEW = timedelta(minutes=5)
_LOINC = re.compile(r"^\d{1,7}-\d$")
_DIGITS = re.compile(r"^\d{1,18}$")


def utc_text(moment: datetime) -> str:
    """The one time format stored everywhere: UTC, milliseconds, `Z` (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def moment(field: str, value: datetime, not_before: str | None = None,
           before_what: str = "the previous step") -> str:
    """A time that has a zone, is not in the future, and is not before `not_before`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, "needs a time zone, e.g. 2026-11-25T09:30:00Z")
    if value - datetime.now(UTC) > CLOCK_SKEW:
        raise InvalidInput(field, "is in the future")
    text = utc_text(value)
    if not_before is not None and text < not_before:
        raise InvalidInput(field, f"is before {before_what} ({not_before})")
    return text


def time_bound(field: str, value: str | None) -> str | None:
    """A filter bound: an ISO-8601 date or time as stored time text; without a zone, UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise InvalidInput(field, "is not an ISO-8601 date or time") from None
    return utc_text(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def search(field: str, value: str | None) -> str | None:
    """Words to find in a list: lower-cased, blanks folded; None (no filter) when empty."""
    folded = " ".join(text(field, value, 100, required=False).lower().split())
    return folded or None


def birth_date(field: str, value: date) -> str:
    today = datetime.now(UTC).date()
    if value > today:
        raise InvalidInput(field, "is in the future")
    if value.year < today.year - 130:
        raise InvalidInput(field, "is more than 130 years ago")
    return value.isoformat()


def text(field: str, value: str | None, max_length: int = 500, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(field, "is required")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value


def texts(field: str, values: list[str] | None, max_items: int = 50,
          max_length: int = 200) -> tuple[str, ...]:
    values = values or []
    if len(values) > max_items:
        raise InvalidInput(field, f"takes at most {max_items} items")
    return tuple(text(f"{field}[{i}]", v, max_length) for i, v in enumerate(values))


def number(field: str, value: float, low: float, high: float, unit: str = "") -> float:
    if not math.isfinite(value):
        raise InvalidInput(field, "must be a finite number")
    if not low <= value <= high:
        suffix = f" {unit}" if unit else ""
        raise InvalidInput(field, f"must be between {low:g} and {high:g}{suffix}, got {value:g}")
    return float(value)


def integer(field: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise InvalidInput(field, f"must be between {low} and {high}, got {value}")
    return value


def icd10_code(field: str, code: str) -> tuple[str, str]:
    """A valid ICD-10-CM code (with its dot) and its description, per the CDC tabular list.
    Chapters and blocks are headings of the list, not diagnoses."""
    raw = code.strip().upper()
    if not raw or not icd10.is_valid_item(raw) or icd10.is_chapter_or_block(raw):
        raise InvalidInput(field, f"{code!r} is not an ICD-10-CM code")
    dotted = icd10.add_dot(raw)
    return dotted, icd10.get_description(dotted)


def loinc_code(field: str, code: str) -> str:
    if not _LOINC.match(code):
        raise InvalidInput(field, f"{code!r} is not a LOINC code (digits, '-', check digit)")
    return code


def concept_id(field: str, code: str, system_name: str) -> str:
    """SNOMED CT and RxNorm identifiers are digits only."""
    if not _DIGITS.match(code):
        raise InvalidInput(field, f"{code!r} is not a {system_name} code")
    return code
