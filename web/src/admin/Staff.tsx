// Physicians and transport crews with their details; an active user can be suspended and a
// suspended one authorized again.
import { useState } from "react";
import { useQuery } from "urql";
import { StaffDocument, type StaffUserFragment, type UserStatus } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { when } from "../shared/format";
import { DataTable } from "../shared/DataTable";
import { FilterSelect } from "../shared/form";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { Pager, usePages } from "../shared/Pager";
import { StatusButton } from "./StatusButton";
import { useUserStatus } from "./useUserStatus";

const PAGE = 25;
const STATUSES: { value: UserStatus; label: string }[] = [
  { value: "ACTIVE", label: "Active" },
  { value: "PENDING", label: "Pending" },
  { value: "SUSPENDED", label: "Suspended" },
];

export function Staff() {
  const [status, setStatus] = useState<"" | UserStatus>("");
  const physicianPages = usePages();
  const crewPages = usePages();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: StaffDocument,
    variables: { first: PAGE, physiciansAfter: physicianPages.after, crewsAfter: crewPages.after, status: status || null },
  });
  const change = useUserStatus(() => refetch({ requestPolicy: "network-only" }));

  return (
    <Page title="Physicians and crews">
      <div className="toolbar">
        <FilterSelect
          id="staff-status"
          label="Status"
          value={status}
          options={STATUSES}
          empty="Any status"
          onChange={(value) => {
            setStatus(value as "" | UserStatus);
            physicianPages.reset();
            crewPages.reset();
          }}
        />
      </div>
      {change.done ? <Saved what={`${change.done.username} ${change.done.verb}.`} anchor={change.done.anchor} /> : null}
      {change.error ? <ErrorMessage error={change.error} /> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !data ? <Loading /> : null}
      {data ? (
        <>
          <h2 id="physicians">Physicians</h2>
          <StaffTable
            labelledBy="physicians"
            caption={`${data.physicians.totalCount} physicians`}
            users={data.physicians.edges.map((e) => e.node)}
            details={(u) => `${u.specialty ?? "—"} · licence ${u.licenceNumber ?? "—"}`}
            detailsHeader="Specialty and licence"
            status={change}
          />
          <Pager pages={physicianPages} pageInfo={data.physicians.pageInfo} />
          <h2 id="crews">Transport crews</h2>
          <StaffTable
            labelledBy="crews"
            caption={`${data.transportCrews.totalCount} crew members`}
            users={data.transportCrews.edges.map((e) => e.node)}
            details={(u) => u.company ?? "—"}
            detailsHeader="Company"
            status={change}
          />
          <Pager pages={crewPages} pageInfo={data.transportCrews.pageInfo} />
        </>
      ) : null}
    </Page>
  );
}

function StaffTable(props: {
  labelledBy: string;
  caption: string;
  users: StaffUserFragment[];
  details: (user: StaffUserFragment) => string;
  detailsHeader: string;
  status: { busy: boolean; change: (id: string, username: string, verb: "authorized" | "suspended") => void };
}) {
  return (
    <DataTable
      rows={props.users}
      empty="None."
      tableAttributes={{ "aria-describedby": props.labelledBy }}
      caption={props.caption}
      rowKey={(u) => u.id}
      columns={[
        { header: "Name", rowHeader: true, cell: (u) => u.displayName },
        { header: "Username", cell: (u) => u.username },
        { header: props.detailsHeader, cell: props.details },
        { header: "Status", cell: (u) => <span className="status">{u.status.toLowerCase()}</span> },
        { header: "Registered", cell: (u) => when(u.registeredAt) },
        {
          header: "Actions",
          className: "row-actions",
          cell: (u) => <StatusButton user={u} verb={u.status === "ACTIVE" ? "suspended" : "authorized"} status={props.status} />,
        },
      ]}
    />
  );
}
