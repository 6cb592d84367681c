// Patients who asked, from their own account, to be erased (GDPR art. 17). A request stays
// listed until the patient is erased (`erasePatient`, which takes the request with them).
import { Link } from "react-router";
import { useQuery } from "urql";
import { ErasureRequestsDocument } from "../gql/graphql";
import { DataTable } from "../shared/DataTable";
import { when } from "../shared/format";
import { ErrorMessage, Loading, Page } from "../shared/Page";

export function ErasureRequests() {
  const [{ data, fetching, error }] = useQuery({ query: ErasureRequestsDocument, requestPolicy: "network-only" });
  return (
    <Page title="Erasure requests">
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !data ? <Loading /> : null}
      {data ? (
        <DataTable
          caption={`${data.erasureRequests.length} patients asked to be erased, newest first`}
          empty="No patient has asked to be erased."
          rows={data.erasureRequests}
          rowKey={(r) => r.patientId}
          rowAttributes={(r) => ({ "data-patient-id": r.patientId })}
          columns={[
            { header: "Asked", rowHeader: true, cell: (r) => when(r.at) },
            { header: "By", cell: (r) => r.requestedByName ?? "—" },
            { header: "Ledger entry", cell: (r) => `#${r.seq}` },
            {
              header: "Patient",
              cell: (r) => (
                <Link to={`/admin/patients/${r.patientId}/assign`} aria-label={`Patient record of ${r.requestedByName ?? r.patientId}`}>
                  Patient record
                </Link>
              ),
            },
          ]}
        />
      ) : null}
    </Page>
  );
}
