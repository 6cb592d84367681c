// One ledger entry and its inclusion proof, verified in this browser: the route every anchor
// of the console links to. The API proves an entry through an id it touched, so the proof is
// the provenance of the entry's first subject, from this seq, one entry long.
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { LedgerEntriesDocument, type EntryMetaFragment } from "../gql/graphql";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { CheckpointVerdict, NoteText } from "./CheckpointCard";
import { Subjects } from "./LedgerPage";
import { Hash, KeyName, NoKeyPinned, usePinned, Verdict } from "./parts";
import { useProvenance } from "./ProvenancePage";
import { toHex } from "./verify/bytes";
import { checkProvenance } from "./verify/proofs";

export function EntryPage() {
  const { seq: seqText } = useParams();
  const seq = /^\d+$/.test(seqText ?? "") ? Number(seqText) : null;
  const [meta] = useQuery({
    query: LedgerEntriesDocument,
    variables: { from: seq ?? 0, first: 1 },
    pause: seq === null,
    requestPolicy: "network-only",
  });
  const entry = meta.data?.ledgerEntries[0];
  const found = entry && entry.seq === seq ? entry : null;
  return (
    <Page title={`Ledger entry ${seqText}`}>
      {seq === null ? <p>There is no entry {seqText}: an entry's seq is a whole number.</p> : null}
      {meta.error ? <ErrorMessage error={meta.error} /> : null}
      {meta.fetching && !meta.data ? <Loading /> : null}
      {meta.data && !found ? <p>The ledger has no entry {seq} yet.</p> : null}
      {found ? <EntryProof entry={found} /> : null}
    </Page>
  );
}

function EntryProof({ entry }: { entry: EntryMetaFragment }) {
  const subject = entry.subjects[0];
  const answer = useProvenance(subject, entry.seq, 1);
  const pinned = usePinned();
  const proven = answer?.data?.provenance;
  const item = proven?.entries[0];
  const checked = useMemo(() => (proven && pinned ? checkProvenance(proven, pinned) : null), [proven, pinned]);
  let verdict = null;
  if (!pinned) verdict = <NoKeyPinned />;
  else if (proven && checked) {
    if (!item || item.entry.seq !== entry.seq) {
      verdict = <Verdict ok={false} title="No proof of this entry" reason={`the server answered with ${item ? `entry ${item.entry.seq}` : "no entry"}, not entry ${entry.seq}`} testId="entry-verdict" />;
    } else if (item.entry.entryHash !== entry.entryHash) {
      verdict = <Verdict ok={false} title="Inclusion proof failed" reason="the server gave two different hashes for this entry" testId="entry-verdict" />;
    } else {
      const v = checked.entries.get(entry.seq)!;
      const cp = checked.checkpoint;
      verdict =
        v.ok && cp.ok ? (
          <Verdict ok title="Inclusion proof verified in this browser" testId="entry-verdict">
            <p>
              Entry {entry.seq} (hash <Hash hex={entry.entryHash} />) is leaf {entry.seq} of the tree of{" "}
              <strong data-testid="checked-size">{cp.value.treeSize}</strong> entries with root{" "}
              <span data-testid="checked-root">
                <Hash hex={toHex(cp.value.rootHash)} />
              </span>
              , signed by the pinned key <KeyName pinned={pinned} />.
            </p>
          </Verdict>
        ) : (
          <Verdict ok={false} title="Inclusion proof failed" reason={v.ok ? undefined : v.reason} testId="entry-verdict" />
        );
    }
  }
  return (
    <>
      <dl className="details card">
        <dt>Seq</dt>
        <dd>{entry.seq}</dd>
        <dt>Time</dt>
        <dd>{entry.time}</dd>
        <dt>Action</dt>
        <dd>{entry.action}</dd>
        <dt>Actor</dt>
        <dd>
          <code>{entry.actor}</code>
        </dd>
        <dt>Subjects</dt>
        <dd>
          <Subjects ids={entry.subjects} show={entry.subjects.length} />
        </dd>
        <dt>Key subject</dt>
        <dd>
          <code>{entry.keySubject}</code>
        </dd>
        <dt>Entry hash</dt>
        <dd>
          <Hash hex={entry.entryHash} />
        </dd>
        <dt>Previous hash</dt>
        <dd>
          <Hash hex={entry.prevHash} />
          {entry.seq > 0 ? (
            <>
              {" "}
              (<Link to={`/audit/entry/${entry.seq - 1}`}>entry {entry.seq - 1}</Link>)
            </>
          ) : null}
        </dd>
      </dl>
      <section className="audit-section" aria-labelledby="proof-h">
        <h2 id="proof-h">Inclusion proof</h2>
        <p className="hint">
          The API serves no payload, so the entry's bytes cannot be hashed here: the proof shows that the entry hash above
          is in the signed tree.
        </p>
        {!subject ? <p>This entry names no subject; the API proves entries through the ids they touch.</p> : null}
        {subject && !answer ? <Loading label="Fetching the proof…" /> : null}
        {answer?.error ? <ErrorMessage error={answer.error} /> : null}
        {verdict}
        {proven ? (
          <>
            <CheckpointVerdict note={proven.checkpoint} what="The checkpoint the proof leads to" />
            <NoteText note={proven.checkpoint} label="The signed note" />
          </>
        ) : null}
        {item ? (
          <details>
            <summary>The {item.inclusionProof.length} hashes of the audit path, leaf to root</summary>
            <ol className="proof">
              {item.inclusionProof.map((h, i) => (
                <li key={i}>{h}</li>
              ))}
            </ol>
          </details>
        ) : null}
      </section>
    </>
  );
}
