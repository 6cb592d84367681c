"""One typed function per read statement of `graph/cypher/`: its parameters by name, its rows
as TypedDicts (graph/rows.py), so that a caller needs no statement name and no guess at a
row's shape. Why TypedDicts: a row stays the plain dict the store returns (nothing is
copied), and mypy checks every key a caller reads.

Patient-scoped reads take a `Visibility` (who reads, and which patients they may see); the
statement filters on it, so that checking access and reading are one store call. Listings
read by key (keyset pages) pick their `_all` statement when the caller may read every
patient, so that a physician's page costs what their own list costs, not the hospital's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict, cast

from graph.rows import (
    AccessRow,
    AdmissionNotes,
    BreakGlassRow,
    ConsentRow,
    CredentialsRow,
    DayDiagnoses,
    DiagnosisRow,
    DiseaseCounts,
    DiseaseFound,
    DiseaseKnowledgeRow,
    DiseasePathRow,
    DiseasePatients,
    DiseaseRecordRow,
    ErasedPatientRow,
    ErasureRequestRow,
    FhirResourcesRow,
    Interaction,
    InvitationRow,
    MedicationCounts,
    MedicationFound,
    MedicationKnowledgeRow,
    OpenGrant,
    PatientListRow,
    PatientRow,
    PatientStateRow,
    PrescribedForDisease,
    PrescriptionRow,
    PrincipalUser,
    RelatedDisease,
    SharingConsent,
    SolutionsRow,
    StagePatients,
    SurgeryRow,
    TransactionRow,
    TwinRow,
    UserRow,
    VisibleRow,
)
from graph.store import GraphStore, Row


class Visibility(TypedDict):
    """Whose patients a caller may read: `scope` 'all' (every patient), 'care' (those they
    care for, and `granted` by a break-glass access still running) or 'brought_in' (those a
    transport crew brought in); `viewer` is the caller's user id."""

    scope: Literal["all", "care", "brought_in"]
    viewer: str
    granted: list[str]


EVERYONE: Visibility = {"scope": "all", "viewer": "", "granted": []}
"""The visibility of the server's own reads (the command line's export, rebuilds, tests)."""


# -- people ---------------------------------------------------------------------------------


async def user(store: GraphStore, user_id: str) -> UserRow | None:
    return cast(UserRow | None, await _one(store, "user_get", {"user_id": user_id}))


async def user_by_username(store: GraphStore, username: str) -> CredentialsRow | None:
    row = await _one(store, "user_by_username", {"username": username})
    return cast(CredentialsRow | None, row)


async def principals(store: GraphStore) -> list[PrincipalUser]:
    """Every user, as a token's holder is checked: read once at start (api/auth/principals.py
    keeps them current from then on)."""
    return [cast(PrincipalUser, row["user"]) for row in await store.read("principals_all")]


async def break_glass_open(store: GraphStore, now: str) -> list[OpenGrant]:
    """Every break-glass access still running at `now`."""
    return cast(list[OpenGrant], await store.read("break_glass_open", {"now": now}))


async def sharing_consents(store: GraphStore) -> list[SharingConsent]:
    """Every patient's consent, still granted, to share their twin with a physician."""
    return cast(list[SharingConsent], await store.read("sharing_consents_granted"))


async def invitation(store: GraphStore, code_hash: str) -> InvitationRow | None:
    """The patient invitation whose code has this SHA-256 (hex), used or not."""
    row = await _one(store, "invitation_by_code_hash", {"code_hash": code_hash})
    return cast(InvitationRow | None, row)


async def physician_status(store: GraphStore, user_id: str) -> str | None:
    """The account status of a physician; None when `user_id` is no physician."""
    row = await _one(store, "physician_status", {"user_id": user_id})
    return None if row is None else cast(str, row["status"])


async def users_page(store: GraphStore, *, role: str | None, status: str | None,
                     after: str | None, limit: int) -> list[UserRow]:
    """Users by username after `after`, filtered by role and status when given."""
    params = {"role": role, "status": status, "after": after, "limit": limit}
    return cast(list[UserRow], await store.read("users_page", params))


async def users_count(store: GraphStore, *, role: str | None, status: str | None) -> int:
    return await _count(store, "users_count", {"role": role, "status": status})


# -- patients -------------------------------------------------------------------------------


async def patient(store: GraphStore, patient_id: str) -> PatientRow | None:
    """The patient node, whoever asks: for rules that need it, not for showing it."""
    row = await _one(store, "patient_get", {"patient_id": patient_id})
    return cast(PatientRow | None, row)


async def erased_patient(store: GraphStore, patient_id: str) -> ErasedPatientRow | None:
    """The tombstone an erasure left for this id, if it was erased."""
    row = await _one(store, "erased_patient_get", {"patient_id": patient_id})
    return cast(ErasedPatientRow | None, row)


