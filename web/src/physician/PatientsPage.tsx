// My patients: the patients the server lets me read, newest admission first, a page at a
// time, filtered by stage and status (the server filters: a filter reveals nothing hidden).
import { Link } from "react-router";
import { useQueryParams } from "./params";
import { useQuery } from "urql";
import { MyPatientsDocument, type PatientFilter, type PatientStatus, type StageKind } from "../gql/graphql";
import { PagedTable } from "../shared/DataTable";
import { FilterSelect } from "../shared/form";
import { STAGE_OPTIONS, STATUS_OPTIONS } from "../shared/format";
import { Page } from "../shared/Page";
import { usePages } from "../shared/Pager";
import { patientName } from "./patient";
import { when } from "./scale";

const PAGE = 20;

export function PatientsPage() {
  const [params, setParams] = useQueryParams();
  const stage = (params.get("stage") || null) as StageKind | null;
  const status = (params.get("status") || null) as PatientStatus | null;
  const pages = usePages();
  const filter: PatientFilter = { currentStage: stage, status };
  const [{ data, fetching, error }] = useQuery({ query: MyPatientsDocument, variables: { first: PAGE, after: pages.after, filter } });

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    pages.reset();
  }

  return (
    <Page title="My patients">
      <form className="toolbar" aria-label="Filter my patients" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect id="filter-stage" label="Stage" value={stage ?? ""} onChange={(v) => setFilter("stage", v)} options={STAGE_OPTIONS} empty="Any stage" />
        <FilterSelect id="filter-status" label="Status" value={status ?? ""} onChange={(v) => setFilter("status", v)} options={STATUS_OPTIONS} empty="Any status" />
      </form>
      <PagedTable
        page={data?.patients}
        fetching={fetching}
        error={error}
        pages={pages}
        pager={{ numbered: false }}
        empty={<p role="status">No patient in your care matches.</p>}
        tableAttributes={{ "data-total": data?.patients.totalCount }}
        caption={(page) => (
          <>
            {page.totalCount} {page.totalCount === 1 ? "patient" : "patients"} in your care
            {stage || status ? " matching the filter" : ""}; page {pages.depth + 1}
          </>
        )}
        rowKey={(p) => p.id}
        rowAttributes={(p) => ({ "data-patient-id": p.id })}
        columns={[
          { header: "Patient", rowHeader: true, cell: (p) => <Link to={`/physician/patients/${p.id}`}>{patientName(p)}</Link> },
          { header: "MRN", cell: (p) => p.mrn ?? "—" },
          { header: "Stage", cell: (p) => (p.currentStage ? p.currentStage.toLowerCase() : "—") },
          { header: "Status", cell: (p) => p.status.toLowerCase() },
          { header: "Admitted", cell: (p) => when(p.admittedAt) },
        ]}
      />
    </Page>
  );
}
