// All patient records, paged, filtered by status and stage and searched by name or MRN on
// the server (the browser never holds more than one page). The filters live in the URL, so
// coming back from "assign a physician" finds the same list.
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { PatientRecordsDocument, type PatientStatus, type StageKind } from "../gql/graphql";
import { formErrors } from "../shared/errors";
import { ApiForm, SelectField, TextField, text } from "../shared/form";
import { stageName, when } from "../shared/format";
import { Loading, Page } from "../shared/Page";
import { Pager, usePages } from "../shared/Pager";

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
  const page = data?.patientRecords;
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
      <ApiForm
        id="patient-filter"
        className="form toolbar"
        errors={formErrors(error)}
        busy={false}
        submitLabel="Show"
        onSubmit={apply}
      >
        <TextField name="filter.search" label="Name or MRN" type="search" defaultValue={search} key={`q-${search}`} />
        <SelectField
          name="filter.status"
          label="Status"
          defaultValue={status}
          key={`s-${status}`}
          empty="Any status"
          options={[
            { value: "ADMITTED", label: "Admitted" },
            { value: "DISCHARGED", label: "Discharged" },
          ]}
        />
        <SelectField
          name="filter.currentStage"
          label="Stage"
          defaultValue={stage}
          key={`t-${stage}`}
          empty="Any stage"
          options={[
            { value: "ADMISSION", label: "Admission" },
            { value: "DIAGNOSIS", label: "Diagnosis" },
            { value: "SURGERY", label: "Surgery" },
          ]}
        />
      </ApiForm>
      {fetching && !page ? <Loading /> : null}
      {page ? (
        <div className="table-wrap">
          <table>
            <caption aria-live="polite">
              {page.totalCount} {page.totalCount === 1 ? "patient" : "patients"}
              {shown?.search ? ` matching “${shown.search}”` : ""}
              {shown?.status ? ` · ${shown.status.toLowerCase()}` : ""}
              {shown?.currentStage ? ` · in ${stageName(shown.currentStage).toLowerCase()}` : ""}
              {fetching ? " · updating…" : ", most recently admitted first"}
            </caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">MRN</th>
                <th scope="col">Born</th>
                <th scope="col">Status</th>
                <th scope="col">Stage</th>
                <th scope="col">Admitted</th>
                <th scope="col">Diagnoses</th>
                <th scope="col">Treatments</th>
                <th scope="col">Care team</th>
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node: { patient, solutions } }) => (
                <tr key={patient.id}>
                  <th scope="row">
                    {patient.familyName}, {patient.givenName}
                  </th>
                  <td>{patient.mrn ?? "—"}</td>
                  <td>{patient.birthDate}</td>
                  <td>
                    {patient.status.toLowerCase()}
                    {patient.dischargedAt ? ` ${when(patient.dischargedAt)}` : ""}
                  </td>
                  <td>{stageName(patient.currentStage)}</td>
                  <td>{when(patient.admittedAt)}</td>
                  <td>
                    {solutions.flatMap((s) => s.diagnosis.diseases).map((d) => (
                      <span key={d.code} className="code-chip" title={d.display}>
                        {d.code} {d.display}
                      </span>
                    ))}
                  </td>
                  <td>{solutions.flatMap((s) => s.treatments).map((t) => `${t.medication.name}${t.status === "STOPPED" ? " (stopped)" : ""}`).join(", ") || "—"}</td>
                  <td>
                    <Link to={`/admin/patients/${patient.id}/assign`} aria-label={`Assign a physician to ${patient.givenName} ${patient.familyName}`}>
                      Assign a physician
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager pages={pages} pageInfo={page?.pageInfo} />
    </Page>
  );
}
