"""A patient's request to be erased (GDPR art. 17), made from their own account.

The request erases nothing: erasure destroys the patient's data key and cannot be undone,
so an administrator does it (`erasePatient`, api/twin/erasure.py) once the hospital has
dealt with what the law lets it keep. The request is an anchored `ErasureRequested` event,
so the patient can show it was made and when, and it is listed to the administrators until
the erasure removes it with the rest of the patient.
"""

from __future__ import annotations

from api.twin.access import now_iso
from api.twin.consent import own_patient
from api.twin.unit import Recorded, Unit, record
from graph.patient_events import ErasureRequested


async def request(unit: Unit) -> Recorded:
    """Anchor the patient's request; asking again renews it (one open request a patient)."""
    patient_id = own_patient(unit.principal, "erasure is requested by the patient, from "
                                             "their own account")
    event = ErasureRequested(patient_id=patient_id, requested_by=unit.principal.user_id,
                             at=now_iso())
    return await record(unit, event, patient_id, patient_id)
