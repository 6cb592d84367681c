"""NEWS2, the National Early Warning Score 2 of the Royal College of Physicians (2017), as
tables: the score of each parameter, the clinical risk band and the clinical response.

Source: RCP, "National Early Warning Score (NEWS) 2: Standardising the assessment of
acute-illness severity in the NHS", updated report of a working party, London, 2017;
Chart 1 (the NEWS scoring system), Chart 2 (thresholds and triggers) and Chart 4 (clinical
response to the NEWS trigger thresholds). Each row of a table below is one cell of Chart 1,
written as the highest value the cell holds and its score.

Pure: no clock, no store, no GraphQL. A parameter that was not measured is never scored as 0:
its points are None, the score says it is incomplete, and the total and band it reports are
the least the patient can have (a missing parameter can only add points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum


class Parameter(Enum):
    """The seven rows of Chart 1, in its order."""

    RESPIRATION_RATE = "RESPIRATION_RATE"
    OXYGEN_SATURATION = "OXYGEN_SATURATION"
    AIR_OR_OXYGEN = "AIR_OR_OXYGEN"
    SYSTOLIC_BLOOD_PRESSURE = "SYSTOLIC_BLOOD_PRESSURE"
    PULSE = "PULSE"
    CONSCIOUSNESS = "CONSCIOUSNESS"
    TEMPERATURE = "TEMPERATURE"


class Risk(Enum):
    """Chart 2's clinical risk bands."""

    LOW = "LOW"
    LOW_MEDIUM = "LOW_MEDIUM"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


Table = tuple[tuple[Decimal | None, int], ...]
"""(highest value of the cell, or None for "and above"; its score), lowest values first."""


def _table(*rows: tuple[str | None, int]) -> Table:
    return tuple((None if high is None else Decimal(high), worth) for high, worth in rows)


RESPIRATION_RATE = _table(("8", 3), ("11", 1), ("20", 0), ("24", 2), (None, 3))
SPO2_SCALE_1 = _table(("91", 3), ("93", 2), ("95", 1), (None, 0))
SPO2_SCALE_2_ON_AIR = _table(("83", 3), ("85", 2), ("87", 1), (None, 0))
SPO2_SCALE_2_ON_OXYGEN = _table(("83", 3), ("85", 2), ("87", 1), ("92", 0), ("94", 1),
                                ("96", 2), (None, 3))
SYSTOLIC_BLOOD_PRESSURE = _table(("90", 3), ("100", 2), ("110", 1), ("219", 0), (None, 3))
PULSE = _table(("40", 3), ("50", 1), ("90", 0), ("110", 1), ("130", 2), (None, 3))
TEMPERATURE = _table(("35.0", 3), ("36.0", 1), ("38.0", 0), ("39.0", 1), (None, 2))

ON_OXYGEN_POINTS = 2
ALERT = "ALERT"
"""ACVPU: alert scores 0; new confusion, voice, pain or unresponsive (CVPU) score 3."""
CVPU_POINTS = 3

WHOLE = Decimal("1")
TENTH = Decimal("0.1")
"""Chart 1 writes temperatures to a tenth of a degree and the rest in whole units; a value
between two cells (20.5/min) is first rounded, half up, to the chart's resolution."""


def points(table: Table, value: float, resolution: Decimal = WHOLE) -> int:
    """The score of `value` in one row of Chart 1."""
    rounded = Decimal(str(value)).quantize(resolution, rounding=ROUND_HALF_UP)
    for high, worth in table:
        if high is None or rounded <= high:
            return worth
    raise AssertionError("every table ends with an open cell")


@dataclass(frozen=True)
class Vitals:
    """The latest measurement of each parameter; None when it was not measured."""

    respiration_rate: float | None = None
    oxygen_saturation: float | None = None
    on_oxygen: bool | None = None
    systolic_blood_pressure: float | None = None
    pulse: float | None = None
    consciousness: str | None = None
    temperature: float | None = None


@dataclass(frozen=True)
class Component:
    parameter: Parameter
    measured: bool
    points: int | None
    """None when not measured, or when measured but not scorable: on scale 2 an SpO2 of 93%
    or more scores by whether the patient breathes air or oxygen, which may not be known."""


@dataclass(frozen=True)
class Response:
    """One row of Chart 4."""

    monitoring: str
    action: str


