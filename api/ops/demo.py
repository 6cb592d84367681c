"""A synthetic hospital for demonstrations: staff of every role, and a few hundred patients
followed from the ambulance to discharge, all recorded through the twin's commands (the same
checks and warnings as the API's) and the ledger, like real work.

Deterministic: the same seed and start date give the same patients, stages, values and ids
(password hashes differ, as argon2 salts are random). Nobody in it is a real person.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from api.auth.accounts import create_user, new_user
from api.resources import Resources
from api.twin import care, discharge, forms, medication, surgery
from api.twin.access import Principal, Role
from api.twin.unit import Unit
from api.twin.vitals import CONSCIOUSNESS_CODE, CONSCIOUSNESS_NAME, VITALS, Consciousness, VitalSign

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
    """Create the staff, then `patients` patients, each through the same commands (and so the
    same checks and warnings) as the API's."""
    if start + WINDOW + LONGEST_STAY > datetime.now(UTC):
        raise ValueError(f"the demo start must be at least {(WINDOW + LONGEST_STAY).days} days "
                         "ago, so that every stay it records lies in the past")
    hospital = Hospital()
    staff = await _staff(resources, hospital)
    rng = random.Random(seed)
    minutes = int(WINDOW.total_seconds() // 60)
    # Each patient draws from a generator of its own, seeded in order here: the same seed
    # gives the same patients however their commands interleave.
    plans = [(random.Random(rng.getrandbits(64)), start + timedelta(minutes=rng.randrange(minutes)))
             for _ in range(patients)]
    done = 0
    gate = asyncio.Semaphore(32)  # concurrent patients share ledger fsyncs (group commit)

    async def run(patient_rng: random.Random, arrived: datetime) -> None:
        nonlocal done
        async with gate:
            kinds = await _Patient(resources, staff, patient_rng).follow(arrived)
        hospital.events += len(kinds)
        _count(hospital, kinds)
        done += 1
        if progress is not None:
            progress(done, patients)

    await asyncio.gather(*(run(patient_rng, arrived) for patient_rng, arrived in plans))
    return hospital


async def _staff(resources: Resources, hospital: Hospital) -> dict[Role, list[Principal]]:
    """Demo users, all with `DEMO_PASSWORD`, by role."""
    people: list[tuple[str, str, Role, dict[str, str]]] = [
              ("admin", "Demo Administrator", Role.ADMIN, {}),
              ("auditor", "Demo Auditor", Role.AUDITOR, {})]
    people += [(u, n, Role.PHYSICIAN, {"specialty": s, "licence_number": f"MD-{i + 1000}"})
               for i, (u, n, s) in enumerate(PHYSICIANS)]
    people += [(u, n, Role.TRANSPORT, {"company": c}) for u, n, c in CREWS]
    staff: dict[Role, list[Principal]] = {}
    for username, name, role, profile in people:
        event = new_user(username, DEMO_PASSWORD, name, role, "ACTIVE", **profile)
        created = await create_user(resources, event, actor="demo")
        staff.setdefault(role, []).append(Principal(created.user_id, role, username, name))
        hospital.users[username] = role.value
    return staff


class _Patient:
    """One patient's stay, with every choice and every id drawn from its own generator."""

    def __init__(self, resources: Resources, staff: dict[Role, list[Principal]],
                 rng: random.Random) -> None:
        self.resources, self.staff, self.rng = resources, staff, rng
        self.kinds: list[str] = []

    def _as(self, principal: Principal) -> Unit:
        return Unit(self.resources.store, self.resources.recorder, principal,
                    self.resources.patient_changes, new_id=lambda: _uuid(self.rng))

    async def follow(self, arrived: datetime) -> list[str]:
        """From arrival to (perhaps) discharge; the kinds of the events recorded."""
        rng = self.rng
        scenario = rng.choice(SCENARIOS)
        doctor = self._as(rng.choice(self.staff[Role.PHYSICIAN]))
        crew = self._as(rng.choice(self.staff[Role.TRANSPORT])) if rng.random() < 0.75 else None
        clock = _Clock(arrived)
        vitals, consciousness = _vitals(rng, scenario.severity, clock.now(-15))
        admitted = await care.admit(crew or doctor, forms.Admission(
            arrival_mode=forms.ArrivalMode.AMBULANCE if crew else forms.ArrivalMode.WALK_IN,
            arrived_at=clock.now(), chief_complaint=scenario.complaint,
            triage_level=rng.randint(*scenario.triage),
            patient=forms.NewPatient(
                rng.choice(GIVEN), rng.choice(FAMILY),
                date(rng.randint(1930, 2008), rng.randint(1, 12), rng.randint(1, 28)),
                forms.Sex(rng.choice(["female", "male"])), f"DEMO-{rng.randrange(10**6):06}"),
            allergies=rng.sample(["penicillin", "latex", "sulfonamides", "iodine"],
                                 rng.choice([0, 0, 0, 1, 2])),
            vitals=vitals, consciousness=consciousness))
        self.kinds.append("PatientAdmitted")
        patient_id = admitted.patient_id
        if crew is not None:
            admin = self._as(self.staff[Role.ADMIN][0])
            await care.assign_physician(admin, patient_id, doctor.principal.user_id)
            self.kinds.append("PhysicianAssigned")
        if rng.random() < 0.15:
            return self.kinds  # still being assessed: no diagnosis yet
        diagnosed_at = clock.now(rng.randint(30, 180))
        vitals, consciousness = _vitals(rng, scenario.severity * 0.8, clock.now(10))
        results = [forms.Result(VITALS[m.sign].code, VITALS[m.sign].name, m.measured_at,
                                value=m.value, unit=VITALS[m.sign].unit) for m in vitals]
        results.append(forms.Result(CONSCIOUSNESS_CODE, CONSCIOUSNESS_NAME,
                                    consciousness.measured_at,
                                    text=consciousness.level.value))
        diagnosis = await care.diagnose(doctor, forms.Diagnosis(
            patient_id, diagnosed_at, scenario.codes, scenario.symptoms,
            f"Consistent with {scenario.codes[0]}", results))
        self.kinds.append("DiagnosisRecorded")
        prescriptions = [await self._treat(doctor, patient_id, drug, diagnosis.node_id, clock)
                         for drug in scenario.drugs]
        if scenario.surgery is not None and rng.random() < scenario.surgery_share:
            await surgery.record_surgery(doctor, _surgery(rng, patient_id, doctor,
                                                          scenario.surgery, clock))
            self.kinds.append("SurgeryRecorded")
        if rng.random() < 0.6:
            discharged_at = clock.now(rng.randint(1, 6) * 1440)
            disposition = rng.choice(["HOME", "HOME", "HOME", "REHABILITATION", "TRANSFER"])
            # What the ward gave is stopped when the stay ends, as a discharge round would.
            for prescription_id in prescriptions:
                await medication.discontinue(doctor, forms.Discontinuation(
                    prescription_id, discharged_at, "Stopped at discharge"))
                self.kinds.append("MedicationDiscontinued")
            await discharge.discharge(doctor, forms.Discharge(
                patient_id, discharged_at, forms.Disposition(disposition)))
            self.kinds.append("PatientDischarged")
        return self.kinds

    async def _treat(self, doctor: Unit, patient_id: str, drug: Drug, diagnosis_id: str,
                     clock: _Clock) -> str:
        """Prescribe, with the warnings prescribeMedication gives, then give a first dose."""
        rng = self.rng
        route = forms.Route(drug.route)
        prescribed = await medication.prescribe(doctor, forms.Prescription(
            patient_id, drug.code, drug.name, drug.dose, drug.unit, route, drug.frequency,
            clock.now(rng.randint(5, 30)), diagnosis_id))
        prescription_id = prescribed.recorded.node_id
        await medication.administer(doctor, forms.Administration(
            prescription_id, drug.dose, drug.unit, route, clock.now(rng.randint(5, 60))))
        self.kinds += ["MedicationPrescribed", "MedicationAdministered"]
        return prescription_id


def _surgery(rng: random.Random, patient_id: str, surgeon: Unit, procedure: tuple[str, str],
             clock: _Clock) -> forms.Surgery:
    assessed = clock.now(rng.randint(60, 600))
    started, ended = clock.now(rng.randint(30, 240)), clock.now(rng.randint(45, 240))
    return forms.Surgery(
        patient_id=patient_id, procedure_code=procedure[0], procedure_display=procedure[1],
        scheduled_at=assessed,
        pre_operative=forms.PreOperative(assessed, rng.randint(1, 4), True,
                                         forms.SurgicalRisk(rng.choice(["LOW", "MODERATE",
                                                                        "HIGH"]))),
        intra_operative=forms.IntraOperative(
            started, ended, rng.choice(["general", "spinal", "regional"]),
            [surgeon.principal.user_id]),
        post_operative=forms.PostOperative(
            clock.now(240), rng.choice(["uneventful", "slow mobilisation"]),
            rng.sample(["wound infection", "ileus", "delirium"], rng.choice([0, 0, 0, 0, 1]))),
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


def _vitals(rng: random.Random, severity: float, at: datetime,
            ) -> tuple[list[forms.Measurement], forms.ConsciousnessLevel]:
    """One set of plausible vital signs; sicker patients drift towards danger."""
    level = min(1.0, max(0.0, rng.gauss(severity, 0.2)))
    found = []
    for sign, (well, sick, spread, decimals) in _VITAL_MODEL.items():
        kind = VITALS[sign]
        value = round(rng.gauss(well + sick * level, spread), decimals)
        found.append(forms.Measurement(sign, float(min(kind.high, max(kind.low, value))), at))
    # 0 L/min: breathing air (NEWS2 needs it)
    flow = 0.0 if level < 0.6 else float(rng.choice([2, 4, 6]))
    found.append(forms.Measurement(VitalSign.INHALED_OXYGEN_FLOW, flow, at))
    consciousness = "ALERT" if level < 0.8 or rng.random() < 0.6 else "CONFUSION"
    return found, forms.ConsciousnessLevel(Consciousness(consciousness), at)


class _Clock:
    """Time moving forward through one patient's stay: `now(m)` advances m minutes; a
    negative m looks back without moving (vitals taken in the ambulance before arrival)."""

    def __init__(self, start: datetime) -> None:
        self._at = start

    def now(self, minutes: int = 0) -> datetime:
        if minutes < 0:
            return self._at + timedelta(minutes=minutes)
        self._at += timedelta(minutes=minutes)
        return self._at


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _count(hospital: Hospital, kinds: Sequence[str]) -> None:
    hospital.stages["ADMISSION"] += 1
    hospital.stages["DIAGNOSIS"] += "DiagnosisRecorded" in kinds
    hospital.stages["SURGERY"] += "SurgeryRecorded" in kinds
    hospital.stages["DISCHARGED"] += "PatientDischarged" in kinds
