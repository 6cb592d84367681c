"""The current stay of a twin: its stages since the latest admission, how long each lasted,
and the latest vital signs measured in it, which NEWS2 is scored from.

Pure functions over the timeline the twin already holds: no store call, so that reading a
twin stays a fixed number of store calls however much it is asked of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.graphql.twin_types import Admission, Observation, Stage
from api.twin import news2
from api.twin.vitals import CONSCIOUSNESS_CODE, VITALS, Consciousness, VitalSign

NEWS2_CODES: dict[news2.Parameter, str] = {
    news2.Parameter.RESPIRATION_RATE: VITALS[VitalSign.RESPIRATORY_RATE].code,
    news2.Parameter.OXYGEN_SATURATION: VITALS[VitalSign.OXYGEN_SATURATION].code,
    news2.Parameter.AIR_OR_OXYGEN: VITALS[VitalSign.INHALED_OXYGEN_FLOW].code,
    news2.Parameter.SYSTOLIC_BLOOD_PRESSURE: VITALS[VitalSign.SYSTOLIC_BLOOD_PRESSURE].code,
    news2.Parameter.PULSE: VITALS[VitalSign.HEART_RATE].code,
    news2.Parameter.CONSCIOUSNESS: CONSCIOUSNESS_CODE,
    news2.Parameter.TEMPERATURE: VITALS[VitalSign.BODY_TEMPERATURE].code,
}
"""The LOINC-coded observation each NEWS2 parameter is read from. "Air or oxygen" is the
inhaled oxygen flow: more than 0 L/min is oxygen, 0 is air."""


def current_stay(timeline: list[Stage]) -> list[Stage]:
    """The stages from the latest admission on (all of them when none is an admission).

    A readmitted patient's earlier stays stay in the timeline, but their discharge times are
    not kept (the patient holds only the latest), so only the current stay is measured."""
    starts = [i for i, stage in enumerate(timeline) if isinstance(stage, Admission)]
    return timeline[starts[-1]:] if starts else list(timeline)


@dataclass(frozen=True)
class Period:
    stage: Stage
    started_at: str
    ended_at: str | None
    hours: float


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _hours(start: str, end: datetime) -> float:
    return round((end - _time(start)).total_seconds() / 3600, 2)


def periods(stay: list[Stage], discharged_at: str | None, now: datetime) -> list[Period]:
    """How long each stage of a stay lasted: until the next stage in the NEXT chain started,
    the last one until discharge, or, while the patient is still in, until `now` (open:
    `ended_at` None). Hours are rounded to a hundredth."""
    found = []
    for stage, following in zip(stay, [*stay[1:], None], strict=True):
        ended_at = following.at if following is not None else discharged_at
        found.append(Period(stage=stage, started_at=stage.at, ended_at=ended_at,
                            hours=_hours(stage.at, now if ended_at is None else _time(ended_at))))
    return found


def stay_hours(stay: list[Stage], discharged_at: str | None, now: datetime) -> float | None:
    """From the start of the stay to discharge, or to `now` while it is open."""
    if not stay:
        return None
    return _hours(stay[0].at, now if discharged_at is None else _time(discharged_at))


def latest_observations(stay: list[Stage]) -> dict[str, Observation]:
    """The latest observation of each code in the stay, by measurement time (then id, so
    that two measurements at the same instant give the same answer every time)."""
    latest: dict[str, Observation] = {}
    for observation in sorted((o for s in stay for o in s.observations),
                              key=lambda o: (o.at, str(o.id))):
        latest[observation.code] = observation
    return latest


def news2_trend(stay: list[Stage], spo2_scale: int = 1) -> list[tuple[str, news2.Score]]:
    """NEWS2 as it stood after each moment of the stay at which a NEWS2 parameter was
    measured, oldest first: the same score `news2` gives, from the latest measurement of each
    parameter up to that moment (so the last point is the score now)."""
    scored_codes = set(NEWS2_CODES.values())
    latest: dict[str, Observation] = {}
    trend: list[tuple[str, news2.Score]] = []
    observations = sorted((o for s in stay for o in s.observations),
                          key=lambda o: (o.at, str(o.id)))
    for i, observation in enumerate(observations):
        latest[observation.code] = observation
        last_at_this_moment = i + 1 == len(observations) or observations[i + 1].at != observation.at
        if last_at_this_moment and any(o.at == observation.at and o.code in scored_codes
                                       for o in latest.values()):
            trend.append((observation.at, news2.score(news2_vitals(latest), spo2_scale)))
    return trend


def news2_vitals(latest: dict[str, Observation]) -> news2.Vitals:
    """The NEWS2 inputs from the latest observations. An absent one stays None (unscored),
    and so does a consciousness level that is not an ACVPU letter: unreadable is not "not
    alert"."""
    def value(parameter: news2.Parameter) -> float | None:
        found = latest.get(NEWS2_CODES[parameter])
        return None if found is None else found.value

    oxygen_flow = value(news2.Parameter.AIR_OR_OXYGEN)
    level = latest.get(CONSCIOUSNESS_CODE)
    acvpu = {c.value for c in Consciousness}
    return news2.Vitals(
        respiration_rate=value(news2.Parameter.RESPIRATION_RATE),
        oxygen_saturation=value(news2.Parameter.OXYGEN_SATURATION),
        on_oxygen=None if oxygen_flow is None else oxygen_flow > 0,
        systolic_blood_pressure=value(news2.Parameter.SYSTOLIC_BLOOD_PRESSURE),
        pulse=value(news2.Parameter.PULSE),
        consciousness=level.text if level is not None and level.text in acvpu else None,
        temperature=value(news2.Parameter.TEMPERATURE),
    )
