"""The twin as FHIR R4, read-only, for the apps that speak FHIR rather than GraphQL.

`GET /fhir/metadata` (the CapabilityStatement), `GET /fhir/Patient/{id}`,
`GET /fhir/Patient/{id}/$everything` and `GET /fhir/{type}?patient={id}` (a searchset,
paged with `_count` and `_offset`). A patient is named by their twin id or their FHIR id.
The resources are the export's (api/knowledge/fhir_export.py): what was imported, as it came.

The same bearer tokens and access rules as GraphQL: the token is resolved by the GraphQL
context's own code, and a patient is read only after `readable_patient`, the check
`exportPatient` makes. A patient the caller may not read is answered exactly as one that does
not exist: 404 with the same OperationOutcome.
"""

from __future__ import annotations

from typing import Any

from fhirclient.models.fhirelementfactory import FHIRElementFactory
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from api.graphql.context import Context
from api.graphql.errors import ClientError
from api.graphql.errors import Unauthenticated as GraphQLUnauthenticated
from api.knowledge import fhir_json
from api.knowledge.fhir_export import export_patient, readable_patient
from api.resources import Resources
from api.twin import access, access_log
from api.twin.errors import Forbidden, NotFound, TwinError, Unauthenticated
from api.twin.unit import Unit

MEDIA_TYPE = "application/fhir+json"
FHIR_VERSION = "4.0.1"
DEFAULT_COUNT = 50
MAX_COUNT = 500
SEARCHABLE = ("AllergyIntolerance", "CarePlan", "CareTeam", "Claim", "Condition", "Coverage",
              "Device", "DiagnosticReport", "DocumentReference", "Encounter",
              "ExplanationOfBenefit", "Goal", "ImagingStudy", "Immunization", "Medication",
              "MedicationAdministration", "MedicationRequest", "Observation", "Procedure",
              "Provenance", "SupplyDelivery")
"""The types a patient's search answers for (any other R4 type a twin holds is found in
`$everything`)."""
Json = dict[str, Any]


def fhir_routes(resources: Resources) -> list[BaseRoute]:
    """The facade's routes, to mount before the console's catch-all."""
    rest = _Facade(resources)
    return [Route("/fhir/metadata", rest.metadata, methods=["GET"]),
            Route("/fhir/Patient/{id}/$everything", rest.everything, methods=["GET"]),
            Route("/fhir/Patient/{id}", rest.patient, methods=["GET"]),
            Route("/fhir/{type}", rest.search, methods=["GET"])]


