// Emergency accesses outside a physician's care: who, which patient id, the reason they gave,
// and the ledger entry that anchors it. The patient is an id: no name, no record.
import { useQuery } from "urql";
import { BreakGlassAccessesDocument } from "../gql/graphql";
import { Anchor } from "../shared/Anchor";
import { PagedTable } from "../shared/DataTable";
import { Page } from "../shared/Page";
import { usePages } from "../shared/Pager";

const PAGE = 25;

export function BreakGlassPage() {
  const pages = usePages();
  const [{ data, fetching, error }] = useQuery({
    query: BreakGlassAccessesDocument,
    variables: { first: PAGE, after: pages.after },
    requestPolicy: "network-only",
  });
  return (
    <Page title="Break-glass accesses">
      <PagedTable
        page={data?.breakGlassAccesses}
        fetching={fetching}
        error={error}
        pages={pages}
        pager={{ previous: "Newer accesses", next: "Older accesses", numbered: false }}
        empty="No break-glass access was recorded."
        caption={(page) => `${page.totalCount} emergency accesses, newest first`}
        rowKey={(a) => a.id}
        columns={[
          { header: "At", rowHeader: true, cell: (a) => a.at },
          {
            header: "By",
            cell: (a) => (
              <>
                {a.user.displayName} (<code>{a.user.username}</code>)
              </>
            ),
          },
          { header: "Patient id", cell: (a) => <code>{a.patientId}</code> },
          { header: "Reason given", cell: (a) => a.reason },
          { header: "Expires", cell: (a) => a.expiresAt },
          { header: "Ledger entry", cell: (a) => <Anchor anchor={a.anchor} /> },
        ]}
      />
    </Page>
  );
}
