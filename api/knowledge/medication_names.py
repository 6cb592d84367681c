"""Medications written by hand, found in the catalogue: a prescription's code and name, the
medications a patient takes at home and the allergies noted at admission.

Names are matched as the catalogue's files are (accent-free, lower case, single spaces,
`ansm.normalize`): the catalogue's name of a code, the ANSM substances it is, and a small
curated table of English names (api/data/medication_names.tsv). Allergies to a class of
medications come from a curated table (api/data/allergies.tsv) over the ANSM index's classes.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from api.knowledge import ansm
from api.knowledge.medications import identities
from api.twin import validation as check

DATA = Path(__file__).parent.parent / "data"
NAMES = DATA / "medication_names.tsv"
ALLERGIES = DATA / "allergies.tsv"
_CODE = re.compile(r"^(?:rxnorm|rxcui)?[\s:#]*(\d{1,18})$")


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _split(text: str | None) -> list[str]:
    return [ansm.normalize(part) for part in (text or "").split(";") if part.strip()]


@dataclass(frozen=True)
class Index:
    names: dict[str, frozenset[str]]
    """Medication key -> every name it is known by (normalized)."""
    keys: dict[str, frozenset[str]]
    """Normalized name -> the medication keys of that name."""
    substances: dict[str, tuple[str, ...]]
    """Medication key -> the ANSM substances it is."""
    allergies: dict[str, frozenset[str]]
    """Normalized allergy name -> the ANSM substances it covers."""


@cache
def index() -> Index:
    """Built once per process from the vendored files; raises ValueError on a curated row
    that names a code, class or substance the catalogue does not have."""
    rows = identities()
    thesaurus = ansm.read()
    names: dict[str, set[str]] = {}
    for row in rows.medications:
        key = f"{row.system}|{row.code}"
        names[key] = {ansm.normalize(row.name), *rows.substances.get(key, ())}
    for curated in _rows(NAMES):
        key = f"{check.RXNORM_SYSTEM}|{curated['rxnorm']}"
        if key not in names:
            raise ValueError(f"{NAMES.name}: no RxNorm {curated['rxnorm']} in the catalogue")
        names[key] |= set(_split(curated["names"]))
    keys: dict[str, set[str]] = {}
    for key, found in names.items():
        for name in found:
            keys.setdefault(name, set()).add(key)
    allergies: dict[str, frozenset[str]] = {}
    for allergy in _rows(ALLERGIES):
        covered: set[str] = set()
        for name in _split(allergy["classes"]):
            if name not in thesaurus.classes:
                raise ValueError(f"{ALLERGIES.name}: no ANSM class {name!r}")
            covered |= thesaurus.classes[name]
        for name in _split(allergy["substances"]):
            if name not in thesaurus.substances:
                raise ValueError(f"{ALLERGIES.name}: no ANSM substance {name!r}")
            covered.add(name)
        for name in _split(allergy["allergy"]):
            allergies[name] = frozenset(covered)
    return Index(names={k: frozenset(v) for k, v in names.items()},
                 keys={k: frozenset(v) for k, v in keys.items()},
                 substances=rows.substances, allergies=allergies)


def known_names(key: str) -> frozenset[str] | None:
    """The names a catalogue medication answers to; None for a code the catalogue lacks."""
    return index().names.get(key)


def name_fits(key: str, name: str) -> bool:
    """Whether `name` is a name of the medication `key` (which the catalogue holds)."""
    return ansm.normalize(name) in index().names.get(key, frozenset())


def written(text: str) -> frozenset[str]:
    """The catalogue medications a line written by hand names: an RxNorm code ("11289",
    "RxNorm 11289"), a name, or a name followed by dose and frequency ("warfarin 5 mg
    daily"), the longest name that starts the line. Empty when none is found."""
    found = index()
    plain = ansm.normalize(text)
    if (code := _CODE.match(plain)) is not None:
        key = f"{check.RXNORM_SYSTEM}|{code.group(1)}"
        return frozenset({key}) if key in found.names else frozenset()
    words = plain.split()
    for end in range(len(words), 0, -1):
        if (keys := found.keys.get(" ".join(words[:end]))) is not None:
            return keys
    return frozenset()


def allergy_covers(allergy: str, key: str) -> bool:
    """Whether an allergy noted at admission covers the medication `key`: the allergy names
    a class or substance of the curated table, an ANSM class, or a medication of the
    catalogue, and one of the medication's substances is among those it covers."""
    found = index()
    mine = set(found.substances.get(key, ()))
    words = ansm.normalize(allergy).split()
    covered: set[str] = set()
    for end in range(len(words), 0, -1):  # "penicillin (rash)" is an allergy to penicillin
        named = " ".join(words[:end])
        covered |= found.allergies.get(named, ansm.read().classes.get(named, frozenset()))
        if covered:
            break
    for other in written(allergy):
        if other == key:
            return True
        covered |= set(found.substances.get(other, ()))
    return bool(mine & covered)
