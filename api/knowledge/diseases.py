"""What is known of a disease: the graph's node and links merged with the code system's own
tree (api/knowledge/disease_tree.py), walks along `IS_A`, and the anchored record hash.

Plain values and functions over the store, so that the GraphQL edge (api/graphql/knowledge.py)
only shapes them; the hash of a record is a command like the twin's, anchored in the ledger.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

from api.knowledge import disease_tree as tree
from api.twin import validation as check
from api.twin.access import now_iso
from api.twin.errors import InvalidInput, NotFound
from api.twin.recorder import Recorder
from graph import reads
from graph.event_values import DiseaseRef, MedicationRef
from graph.knowledge_events import DiseaseHashGenerated
from graph.rows import RelatedDisease
from graph.store import GraphStore
from ledger import Anchor


def disease_of(node: Mapping[str, Any]) -> DiseaseRef:
    return DiseaseRef(system=node["system"], code=node["code"],
                      display=node.get("display") or "")


def medication_of(node: Mapping[str, Any]) -> MedicationRef:
    return MedicationRef(system=node["system"], code=node["code"], name=node.get("name") or "")


@dataclass(frozen=True)
class DiseaseFacts:
    """A disease as the graph and the code system know it together."""

    disease: DiseaseRef
    parents: list[DiseaseRef]
    children: list[DiseaseRef]
    treated_by: list[MedicationRef]
    record_hash: str | None
    hash_seq: int | None

    def record(self) -> dict[str, Any]:
        """The disease record that is hashed: public knowledge only, never patient data."""
        return {
            "system": self.disease.system, "code": self.disease.code,
            "display": self.disease.display,
            "parents": sorted(d.key for d in self.parents),
            "treatedBy": sorted(f"{m.system}|{m.code}" for m in self.treated_by),
        }


def record_hash(record: dict[str, Any]) -> str:
    """SHA-256 over the RFC 8785 canonical JSON: the same record gives the same hash anywhere."""
    return hashlib.sha256(rfc8785.dumps(record)).hexdigest()


async def facts(store: GraphStore, system: str, code: str) -> DiseaseFacts:
    """The disease from the graph merged with its code system; NotFound if neither knows it."""
    system = system.strip()
    known = tree.known(code) if system == check.ICD10_SYSTEM else None
    code = known.code if known else code.strip()
    row = await reads.disease_knowledge(store, DiseaseRef(system, code).key)
    if row is None and known is None:
        raise NotFound(f"no disease {code!r} in {system}")
    node: dict[str, Any] = row["disease"] if row else {}
    return DiseaseFacts(
        disease=DiseaseRef(system=system, code=code,
                           display=node.get("display") or (known.display if known else "")),
        parents=tree.merged(map(disease_of, row["parents"] if row else []),
                            known.parents if known else ()),
        children=tree.merged(map(disease_of, row["children"] if row else []),
                             known.children if known else ()),
        treated_by=sorted(map(medication_of, row["treated_by"] if row else []),
                          key=lambda m: (m.system, m.code)),
        record_hash=node.get("record_hash"), hash_seq=node.get("hash_seq"),
    )


def _distances(rows: list[RelatedDisease]) -> Iterable[tuple[int, DiseaseRef]]:
    return ((r["distance"], disease_of(r["disease"])) for r in rows)


async def ancestors(store: GraphStore, disease: DiseaseRef) -> list[DiseaseRef]:
    """Every ancestor through IS_A, nearest first: the graph's links merged with the code
    system's tree, so that the answer holds before the tree is imported."""
    rows = await reads.disease_ancestors(store, disease.key)
    known = (tree.chain(disease.code)[1:] if tree.in_icd10(disease.system, disease.code)
             else [])
    return tree.nearest(_distances(rows),
                        ((i, tree.icd10_disease(c)) for i, c in enumerate(known, start=1)))


async def descendants(store: GraphStore, disease: DiseaseRef, limit: int) -> list[DiseaseRef]:
    """The nearest `limit` descendants through IS_A, nearest first, then by code."""
    rows = await reads.disease_descendants(store, disease.key, limit)
    known = (tree.descendants(disease.code, limit)
             if tree.in_icd10(disease.system, disease.code) else [])
    return tree.nearest(_distances(rows), known)[:limit]


async def path(store: GraphStore, system: str, start: str, end: str,
               max_length: int) -> list[DiseaseRef] | None:
    """The shortest route through IS_A, up from `start` to a common ancestor and down to
    `end`, searching the graph's links and the code system's tree; None beyond `max_length`."""
    if not 0 <= max_length <= tree.MAX_DEPTH:
        raise InvalidInput("maxLength", f"must be between 0 and {tree.MAX_DEPTH}")
    system = system.strip()
    start, end = tree.graph_code(system, start, "from"), tree.graph_code(system, end, "to")
    routes: list[list[DiseaseRef]] = []
    row = await reads.disease_path(store, DiseaseRef(system, start).key,
                                   DiseaseRef(system, end).key, max_length)
    if row is not None:
        routes.append([disease_of(n) for n in row["up"] + row["down"][-2::-1]])
    if tree.in_icd10(system, start) and tree.in_icd10(system, end):
        routes.append(tree.path_between(start, end, max_length) or [])
    found = [route for route in routes if route]
    return min(found, key=len) if found else None


async def generate_hash(store: GraphStore, recorder: Recorder, admin_id: str,
                        code: str) -> tuple[DiseaseFacts, str, Anchor]:
    """Hash an ICD-10-CM disease's record and anchor the hash: the facts as anchored, the
    hash, and its ledger entry."""
    known = tree.known(code)
    if known is None:
        raise NotFound(f"no ICD-10-CM code {code!r}")
    found = await facts(store, check.ICD10_SYSTEM, known.code)
    digest = record_hash(found.record())
    event = DiseaseHashGenerated(
        disease_key=found.disease.key, record_hash=digest, generated_by=admin_id, at=now_iso(),
        system=check.ICD10_SYSTEM, code=known.code, display=known.display,
        parent_code=known.parents[0].code if known.parents else None)
    anchor = await recorder.record(event, actor=admin_id)
    return await facts(store, check.ICD10_SYSTEM, known.code), digest, anchor
