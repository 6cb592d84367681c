// Who read my twin: each read is a ledger entry (TwinRead) with the reader, their role, the
// grounds and the sections read. Emergency (break-glass) reads are marked, not folded in.
import { useQuery } from "urql";
import { MyAccessHistoryDocument, type AccessRowFragment, type ReadGrounds } from "../gql/graphql";
import { PagedTable } from "../shared/DataTable";
import { when } from "../shared/format";
import { usePages } from "../shared/Pager";
import { WithMyPatient } from "./useMyPatient";

const PAGE = 20;

const GROUNDS: Record<ReadGrounds, string> = {
  CARE_TEAM: "In my care team",
  BREAK_GLASS: "Emergency access (break-glass)",
  CONSENT: "My consent",
  SELF: "Myself",
  ADMINISTRATION: "Hospital administration",
};

export function AccessPage() {
  return <WithMyPatient title="Who accessed my record">{(patient) => <History patientId={patient.id} />}</WithMyPatient>;
}

function History({ patientId }: { patientId: string }) {
  const pages = usePages();
  const [{ data, fetching, error }] = useQuery({
    query: MyAccessHistoryDocument,
    variables: { patientId, first: PAGE, after: pages.after },
    requestPolicy: "network-only",
  });
  const breakGlass = (data?.accessHistory.edges ?? []).some((e) => e.node.grounds === "BREAK_GLASS");
  return (
    <>
      {breakGlass ? (
        <p className="warning" role="alert">
          Someone outside your care team read your record in an emergency (break-glass). Their reason is shown to the
          hospital's administrators and auditors.
        </p>
      ) : null}
      <PagedTable<AccessRowFragment>
        page={data?.accessHistory}
        fetching={fetching}
        error={error}
        pages={pages}
        pager={{ previous: "Newer reads", next: "Older reads" }}
        empty="Nobody has read your record yet."
        caption={(page) => `${page.totalCount} reads of your record, newest first`}
        rowKey={(a) => a.id}
        rowAttributes={(a) => ({ "data-grounds": a.grounds })}
        columns={[
          { header: "When", rowHeader: true, cell: (a) => when(a.at) },
          { header: "Who", cell: (a) => a.readerName ?? "—" },
          { header: "Role", cell: (a) => a.readerRole.toLowerCase() },
          {
            header: "Grounds",
            cell: (a) => (a.grounds === "BREAK_GLASS" ? <strong className="warning-text">{GROUNDS[a.grounds]}</strong> : GROUNDS[a.grounds]),
          },
          { header: "Sections read", cell: (a) => a.sections.filter((s) => !s.startsWith("__")).join(", ") || "—" },
          { header: "Ledger entry", cell: (a) => `#${a.seq}` },
        ]}
      />
    </>
  );
}
