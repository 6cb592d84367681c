// All patient records, paged, filtered by status and stage and searched by name or MRN on
// the server (the browser never holds more than one page). The filters live in the URL, so
// coming back from "assign a physician" finds the same list.
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { PatientRecordsDocument, type PatientStatus, type StageKind } from "../gql/graphql";
import { FilterForm, SelectField, TextField, text } from "../shared/form";
import { STAGE_OPTIONS, STATUS_OPTIONS, stageName, when } from "../shared/format";
import { PagedTable } from "../shared/DataTable";
import { Page } from "../shared/Page";
import { usePages } from "../shared/Pager";

const PAGE = 20;

export function PatientRecords() {
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const status = (params.get("status") ?? "") as "" | PatientStatus;
  const stage = (params.get("stage") ?? "") as "" | StageKind;
  const pages = usePages();
  const [{ data, fetching, error, operation }] = useQuery({
    query: PatientRecordsDocument,
    variables: {
      first: PAGE,
      after: pages.after,
      filter: { search: search || null, status: status || null, currentStage: stage || null },
    },
  });
  // The caption says which filter the rows shown answer (the previous page stays on screen
  // while the next one loads).
  const shown = operation?.variables.filter;

  function apply(form: FormData) {
    const next = new URLSearchParams();
    for (const [key, name] of [["q", "filter.search"], ["status", "filter.status"], ["stage", "filter.currentStage"]]) {
      const value = text(form, name);
      if (value) next.set(key, value);
    }
    pages.reset();
    setParams(next);
  }

  return (
    <Page title="Patient records">
      <FilterForm
        id="patient-filter"
        error={error}
        onSubmit={apply}
      >
        <TextField name="filter.search" label="Name or MRN" type="search" defaultValue={search} key={`q-${search}`} />
        <SelectField
          name="filter.status"
          label="Status"
          defaultValue={status}
          key={`s-${status}`}
          empty="Any status"
          options={STATUS_OPTIONS}
        />
        <SelectField
          name="filter.currentStage"
          label="Stage"
          defaultValue={stage}
          key={`t-${stage}`}
          empty="Any stage"
          options={STAGE_OPTIONS}
        />
      </FilterForm>
      <PagedTable
        page={data?.patientRecords}
        fetching={fetching}
        pages={pages}
        liveCaption
        caption={(page) => (
          <>
            {page.totalCount} {page.totalCount === 1 ? "patient" : "patients"}
            {shown?.search ? ` matching “${shown.search}”` : ""}
            {shown?.status ? ` · ${shown.status.toLowerCase()}` : ""}
            {shown?.currentStage ? ` · in ${stageName(shown.currentStage).toLowerCase()}` : ""}
            {fetching ? " · updating…" : ", most recently admitted first"}
          </>
        )}
        rowKey={(r) => r.patient.id}
        columns={[
          { header: "Patient", rowHeader: true, cell: ({ patient }) => `${patient.familyName}, ${patient.givenName}` },
          { header: "MRN", cell: ({ patient }) => patient.mrn ?? "—" },
          { header: "Born", cell: ({ patient }) => patient.birthDate },
          {
            header: "Status",
            cell: ({ patient }) => `${patient.status.toLowerCase()}${patient.dischargedAt ? ` ${when(patient.dischargedAt)}` : ""}`,
          },
          { header: "Stage", cell: ({ patient }) => stageName(patient.currentStage) },
          { header: "Admitted", cell: ({ patient }) => when(patient.admittedAt) },
          {
            header: "Diagnoses",
            cell: ({ solutions }) =>
              solutions.flatMap((s) => s.diagnosis.diseases).map((d) => (
                <span key={d.code} className="code-chip" title={d.display}>
                  {d.code} {d.display}
                </span>
              )),
          },
          {
            header: "Treatments",
            cell: ({ solutions }) => solutions.flatMap((s) => s.treatments).map((t) => `${t.medication.name}${t.status === "STOPPED" ? " (stopped)" : ""}`).join(", ") || "—",
          },
          {
            header: "Care team",
            cell: ({ patient }) => (
              <Link to={`/admin/patients/${patient.id}/assign`} aria-label={`Assign a physician to ${patient.givenName} ${patient.familyName}`}>
                Assign a physician
              </Link>
            ),
          },
        ]}
      />
    </Page>
  );
}
