"""Finding a disease or a medication by what a physician types: the start of a code (`I21`,
`I21.4`) or words of its name (`myocardial infarction`), over the knowledge the graph holds
(the whole ICD-10-CM tree and the medication catalogue once imported, as `hdt demo` does).

Diseases are 98,000 nodes: a code is found through the key index (`STARTS WITH`), words
through each backend's full-text index on `display` (every word, the last one as a prefix,
as typed so far); scanning every name took 0.3-0.5 s a search, too slow to suggest as one
types. The catalogue's few thousand medications are scanned.

Knowledge is not clinical, so every role may search it, as every role may read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.errors import InvalidInput
from api.graphql.knowledge import KNOWLEDGE_READERS
from api.graphql.pagination import page_size
from api.graphql.twin_types import Disease, Medication
from api.twin import validation as check

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


@strawberry.type
class SearchQuery:
    @strawberry.field(description=(
        "Diseases whose code starts with `text` (`I21`, `I21.4` or `I214`), then those whose "
        "name holds every word of it, the last word as typed so far (`myocardial infarc`); "
        "shorter codes first in each (chapters and categories before their subdivisions). "
        "Searches every disease the graph holds: the whole ICD-10-CM tree once imported. "
        "Any role."))
    async def disease_search(self, info: Info[Context, None], text: str, first: int = 20,
                             system: str = check.ICD10_SYSTEM) -> list[Disease]:
        await info.context.require(KNOWLEDGE_READERS)
        system = system.strip()
        found = terms(text)
        code = icd10_prefix(found.code) if system == check.ICD10_SYSTEM else found.code
        limit = page_size(first)
        store = info.context.resources.store
        rows = await store.read("disease_search_code", {"key_prefix": f"{system}|{code}",
                                                        "limit": limit})
        if len(rows) < limit:
            rows += await store.read("disease_search_words", {
                "system": system, "words": found.words, "limit": limit})
        found_diseases: dict[str, Disease] = {}
        for row in rows:
            disease = Disease.of(row["disease"])
            found_diseases.setdefault(disease.code, disease)
        return list(found_diseases.values())[:limit]

    @strawberry.field(description=(
        "Medications of the catalogue whose code is `text` (an RxNorm concept id such as "
        "1191) or whose name holds every word of it (`warfarin`), the code match first, then "
        "shorter names. Any role."))
    async def medication_search(self, info: Info[Context, None], text: str,
                                first: int = 20) -> list[Medication]:
        await info.context.require(KNOWLEDGE_READERS)
        found = terms(text)
        rows = await info.context.resources.store.read("medication_search", {
            "code": found.code.lower(), "words": found.words, "limit": page_size(first)})
        return [Medication.of(r["medication"]) for r in rows]
