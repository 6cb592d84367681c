// One ledger entry and its inclusion proof, verified in this browser: the route every anchor
// of the console links to. The API proves an entry through an id it touched, so the proof is
// the provenance of the entry's first subject, from this seq, one entry long. What is shown
// is read from the entry's own bytes, whose hash is the leaf the proof starts from.
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { LedgerEntriesDocument, type EntryMetaFragment } from "../gql/graphql";
import { ErrorMessage, Loading, Page, Section } from "../shared/Page";
import { CheckpointVerdict, NoteText } from "./CheckpointCard";
import { Subjects } from "./LedgerPage";
import { Hash, KeyName, NoKeyPinned, usePinned, Verdict } from "./parts";
import { useProvenance } from "./ProvenancePage";
import { fromBase64, toHex } from "./verify/bytes";
import { checkEntryBytes } from "./verify/entry";
import { checkInclusion, checkProvenance } from "./verify/proofs";

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
  const read = useMemo(() => checkEntryBytes(entry), [entry]);
  const facts = read.facts;
  const subject = facts?.subjects[0];
  const answer = useProvenance(subject, entry.seq, 1);
  const pinned = usePinned();
  const proven = answer?.data?.provenance;
  const item = proven?.entries[0];
  const checked = useMemo(() => (proven && pinned ? checkProvenance(proven, pinned) : null), [proven, pinned]);
  let verdict = null;
  if (!pinned) verdict = <NoKeyPinned />;
  else if (!read.ok) {
    verdict = <Verdict ok={false} title="Inclusion proof failed" reason={read.reason} testId="entry-verdict" />;
  } else if (proven && checked) {
    const cp = checked.checkpoint;
    if (!item || item.entry.seq !== entry.seq) {
      verdict = <Verdict ok={false} title="No proof of this entry" reason={`the server answered with ${item ? `entry ${item.entry.seq}` : "no entry"}, not entry ${entry.seq}`} testId="entry-verdict" />;
    } else if (!cp.ok) {
      verdict = <Verdict ok={false} title="Inclusion proof failed" reason={`the checkpoint is not verified: ${cp.reason}`} testId="entry-verdict" />;
    } else {
      // The entry shown (its bytes) is what the audit path is checked for, from its own leaf.
      const v = checkInclusion(cp.value, entry, item.inclusionProof, item.treeSize);
      verdict = v.ok ? (
        <Verdict ok title="Inclusion proof verified in this browser" testId="entry-verdict">
          <p>
            The bytes of entry {read.facts.seq} hash to <Hash hex={read.facts.leafHash} />, leaf {read.facts.seq} of the tree of{" "}
            <strong data-testid="checked-size">{cp.value.treeSize}</strong> entries with root{" "}
            <span data-testid="checked-root">
              <Hash hex={toHex(cp.value.rootHash)} />
            </span>
            , signed by the pinned key <KeyName pinned={pinned} />.
          </p>
        </Verdict>
      ) : (
        <Verdict ok={false} title="Inclusion proof failed" reason={v.reason} testId="entry-verdict" />
      );
    }
  }
  return (
    <>
      <Verdict
        ok={read.ok}
        title={read.ok ? "The metadata below is read from the entry's bytes, which hash to its entry hash" : "The entry's bytes do not match what the server says"}
        reason={read.ok ? undefined : read.reason}
        testId="bytes-verdict"
      />
      {facts ? (
        <dl className="details card" data-testid="entry-facts">
          <dt>Seq</dt>
          <dd>{facts.seq}</dd>
          <dt>Time</dt>
          <dd>{facts.time}</dd>
          <dt>Action</dt>
          <dd>{facts.action}</dd>
          <dt>Actor</dt>
          <dd>
            <code>{facts.actor}</code>
          </dd>
          <dt>Subjects</dt>
          <dd>
            <Subjects ids={facts.subjects} show={facts.subjects.length} />
          </dd>
          <dt>Key subject</dt>
          <dd>
            <code>{facts.keySubject}</code>
          </dd>
          <dt>Hash of its bytes</dt>
          <dd>
            <Hash hex={facts.leafHash} />
          </dd>
          <dt>Previous hash</dt>
          <dd>
            <Hash hex={facts.prevHash} />
            {facts.seq > 0 ? (
              <>
                {" "}
                (<Link to={`/audit/entry/${facts.seq - 1}`}>entry {facts.seq - 1}</Link>)
              </>
            ) : null}
          </dd>
        </dl>
      ) : (
        <p>The entry's bytes cannot be read, so nothing the server says about entry {entry.seq} is shown.</p>
      )}
      <EntryBytes base64={entry.entryBytes} />
      <Section id="proof-h" title="Inclusion proof" className="audit-section">
        <p className="hint">
          The leaf the proof starts from is the hash of the entry's bytes, computed here; the metadata above is read from
          those bytes. The payload stays sealed under the patient's key.
        </p>
        {facts && !subject ? <p>This entry names no subject; the API proves entries through the ids they touch.</p> : null}
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
      </Section>
    </>
  );
}

/** The bytes as text (canonical JSON), for an auditor who wants to read what was hashed. */
function EntryBytes({ base64 }: { base64: string }) {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(base64);
  } catch {
    return null;
  }
  return (
    <details>
      <summary>The entry's {bytes.length} bytes (canonical JSON, payload sealed)</summary>
      <pre className="note">{new TextDecoder().decode(bytes)}</pre>
    </details>
  );
}
