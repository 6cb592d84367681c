// My patients: the patients the server lets me read, newest admission first, a page at a
// time, filtered by stage and status (the server filters: a filter reveals nothing hidden).
import { useState } from "react";
import { Link } from "react-router";
import { useQueryParams } from "./params";
import { useQuery } from "urql";
import { MyPatientsDocument, type PatientFilter, type PatientStatus, type StageKind } from "../gql/graphql";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { patientName } from "./patient";
import { when } from "./scale";

const PAGE = 20;

export function PatientsPage() {
  const [params, setParams] = useQueryParams();
  const stage = (params.get("stage") || null) as StageKind | null;
  const status = (params.get("status") || null) as PatientStatus | null;
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const filter: PatientFilter = { currentStage: stage, status };
  const [{ data, fetching, error }] = useQuery({ query: MyPatientsDocument, variables: { first: PAGE, after, filter } });

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    setCursors([null]);
  }

  const page = data?.patients;
  return (
    <Page title="My patients">
      <form className="toolbar" aria-label="Filter my patients" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-stage">Stage</label>
          <select id="filter-stage" value={stage ?? ""} onChange={(e) => setFilter("stage", e.target.value)}>
            <option value="">Any stage</option>
            <option value="ADMISSION">Admission</option>
            <option value="DIAGNOSIS">Diagnosis</option>
            <option value="SURGERY">Surgery</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={status ?? ""} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">Any status</option>
            <option value="ADMITTED">Admitted</option>
            <option value="DISCHARGED">Discharged</option>
          </select>
        </div>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !page ? <Loading /> : null}
      {page ? (
        page.edges.length === 0 ? (
          <p role="status">No patient in your care matches.</p>
        ) : (
          <>
            <div className="table-wrap">
              <table data-total={page.totalCount}>
                <caption>
                  {page.totalCount} {page.totalCount === 1 ? "patient" : "patients"} in your care
                  {stage || status ? " matching the filter" : ""}; page {cursors.length}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Patient</th>
                    <th scope="col">MRN</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Status</th>
                    <th scope="col">Admitted</th>
                  </tr>
                </thead>
                <tbody>
                  {page.edges.map(({ node }) => (
                    <tr key={node.id} data-patient-id={node.id}>
                      <th scope="row">
                        <Link to={`/physician/patients/${node.id}`}>{patientName(node)}</Link>
                      </th>
                      <td>{node.mrn ?? "—"}</td>
                      <td>{node.currentStage ? node.currentStage.toLowerCase() : "—"}</td>
                      <td>{node.status.toLowerCase()}</td>
                      <td>{when(node.admittedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="pager">
              <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Previous page
              </button>
              <button
                type="button"
                disabled={!page.pageInfo.hasNextPage}
                onClick={() => setCursors((c) => [...c, page.pageInfo.endCursor ?? null])}
              >
                Next page
              </button>
            </div>
          </>
        )
      ) : null}
    </Page>
  );
}