async def patient_nodes(store: GraphStore, patient_id: str) -> int:
    """How many nodes still hold this patient: their Patient node and every node naming
    them by `patient_id` (an erasure leaves none)."""
    [row] = await store.read("patient_nodes_count", {"patient_id": patient_id})
    return int(row["nodes"])


async def patient_visible(store: GraphStore, visibility: Visibility, patient_id: str) -> bool:
    """Whether the caller may read this patient (an unknown patient is not visible)."""
    return await patient_grounds(store, visibility, patient_id) is not None


async def patient_grounds(store: GraphStore, visibility: Visibility,
                          patient_id: str) -> str | None:
    """On what grounds the caller may read this patient (VisibleRow), None if they may not.
    A care relation counts only while the patient has not refused treatment consent."""
    row = await _one(store, "patient_visible", {**visibility, "patient_id": patient_id})
    return None if row is None else cast(VisibleRow, row)["grounds"]


async def access_history_page(store: GraphStore, patient_id: str,
                              after: tuple[str, str] | None, limit: int) -> list[AccessRow]:
    """Reads of the patient's twin, newest first, after (at, id)."""
    after_at, after_id = after or (None, None)
    rows = await store.read("access_history_page", {
        "patient_id": patient_id, "after_at": after_at, "after_id": after_id, "limit": limit})
    return cast(list[AccessRow], rows)


async def access_history_count(store: GraphStore, patient_id: str) -> int:
    return await _count(store, "access_history_count", {"patient_id": patient_id})


async def consents(store: GraphStore, patient_id: str) -> list[ConsentRow]:
    """The patient's consents, one per purpose (and recipient), as last changed."""
    return cast(list[ConsentRow], await store.read("consents_get", {"patient_id": patient_id}))


async def erasure_requests(store: GraphStore, limit: int) -> list[ErasureRequestRow]:
    """Patients' requests to be erased, newest first (a request goes with its patient)."""
    return cast(list[ErasureRequestRow],
                await store.read("erasure_requests_list", {"limit": limit}))


async def erasure_request(store: GraphStore, patient_id: str) -> ErasureRequestRow | None:
    """The patient's open request to be erased, if they made one."""
    row = await _one(store, "erasure_request_get", {"patient_id": patient_id})
    return cast(ErasureRequestRow | None, row)


async def patient_state(store: GraphStore, visibility: Visibility,
                        patient_id: str) -> PatientStateRow | None:
    """The patient's status and latest stage, if the caller may read them; else None."""
    row = await _one(store, "patient_state", {**visibility, "patient_id": patient_id})
    return cast(PatientStateRow | None, row)


async def twin(store: GraphStore, visibility: Visibility, patient_id: str) -> TwinRow | None:
    """A whole twin in one read, if the caller may read it; else None, as for no patient."""
    row = await _one(store, "twin_get", {**visibility, "patient_id": patient_id})
    return cast(TwinRow | None, row)


STAGE_LABELS = {"Admission": "ADMISSION", "Diagnosis": "DIAGNOSIS", "Surgery": "SURGERY"}


def stage_kind(row: Mapping[str, Any]) -> str | None:
    """ADMISSION, DIAGNOSIS or SURGERY: a stage's `stage` property, else its label (a graph
    written by another tool may carry only the label)."""
    if row.get("stage"):
        return str(row["stage"])
    return next((STAGE_LABELS[label] for label in row.get("labels") or []
                 if label in STAGE_LABELS), None)


async def fhir_resources_of_patient(store: GraphStore, patient_id: str) -> FhirResourcesRow:
    """The imported resources the stages do not hold: the patient's own and the shared ones
    (an Organization, a Practitioner) their bundles named."""
    row = await _one(store, "fhir_resources_of_patient", {"patient_id": patient_id})
    return cast(FhirResourcesRow, row or {"own": [], "shared": []})


async def patient_solutions(store: GraphStore, patient_ids: list[str]) -> list[SolutionsRow]:
    """The diagnoses and treatments of several patients at once (a DataLoader's batch)."""
    rows = await store.read("patient_solutions", {"patient_ids": patient_ids})
    return cast(list[SolutionsRow], rows)


class PatientFilter(TypedDict):
    status: str | None
    stage: str | None
    admitted_after: str | None
    admitted_before: str | None
    search: str | None


async def patients_page(store: GraphStore, visibility: Visibility, where: PatientFilter,
                        after: tuple[str, str] | None, limit: int) -> list[PatientListRow]:
    """Patients the caller may read, latest admitted first, after (admitted_at, id)."""
    rows = await _page(store, _scoped(visibility, "patients_page", "patients_page_all"),
                       visibility, {**where}, after, limit)
    return cast(list[PatientListRow], rows)


