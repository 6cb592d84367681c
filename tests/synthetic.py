"""Synthetic clinical events for tests: plausible, deterministic, about no real person."""

from __future__ import annotations

import uuid
from typing import Any

from graph import projection
from graph.event_values import DiseaseRef, MedicationRef, ObservationData, SurgeryPhaseData
from graph.events import (
    DiagnosisRecorded,
    MedicationPrescribed,
    PatientAdmitted,
    SurgeryRecorded,
    UserRegistered,
)
from graph.store import GraphStore


def new_id() -> str:
    return str(uuid.uuid4())


class Ward:
    """Events applied to a store in seq order, as the recorder would apply them."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.seq = 0

    async def apply(self, event: Any) -> None:
        await projection.apply(self.store, event, self.seq)
        self.seq += 1


def physician(username: str = "dr.rivera") -> UserRegistered:
    return UserRegistered(
        user_id=new_id(),
        username=username,
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        role="PHYSICIAN",
        status="ACTIVE",
        display_name="Dr. Alex Rivera",
        at="2026-11-25T08:00:00.000Z",
        specialty="Emergency medicine",
        licence_number="MD-100234",
    )


def crew(username: str = "medic.kim") -> UserRegistered:
    return UserRegistered(
        user_id=new_id(),
        username=username,
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        role="TRANSPORT",
        status="ACTIVE",
        display_name="Sam Kim",
        at="2026-11-25T08:00:00.000Z",
        company="Metro Ambulance Service",
    )


def heart_rate(value: float, at: str) -> ObservationData:
    return ObservationData(id=new_id(), code="8867-4", name="Heart rate", at=at, value=float(value),
                           unit="/min")


def admission(patient_id: str, by: str, crew_id: str | None = None,
              at: str = "2026-11-25T09:00:00.000Z") -> PatientAdmitted:
    return PatientAdmitted(
        patient_id=patient_id,
        stage_id=new_id(),
        at=at,
        admitted_by=by,
        given_name="Jordan",
        family_name="Testperson",
        birth_date="1961-04-12",
        sex="female",
        arrival_mode="AMBULANCE",
        chief_complaint="Chest pain radiating to the left arm",
        triage_level=2,
        crew_id=crew_id,
        allergies=("penicillin",),
        observations=(heart_rate(112, at),),
    )


def diagnosis(patient_id: str, physician_id: str,
              at: str = "2026-11-25T10:00:00.000Z") -> DiagnosisRecorded:
    return DiagnosisRecorded(
        patient_id=patient_id,
        stage_id=new_id(),
        physician_id=physician_id,
        at=at,
        diseases=(DiseaseRef("http://hl7.org/fhir/sid/icd-10-cm", "I21.4",
                             "Non-ST elevation (NSTEMI) myocardial infarction"),),
        symptoms=("chest pain", "diaphoresis"),
        findings="ST depression in V4-V6",
        observations=(ObservationData(id=new_id(), code="6598-7", name="Troponin T",
                                      at=at, value=0.41, unit="ng/mL"),),
    )


def prescription(patient_id: str, physician_id: str, diagnosis_id: str | None,
                 at: str = "2026-11-25T10:30:00.000Z") -> MedicationPrescribed:
    return MedicationPrescribed(
        patient_id=patient_id,
        transaction_id=new_id(),
        physician_id=physician_id,
        medication=MedicationRef("http://www.nlm.nih.gov/research/umls/rxnorm", "1191",
                                 "aspirin"),
        dose=300.0,
        unit="mg",
        route="oral",
        frequency="once",
        at=at,
        diagnosis_id=diagnosis_id,
    )


def surgery(patient_id: str, physician_id: str,
            at: str = "2026-11-25T14:00:00.000Z") -> SurgeryRecorded:
    return SurgeryRecorded(
        patient_id=patient_id,
        stage_id=new_id(),
        physician_id=physician_id,
        at=at,
        procedure_code="232717009",
        procedure_display="Coronary artery bypass grafting",
        phases=(
            SurgeryPhaseData(id=new_id(), phase="PRE_OPERATIVE", at=at, asa_class=3,
                             consent_signed=True, risk="moderate"),
        ),
    )
