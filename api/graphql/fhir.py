"""The twin as FHIR over GraphQL: the export, with the same access as `twin` (the mapping
itself is api/knowledge/fhir_export.py)."""

from __future__ import annotations

import json

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.knowledge.fhir_export import export_patient
from api.twin import access_log
from api.twin.access import CLINICAL_READERS


@strawberry.type
class FhirQuery:
    @strawberry.field(description="A patient's twin as a FHIR R4 (4.0.1) Bundle of type "
                                  "collection, as JSON text; the same access as `twin`.")
    async def export_patient(self, info: Info[Context, None], patient_id: strawberry.ID) -> str:
        work = await info.context.unit(CLINICAL_READERS)
        bundle = await access_log.recorded_read(
            work, str(patient_id), ["export"], lambda: export_patient(work.store, str(patient_id)))
        return json.dumps(bundle, ensure_ascii=False)
