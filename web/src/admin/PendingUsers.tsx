import { useQuery } from "urql";
import { PendingUsersDocument } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { when } from "../shared/format";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { useUserStatus } from "./useUserStatus";

export function PendingUsers() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: PendingUsersDocument, variables: { first: 50 } });
  const status = useUserStatus(() => refetch({ requestPolicy: "network-only" }));

  return (
    <Page title="Pending users">
      {status.done ? <Saved what={`${status.done.username} ${status.done.verb}.`} anchor={status.done.anchor} /> : null}
      {status.error ? <ErrorMessage error={status.error} /> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !data ? <Loading /> : null}
      {data ? (
        data.pendingUsers.edges.length === 0 ? (
          <p>No registration is waiting.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{data.pendingUsers.totalCount} waiting for an administrator</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Username</th>
                  <th scope="col">Role</th>
                  <th scope="col">Details</th>
                  <th scope="col">Registered</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.pendingUsers.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <th scope="row">{node.displayName}</th>
                    <td>{node.username}</td>
                    <td>{node.role === "PHYSICIAN" ? "Physician" : "Transport crew"}</td>
                    <td>
                      {node.role === "PHYSICIAN"
                        ? `${node.specialty ?? ""} · licence ${node.licenceNumber ?? "—"}`
                        : (node.company ?? "")}
                    </td>
                    <td>{when(node.registeredAt)}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="primary"
                        disabled={status.busy}
                        aria-label={`Authorize ${node.username}`}
                        onClick={() => status.change(node.id, node.username, "authorized")}
                      >
                        Authorize
                      </button>
                      <button
                        type="button"
                        disabled={status.busy}
                        aria-label={`Suspend ${node.username}`}
                        onClick={() => status.change(node.id, node.username, "suspended")}
                      >
                        Suspend
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </Page>
  );
}
