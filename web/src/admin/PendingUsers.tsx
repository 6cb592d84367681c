import { useQuery } from "urql";
import { PendingUsersDocument } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { PagedTable } from "../shared/DataTable";
import { when } from "../shared/format";
import { ErrorMessage, Page } from "../shared/Page";
import { StatusButton } from "./StatusButton";
import { useUserStatus } from "./useUserStatus";

export function PendingUsers() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: PendingUsersDocument, variables: { first: 50 } });
  const status = useUserStatus(() => refetch({ requestPolicy: "network-only" }));

  return (
    <Page title="Pending users">
      {status.done ? <Saved what={`${status.done.username} ${status.done.verb}.`} anchor={status.done.anchor} /> : null}
      {status.error ? <ErrorMessage error={status.error} /> : null}
      <PagedTable
        page={data?.pendingUsers}
        fetching={fetching}
        error={error}
        empty="No registration is waiting."
        caption={(page) => `${page.totalCount} waiting for an administrator`}
        rowKey={(u) => u.id}
        columns={[
          { header: "Name", rowHeader: true, cell: (u) => u.displayName },
          { header: "Username", cell: (u) => u.username },
          { header: "Role", cell: (u) => (u.role === "PHYSICIAN" ? "Physician" : "Transport crew") },
          { header: "Details", cell: (u) => (u.role === "PHYSICIAN" ? `${u.specialty ?? ""} · licence ${u.licenceNumber ?? "—"}` : (u.company ?? "")) },
          { header: "Registered", cell: (u) => when(u.registeredAt) },
          {
            header: "Actions",
            className: "row-actions",
            cell: (u) => (
              <>
                <StatusButton user={u} verb="authorized" status={status} />
                <StatusButton user={u} verb="suspended" status={status} />
              </>
            ),
          },
        ]}
      />
    </Page>
  );
}
