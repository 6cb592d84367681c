// Emergency accesses outside a physician's care: who, which patient id, the reason they gave,
// and the ledger entry that anchors it. The patient is an id: no name, no record.
import { useState } from "react";
import { useQuery } from "urql";
import { BreakGlassAccessesDocument } from "../gql/graphql";
import { Anchor } from "../shared/Anchor";
import { ErrorMessage, Loading, Page } from "../shared/Page";

const PAGE = 25;

export function BreakGlassPage() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, fetching, error }] = useQuery({
    query: BreakGlassAccessesDocument,
    variables: { first: PAGE, after },
    requestPolicy: "network-only",
  });
  const page = data?.breakGlassAccesses;
  return (
    <Page title="Break-glass accesses">
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !data ? <Loading /> : null}
      {page ? (
        page.edges.length === 0 ? (
          <p>No break-glass access was recorded.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{page.totalCount} emergency accesses, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">At</th>
                  <th scope="col">By</th>
                  <th scope="col">Patient id</th>
                  <th scope="col">Reason given</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Ledger entry</th>
                </tr>
              </thead>
              <tbody>
                {page.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <th scope="row">{node.at}</th>
                    <td>
                      {node.user.displayName} (<code>{node.user.username}</code>)
                    </td>
                    <td>
                      <code>{node.patientId}</code>
                    </td>
                    <td>{node.reason}</td>
                    <td>{node.expiresAt}</td>
                    <td>
                      <Anchor anchor={node.anchor} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <div className="pager">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer accesses
        </button>
        <button
          type="button"
          disabled={!page?.pageInfo.hasNextPage}
          onClick={() => page?.pageInfo.endCursor && setCursors([...cursors, page.pageInfo.endCursor])}
        >
          Older accesses
        </button>
      </div>
    </Page>
  );
}
