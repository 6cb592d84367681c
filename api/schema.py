"""The GraphQL schema, assembled from the queries and mutations of each concern."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from api.care import CareMutation
from api.context import Context
from api.identity import IdentityMutation, IdentityQuery
from api.twin import TwinQuery
from api.twin_types import Admission, Diagnosis, Surgery


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


Query = merge_types("Query", (ServerQuery, IdentityQuery, TwinQuery))
Mutation = merge_types("Mutation", (IdentityMutation, CareMutation))

schema = strawberry.Schema(query=Query, mutation=Mutation, types=[Admission, Diagnosis, Surgery])
