"""NEWS2 against the RCP chart: both edges of every cell of every parameter, the risk bands and
their responses, incomplete vitals, and whole patients from published material.

The chart is RCP, "National Early Warning Score (NEWS) 2", London, 2017: Chart 1 (the scoring
system), Chart 2 (thresholds and triggers), Chart 4 (clinical response).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from api.twin.news2 import Parameter, Risk, Vitals, score

P = Parameter
_FIELD = {
    P.RESPIRATION_RATE: "respiration_rate", P.OXYGEN_SATURATION: "oxygen_saturation",
    P.AIR_OR_OXYGEN: "on_oxygen", P.SYSTOLIC_BLOOD_PRESSURE: "systolic_blood_pressure",
    P.PULSE: "pulse", P.CONSCIOUSNESS: "consciousness", P.TEMPERATURE: "temperature",
}

# (parameter, value, points): each cell of Chart 1 at its lowest and highest value.
SCALE_1_CELLS = [
    (P.RESPIRATION_RATE, 1, 3), (P.RESPIRATION_RATE, 8, 3),
    (P.RESPIRATION_RATE, 9, 1), (P.RESPIRATION_RATE, 11, 1),
    (P.RESPIRATION_RATE, 12, 0), (P.RESPIRATION_RATE, 20, 0),
    (P.RESPIRATION_RATE, 21, 2), (P.RESPIRATION_RATE, 24, 2),
    (P.RESPIRATION_RATE, 25, 3), (P.RESPIRATION_RATE, 90, 3),
    (P.OXYGEN_SATURATION, 30, 3), (P.OXYGEN_SATURATION, 91, 3),
    (P.OXYGEN_SATURATION, 92, 2), (P.OXYGEN_SATURATION, 93, 2),
    (P.OXYGEN_SATURATION, 94, 1), (P.OXYGEN_SATURATION, 95, 1),
    (P.OXYGEN_SATURATION, 96, 0), (P.OXYGEN_SATURATION, 100, 0),
    (P.AIR_OR_OXYGEN, True, 2), (P.AIR_OR_OXYGEN, False, 0),
    (P.SYSTOLIC_BLOOD_PRESSURE, 30, 3), (P.SYSTOLIC_BLOOD_PRESSURE, 90, 3),
    (P.SYSTOLIC_BLOOD_PRESSURE, 91, 2), (P.SYSTOLIC_BLOOD_PRESSURE, 100, 2),
    (P.SYSTOLIC_BLOOD_PRESSURE, 101, 1), (P.SYSTOLIC_BLOOD_PRESSURE, 110, 1),
    (P.SYSTOLIC_BLOOD_PRESSURE, 111, 0), (P.SYSTOLIC_BLOOD_PRESSURE, 219, 0),
    (P.SYSTOLIC_BLOOD_PRESSURE, 220, 3), (P.SYSTOLIC_BLOOD_PRESSURE, 300, 3),
    (P.PULSE, 10, 3), (P.PULSE, 40, 3),
    (P.PULSE, 41, 1), (P.PULSE, 50, 1),
    (P.PULSE, 51, 0), (P.PULSE, 90, 0),
    (P.PULSE, 91, 1), (P.PULSE, 110, 1),
    (P.PULSE, 111, 2), (P.PULSE, 130, 2),
    (P.PULSE, 131, 3), (P.PULSE, 300, 3),
    (P.CONSCIOUSNESS, "ALERT", 0), (P.CONSCIOUSNESS, "CONFUSION", 3),
    (P.CONSCIOUSNESS, "VOICE", 3), (P.CONSCIOUSNESS, "PAIN", 3),
    (P.CONSCIOUSNESS, "UNRESPONSIVE", 3),
    (P.TEMPERATURE, 25.0, 3), (P.TEMPERATURE, 35.0, 3),
    (P.TEMPERATURE, 35.1, 1), (P.TEMPERATURE, 36.0, 1),
    (P.TEMPERATURE, 36.1, 0), (P.TEMPERATURE, 38.0, 0),
    (P.TEMPERATURE, 38.1, 1), (P.TEMPERATURE, 39.0, 1),
    (P.TEMPERATURE, 39.1, 2), (P.TEMPERATURE, 45.0, 2),
    # Between two cells, a value is rounded half up to the chart's resolution first.
    (P.RESPIRATION_RATE, 20.4, 0), (P.RESPIRATION_RATE, 20.5, 2),
    (P.PULSE, 90.5, 1), (P.TEMPERATURE, 35.04, 3), (P.TEMPERATURE, 35.05, 1),
    (P.TEMPERATURE, 38.05, 1), (P.OXYGEN_SATURATION, 95.5, 0),
]

# SpO2 on scale 2: (saturation, on oxygen, points).
SCALE_2_CELLS = [
    (30, False, 3), (83, False, 3), (83, True, 3),
    (84, False, 2), (85, True, 2),
    (86, True, 1), (87, False, 1),
    (88, False, 0), (88, True, 0), (92, False, 0), (92, True, 0),
    (93, False, 0), (100, False, 0),
    (93, True, 1), (94, True, 1),
    (95, True, 2), (96, True, 2),
    (97, True, 3), (100, True, 3),
]


def _only(parameter: Parameter, value: object) -> Vitals:
    return Vitals(**{_FIELD[parameter]: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(("parameter", "value", "points"), SCALE_1_CELLS)
def test_every_cell_of_chart_1(parameter: Parameter, value: object, points: int) -> None:
    found = score(_only(parameter, value))
    assert {c.parameter: c.points for c in found.components if c.measured} == {parameter: points}
    assert found.total == points


@pytest.mark.parametrize(("saturation", "on_oxygen", "points"), SCALE_2_CELLS)
def test_every_cell_of_spo2_scale_2(saturation: int, on_oxygen: bool, points: int) -> None:
    found = score(Vitals(oxygen_saturation=saturation, on_oxygen=on_oxygen), spo2_scale=2)
    [spo2] = [c for c in found.components if c.parameter is P.OXYGEN_SATURATION]
    assert spo2.points == points
    assert found.total == points + (2 if on_oxygen else 0)


NORMAL = Vitals(respiration_rate=16, oxygen_saturation=97, on_oxygen=False,
                systolic_blood_pressure=125, pulse=72, consciousness="ALERT", temperature=36.8)


@pytest.mark.parametrize(("changes", "total", "risk", "trigger", "monitoring"), [
    ({}, 0, Risk.LOW, "0", "Minimum 12 hourly"),
    ({"pulse": 95}, 1, Risk.LOW, "1-4", "Minimum 4-6 hourly"),
    ({"respiration_rate": 22, "temperature": 38.5, "pulse": 95}, 4, Risk.LOW, "1-4",
     "Minimum 4-6 hourly"),
    ({"consciousness": "CONFUSION"}, 3, Risk.LOW_MEDIUM, "3 in single parameter",
     "Minimum 1 hourly"),
    ({"systolic_blood_pressure": 88, "pulse": 95}, 4, Risk.LOW_MEDIUM, "3 in single parameter",
     "Minimum 1 hourly"),
    ({"respiration_rate": 22, "oxygen_saturation": 93, "pulse": 95}, 5, Risk.MEDIUM,
     "5 or more", "Minimum 1 hourly"),
    ({"respiration_rate": 26, "oxygen_saturation": 93}, 5, Risk.MEDIUM, "5 or more",
     "Minimum 1 hourly"),
    ({"on_oxygen": True, "oxygen_saturation": 93, "pulse": 115}, 6, Risk.MEDIUM, "5 or more",
     "Minimum 1 hourly"),
    ({"on_oxygen": True, "oxygen_saturation": 93, "pulse": 115, "temperature": 38.2}, 7,
     Risk.HIGH, "7 or more", "Continuous monitoring of vital signs"),
    ({"respiration_rate": 30, "oxygen_saturation": 85, "on_oxygen": True,
      "systolic_blood_pressure": 80, "pulse": 140, "consciousness": "UNRESPONSIVE",
      "temperature": 34.0}, 20, Risk.HIGH, "7 or more", "Continuous monitoring of vital signs"),
])
def test_risk_bands_and_responses_of_charts_2_and_4(
    changes: dict[str, Any], total: int, risk: Risk, trigger: str, monitoring: str,
) -> None:
    found = score(replace(NORMAL, **changes))
    assert (found.total, found.risk, found.trigger) == (total, risk, trigger)
    assert found.complete and found.missing == ()
    assert found.response.monitoring == monitoring


def test_the_responses_name_who_acts() -> None:
    def action(**changes: Any) -> str:
        return score(replace(NORMAL, **changes)).response.action

    assert action() == "Continue routine NEWS monitoring."
    assert "critical care competencies" in action(respiration_rate=30, pulse=140, on_oxygen=True)
    assert "urgent assessment" in action(respiration_rate=22, oxygen_saturation=93, pulse=95)
    assert "who will review" in action(consciousness="VOICE")


def test_missing_vitals_make_an_incomplete_score_never_zeros() -> None:
    nothing = score(Vitals())
    assert not nothing.complete and nothing.missing == tuple(Parameter)
    assert all(c.points is None for c in nothing.components)

    only_a_fast_pulse = score(Vitals(pulse=131))
    assert only_a_fast_pulse.total == 3 and not only_a_fast_pulse.complete
    assert P.PULSE not in only_a_fast_pulse.missing and len(only_a_fast_pulse.missing) == 6
    assert only_a_fast_pulse.risk is Risk.LOW_MEDIUM, "the least band: more can only add"


def test_scale_2_needs_air_or_oxygen_only_from_93_percent() -> None:
    high = score(Vitals(oxygen_saturation=95), spo2_scale=2)
    [spo2] = [c for c in high.components if c.parameter is P.OXYGEN_SATURATION]
    assert spo2.measured and spo2.points is None, "95% scores 0 on air, 2 on oxygen"
    assert P.OXYGEN_SATURATION not in high.missing and P.AIR_OR_OXYGEN in high.missing

    low = score(Vitals(oxygen_saturation=90), spo2_scale=2)
    [spo2] = [c for c in low.components if c.parameter is P.OXYGEN_SATURATION]
    assert spo2.points == 0, "88-92% scores 0 on air and on oxygen alike"

    assert score(Vitals(oxygen_saturation=95), spo2_scale=1).total == 1
    with pytest.raises(ValueError):
        score(NORMAL, spo2_scale=3)


def _points(vitals: Vitals, spo2_scale: int = 1) -> dict[Parameter, int | None]:
    return {c.parameter: c.points for c in score(vitals, spo2_scale).components}


def test_a_copd_patient_on_scale_2_from_the_cliot_documentation() -> None:
    """cliot 1.0.0 (CRAN, "Clinical Indices and Outcomes Tools"), `news2_score`, Example 1,
    "COPD Patient (Scale 2)": RR 22 (+2), SpO2 90% (0 on scale 2), on oxygen (+2), SBP 130,
    HR 80, alert, 37 °C; published score 4. https://rdrr.io/cran/cliot/man/news2_score.html
    """
    patient = Vitals(respiration_rate=22, oxygen_saturation=90, on_oxygen=True,
                     systolic_blood_pressure=130, pulse=80, consciousness="ALERT",
                     temperature=37.0)
    found = score(patient, spo2_scale=2)
    assert (found.total, found.risk, found.complete) == (4, Risk.LOW, True)
    assert _points(patient, 2) == {P.RESPIRATION_RATE: 2, P.OXYGEN_SATURATION: 0,
                                   P.AIR_OR_OXYGEN: 2, P.SYSTOLIC_BLOOD_PRESSURE: 0,
                                   P.PULSE: 0, P.CONSCIOUSNESS: 0, P.TEMPERATURE: 0}
    assert score(patient).total == 7, "the same patient on scale 1: 90% scores 3"


def test_the_nhs_wales_emergency_department_example_where_the_chart_disagrees() -> None:
    """The NHS Wales Emergency Department FHIR implementation guide's NEWS2 example
    (github.com/SynaneticsLtd/emergency-department-ig, input/fsh/examples/observation/
    adamtest-*.fsh): RR 21/min, SpO2 93% breathing room air, BP 120/60, heart rate 95/min,
    mentally alert, 37.5 °C. Its NEWS2 observation scores RR 2, SpO2 2, air 0, SBP 0, pulse 1,
    consciousness 0 and temperature 1, total 6. Chart 1 puts 37.5 °C in 36.1-38.0, which
    scores 0: every other component agrees, and the total is 5.
    """
    patient = Vitals(respiration_rate=21, oxygen_saturation=93, on_oxygen=False,
                     systolic_blood_pressure=120, pulse=95, consciousness="ALERT",
                     temperature=37.5)
    published = {P.RESPIRATION_RATE: 2, P.OXYGEN_SATURATION: 2, P.AIR_OR_OXYGEN: 0,
                 P.SYSTOLIC_BLOOD_PRESSURE: 0, P.PULSE: 1, P.CONSCIOUSNESS: 0,
                 P.TEMPERATURE: 1}
    assert _points(patient) == published | {P.TEMPERATURE: 0}
    found = score(patient)
    assert (found.total, found.risk, found.trigger) == (5, Risk.MEDIUM, "5 or more")


def test_a_hypercapnic_patient_over_oxygenated_from_a_published_exercise() -> None:
    """"Mavis", a case study of the course "Recognition and management of deterioration"
    (sites.google.com/view/recognitionandmanagementofdete/assessment): COPD, labelled at risk
    of hypercapnic respiratory failure with a target of 88-92%, on high-flow oxygen; RR 30,
    SpO2 98%, BP 155/85, pulse 119, new confusion, 36.2 °C. The exercise publishes no answer:
    scored here by hand from Chart 1 (scale 2): 3 + 3 + 2 + 0 + 2 + 3 + 0 = 13.
    """
    patient = Vitals(respiration_rate=30, oxygen_saturation=98, on_oxygen=True,
                     systolic_blood_pressure=155, pulse=119, consciousness="CONFUSION",
                     temperature=36.2)
    found = score(patient, spo2_scale=2)
    assert (found.total, found.risk) == (13, Risk.HIGH)
    assert _points(patient, 2)[P.OXYGEN_SATURATION] == 3, "97% or more on oxygen, scale 2"
    assert score(patient).total == 10, "scale 1 would not see the over-oxygenation"
