"""Finding a disease or a medication by what a physician types: the start of a code (`I21`,
`I21.4`) or words of its name (`myocardial infarction`), over the knowledge the graph holds
(the whole ICD-10-CM tree and the medication catalogue once imported, as `hdt demo` does).

Diseases are 98,000 nodes: a code is found through the key index (`STARTS WITH`), words
through each backend's full-text index on `display` (every word, the last one as a prefix,
as typed so far); scanning every name took 0.3-0.5 s a search, too slow to suggest as one
types. The catalogue's few thousand medications are scanned.

Knowledge is not clinical, so every role may search it, as every role may read it (the
GraphQL fields are api/graphql/search.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.knowledge.diseases import disease_of, medication_of
from api.twin import validation as check
from api.twin.errors import InvalidInput
from graph import reads
from graph.event_values import DiseaseRef, MedicationRef
from graph.store import GraphStore

MIN_TEXT, MAX_TEXT = 2, 100
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with"})
"""Words a name search ignores (Lucene's English stop words, which FalkorDB's full-text
index drops too): "neck of femur" finds "Fracture of neck of femur" on either backend."""
_WORD = re.compile(r"[^\W_]+")
_UNDOTTED_ICD10 = re.compile(r"^([A-Z][0-9][0-9A-Z])([0-9A-Z]{1,4})$")


@dataclass(frozen=True)
class Terms:
    """What the statements match: a code starting with `code`, or a name holding every
    word of `words` (lower case letters and digits)."""

    code: str
    words: list[str]


def terms(text: str, field: str = "text") -> Terms:
    """The search terms of `text`; a search for (almost) nothing is refused rather than
    answered with the first rows of a 97,000-item tree."""
    raw = text.strip()
    if not MIN_TEXT <= len(raw) <= MAX_TEXT:
        raise InvalidInput(field, f"give {MIN_TEXT} to {MAX_TEXT} characters of a code or name")
    words = _WORD.findall(raw.lower())
    if not words:
        raise InvalidInput(field, "give letters or digits of a code or name")
    return Terms(code=raw.upper(), words=[w for w in words if w not in STOPWORDS] or words)


def icd10_prefix(code: str) -> str:
    """ICD-10-CM codes are stored dotted (`I21.4`); `I214` as typed finds them too."""
    undotted = _UNDOTTED_ICD10.match(code)
    return f"{undotted.group(1)}.{undotted.group(2)}" if undotted else code


async def diseases(store: GraphStore, text: str, system: str, limit: int) -> list[DiseaseRef]:
    """Codes starting with `text` first, then names holding its words, each disease once."""
    found = terms(text)
    code = icd10_prefix(found.code) if system == check.ICD10_SYSTEM else found.code
    rows = await reads.disease_search_code(store, DiseaseRef(system, code).key, limit)
    if len(rows) < limit:
        rows += await reads.disease_search_words(store, system, found.words, limit)
    by_code: dict[str, DiseaseRef] = {}
    for row in rows:
        disease = disease_of(row["disease"])
        by_code.setdefault(disease.code, disease)
    return list(by_code.values())[:limit]


async def medications(store: GraphStore, text: str, limit: int) -> list[MedicationRef]:
    """The medication coded `text` first, then those whose name holds its words."""
    found = terms(text)
    rows = await reads.medication_search(store, found.code.lower(), found.words, limit)
    return [medication_of(r["medication"]) for r in rows]
