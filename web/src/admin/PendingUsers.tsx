import { useState } from "react";
import { useMutation, useQuery } from "urql";
import {
  AuthorizeUserDocument,
  PendingUsersDocument,
  SuspendUserDocument,
  type AnchorFieldsFragment,
} from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { ErrorMessage, Loading, Page } from "../shared/Page";

type Done = { username: string; verb: string; anchor: AnchorFieldsFragment };

export function PendingUsers() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: PendingUsersDocument, variables: { first: 50 } });
  const [authorizeState, authorize] = useMutation(AuthorizeUserDocument);
  const [suspendState, suspend] = useMutation(SuspendUserDocument);
  const [done, setDone] = useState<Done | null>(null);
  const busy = authorizeState.fetching || suspendState.fetching;
  const failure = authorizeState.error ?? suspendState.error;

  async function act(id: string, username: string, verb: "authorized" | "suspended") {
    const result = verb === "authorized" ? await authorize({ id }) : await suspend({ id });
    const change = result.data && ("authorizeUser" in result.data ? result.data.authorizeUser : result.data.suspendUser);
    if (change) {
      setDone({ username, verb, anchor: change.anchor });
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <Page title="Pending users">
      {done ? <Saved what={`${done.username} ${done.verb}.`} anchor={done.anchor} /> : null}
      {failure ? <ErrorMessage error={failure} /> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !data ? <Loading /> : null}
      {data ? (
        data.pendingUsers.edges.length === 0 ? (
          <p>No registration is waiting.</p>
        ) : (
          <table>
            <caption>{data.pendingUsers.totalCount} waiting for an administrator</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Details</th>
                <th scope="col">Registered</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
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
                  <td>{node.registeredAt ? new Date(node.registeredAt).toLocaleString() : "—"}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="primary"
                      disabled={busy}
                      aria-label={`Authorize ${node.username}`}
                      onClick={() => act(node.id, node.username, "authorized")}
                    >
                      Authorize
                    </button>
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Suspend ${node.username}`}
                      onClick={() => act(node.id, node.username, "suspended")}
                    >
                      Suspend
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </Page>
  );
}
