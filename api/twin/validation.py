"""Input checks shared by the mutations: times, codes, text; each failure names its field."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from api.knowledge.tabular import icd10, with_dot
from api.twin.errors import InvalidInput

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


# Characters that change how a text looks, or that show as nothing, on a clinician's screen:
# controls (ESC, BEL, ...), format characters (bidi overrides, zero-width), line and paragraph
# separators, surrogates, private use and unassigned code points.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
LINE_BREAKS = frozenset("\n\t")  # allowed in multi-line texts (notes, findings, summaries)


def text(field: str, value: str | None, max_length: int = 500, required: bool = True,
         multiline: bool = False) -> str:
    """Every free text a person typed, in its one stored form: NFC-normalized, trimmed, and
    free of characters that would make what a clinician reads differ from what is stored
    (README, "Free text"). Names are one line; `multiline` texts may hold `\n` and `\t`."""
    value = unicodedata.normalize("NFC", value or "").strip()
    allowed = LINE_BREAKS if multiline else frozenset()
    for character in value:
        if unicodedata.category(character) in REFUSED_CATEGORIES and character not in allowed:
            raise InvalidInput(field, f"holds {_code_point(character)}, " + (
                "a line break or tab; this text is one line" if character in LINE_BREAKS
                else "a control, format or unassigned character, which no text accepts"))
    if required and not value:
        raise InvalidInput(field, "is required")
    if len(value) > max_length:
        raise InvalidInput(field, f"must be at most {max_length} characters")
    return value


def note(field: str, value: str | None, max_length: int = 2000) -> str | None:
    """An optional multi-line text (notes, a result's text): None when left empty."""
    return text(field, value, max_length, required=False, multiline=True) or None


def _code_point(character: str) -> str:
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" ({name})" if name else "")


def texts(field: str, values: Sequence[str] | None, max_items: int = 50,
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
    Chapters and blocks are headings of the list, not diagnoses; but 39 categories (B20 HIV
    disease, F99, R99, Z66...) share their name with the block that holds only them, and
    they are codes."""
    raw = code.strip().upper()
    if not raw or not icd10.is_valid_item(raw) or not icd10.is_category_or_subcategory(raw):
        raise InvalidInput(field, f"{code!r} is not an ICD-10-CM code")
    dotted = with_dot(raw)
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