RESPONSES: dict[str, Response] = {
    "0": Response("Minimum 12 hourly", "Continue routine NEWS monitoring."),
    "1-4": Response("Minimum 4-6 hourly",
                    "Inform registered nurse, who must assess the patient. Registered nurse "
                    "decides whether increased frequency of monitoring and/or escalation of "
                    "care is required."),
    "3 in single parameter": Response(
        "Minimum 1 hourly",
        "Registered nurse to inform medical team caring for the patient, who will review and "
        "decide whether escalation of care is necessary."),
    "5 or more": Response(
        "Minimum 1 hourly",
        "Urgent response threshold. Registered nurse to immediately inform the medical team "
        "caring for the patient. Registered nurse to request urgent assessment by a clinician "
        "or team with core competencies in the care of acutely ill patients. Provide clinical "
        "care in an environment with monitoring facilities."),
    "7 or more": Response(
        "Continuous monitoring of vital signs",
        "Emergency response threshold. Registered nurse to immediately inform the medical "
        "team caring for the patient - this should be at least at specialist registrar level. "
        "Emergency assessment by a team with critical care competencies, including "
        "practitioner(s) with advanced airway management skills. Consider transfer of care to "
        "a level 2 or 3 clinical care facility, ie higher-dependency unit or ICU. Clinical "
        "care in an environment with monitoring facilities."),
}


@dataclass(frozen=True)
class Score:
    spo2_scale: int
    components: tuple[Component, ...]

    @property
    def total(self) -> int:
        """The sum of the points scored: the least the full score can be when incomplete."""
        return sum(c.points for c in self.components if c.points is not None)

    @property
    def missing(self) -> tuple[Parameter, ...]:
        """The parameters with no measurement."""
        return tuple(c.parameter for c in self.components if not c.measured)

    @property
    def complete(self) -> bool:
        """Every parameter scored: only then is `total` the patient's NEWS2."""
        return all(c.points is not None for c in self.components)

    @property
    def red_score(self) -> bool:
        """A single parameter scoring 3 (Chart 2's "red score")."""
        return any(c.points == 3 for c in self.components)

    @property
    def risk(self) -> Risk:
        """Chart 2: 7 or more high; 5-6 medium; a red score low-medium; otherwise low."""
        if self.total >= 7:
            return Risk.HIGH
        if self.total >= 5:
            return Risk.MEDIUM
        return Risk.LOW_MEDIUM if self.red_score else Risk.LOW

    @property
    def trigger(self) -> str:
        """The row of Chart 4 that applies (its left-hand column, as the chart words it)."""
        if self.total >= 7:
            return "7 or more"
        if self.total >= 5:
            return "5 or more"
        if self.red_score:
            return "3 in single parameter"
        return "1-4" if self.total else "0"

    @property
    def response(self) -> Response:
        return RESPONSES[self.trigger]


def _spo2_points(saturation: float, scale: int, on_oxygen: bool | None) -> int | None:
    if scale == 1:
        return points(SPO2_SCALE_1, saturation)
    on_air = points(SPO2_SCALE_2_ON_AIR, saturation)
    on_oxygen_points = points(SPO2_SCALE_2_ON_OXYGEN, saturation)
    if on_air == on_oxygen_points:
        return on_air
    return None if on_oxygen is None else on_oxygen_points if on_oxygen else on_air


def _scored(value: float | None, table: Table, resolution: Decimal = WHOLE) -> int | None:
    return None if value is None else points(table, value, resolution)


def score(vitals: Vitals, spo2_scale: int = 1) -> Score:
    """NEWS2 for one set of vital signs. `spo2_scale` 2 is for a prescribed target of 88-92%
    (e.g. hypercapnic respiratory failure), as a clinician decides; otherwise scale 1."""
    if spo2_scale not in (1, 2):
        raise ValueError("the SpO2 scale is 1 or 2")
    v = vitals
    scored: Sequence[tuple[Parameter, object, int | None]] = (
        (Parameter.RESPIRATION_RATE, v.respiration_rate,
         _scored(v.respiration_rate, RESPIRATION_RATE)),
        (Parameter.OXYGEN_SATURATION, v.oxygen_saturation, None if v.oxygen_saturation is None
         else _spo2_points(v.oxygen_saturation, spo2_scale, v.on_oxygen)),
        (Parameter.AIR_OR_OXYGEN, v.on_oxygen, None if v.on_oxygen is None
         else ON_OXYGEN_POINTS if v.on_oxygen else 0),
        (Parameter.SYSTOLIC_BLOOD_PRESSURE, v.systolic_blood_pressure,
         _scored(v.systolic_blood_pressure, SYSTOLIC_BLOOD_PRESSURE)),
        (Parameter.PULSE, v.pulse, _scored(v.pulse, PULSE)),
        (Parameter.CONSCIOUSNESS, v.consciousness, None if v.consciousness is None
         else 0 if v.consciousness == ALERT else CVPU_POINTS),
        (Parameter.TEMPERATURE, v.temperature, _scored(v.temperature, TEMPERATURE, TENTH)),
    )
    return Score(spo2_scale=spo2_scale, components=tuple(
        Component(parameter, value is not None, got) for parameter, value, got in scored))
