"""The ICD-10-CM hierarchy as the code system defines it (the CDC tabular list, through
`simple_icd_10_cm`), and how it merges with the `IS_A` links of the graph.

Until the full tree is imported into the graph, the hierarchy of a code comes from here, so
that an answer does not depend on whether anyone was diagnosed with it yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from api.knowledge.icd10 import parent_of
from api.knowledge.tabular import icd10, with_dot
from api.twin import validation as check
from api.twin.errors import NotFound
from graph.event_values import DiseaseRef


@dataclass(frozen=True)
class Known:
    """A disease as the code system itself defines it (no node needed)."""

    code: str
    display: str
    parents: tuple[DiseaseRef, ...]
    children: tuple[DiseaseRef, ...]


def known(code: str) -> Known | None:
    """Any item of the ICD-10-CM tabular list (chapter, block, category or code), or None.

    Blocks and chapters are included: they are the hierarchy physicians explore, and the
    graph keeps them as `Disease` nodes too (`IS_A` from `I21` to `I20-I25`)."""
    raw = code.strip().upper()
    if not raw or not icd10.is_valid_item(raw):
        return None
    dotted = with_dot(raw)
    parent = parent_of(dotted)
    return Known(
        code=dotted, display=icd10.get_description(dotted),
        parents=(icd10_disease(parent),) if parent else (),
        children=tuple(icd10_disease(child) for child in icd10.get_children(dotted)),
    )


def icd10_disease(code: str) -> DiseaseRef:
    return DiseaseRef(system=check.ICD10_SYSTEM, code=code, display=icd10.get_description(code))


def merged(*groups: Iterable[DiseaseRef]) -> list[DiseaseRef]:
    """Diseases from the graph and the code system, once each (the graph's display wins)."""
    found: dict[tuple[str, str], DiseaseRef] = {}
    for group in groups:
        for disease in group:
            found.setdefault((disease.system, disease.code), disease)
    return sorted(found.values(), key=lambda d: (d.system, d.code))


MAX_DEPTH = 16
"""The bound of every `IS_A*` walk in the statements. ICD-10-CM is 6 links deep (chapter,
block, category, then up to three more characters), so the bound never cuts it short."""


def in_icd10(system: str, code: str) -> bool:
    return system == check.ICD10_SYSTEM and icd10.is_valid_item(code)


def chain(code: str) -> list[str]:
    """The code and its ancestors, nearest first, linked as the graph links them."""
    chain = [code]
    while (parent := parent_of(chain[-1])) is not None:
        chain.append(parent)
    return chain


def descendants(code: str, first: int) -> list[tuple[int, DiseaseRef]]:
    """The code system's descendants, by level, until a level brings the count to `first`:
    enough to merge with the graph's nearest `first` and keep the nearest of both."""
    found: list[tuple[int, DiseaseRef]] = []
    level, distance = [code], 0
    while level and len(found) < first:
        distance += 1
        level = sorted(child for parent in level for child in icd10.get_children(parent))
        found.extend((distance, icd10_disease(child)) for child in level)
    return found


def nearest(*groups: Iterable[tuple[int, DiseaseRef]]) -> list[DiseaseRef]:
    """Diseases from the graph and the code system, once each at their smallest distance,
    nearest first (the graph's display wins: it comes first)."""
    found: dict[tuple[str, str], tuple[int, DiseaseRef]] = {}
    for group in groups:
        for distance, disease in group:
            key = (disease.system, disease.code)
            if key not in found or distance < found[key][0]:
                found[key] = (distance, found[key][1] if key in found else disease)
    return [d for _, d in sorted(found.values(),
                                 key=lambda item: (item[0], item[1].system, item[1].code))]


def graph_code(system: str, code: str, field: str) -> str:
    """The code as the graph keys it; NotFound for a code ICD-10-CM does not have."""
    if system != check.ICD10_SYSTEM:
        return code.strip()
    found = known(code)
    if found is None:
        raise NotFound(f"{field}: no disease {code!r} in {system}")
    return found.code


def path_between(start: str, end: str, max_length: int) -> list[DiseaseRef] | None:
    """Up from `start` to the nearest ancestor `end` shares, then down to `end`: in a tree the
    only shortest route."""
    up, down = chain(start), chain(end)
    common = next((i for i, code in enumerate(up) if code in down), None)
    if common is None:
        return None
    j = down.index(up[common])
    if common + j > max_length:
        return None
    return [icd10_disease(c) for c in up[:common + 1] + down[:j][::-1]]
