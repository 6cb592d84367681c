"""A synthetic hospital for demonstrations: staff of every role, and a few hundred patients
followed from the ambulance to discharge, all recorded through the ledger like real work.

Deterministic: the same seed and start date give the same patients, stages, values and ids
(password hashes differ, as argon2 salts are random). Nobody in it is a real person.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from api.auth.identity import create_user, new_user
from api.resources import Resources
from api.twin.access import Role
from api.twin.prescription_checks import findings
from api.twin.validation import ICD10_SYSTEM, RXNORM_SYSTEM, icd10_code, utc_text
from api.twin.vitals import CONSCIOUSNESS_CODE, CONSCIOUSNESS_NAME, VITALS, VitalSign
from graph.event_values import DiseaseRef, MedicationRef, ObservationData, SurgeryPhaseData
from graph.events import (
    DiagnosisRecorded,
    Event,
    MedicationAdministered,
    MedicationDiscontinued,
    MedicationPrescribed,
    PatientAdmitted,
    PatientDischarged,
    PhysicianAssigned,
    SurgeryRecorded,
)

DEMO_PASSWORD = "demo-password-2026"
DEFAULT_START = datetime(2026, 10, 26, tzinfo=UTC)
WINDOW = timedelta(days=20)
"""Patients arrive within this window after the start."""
LONGEST_STAY = timedelta(days=8)
"""No demo stay runs longer, so every time recorded lies before start + WINDOW + LONGEST_STAY."""
GIVEN = ["Alex", "Sam", "Robin", "Jordan", "Casey", "Morgan", "Riley", "Jamie", "Avery", "Quinn",
         "Noa", "Kai", "Sasha", "Eli", "Rowan", "Ari", "Dana", "Toni", "Lee", "Mika"]
FAMILY = ["Synthetic", "Example", "Placeholder", "Testwell", "Mockford", "Samplesson",
          "Demoulin", "Fictive", "Imaginaire", "Nobody", "Madeup", "Surrogate"]


@dataclass(frozen=True)
class Drug:
    code: str
    name: str
    dose: float
    unit: str
    route: str
    frequency: str


@dataclass(frozen=True)
class Scenario:
    """A plausible presentation: complaint, triage, what it turns out to be, how it is treated."""

    complaint: str
    triage: tuple[int, int]
    codes: tuple[str, ...]
    drugs: tuple[Drug, ...]
    surgery: tuple[str, str] | None = None
    surgery_share: float = 0.0
    severity: float = 0.3
    symptoms: tuple[str, ...] = ()


ASPIRIN = Drug("1191", "aspirin", 300, "mg", "oral", "once")
SCENARIOS = (
    Scenario("Crushing chest pain radiating to the left arm", (1, 2), ("I21.4", "E78.5"),
             (ASPIRIN, Drug("83367", "atorvastatin", 80, "mg", "oral", "daily")),
             ("415070008", "Percutaneous coronary intervention"), 0.4, 0.6,
             ("chest pain", "diaphoresis")),
    Scenario("Fever and productive cough", (2, 3), ("J18.9",),
             (Drug("723", "amoxicillin", 1, "g", "oral", "three times daily"),),
             severity=0.5, symptoms=("fever", "cough", "dyspnoea")),
    Scenario("Right lower abdominal pain", (2, 3), ("K35.80",),
             (Drug("2193", "ceftriaxone", 2, "g", "intravenous", "daily"),),
             ("80146002", "Appendectomy"), 0.9, 0.3, ("abdominal pain", "nausea")),
    Scenario("Fall at home, cannot bear weight", (2, 3), ("S72.001A",),
             (Drug("7052", "morphine", 5, "mg", "intravenous", "every 4 hours"),),
             ("52734007", "Total replacement of hip"), 0.8, 0.3, ("hip pain",)),
    Scenario("Confusion and very high blood sugar", (2, 2), ("E11.65", "N17.9"),
             (Drug("253182", "insulin regular human", 6, "[iU]", "subcutaneous", "hourly"),),
             severity=0.6, symptoms=("polyuria", "confusion")),
    Scenario("Sudden weakness of the right arm and slurred speech", (1, 1), ("I63.9", "I10"),
             (Drug("8410", "alteplase", 60, "mg", "intravenous", "once"), ASPIRIN),
             severity=0.7, symptoms=("hemiparesis", "dysarthria")),
    Scenario("Palpitations and dizziness", (3, 3), ("I48.91",),
             (Drug("11289", "warfarin", 5, "mg", "oral", "daily"),
              Drug("6918", "metoprolol", 25, "mg", "oral", "twice daily")),
             severity=0.3, symptoms=("palpitations",)),
    Scenario("Upper right abdominal pain after meals", (3, 4), ("K81.0",),
             (Drug("161", "acetaminophen", 1, "g", "oral", "four times daily"),),
             ("38102005", "Cholecystectomy"), 0.7, 0.2, ("abdominal pain",)),
    Scenario("Wheezing and shortness of breath", (2, 3), ("J45.901",),
             (Drug("435", "albuterol", 5, "mg", "inhaled", "every 20 minutes"),
              Drug("8640", "prednisone", 40, "mg", "oral", "daily")),
             severity=0.5, symptoms=("wheeze", "dyspnoea")),
    Scenario("Severe headache, high blood pressure", (3, 4), ("I10",),
             (Drug("29046", "lisinopril", 10, "mg", "oral", "daily"),),
             severity=0.2, symptoms=("headache",)),
)
PHYSICIANS = (("dr.rivera", "Dr. Alex Rivera", "Emergency medicine"),
              ("dr.okafor", "Dr. Chidi Okafor", "Cardiology"),
              ("dr.lindqvist", "Dr. Maja Lindqvist", "General surgery"),
              ("dr.haddad", "Dr. Samir Haddad", "Internal medicine"),
              ("dr.tanaka", "Dr. Yui Tanaka", "Orthopaedic surgery"))
CREWS = (("medic.kim", "Sam Kim", "Metro Ambulance Service"),
         ("medic.novak", "Petra Novak", "Metro Ambulance Service"),
         ("medic.ortiz", "Luis Ortiz", "County Air Rescue"))


@dataclass
class Hospital:
    """What a demo run created: who can log in, and how many patients reached each stage."""

    users: dict[str, str] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=lambda: {
        "ADMISSION": 0, "DIAGNOSIS": 0, "SURGERY": 0, "DISCHARGED": 0})
    events: int = 0


async def create(resources: Resources, patients: int = 300, seed: int = 7,
                 start: datetime = DEFAULT_START,
                 progress: Callable[[int, int], None] | None = None) -> Hospital:
    """Create the staff, then `patients` patients, each through the event path."""
    if start + WINDOW + LONGEST_STAY > datetime.now(UTC):
        raise ValueError(f"the demo start must be at least {(WINDOW + LONGEST_STAY).days} days "
                         "ago, so that every stay it records lies in the past")
    hospital = Hospital()
    staff = await _staff(resources, hospital)
    rng = random.Random(seed)
    minutes = int(WINDOW.total_seconds() // 60)
    plans = [_patient(rng, staff, start + timedelta(minutes=rng.randrange(minutes)))
             for _ in range(patients)]
    done = 0
    gate = asyncio.Semaphore(32)  # concurrent patients share ledger fsyncs (group commit)

    async def run(actor_events: Sequence[tuple[str, Event]]) -> None:
        nonlocal done
        async with gate:
            for actor, event in actor_events:
                if isinstance(event, MedicationPrescribed):
                    event = await _with_warnings(resources, event)
                await resources.recorder.record(event, actor=actor)
        hospital.events += len(actor_events)
        _count(hospital, actor_events)
        done += 1
        if progress is not None:
            progress(done, patients)

    await asyncio.gather(*(run(plan) for plan in plans))
    return hospital


async def _with_warnings(resources: Resources,
                         event: MedicationPrescribed) -> MedicationPrescribed:
    """The warnings prescribeMedication would give, anchored the same way."""
    found = await findings(resources.store, event.patient_id, event.medication)
    return replace(event, warnings=found.warnings)


async def _staff(resources: Resources, hospital: Hospital) -> dict[str, list[str]]:
    """Demo users, all with `DEMO_PASSWORD`; returns user ids by role."""
    people: list[tuple[str, str, Role, dict[str, str]]] = [
              ("admin", "Demo Administrator", Role.ADMIN, {}),
              ("auditor", "Demo Auditor", Role.AUDITOR, {})]
    people += [(u, n, Role.PHYSICIAN, {"specialty": s, "licence_number": f"MD-{i + 1000}"})
               for i, (u, n, s) in enumerate(PHYSICIANS)]
    people += [(u, n, Role.TRANSPORT, {"company": c}) for u, n, c in CREWS]
    ids: dict[str, list[str]] = {}
    for username, name, role, profile in people:
        event = new_user(username, DEMO_PASSWORD, name, role, "ACTIVE", **profile)
        change = await create_user(resources, event, actor="demo")
        ids.setdefault(role.value, []).append(str(change.user.id))
        hospital.users[username] = role.value
    return ids


def _patient(rng: random.Random, staff: dict[str, list[str]],
             arrived: datetime) -> list[tuple[str, Event]]:
    """One patient's events in time order, with every choice drawn from `rng`."""
    scenario = rng.choice(SCENARIOS)
    doctor = rng.choice(staff["PHYSICIAN"])
    by_ambulance = rng.random() < 0.75
    crew = rng.choice(staff["TRANSPORT"]) if by_ambulance else None
    patient_id, clock = _uuid(rng), _Clock(arrived)
    admitted = PatientAdmitted(
        patient_id=patient_id, stage_id=_uuid(rng), at=clock.now(),
        admitted_by=crew or doctor, crew_id=crew,
        given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY),
        birth_date=f"{rng.randint(1930, 2008)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
        sex=rng.choice(["female", "male"]), mrn=f"DEMO-{rng.randrange(10**6):06}",
        arrival_mode="AMBULANCE" if by_ambulance else "WALK_IN",
        chief_complaint=scenario.complaint, triage_level=rng.randint(*scenario.triage),
        allergies=tuple(rng.sample(["penicillin", "latex", "sulfonamides", "iodine"],
                                   rng.choice([0, 0, 0, 1, 2]))),
        observations=_vitals(rng, scenario.severity, clock.now(-15)),
    )
    events: list[tuple[str, Event]] = [(crew or doctor, admitted)]
    if crew is not None:
        events.append(("demo", PhysicianAssigned(patient_id=patient_id, physician_id=doctor,
                                                 assigned_by="demo", at=clock.now(5))))
    if rng.random() < 0.15:
        return events  # still being assessed: no diagnosis yet
    diagnosis = DiagnosisRecorded(
        patient_id=patient_id, stage_id=_uuid(rng), physician_id=doctor,
        at=clock.now(rng.randint(30, 180)),
        diseases=tuple(DiseaseRef(ICD10_SYSTEM, *icd10_code("code", code))
                       for code in scenario.codes),
        symptoms=scenario.symptoms, findings=f"Consistent with {scenario.codes[0]}",
        observations=_vitals(rng, scenario.severity * 0.8, clock.now(10)),
    )
    events.append((doctor, diagnosis))
    prescriptions: list[str] = []
    for drug in scenario.drugs:
        prescription = MedicationPrescribed(
            patient_id=patient_id, transaction_id=_uuid(rng), physician_id=doctor,
            medication=MedicationRef(RXNORM_SYSTEM, drug.code, drug.name), dose=drug.dose,
            unit=drug.unit, route=drug.route, frequency=drug.frequency,
            at=clock.now(rng.randint(5, 30)), diagnosis_id=diagnosis.stage_id)
        events.append((doctor, prescription))
        prescriptions.append(prescription.transaction_id)
        events.append((doctor, MedicationAdministered(
            patient_id=patient_id, transaction_id=_uuid(rng),
            prescription_id=prescription.transaction_id, administered_by=doctor,
            dose=drug.dose, unit=drug.unit, route=drug.route,
            at=clock.now(rng.randint(5, 60)))))
    if scenario.surgery is not None and rng.random() < scenario.surgery_share:
        events.append((doctor, _surgery(rng, patient_id, doctor, scenario.surgery, clock)))
    if rng.random() < 0.6:
        discharged = PatientDischarged(
            patient_id=patient_id, discharged_by=doctor, at=clock.now(rng.randint(1, 6) * 1440),
            disposition=rng.choice(["HOME", "HOME", "HOME", "REHABILITATION", "TRANSFER"]))
        # What the ward gave is stopped when the stay ends, as a discharge round would.
        events.extend((doctor, MedicationDiscontinued(
            patient_id=patient_id, prescription_id=prescription_id, discontinued_by=doctor,
            at=discharged.at, reason="Stopped at discharge")) for prescription_id in prescriptions)
        events.append((doctor, discharged))
    return events


