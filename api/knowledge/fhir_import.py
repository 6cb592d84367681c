"""`hdt import fhir`: FHIR R4 Bundles into twins, each resource one anchored event.

Takes transaction, batch and collection Bundles (the shape Synthea writes). Each resource is
validated on its own against the R4 models of `fhirclient` (strict): an invalid one is
reported with its path, `Bundle.entry[i].resource (Type/id): message`, and the valid ones
still load; so is a resource of a type R4 does not have. Every valid resource is kept whole
(its JSON text, numbers as written, in its event: the ledger holds it under its patient's
key, the graph on its node) so that an export gives it back unchanged. The mapping of each
resource is in api/knowledge/fhir_mapping.py.

Idempotent: node ids derive from FHIR ids, and a resource whose node the ledger already names
is not recorded again, so importing a bundle twice adds nothing and a cut import resumes.
A patient's stages are recorded in time order (their projection also places a stage by its
time, for history that arrives later than newer records). Events are appended many at a
time so that the ledger makes them durable together (group commit), through the import
command of api/twin/imports.py, as the API's own writes go through theirs.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fhirclient.models.fhirabstractbase import FHIRValidationError
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from api.knowledge import fhir_json
from api.knowledge import fhir_mapping as fm
from api.knowledge import fhir_values as fv
from api.knowledge.fhir_values import Json, Rejected
from api.resources import Resources
from api.twin import imports
from api.twin.access import Principal, Role
from api.twin.errors import InvalidInput
from graph.events import Event
from graph.fhir_events import (
    AdministrationImported,
    AdmissionImported,
    DiagnosisImported,
    ObservationImported,
    PatientImported,
    PrescriptionImported,
    ResourceImported,
    SharedResourceImported,
    SharedResourcesUsed,
    SurgeryImported,
)

BUNDLE_TYPES = ("transaction", "batch", "collection")
_STAGE_EVENTS = (AdmissionImported, DiagnosisImported, SurgeryImported)
_OWNED = (PatientImported, *_STAGE_EVENTS, ObservationImported, PrescriptionImported,
          AdministrationImported, ResourceImported)
"""The events of a bundle that belong to a patient."""
_Mapped = (PatientImported | AdmissionImported | DiagnosisImported | SurgeryImported
           | ObservationImported | PrescriptionImported | AdministrationImported)
_REFERENCE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")

Progress = Callable[[int, int], None]
"""Called with (work done, work in all); the unit is a byte of the files read."""


@dataclass
class TypeCount:
    loaded: int = 0
    unchanged: int = 0
    invalid: int = 0


@dataclass(frozen=True)
class Problem:
    source: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.path}: {self.message}"


@dataclass
class ImportReport:
    """What an import did: per resource type, how many loaded now, were already there and
    were invalid; each problem with its path; the twin id of each patient."""

    counts: dict[str, TypeCount] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """Valid resources kept whole but not placed in the twin's stages, each with why (an
    Observation whose encounter the twin does not have)."""
    patients: dict[str, str] = field(default_factory=dict)
    """FHIR id -> twin id of each patient the import holds (loaded now or already there)."""
    resources: int = 0
    events: int = 0
    seconds: float = 0.0

    def count(self, resource_type: str) -> TypeCount:
        return self.counts.setdefault(resource_type, TypeCount())

    @property
    def rate(self) -> float:
        """Resources read per second of the whole import (parse, validate, map, record)."""
        return self.resources / self.seconds if self.seconds > 0 else 0.0


async def load_paths(resources: Resources, path: Path, actor: str,
                     progress: Progress | None = None) -> ImportReport:
    """Import one bundle file, or every `*.json` file under a directory (in name order)."""
    files = sorted(p for p in path.rglob("*.json") if p.is_file()) if path.is_dir() else [path]
    sizes = [p.stat().st_size for p in files]
    report = ImportReport()
    started = time.monotonic()
    done = 0
    for file, size in zip(files, sizes, strict=True):
        try:
            bundle = fhir_json.loads(file.read_bytes())
        except (OSError, ValueError) as exc:
            report.problems.append(Problem(file.name, "Bundle", f"cannot be read as JSON: {exc}"))
            bundle = None
        if bundle is not None:
            def step(part: int, whole: int, base: int = done, size: int = size) -> None:
                if progress is not None:
                    progress(base + (size * part // whole if whole else size), sum(sizes))
            await load_bundle(resources, bundle, actor, file.name, report, step)
        done += size
        if progress is not None:
            progress(done, sum(sizes))
    report.seconds = time.monotonic() - started
    return report


async def load_bundle(resources: Resources, bundle: Any, actor: str, source: str = "bundle",
                      report: ImportReport | None = None,
                      progress: Progress | None = None) -> ImportReport:
    """Import one Bundle (parsed JSON); adds to `report` when given one."""
    timed = report is None
    report = report if report is not None else ImportReport()
    started = time.monotonic()
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        report.problems.append(Problem(source, "Bundle", "is not a FHIR Bundle"))
        return report
    if bundle.get("type") not in BUNDLE_TYPES:
        report.problems.append(Problem(source, "Bundle.type", f"{bundle.get('type')!r} is not "
                                       f"one of {', '.join(BUNDLE_TYPES)}"))
        return report
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        report.problems.append(Problem(source, "Bundle.entry", "is not a list"))
        return report
    report.resources += len(entries)
    events = _BundleImport(entries, resources.recorder.subjects, actor, source, report).events()

    def recorded(done: int) -> None:
        if progress is not None:
            progress(done, len(events))

    try:
        await imports.record_history(resources.recorder, importer(actor),
                                     [event for event, _ in events], recorded)
    except InvalidInput as exc:  # a bug of the mapping: nothing of the bundle was recorded
        report.problems.append(Problem(source, "Bundle", exc.message))
        return report
    for _, resource_type in events:
        if resource_type is not None:
            report.count(resource_type).loaded += 1
    report.events += len(events)
    if not events and progress is not None:
        progress(1, 1)
    if timed:
        report.seconds = time.monotonic() - started
    return report


def importer(actor: str) -> Principal:
    """Who an import records as: the operator running it (`hdt import fhir`, with the data
    directory in hand and the server stopped), an administrator's act."""
    return Principal(user_id=actor, role=Role.ADMIN, username=actor, display_name="FHIR import")


