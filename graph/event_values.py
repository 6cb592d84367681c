"""The values events carry inside them: observations, coded references, surgery phases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ObservationData:
    """A vital sign or result (FHIR Observation): LOINC code, numeric or coded value, time."""

    id: str
    code: str
    name: str
    at: str
    value: float | None = None
    unit: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class DiseaseRef:
    """A disease by code system and code; `key` is how the knowledge graph names it."""

    system: str
    code: str
    display: str = ""

    @property
    def key(self) -> str:
        return f"{self.system}|{self.code}"


@dataclass(frozen=True)
class MedicationRef:
    """A medication by code system (RxNorm) and code."""

    system: str
    code: str
    name: str = ""

    @property
    def key(self) -> str:
        return f"{self.system}|{self.code}"


@dataclass(frozen=True)
class SurgeryPhaseData:
    """One phase of a surgery; the fields that do not belong to its phase stay None."""

    id: str
    phase: Literal["PRE_OPERATIVE", "INTRA_OPERATIVE", "POST_OPERATIVE"]
    at: str
    asa_class: int | None = None
    consent_signed: bool | None = None
    risk: str | None = None
    procedure_code: str | None = None
    procedure_display: str | None = None
    anaesthesia: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    team: tuple[str, ...] = ()
    complications: tuple[str, ...] = ()
    recovery: str | None = None
    disposition: str | None = None
    notes: str | None = None
