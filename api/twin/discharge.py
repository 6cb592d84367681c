"""The discharge command: the stay closes, after its last stage."""

from __future__ import annotations

from api.twin import forms
from api.twin import validation as check
from api.twin.unit import Recorded, Unit, after_last_stage, patient_state, record
from graph.events import PatientDischarged


async def discharge(unit: Unit, data: forms.Discharge) -> Recorded:
    row = await patient_state(unit, data.patient_id)
    event = PatientDischarged(
        patient_id=data.patient_id, discharged_by=unit.principal.user_id,
        at=check.moment("dischargedAt", data.discharged_at, after_last_stage(row)),
        disposition=data.disposition.value,
        summary=check.text("summary", data.summary, 4000, required=False, multiline=True),
    )
    return await record(unit, event, data.patient_id, data.patient_id)