def events_of(bundle: Json, actor: str) -> list[Event]:
    """The events a bundle maps to for an empty twin, without recording them: what the
    import writes to the graph, for a baseline that skips the ledger (bench/api.py)."""
    entries = bundle.get("entry") or []
    return [event for event, _ in _BundleImport(entries, {}, actor, "bundle",
                                                ImportReport()).events()]


def validation_errors(resource: Json) -> list[str]:
    """What the strict R4 model of `fhirclient` finds wrong with a resource, path first."""
    try:
        instance = FHIRElementFactory.instantiate(resource.get("resourceType"), resource)
    except FHIRValidationError as exc:
        return list(_messages(exc, ""))
    except Exception as exc:  # the models raise plain errors on some shapes of bad data
        return [_clean(str(exc))]
    if getattr(instance, "resource_type", None) != resource.get("resourceType"):
        return [f"resourceType: {resource.get('resourceType')!r} is not a FHIR R4 resource type"]
    return [f"{path}: holds a NUL character, which no text of a twin may hold"
            for path in _nul_paths(resource, "")]


def _nul_paths(value: Any, path: str) -> Iterator[str]:
    """Where a NUL hides in a resource (R4 strings should not hold control characters, and
    the graph refuses it: caught here, the rest of the bundle still loads)."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "(resource)"
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _nul_paths(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _nul_paths(inner, f"{path}[{i}]")


def _messages(error: BaseException, prefix: str) -> Iterator[str]:
    if isinstance(error, FHIRValidationError):
        path = ".".join(p for p in (prefix, error.path or "") if p)
        for inner in error.errors:
            yield from _messages(inner, path)
        return
    message = _clean(str(error.args[0]) if error.args else str(error))
    path = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", prefix)
    yield f"{path}: {message}" if path else message


def _clean(message: str) -> str:
    """Without the model objects' reprs (memory addresses say nothing to the reader)."""
    return re.sub(r"\s+(?:on|for|in data for) <[^>]*>", "", message).strip()