async def patients_count(store: GraphStore, visibility: Visibility,
                         where: PatientFilter) -> int:
    return await _count(store, _scoped(visibility, "patients_count", "patients_count_all"),
                        {**visibility, **where})


# -- care -----------------------------------------------------------------------------------


async def diagnosis(store: GraphStore, stage_id: str) -> DiagnosisRow | None:
    return cast(DiagnosisRow | None, await _one(store, "diagnosis_get", {"stage_id": stage_id}))


async def surgery(store: GraphStore, stage_id: str) -> SurgeryRow | None:
    """A surgery stage and the times of the phases recorded so far."""
    return cast(SurgeryRow | None, await _one(store, "surgery_get", {"stage_id": stage_id}))


async def prescription(store: GraphStore, transaction_id: str) -> PrescriptionRow | None:
    """A prescription, its medication and when it was last given (None if never)."""
    row = await _one(store, "prescription_get", {"transaction_id": transaction_id})
    return cast(PrescriptionRow | None, row)


# -- medications ----------------------------------------------------------------------------


async def medication_count(store: GraphStore) -> MedicationCounts:
    [row] = await store.read("medication_count")
    return cast(MedicationCounts, row)


async def medication_interactions_for_patient(store: GraphStore, patient_id: str,
                                              key: str) -> list[Interaction]:
    """The patient's active prescriptions that interact with medication `key`."""
    rows = await store.read("medication_interactions_for_patient",
                            {"patient_id": patient_id, "key": key})
    return cast(list[Interaction], rows)


async def medication_interactions_among(store: GraphStore, key: str,
                                        keys: list[str]) -> list[Interaction]:
    """The medications among `keys` that interact with medication `key`."""
    rows = await store.read("medication_interactions_among", {"key": key, "keys": keys})
    return cast(list[Interaction], rows)


async def patient_admissions_noted(store: GraphStore, patient_id: str) -> list[AdmissionNotes]:
    """The allergies and home medications noted at each admission, oldest first."""
    rows = await store.read("patient_admissions_noted", {"patient_id": patient_id})
    return cast(list[AdmissionNotes], rows)


async def medication_search(store: GraphStore, code: str, words: list[str],
                            limit: int) -> list[MedicationFound]:
    """Medications whose code is `code` or whose name holds every word, the code first."""
    rows = await store.read("medication_search", {"code": code, "words": words,
                                                  "limit": limit})
    return cast(list[MedicationFound], rows)


async def disease_search_code(store: GraphStore, key_prefix: str,
                              limit: int) -> list[DiseaseFound]:
    """Diseases whose key starts with `key_prefix`, shortest codes first."""
    rows = await store.read("disease_search_code", {"key_prefix": key_prefix, "limit": limit})
    return cast(list[DiseaseFound], rows)


async def disease_search_words(store: GraphStore, system: str, words: list[str],
                               limit: int) -> list[DiseaseFound]:
    """Diseases of `system` whose name holds every word (the last as a prefix), by each
    backend's full-text index."""
    rows = await store.read("disease_search_words", {"system": system, "words": words,
                                                     "limit": limit})
    return cast(list[DiseaseFound], rows)


async def medication_knowledge(store: GraphStore, key: str) -> MedicationKnowledgeRow | None:
    row = await _one(store, "medication_knowledge", {"key": key})
    return cast(MedicationKnowledgeRow | None, row)


class TransactionFilter(TypedDict):
    patient_id: str | None
    kind: str | None
    medication_code: str | None


async def medication_transactions_page(
    store: GraphStore, visibility: Visibility, where: TransactionFilter,
    after: tuple[str, str] | None, limit: int,
) -> list[TransactionRow]:
    """Transactions of the patients the caller may read, latest first, after (at, id)."""
    statement = _scoped(visibility, "medication_transactions_page",
                        "medication_transactions_page_all")
    rows = await _page(store, statement, visibility, {**where}, after, limit)
    return cast(list[TransactionRow], rows)


async def medication_transactions_count(store: GraphStore, visibility: Visibility,
                                        where: TransactionFilter) -> int:
    return await _count(store, _scoped(visibility, "medication_transactions_count",
                                       "medication_transactions_count_all"),
                        {**visibility, **where})


# -- diseases -------------------------------------------------------------------------------


async def disease_count(store: GraphStore, system: str) -> DiseaseCounts:
    """How many diseases of a code system are loaded, and IS_A links among them."""
    [row] = await store.read("disease_count", {"system": system})
    return cast(DiseaseCounts, row)