def _surgery(rng: random.Random, patient_id: str, surgeon: str, procedure: tuple[str, str],
             clock: _Clock) -> SurgeryRecorded:
    assessed = clock.now(rng.randint(60, 600))
    started, ended = clock.now(rng.randint(30, 240)), clock.now(rng.randint(45, 240))
    return SurgeryRecorded(
        patient_id=patient_id, stage_id=_uuid(rng), physician_id=surgeon, at=assessed,
        procedure_code=procedure[0], procedure_display=procedure[1],
        phases=(
            SurgeryPhaseData(id=_uuid(rng), phase="PRE_OPERATIVE", at=assessed,
                             asa_class=rng.randint(1, 4), consent_signed=True,
                             risk=rng.choice(["LOW", "MODERATE", "HIGH"])),
            SurgeryPhaseData(id=_uuid(rng), phase="INTRA_OPERATIVE", at=started,
                             started_at=started, ended_at=ended,
                             anaesthesia=rng.choice(["general", "spinal", "regional"]),
                             team=(surgeon,)),
            SurgeryPhaseData(id=_uuid(rng), phase="POST_OPERATIVE", at=clock.now(240),
                             recovery=rng.choice(["uneventful", "slow mobilisation"]),
                             complications=tuple(rng.sample(
                                 ["wound infection", "ileus", "delirium"],
                                 rng.choice([0, 0, 0, 0, 1])))),
        ),
    )