class _BundleImport:
    """One bundle: validates, resolves references, maps each resource to its event (the
    `Links` the mappers see), and orders the events for recording."""

    def __init__(self, entries: list[Any], known: dict[str, list[int]], actor: str,
                 source: str, report: ImportReport) -> None:
        self.known = known
        self.actor = actor
        self.source = source
        self.report = report
        self.refs: dict[str, tuple[str, str]] = {}
        self.valid: dict[str, list[tuple[str, Json]]] = {t: [] for t in fm.SUPPORTED}
        self.shared: list[tuple[str, Json]] = []
        self.others: list[tuple[str, Json]] = []
        self.unplaced: list[tuple[str, Json, str]] = []
        self.texts: dict[tuple[str, str], str] = {}
        self.medications: dict[tuple[str, str], Json] = {}
        self.loaded: dict[tuple[str, str], str] = {}
        self.starts: dict[tuple[str, str], str] = {}
        self._read(entries)

    def _read(self, entries: list[Any]) -> None:
        seen: set[tuple[str, str]] = set()
        for i, entry in enumerate(entries):
            path = f"Bundle.entry[{i}]"
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                self._problem("(none)", path, "has no resource")
                continue
            try:
                text = fhir_json.dumps(resource)  # as it came, numbers as written
            except ValueError as exc:  # NaN or Infinity: not JSON, and not FHIR
                self._problem(str(resource.get("resourceType")), f"{path}.resource", str(exc))
                continue
            resource = fhir_json.plain(resource)
            kind, rid = str(resource.get("resourceType")), str(resource.get("id") or "")
            full_url = entry.get("fullUrl")
            if not rid and isinstance(full_url, str) and full_url.startswith("urn:uuid:"):
                rid = full_url.removeprefix("urn:uuid:")  # a transaction's own name for it
                resource = {**resource, "id": rid}
            label = f"{path}.resource ({kind}/{rid})"
            errors = validation_errors(resource)
            if not errors and not fv.is_fhir_id(rid):
                errors = ["id: a FHIR id is needed to import a resource idempotently"]
            if not errors and (kind, rid) in seen:
                errors = ["the bundle holds this resource twice"]
            if errors:
                for message in errors:
                    self._problem(None, label, message)
                self.report.count(kind).invalid += 1
                continue
            seen.add((kind, rid))
            self.refs[f"{kind}/{rid}"] = (kind, rid)
            if isinstance(full_url, str):
                self.refs[full_url] = (kind, rid)
            self.texts[(kind, rid)] = text
            if kind == "Medication":
                self.medications[(kind, rid)] = resource.get("code") or {}
            if kind in fm.SUPPORTED:
                self.valid[kind].append((label, resource))
            elif kind in fm.SHARED:
                self.shared.append((label, resource))
            else:
                self.others.append((label, resource))

    def _problem(self, kind: str | None, path: str, message: str) -> None:
        self.report.problems.append(Problem(self.source, path, message))
        if kind is not None:
            self.report.count(kind).invalid += 1

    def events(self) -> list[tuple[Event, str | None]]:
        """Every event of the bundle not yet in the ledger, in the order they must be
        recorded: patients, shared resources, stages by time, what hangs on stages, the
        patients' other resources, then which shared resources each patient's bundle named.
        Each is paired with the resource type it counts for (None: it is no resource)."""
        mapped: dict[str, list[tuple[Event, str]]] = {t: [] for t in fm.SUPPORTED}
        evidence: dict[tuple[str, str], str] = {}
        for kind in fm.SUPPORTED:
            for label, resource in self.valid[kind]:
                try:
                    event = replace(self._map(kind, resource, evidence),
                                    resource=self.texts[(kind, resource["id"])])
                    self._fits(event)
                except Rejected as exc:
                    if kind == "Patient":  # no twin to keep anything with
                        self._problem(kind, label, str(exc))
                    else:  # valid R4: kept whole all the same, beside the stages
                        self.unplaced.append((label, resource, str(exc)))
                    continue
                key = (kind, resource["id"])
                self.loaded[key] = _key_id(event)
                if isinstance(event, AdmissionImported):
                    self.starts[key] = event.at
                if isinstance(event, DiagnosisImported):
                    for ref in resource.get("evidence") or []:
                        for detail in ref.get("detail") or []:
                            target = self._resolve(detail)
                            if target is not None and target[0] == "Observation":
                                evidence.setdefault(target, event.stage_id)
                mapped[kind].append((event, kind))
        latest: dict[str, AdmissionImported] = {}
        for encounter, _ in mapped["Encounter"]:
            assert isinstance(encounter, AdmissionImported)
            if (encounter.patient_id not in latest
                    or latest[encounter.patient_id].at < encounter.at):
                latest[encounter.patient_id] = encounter
        mapped["Patient"] = [(_placed(e, latest), k) for e, k in mapped["Patient"]]
        for patient, _ in mapped["Patient"]:
            assert isinstance(patient, PatientImported)
            self.report.patients[patient.fhir_id] = patient.patient_id
        stages = sorted((item for kind in ("Encounter", "Condition", "Procedure")
                         for item in mapped[kind]), key=_time_order)
        shared = self._shared()
        others = self._others()
        ordered: list[tuple[Event, str | None]] = [
            *mapped["Patient"], *shared, *stages, *mapped["Observation"],
            *mapped["MedicationRequest"], *mapped["MedicationAdministration"], *others]
        ordered.extend(self._uses([e for e, _ in ordered]))
        fresh: list[tuple[Event, str | None]] = []
        for item in ordered:
            if _key_id(item[0]) in self.known:
                if item[1] is not None:
                    self.report.count(item[1]).unchanged += 1
            else:
                fresh.append(item)
        return fresh

    def _shared(self) -> list[tuple[Event, str | None]]:
        found: list[tuple[Event, str | None]] = []
        for label, resource in self.shared:
            kind, rid = str(resource["resourceType"]), str(resource["id"])
            text = self.texts[(kind, rid)]
            # Kept once per content: two sources may send one id with different content
            # (a later version, or another system's), and each twin must get back its own.
            version = hashlib.sha256(text.encode()).hexdigest()[:32]
            node = fv.child_id(fv.node_id(kind, rid), f"version/{version}")
            event = SharedResourceImported(
                node_id=node, fhir_id=rid, resource_type=kind, imported_by=self.actor,
                resource=text, name=fm.shared_display(resource))
            try:
                self._fits(event)
            except Rejected as exc:
                self._problem(kind, label, str(exc))
                continue
            self.loaded[(kind, rid)] = node
            found.append((event, kind))
        return found

    def _others(self) -> list[tuple[Event, str | None]]:
        """The patients' resources of the types the stages do not hold, each kept whole on
        a node of its patient, with the fields it is found by."""
        found: list[tuple[Event, str | None]] = []
        patients = [node for (kind, _), node in self.loaded.items() if kind == "Patient"]
        for label, resource, why in [*((label, r, "") for label, r in self.others),
                                     *self.unplaced]:
            kind, rid = str(resource["resourceType"]), str(resource["id"])
            try:
                owner = self._owner(resource, patients)
                event = fm.other(resource, self.own(resource), owner, self.actor,
                                 self.texts[(kind, rid)])
                self._fits(event)
            except Rejected as exc:
                self._problem(kind, label, f"{why}; {exc}" if why else str(exc))
                continue
            if why:
                self.report.notes.append(Problem(
                    self.source, label, f"kept whole, not in the twin's stages: {why}"))
            self.loaded[(kind, rid)] = event.node_id
            found.append((event, kind))
        return found

    def _fits(self, event: Event) -> None:
        """Rejected if `event` would not be one ledger entry: a resource too large is
        refused alone, with its path, and the rest of its bundle loads. Refused, not split
        across entries: a resource is one node of the graph and one entry of its history,
        and the bound (about 45,000 characters) is far above what a record holds but for
        a Provenance listing a very long history."""
        oversized = imports.too_large(event, self.actor)
        if oversized is not None:
            raise Rejected(oversized)

    def _owner(self, resource: Json, patients: list[str]) -> str:
        """The patient a resource names (subject, patient, beneficiary); for one that names
        none (a Provenance, a Medication), the one patient of its bundle."""
        for name in ("subject", "patient", "beneficiary"):
            reference = resource.get(name)
            if isinstance(reference, dict) and self._resolve(reference, "Patient") is not None:
                node = self.node("Patient", reference)
                if node is None:
                    raise Rejected(f"{name}: names no Patient of this bundle or of the twins")
                return node
        if len(patients) == 1:
            return patients[0]
        raise Rejected("names no Patient, and its bundle holds not exactly one to keep it with")

    def _uses(self, events: list[Event]) -> list[tuple[Event, str | None]]:
        """Each patient of the bundle names the shared resources the bundle came with."""
        if not self.shared:
            return []
        nodes = tuple(sorted(self.loaded[(str(r["resourceType"]), str(r["id"]))]
                             for _, r in self.shared))
        patients = sorted({e.patient_id for e in events if isinstance(e, _OWNED)})
        digest = hashlib.sha256("\n".join(nodes).encode()).hexdigest()
        return [(SharedResourcesUsed(patient_id=patient, link_id=fv.child_id(
            patient, f"uses/{digest}"), shared=nodes, imported_by=self.actor), None)
            for patient in patients]

    def _map(self, kind: str, resource: Json,
             evidence: dict[tuple[str, str], str]) -> _Mapped:
        if kind == "Patient":
            if not resource.get("birthDate"):
                raise Rejected("birthDate: a twin needs the patient's birth date")
            born = fv.moment("birthDate", resource["birthDate"])
            return fm.patient(resource, self, self.actor, born, None)
        if kind == "Encounter":
            return fm.admission(resource, self, self.actor)
        if kind == "Condition":
            return fm.diagnosis(resource, self, self.actor)
        if kind == "Procedure":
            return fm.surgery(resource, self, self.actor)
        if kind == "Observation":
            return fm.observation(resource, self, self.actor, self._stage_of(resource, evidence))
        if kind == "MedicationRequest":
            return fm.prescription(resource, self, self.actor)
        return fm.administration(resource, self, self.actor)

    def _stage_of(self, resource: Json, evidence: dict[tuple[str, str], str]) -> str:
        """Evidence for a condition: its Diagnosis; part of a procedure: its Surgery; else the
        Admission of its encounter."""
        if ("Observation", resource["id"]) in evidence:
            return evidence[("Observation", resource["id"])]
        for part in resource.get("partOf") or []:
            surgery = self.node("Procedure", part)
            if surgery is not None:
                return surgery
        admission = self.node("Encounter", resource.get("encounter"))
        if admission is None:
            raise Rejected("encounter: names no loaded Encounter, and the observation needs "
                           "the stage it belongs to")
        return admission

    # Links, for the mappers

    def own(self, resource: Json) -> str:
        """A resource whose id is already a node of this server (an export of a twin made
        here) is that node; any other becomes the node derived from its type and id."""
        rid = str(resource["id"])
        return rid if rid in self.known else fv.node_id(str(resource["resourceType"]), rid)

    def patient(self, resource: Json) -> str:
        reference = resource.get("subject") or resource.get("patient")
        node = self.node("Patient", reference)
        if node is None:
            raise Rejected("subject: names no Patient of this bundle or of the twins")
        return node

    def node(self, resource_type: str, reference: Json | None) -> str | None:
        target = self._resolve(reference, resource_type)
        if target is None or target[0] != resource_type:
            return None
        if target in self.loaded:
            return self.loaded[target]
        for candidate in (target[1], fv.node_id(*target)):
            if candidate in self.known:
                return candidate
        return None

    def start(self, reference: Json | None) -> str | None:
        target = self._resolve(reference)
        return self.starts.get(target) if target is not None else None

    def medication(self, reference: Json | None) -> Json | None:
        target = self._resolve(reference)
        return self.medications.get(target) if target is not None else None

    def _resolve(self, reference: Json | None,
                 expected: str | None = None) -> tuple[str, str] | None:
        """(type, id) of a reference: a fullUrl of this bundle, `Type/id` (relative or
        absolute), or `urn:uuid:id` of a resource of an earlier bundle, of the type expected."""
        text = (reference or {}).get("reference")
        if not isinstance(text, str):
            return None
        if text in self.refs:
            return self.refs[text]
        match = _REFERENCE.search(text)
        if match:
            return match.group(1), match.group(2)
        if expected is not None and text.startswith("urn:uuid:"):
            return expected, text.removeprefix("urn:uuid:")
        return None


