"""The surgery commands: a Surgery stage with its pre-operative assessment (and later phases
when already known), then the intra- and post-operative records, each in time order after
the one before."""

from __future__ import annotations

from api.twin import forms
from api.twin import validation as check
from api.twin.errors import Conflict, InvalidInput, NotFound
from api.twin.unit import Recorded, Unit, after_last_stage, patient_state, record
from graph import reads
from graph.event_values import SurgeryPhaseData
from graph.events import SurgeryPhaseRecorded, SurgeryRecorded
from graph.rows import PhaseTimes


def _pre(unit: Unit, data: forms.PreOperative, not_before: str | None) -> SurgeryPhaseData:
    return SurgeryPhaseData(
        id=unit.new_id(), phase="PRE_OPERATIVE",
        at=check.moment("preOperative.assessedAt", data.assessed_at, not_before),
        asa_class=check.integer("preOperative.asaClass", data.asa_class, 1, 6),
        consent_signed=data.consent_signed, risk=data.risk.value,
        notes=check.note("preOperative.notes", data.notes),
    )


def _intra(unit: Unit, data: forms.IntraOperative, not_before: str | None) -> SurgeryPhaseData:
    started = check.moment("intraOperative.startedAt", data.started_at, not_before,
                           "the pre-operative assessment")
    ended = check.moment("intraOperative.endedAt", data.ended_at, started, "the start")
    return SurgeryPhaseData(
        id=unit.new_id(), phase="INTRA_OPERATIVE", at=started, started_at=started,
        ended_at=ended,
        anaesthesia=check.text("intraOperative.anaesthesia", data.anaesthesia, 200),
        team=tuple(str(member) for member in data.team or []),
        notes=check.note("intraOperative.notes", data.notes),
    )


def _post(unit: Unit, data: forms.PostOperative, not_before: str | None) -> SurgeryPhaseData:
    return SurgeryPhaseData(
        id=unit.new_id(), phase="POST_OPERATIVE",
        at=check.moment("postOperative.recordedAt", data.recorded_at, not_before,
                        "the end of the operation"),
        recovery=check.text("postOperative.recovery", data.recovery, 2000, multiline=True),
        complications=check.texts("postOperative.complications", data.complications),
        disposition=check.text("postOperative.disposition", data.disposition, 200,
                               required=False) or None,
        notes=check.note("postOperative.notes", data.notes),
    )


def _phases(unit: Unit, data: forms.Surgery) -> tuple[SurgeryPhaseData, ...]:
    phases = [_pre(unit, data.pre_operative, None)]
    if data.intra_operative is not None:
        phases.append(_intra(unit, data.intra_operative, phases[-1].at))
    if data.post_operative is not None:
        if data.intra_operative is None:
            raise InvalidInput("postOperative", "needs the intra-operative phase first")
        phases.append(_post(unit, data.post_operative, phases[-1].ended_at))
    return tuple(phases)


async def record_surgery(unit: Unit, data: forms.Surgery) -> Recorded:
    """Surgical operative procedure: a Surgery stage with its phases known so far."""
    row = await patient_state(unit, data.patient_id)
    scheduled = check.moment("scheduledAt", data.scheduled_at, after_last_stage(row))
    event = SurgeryRecorded(
        patient_id=data.patient_id, stage_id=unit.new_id(),
        physician_id=unit.principal.user_id, at=scheduled,
        procedure_code=check.concept_id("procedureCode", data.procedure_code, "SNOMED CT"),
        procedure_display=check.text("procedureDisplay", data.procedure_display, 200),
        phases=_phases(unit, data),
    )
    return await record(unit, event, event.stage_id, data.patient_id)


async def _surgery_for_phase(unit: Unit, surgery_id: str,
                             phase: str) -> tuple[str, dict[str, PhaseTimes]]:
    """The surgery's patient and recorded phases, after checking the caller may act on that
    patient. A surgery they may not read gets the answer an unknown id gets: its patient's id
    is not theirs to learn."""
    row = await reads.surgery(unit.store, surgery_id)
    unknown = NotFound(f"surgeryId: no surgery {surgery_id}")
    if row is None:
        raise unknown
    patient_id = row["surgery"]["patient_id"]
    try:
        await patient_state(unit, patient_id)
    except NotFound:
        raise unknown from None
    phases = {p["phase"]: p for p in row["phases"]}
    if phase in phases:
        raise Conflict(f"the {phase.lower().replace('_', '-')} phase is already recorded")
    return patient_id, phases


async def record_intra_operative(unit: Unit, surgery_id: str,
                                 data: forms.IntraOperative) -> Recorded:
    """The intra-operative record, after the pre-operative assessment."""
    patient_id, phases = await _surgery_for_phase(unit, surgery_id, "INTRA_OPERATIVE")
    phase = _intra(unit, data, phases["PRE_OPERATIVE"]["at"])
    event = SurgeryPhaseRecorded(patient_id=patient_id, stage_id=surgery_id,
                                 recorded_by=unit.principal.user_id, phase=phase)
    return await record(unit, event, phase.id, patient_id)


async def record_post_operative(unit: Unit, surgery_id: str,
                                data: forms.PostOperative) -> Recorded:
    """The post-operative course, after the end of the operation."""
    patient_id, phases = await _surgery_for_phase(unit, surgery_id, "POST_OPERATIVE")
    if "INTRA_OPERATIVE" not in phases:
        raise Conflict("record the intra-operative phase first")
    phase = _post(unit, data, phases["INTRA_OPERATIVE"]["ended_at"])
    event = SurgeryPhaseRecorded(patient_id=patient_id, stage_id=surgery_id,
                                 recorded_by=unit.principal.user_id, phase=phase)
    return await record(unit, event, phase.id, patient_id)
