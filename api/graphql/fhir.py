"""The twin as FHIR over GraphQL: the export, with the same access as `twin` (the mapping
itself is api/knowledge/fhir_export.py)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.knowledge import fhir_json
from api.knowledge.fhir_export import export_patient, readable_patient
from api.twin import access_log
from api.twin.access import CLINICAL_READERS


@strawberry.type
class FhirQuery:
    @strawberry.field(description="A patient's twin as a FHIR R4 (4.0.1) Bundle of type "
                                  "collection, as JSON text; the patient named by their twin "
                                  "id or by the FHIR id they were imported with. The same "
                                  "access as `twin`.")
    async def export_patient(self, info: Info[Context, None], patient_id: strawberry.ID) -> str:
        work = await info.context.unit(CLINICAL_READERS)
        twin_id = await readable_patient(work.store, work.principal, str(patient_id))
        bundle = await access_log.recorded_read(
            work, twin_id, ["export"], lambda: export_patient(work.store, twin_id))
        return fhir_json.dumps(bundle)