def _placed(event: Event, latest: dict[str, AdmissionImported]) -> Event:
    """The patient with the start and end of their latest encounter, what patient lists sort
    on; a patient without encounters keeps their birth."""
    assert isinstance(event, PatientImported)
    admission = latest.get(event.patient_id)
    if admission is None:
        return event
    return replace(event, admitted_at=admission.at, discharged_at=admission.ended_at)


def _key_id(event: Event) -> str:
    """The node an event creates: present in the ledger's subjects once it is recorded."""
    if isinstance(event, ObservationImported):
        return event.observations[0].id
    if isinstance(event, PatientImported):
        return event.patient_id
    if isinstance(event, _STAGE_EVENTS):
        return event.stage_id
    if isinstance(event, PrescriptionImported | AdministrationImported):
        return event.transaction_id
    if isinstance(event, ResourceImported | SharedResourceImported):
        return event.node_id
    if isinstance(event, SharedResourcesUsed):
        return event.link_id
    raise TypeError(f"not an event of the FHIR import: {event.kind}")


_STAGE_NAMES = {AdmissionImported: "ADMISSION", DiagnosisImported: "DIAGNOSIS",
                SurgeryImported: "SURGERY"}


def _time_order(item: tuple[Event, str]) -> tuple[str, str, str]:
    """Stages by time; at the same time, admission before diagnosis before surgery (the order
    the projection keeps too: it compares the stage names, which sort that way)."""
    event = item[0]
    assert isinstance(event, _STAGE_EVENTS)
    return (event.at, _STAGE_NAMES[type(event)], event.stage_id)