async def disease_knowledge(store: GraphStore, key: str) -> DiseaseKnowledgeRow | None:
    return cast(DiseaseKnowledgeRow | None, await _one(store, "disease_knowledge", {"key": key}))


async def disease_ancestors(store: GraphStore, key: str) -> list[RelatedDisease]:
    """Every ancestor by IS_A (at most 16 levels up), nearest first."""
    return cast(list[RelatedDisease], await store.read("disease_ancestors", {"key": key}))


async def disease_descendants(store: GraphStore, key: str, limit: int) -> list[RelatedDisease]:
    rows = await store.read("disease_descendants", {"key": key, "limit": limit})
    return cast(list[RelatedDisease], rows)


async def disease_path(store: GraphStore, from_key: str, to_key: str,
                       max_length: int) -> DiseasePathRow | None:
    """The shortest IS_A route between two diseases through a common ancestor, if any."""
    row = await _one(store, "disease_path",
                     {"from_key": from_key, "to_key": to_key, "max_length": max_length})
    return cast(DiseasePathRow | None, row)


async def disease_co_occurring(store: GraphStore, visibility: Visibility, key: str,
                               limit: int) -> list[DiseasePatients]:
    """Other diseases diagnosed in the caller's patients who have disease `key`."""
    rows = await store.read("disease_co_occurring", {**visibility, "key": key, "limit": limit})
    return cast(list[DiseasePatients], rows)


async def disease_medications_prescribed(store: GraphStore, visibility: Visibility,
                                         keys: list[str]) -> list[PrescribedForDisease]:
    rows = await store.read("disease_medications_prescribed", {**visibility, "keys": keys})
    return cast(list[PrescribedForDisease], rows)


async def disease_records_page(store: GraphStore, after: str | None,
                               limit: int) -> list[DiseaseRecordRow]:
    """Diseases whose record hash was generated, by key after `after`."""
    rows = await store.read("disease_records_page", {"after": after, "limit": limit})
    return cast(list[DiseaseRecordRow], rows)


async def disease_records_count(store: GraphStore) -> int:
    return await _count(store, "disease_records_count", {})


class Period(TypedDict):
    """`from` inclusive, `to` exclusive; None leaves that end open."""

    start: str | None
    end: str | None


def _period(period: Period) -> dict[str, str | None]:
    return {"from": period["start"], "to": period["end"]}


async def disease_results_per_disease(store: GraphStore, visibility: Visibility,
                                      period: Period, limit: int) -> list[DiseasePatients]:
    rows = await store.read("disease_results_per_disease",
                            {**visibility, **_period(period), "limit": limit})
    return cast(list[DiseasePatients], rows)


async def disease_results_per_stage(store: GraphStore, visibility: Visibility,
                                    period: Period) -> list[StagePatients]:
    rows = await store.read("disease_results_per_stage", {**visibility, **_period(period)})
    return cast(list[StagePatients], rows)


async def disease_results_over_time(store: GraphStore, visibility: Visibility,
                                    period: Period) -> list[DayDiagnoses]:
    rows = await store.read("disease_results_over_time", {**visibility, **_period(period)})
    return cast(list[DayDiagnoses], rows)


# -- audit ----------------------------------------------------------------------------------


async def break_glass_page(store: GraphStore, after: tuple[str, str] | None,
                           limit: int) -> list[BreakGlassRow]:
    """Break-glass accesses, latest first, after (at, id), each with the user who used it."""
    after_at, after_id = after or (None, None)
    rows = await store.read("break_glass_page",
                            {"after_at": after_at, "after_id": after_id, "limit": limit})
    return cast(list[BreakGlassRow], rows)


async def break_glass_count(store: GraphStore) -> int:
    return await _count(store, "break_glass_count", {})


# -- helpers --------------------------------------------------------------------------------


async def _one(store: GraphStore, statement: str, params: dict[str, Any]) -> Row | None:
    rows = await store.read(statement, params)
    return rows[0] if rows else None


async def _count(store: GraphStore, statement: str, params: dict[str, Any]) -> int:
    [row] = await store.read(statement, params)
    return int(row["count"])


async def _page(store: GraphStore, statement: str, visibility: Visibility,
                where: dict[str, Any], after: tuple[str, str] | None, limit: int) -> list[Row]:
    """A keyset page of a patient-scoped listing, newest first, after (at, id)."""
    after_at, after_id = after or (None, None)
    params = {**visibility, **where, "after_at": after_at, "after_id": after_id, "limit": limit}
    return await store.read(statement, params)


def _scoped(visibility: Visibility, statement: str, everyone: str) -> str:
    """The form of a listing for a caller who reads every patient (`everyone`), which starts
    from all patients rather than from the caller's own."""
    return everyone if visibility["scope"] == "all" else statement
