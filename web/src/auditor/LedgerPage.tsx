// The latest checkpoint and the ledger's entries, paged by seq. Each row is read from the
// entry's own bytes (payload sealed), hashed here, and chained to the row above by that hash;
// each links to its proof, each subject to its provenance.
import { Link, useLocation, useNavigate } from "react-router";
import { useEffect, useMemo, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { LedgerCheckpointDocument, LedgerEntriesDocument, LedgerGrewDocument, type EntryMetaFragment } from "../gql/graphql";
import { ErrorMessage, Loading, Page, Section } from "../shared/Page";
import { CheckpointVerdict, NoteText, useOpenedCheckpoint } from "./CheckpointCard";
import { WitnessesCard } from "./WitnessesCard";
import { saveCheckpoint, useSavedCheckpoint } from "./pin";
import { DataTable } from "../shared/DataTable";
import { entryColumns, useUserId, type EntryRow } from "./parts";
import { checkChainLink, checkEntryBytes, type EntryCheck } from "./verify/entry";
import { peekCheckpoint } from "./verify/note";

const PAGE = 25;

export function LedgerPage() {
  const userId = useUserId();
  // useLocation, not useSearchParams: the latter pulls a warning into the entry chunk whose
  // text names another origin (tests/web/test_serving.py keeps the build free of those).
  const location = useLocation();
  const navigate = useNavigate();
  const params = new URLSearchParams(location.search);
  const [head, refresh] = useQuery({ query: LedgerCheckpointDocument, requestPolicy: "network-only" });
  const note = head.data?.ledgerCheckpoint;
  const opened = useOpenedCheckpoint(note);
  const saved = useSavedCheckpoint(userId);
  // Only to choose the page shown first: the size is not trusted for anything else.
  const peek = note ? peekCheckpoint(note) : null;
  const size = peek ? (peek.ok ? peek.value.treeSize : 0) : null;
  const asked = params.get("from");
  const from = asked !== null && /^\d+$/.test(asked) ? Number(asked) : size === null ? null : Math.max(0, size - PAGE);
  const [entries] = useQuery({
    query: LedgerEntriesDocument,
    variables: { from: from ?? 0, first: PAGE },
    pause: from === null,
    requestPolicy: "network-only",
  });
  const rows = entries.data?.ledgerEntries ?? [];

  function go(seq: number) {
    navigate(`?from=${Math.max(0, seq)}`);
  }

  return (
    <Page title="Ledger">
      <Section id="head-h" title="Latest checkpoint" className="audit-section">
        {head.error ? <ErrorMessage error={head.error} /> : null}
        {!note && head.fetching ? <Loading /> : null}
        {note ? (
          <>
            {size !== null ? <GrowthNotice since={size} /> : null}
            <CheckpointVerdict note={note} />
            <NoteText note={note} label="The signed note" />
            <div className="actions">
              <button type="button" onClick={() => refresh({ requestPolicy: "network-only" })}>
                Fetch the latest checkpoint
              </button>
              {opened?.ok && saved?.note !== note ? (
                <button type="button" onClick={() => saveCheckpoint(userId, note)}>
                  Save this checkpoint to check the log's growth later
                </button>
              ) : null}
            </div>
            {saved?.note === note ? (
              <p className="saved" role="status">
                This checkpoint is saved on this computer: the <Link to="/audit/consistency">Consistency</Link> screen
                checks later ones against it.
              </p>
            ) : null}
          </>
        ) : null}
      </Section>
      <Section id="witnesses-h" title="Witnesses" className="audit-section">
        <WitnessesCard />
      </Section>
      <Section id="entries-h" title="Entries" className="audit-section">
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            const seq = Number(new FormData(event.currentTarget).get("seq"));
            if (Number.isSafeInteger(seq)) go(seq);
          }}
        >
          <div className="field">
            <label htmlFor="goto-seq">From entry (seq)</label>
            <input id="goto-seq" name="seq" type="number" min={0} inputMode="numeric" defaultValue={from ?? ""} key={from} />
          </div>
          <button type="submit">Show</button>
        </form>
        {entries.error ? <ErrorMessage error={entries.error} /> : null}
        {entries.fetching && !entries.data ? <Loading /> : null}
        {entries.data ? <EntryTable rows={rows} from={from ?? 0} /> : null}
        <div className="pager">
          <button type="button" disabled={!from} onClick={() => go((from ?? 0) - PAGE)}>
            Earlier entries
          </button>
          <button type="button" disabled={rows.length < PAGE} onClick={() => go((from ?? 0) + PAGE)}>
            Later entries
          </button>
          {size !== null ? <span>The latest checkpoint holds {size} entries.</span> : null}
        </div>
      </Section>
    </Page>
  );
}

