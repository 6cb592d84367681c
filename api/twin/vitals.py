"""The vital signs a twin records: LOINC code, UCUM unit and the range a living patient can show.

Values outside these ranges are refused as input errors: they are typing mistakes (a heart
rate of 1200) far more often than measurements.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class VitalKind:
    code: str
    name: str
    unit: str
    low: float
    high: float


class VitalSign(Enum):
    HEART_RATE = "HEART_RATE"
    RESPIRATORY_RATE = "RESPIRATORY_RATE"
    OXYGEN_SATURATION = "OXYGEN_SATURATION"
    SYSTOLIC_BLOOD_PRESSURE = "SYSTOLIC_BLOOD_PRESSURE"
    DIASTOLIC_BLOOD_PRESSURE = "DIASTOLIC_BLOOD_PRESSURE"
    BODY_TEMPERATURE = "BODY_TEMPERATURE"
    GLASGOW_COMA_SCORE = "GLASGOW_COMA_SCORE"
    BLOOD_GLUCOSE = "BLOOD_GLUCOSE"
    PAIN_SCORE = "PAIN_SCORE"
    INHALED_OXYGEN_FLOW = "INHALED_OXYGEN_FLOW"


VITALS: dict[VitalSign, VitalKind] = {
    VitalSign.HEART_RATE: VitalKind("8867-4", "Heart rate", "/min", 10, 300),
    VitalSign.RESPIRATORY_RATE: VitalKind("9279-1", "Respiratory rate", "/min", 1, 90),
    VitalSign.OXYGEN_SATURATION: VitalKind("59408-5", "Oxygen saturation", "%", 30, 100),
    VitalSign.SYSTOLIC_BLOOD_PRESSURE: VitalKind("8480-6", "Systolic blood pressure",
                                                 "mm[Hg]", 30, 300),
    VitalSign.DIASTOLIC_BLOOD_PRESSURE: VitalKind("8462-4", "Diastolic blood pressure",
                                                  "mm[Hg]", 10, 200),
    VitalSign.BODY_TEMPERATURE: VitalKind("8310-5", "Body temperature", "Cel", 25, 45),
    VitalSign.GLASGOW_COMA_SCORE: VitalKind("9269-2", "Glasgow coma score total", "{score}",
                                            3, 15),
    VitalSign.BLOOD_GLUCOSE: VitalKind("2339-0", "Glucose [Mass/volume] in Blood", "mg/dL",
                                       10, 2000),
    VitalSign.PAIN_SCORE: VitalKind("72514-3", "Pain severity 0-10", "{score}", 0, 10),
    VitalSign.INHALED_OXYGEN_FLOW: VitalKind("3151-8", "Inhaled oxygen flow rate", "L/min",
                                             0, 70),
}

BY_CODE: dict[str, VitalSign] = {kind.code: sign for sign, kind in VITALS.items()}

CONSCIOUSNESS_CODE = "80288-4"
CONSCIOUSNESS_NAME = "Level of consciousness (ACVPU)"


class Consciousness(Enum):
    ALERT = "ALERT"
    CONFUSION = "CONFUSION"
    VOICE = "VOICE"
    PAIN = "PAIN"
    UNRESPONSIVE = "UNRESPONSIVE"
