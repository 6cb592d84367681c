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
class Coded:
    """A concept of a code system; `key` is how the knowledge graph names its node."""

    system: str
    code: str

    @property
    def key(self) -> str:
        return f"{self.system}|{self.code}"


@dataclass(frozen=True)
class DiseaseRef(Coded):
    """A disease by code system (ICD-10-CM) and code."""

    display: str = ""


@dataclass(frozen=True)
class MedicationRef(Coded):
    """A medication by code system (RxNorm) and code."""

    name: str = ""


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