function EntryTable({ rows, from }: { rows: EntryMetaFragment[]; from: number }) {
  const checks = useMemo(() => rows.map(checkEntryBytes), [rows]);
  const columns = entryColumns<EntryRow & { i: number }>();
  return (
    <DataTable
      rows={rows.map((row, i) => ({ seq: row.seq, facts: checks[i].facts, i }))}
      empty={`No entry from seq ${from}.`}
      caption={
        rows.length ? (
          <>
            Entries {rows[0].seq} to {rows[rows.length - 1].seq}, as their bytes say (the payload stays sealed). The check
            column hashes each entry's bytes, compares them with what the server says beside them, and their previous
            hash with the hash of the row above.
          </>
        ) : null
      }
      rowKey={(r) => String(r.seq)}
      rowAttributes={(r) => ({ "data-seq": r.seq })}
      columns={[
        columns.seq,
        // Unreadable bytes: one cell says so across what they would have said.
        { ...columns.time, span: (r) => (r.facts ? 1 : 5), cell: (r) => r.facts?.time ?? "Its bytes cannot be read." },
        columns.action,
        columns.actor,
        { header: "Subjects", cell: (r) => <Subjects ids={r.facts?.subjects ?? []} /> },
        columns.hash,
        { header: "Checked here", cell: (r) => <RowCheck check={checks[r.i]} above={r.i === 0 ? null : checks[r.i - 1]} /> },
      ]}
    />
  );
}

/** The row's bytes against what the server says, then its link to the row above. */
function RowCheck({ check, above }: { check: EntryCheck; above: EntryCheck | null }) {
  const failed = (reason: string) => (
    <span className="verdict-cell failed" data-verdict="failed">
      Failed: {reason}
    </span>
  );
  if (!check.ok) return failed(check.reason);
  if (above === null) return <span className="verdict-cell ok" data-verdict="ok">bytes match</span>;
  if (!above.facts) return <span className="verdict-cell">bytes match; the row above is unreadable</span>;
  const link = checkChainLink(above.facts, check.facts);
  if (!link.ok) return failed(`broken chain: ${link.reason}`);
  return (
    <span className="verdict-cell ok" data-verdict="ok">
      bytes match, follows #{above.facts.seq}
    </span>
  );
}

export function Subjects({ ids, show = 3 }: { ids: string[]; show?: number }) {
  if (ids.length === 0) return <>—</>;
  const item = (id: string) => (
    <li key={id}>
      <Link to={`/audit/provenance/${encodeURIComponent(id)}`} aria-label={`Provenance of ${id}`}>
        <code>{id}</code>
      </Link>
    </li>
  );
  return (
    <>
      <ul className="subjects">{ids.slice(0, show).map(item)}</ul>
      {ids.length > show ? (
        <details>
          <summary>{ids.length - show} more</summary>
          <ul className="subjects">{ids.slice(show).map(item)}</ul>
        </details>
      ) : null}
    </>
  );
}

/** Says when the tree has grown past the checkpoint shown, as the server announces it (a
 *  hint to fetch a newer checkpoint: nothing is verified from it). The server ends the
 *  stream when the token expires: a new stream is opened a few seconds later. */
function GrowthNotice({ since }: { since: number }) {
  const [attempt, setAttempt] = useState(0);
  return <GrowthStream key={attempt} since={since} onEnd={() => window.setTimeout(() => setAttempt((n) => n + 1), 5000)} />;
}

function GrowthStream({ since, onEnd }: { since: number; onEnd: () => void }) {
  const [{ data, error }] = useSubscription({ query: LedgerGrewDocument });
  useEffect(() => {
    if (error) onEnd();
  }, [error]);
  const grown = data?.ledgerGrew.treeSize;
  if (grown === undefined || grown <= since) return null;
  return (
    <p className="notice" role="status" data-testid="grown">
      The ledger has grown to {grown} entries since this checkpoint.
    </p>
  );
}