def outcome(status: int, code: str, diagnostics: str) -> Response:
    """An OperationOutcome: FHIR's way to say why a request failed."""
    body = {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": code, "diagnostics": diagnostics}]}
    return _json(body, status)


def _json(body: Json, status: int = 200) -> Response:
    return Response(fhir_json.dumps(body), status_code=status, media_type=MEDIA_TYPE)


class _Facade:
    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    async def metadata(self, _: Request) -> Response:
        return _json(capability_statement())

    async def patient(self, request: Request) -> Response:
        return await self._answer(request, self._patient)

    async def everything(self, request: Request) -> Response:
        return await self._answer(request, self._everything)

    async def search(self, request: Request) -> Response:
        return await self._answer(request, self._search)

    async def _answer(self, request: Request, read: Any) -> Response:
        """Authenticate as GraphQL does, then read; the twin's refusals as OperationOutcomes."""
        try:
            work = await Context(self.resources, request).unit(access.CLINICAL_READERS)
            body: Json = await read(request, work)
        except (Unauthenticated, GraphQLUnauthenticated) as exc:
            return outcome(401, "login", _message(exc))
        except Forbidden as exc:
            return outcome(403, "forbidden", exc.message)
        except _Missing as exc:
            return outcome(404, "not-found", str(exc))
        except _Unsupported as exc:
            return outcome(400, "not-supported", str(exc))
        return _json(body)

    async def _bundle(self, work: Unit, given: str, section: str) -> Json:
        """The patient's export, after the access check `exportPatient` makes, and recorded
        in the patient's access history as every read of a twin is."""
        try:
            twin_id = await readable_patient(work.store, work.principal, given)
            return await access_log.recorded_read(
                work, twin_id, [f"fhir:{section}"], lambda: export_patient(work.store, twin_id))
        except (NotFound, ClientError):
            raise _Missing(f"Patient/{given} is not known") from None

    async def _patient(self, request: Request, work: Unit) -> Json:
        given = request.path_params["id"]
        bundle = await self._bundle(work, given, "Patient")
        patient: Json = next(e["resource"] for e in bundle["entry"]
                             if e["resource"]["resourceType"] == "Patient")
        return patient

    async def _everything(self, request: Request, work: Unit) -> Json:
        bundle = await self._bundle(work, request.path_params["id"], "$everything")
        return _searchset(request, bundle["entry"], 0, len(bundle["entry"]))

    async def _search(self, request: Request, work: Unit) -> Json:
        kind = request.path_params["type"]
        if kind not in SEARCHABLE:
            raise _Unsupported(f"{kind} is not searched by patient here" if _is_type(kind)
                               else f"{kind} is not a FHIR R4 resource type")
        given = request.query_params.get("patient", "").removeprefix("Patient/")
        if not given:
            raise _Unsupported("a search names its patient: ?patient={id}")
        count = _bounded(request, "_count", DEFAULT_COUNT, 1, MAX_COUNT)
        offset = _bounded(request, "_offset", 0, 0, 10**9)
        bundle = await self._bundle(work, given, kind)
        matches = [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
        return _searchset(request, matches, offset, count)


class _Missing(Exception):
    """No such patient, or one the caller may not read."""


class _Unsupported(Exception):
    """A request the facade does not answer."""


def _message(exc: Exception) -> str:
    return exc.message if isinstance(exc, TwinError) else str(exc)


def _is_type(kind: str) -> bool:
    instance = FHIRElementFactory.instantiate(kind, None)
    return getattr(instance, "resource_type", None) == kind


def _bounded(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise _Unsupported(f"{name} must be a whole number from {low} to {high}")
    return int(text)


def _searchset(request: Request, entries: list[Json], offset: int, count: int) -> Json:
    """A page of a searchset Bundle, with the links to the next and previous pages."""
    page = entries[offset:offset + count]
    url = request.url

    def link(relation: str, at: int) -> Json:
        return {"relation": relation,
                "url": str(url.include_query_params(_offset=at, _count=count))}

    links = [link("self", offset)]
    if offset + count < len(entries):
        links.append(link("next", offset + count))
    if offset > 0:
        links.append(link("previous", max(0, offset - count)))
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries),
            "link": links,
            "entry": [{**entry, "search": {"mode": "match"}} for entry in page]}


def capability_statement() -> Json:
    """What the facade answers: read and $everything on Patient, search by patient."""
    everything = {"name": "everything",
                  "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything"}
    by_patient = {"name": "patient", "type": "reference",
                  "documentation": "The patient, by twin id or FHIR id (required)"}
    return {
        "resourceType": "CapabilityStatement", "status": "active", "date": "2026-11-29",
        "kind": "instance", "fhirVersion": FHIR_VERSION, "format": [MEDIA_TYPE, "json"],
        "software": {"name": "HDT, the Healthcare Digital Twin server"},
        "implementation": {"description": "The twin as FHIR R4, read-only"},
        "rest": [{
            "mode": "server",
            "security": {"description": "Bearer tokens from GraphQL's `login`, with the same "
                                        "access rules: a patient you may not read is "
                                        "answered as one that does not exist."},
            "resource": [
                {"type": "Patient", "interaction": [{"code": "read"}],
                 "operation": [everything]},
                *({"type": kind, "interaction": [{"code": "search-type"}],
                   "searchParam": [by_patient]} for kind in SEARCHABLE)],
        }],
    }