# (mean when well, added at full severity, spread, decimals)
_VITAL_MODEL = {
    VitalSign.HEART_RATE: (78, 40, 8, 0),
    VitalSign.RESPIRATORY_RATE: (15, 12, 2, 0),
    VitalSign.OXYGEN_SATURATION: (98, -10, 1.2, 0),
    VitalSign.SYSTOLIC_BLOOD_PRESSURE: (128, -35, 12, 0),
    VitalSign.DIASTOLIC_BLOOD_PRESSURE: (78, -20, 8, 0),
    VitalSign.BODY_TEMPERATURE: (36.8, 1.9, 0.3, 1),
}


def _vitals(rng: random.Random, severity: float, at: str) -> tuple[ObservationData, ...]:
    """One set of plausible vital signs; sicker patients drift towards danger."""
    level = min(1.0, max(0.0, rng.gauss(severity, 0.2)))
    found = []
    for sign, (well, sick, spread, decimals) in _VITAL_MODEL.items():
        kind = VITALS[sign]
        value = round(rng.gauss(well + sick * level, spread), decimals)
        value = min(kind.high, max(kind.low, value))
        found.append(ObservationData(id=_uuid(rng), code=kind.code, name=kind.name, at=at,
                                     value=float(value), unit=kind.unit))
    oxygen = VITALS[VitalSign.INHALED_OXYGEN_FLOW]  # 0 L/min: breathing air (NEWS2 needs it)
    flow = 0.0 if level < 0.6 else float(rng.choice([2, 4, 6]))
    found.append(ObservationData(id=_uuid(rng), code=oxygen.code, name=oxygen.name, at=at,
                                 value=flow, unit=oxygen.unit))
    consciousness = "ALERT" if level < 0.8 or rng.random() < 0.6 else "CONFUSION"
    found.append(ObservationData(id=_uuid(rng), code=CONSCIOUSNESS_CODE,
                                 name=CONSCIOUSNESS_NAME, at=at, text=consciousness))
    return tuple(found)


class _Clock:
    """Time moving forward through one patient's stay: `now(m)` advances m minutes; a
    negative m looks back without moving (vitals taken in the ambulance before arrival)."""

    def __init__(self, start: datetime) -> None:
        self._at = start

    def now(self, minutes: int = 0) -> str:
        if minutes < 0:
            return utc_text(self._at + timedelta(minutes=minutes))
        self._at += timedelta(minutes=minutes)
        return utc_text(self._at)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _count(hospital: Hospital, events: Sequence[tuple[str, Event]]) -> None:
    kinds = {event.kind for _, event in events}
    hospital.stages["ADMISSION"] += 1
    hospital.stages["DIAGNOSIS"] += "DiagnosisRecorded" in kinds
    hospital.stages["SURGERY"] += "SurgeryRecorded" in kinds
    hospital.stages["DISCHARGED"] += "PatientDischarged" in kinds
