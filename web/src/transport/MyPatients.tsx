import { useQuery } from "urql";
import { CrewPatientsDocument } from "../gql/graphql";
import { PagedTable } from "../shared/DataTable";
import { Page } from "../shared/Page";
import { stageName, when } from "../shared/format";
import { usePages } from "../shared/Pager";

const PAGE = 25;

export function MyPatients() {
  const pages = usePages();
  const [{ data, fetching, error }] = useQuery({ query: CrewPatientsDocument, variables: { first: PAGE, after: pages.after } });
  return (
    <Page title="My patients">
      <PagedTable
        page={data?.patients}
        fetching={fetching}
        error={error}
        pages={pages}
        empty="You have brought in no patient yet."
        caption={(page) => `${page.totalCount} patients you brought in, most recently admitted first`}
        rowKey={(p) => p.id}
        columns={[
          { header: "Patient", rowHeader: true, cell: (p) => `${p.familyName}, ${p.givenName}` },
          { header: "Born", cell: (p) => p.birthDate },
          { header: "MRN", cell: (p) => p.mrn ?? "—" },
          { header: "Admitted", cell: (p) => when(p.admittedAt) },
          { header: "Status", cell: (p) => p.status.toLowerCase() },
          { header: "Stage", cell: (p) => stageName(p.currentStage) },
        ]}
      />
    </Page>
  );
}
