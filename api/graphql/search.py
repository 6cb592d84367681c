"""Search as one types, over GraphQL: diseases and medications by code or words of a name
(the rules of a search are api/knowledge/search.py)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.knowledge import KNOWLEDGE_READERS
from api.graphql.pagination import page_size
from api.graphql.twin_types import Disease, Medication
from api.knowledge import search
from api.twin import validation as check


@strawberry.type
class SearchQuery:
    @strawberry.field(description=(
        "Diseases whose code starts with `text` (`I21`, `I21.4` or `I214`), then those whose "
        "name holds every word of it, the last word as typed so far (`myocardial infarc`); "
        "shorter codes first in each (chapters and categories before their subdivisions). "
        "Searches every disease the graph holds: the whole ICD-10-CM tree once imported. "
        "Any role."))
    async def disease_search(self, info: Info[Context, None], text: str, first: int = 20,
                             system: str = check.ICD10_SYSTEM) -> list[Disease]:
        await info.context.require(KNOWLEDGE_READERS)
        found = await search.diseases(info.context.resources.store, text, system.strip(),
                                      page_size(first))
        return [Disease.of(d) for d in found]

    @strawberry.field(description=(
        "Medications of the catalogue whose code is `text` (an RxNorm concept id such as "
        "1191) or whose name holds every word of it (`warfarin`), the code match first, then "
        "shorter names. Any role."))
    async def medication_search(self, info: Info[Context, None], text: str,
                                first: int = 20) -> list[Medication]:
        await info.context.require(KNOWLEDGE_READERS)
        found = await search.medications(info.context.resources.store, text, page_size(first))
        return [Medication.of(m) for m in found]
