"""The GraphQL schema, assembled from the queries and mutations of each concern."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from api.graphql.audit import AuditQuery
from api.graphql.care import CareMutation
from api.graphql.context import Context
from api.graphql.errors import log_errors, translate_twin_errors
from api.graphql.fhir import FhirQuery
from api.graphql.identity import IdentityMutation, IdentityQuery
from api.graphql.knowledge import KnowledgeMutation, KnowledgeQuery
from api.graphql.limits import schema_extensions
from api.graphql.medications import MedicationQuery
from api.graphql.patients import PatientRightsMutation, PatientRightsQuery
from api.graphql.prescriptions import PrescriptionMutation, PrescriptionQuery
from api.graphql.scalars import SCALARS
from api.graphql.search import SearchQuery
from api.graphql.subscriptions import Subscription
from api.graphql.twin_reads import TwinQuery
from api.graphql.twin_types import Admission, Diagnosis, Surgery
from api.settings import Settings


@strawberry.type
class ServerInfo:
    graph_backend: str
    version: str


@strawberry.type
class ServerQuery:
    @strawberry.field(description="What this server runs on; answers without a login.")
    async def server_info(self, info: Info[Context, None]) -> ServerInfo:
        resources = info.context.resources
        return ServerInfo(graph_backend=resources.store.backend, version="0.1.0")


Query = merge_types("Query", (ServerQuery, IdentityQuery, TwinQuery, KnowledgeQuery,
                             MedicationQuery, SearchQuery, PrescriptionQuery, AuditQuery,
                             FhirQuery, PatientRightsQuery))
Mutation = merge_types("Mutation", (IdentityMutation, CareMutation, PrescriptionMutation,
                                    KnowledgeMutation, PatientRightsMutation))



class TwinSchema(strawberry.Schema):
    """strawberry's schema, logging its errors through `errors.log_errors`."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        log_errors(errors, _operation_type(execution_context))


def _operation_type(execution_context: ExecutionContext | None) -> str | None:
    if execution_context is None or execution_context.graphql_document is None:
        return None
    try:
        return execution_context.operation_type.value
    except RuntimeError:  # no operation of that name in the document
        return None


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema, with the request limits of `settings` (none for exporting the SDL)."""
    extensions = [] if settings is None else schema_extensions(
        settings.max_query_depth, settings.max_aliases, settings.max_query_tokens,
        settings.introspection)
    built = TwinSchema(query=Query, mutation=Mutation, subscription=Subscription,
                       types=[Admission, Diagnosis, Surgery], extensions=extensions,
                       config=StrawberryConfig(scalar_map=SCALARS))
    translate_twin_errors(built._schema)
    return built


schema = build_schema()
"""The served schema without limits: what `strawberry export-schema` writes."""
