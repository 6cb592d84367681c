// Has the log only grown since the checkpoint the auditor saved (or pastes)? Both notes are
// opened with the pinned key, then the server's consistency proof between exactly their two
// sizes is recomputed here up to both signed roots (RFC 9162 2.1.4.2).
import { useState } from "react";
import { useClient } from "urql";
import { ConsistencyProofDocument, LedgerCheckpointDocument } from "../gql/graphql";
import { NO_ERRORS } from "../shared/errors";
import { ApiForm, TextArea } from "../shared/form";
import { ErrorMessage, Page, Section } from "../shared/Page";
import { CheckpointVerdict, NoteText } from "./CheckpointCard";
import { saveCheckpoint, useSavedCheckpoint } from "./pin";
import { Hash, NoKeyPinned, usePinned, useUserId, Verdict } from "./parts";
import { toHex } from "./verify/bytes";
import type { Verdict as Outcome } from "./verify/merkle";
import { openCheckpoint, type Checkpoint } from "./verify/note";
import { checkConsistency } from "./verify/proofs";

type Result = { verdict: Outcome; older?: Checkpoint; newer?: Checkpoint; newerNote?: string; source: string };

export function ConsistencyPage() {
  const userId = useUserId();
  const pinned = usePinned();
  const saved = useSavedCheckpoint(userId);
  const client = useClient();
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string } | null>(null);

  async function check(pasted: string) {
    if (!pinned) return;
    const source = pasted ? "the checkpoint you pasted" : "the checkpoint you saved";
    const oldNote = pasted ? normalise(pasted) : saved?.note;
    if (!oldNote) {
      setResult({ source, verdict: { ok: false, reason: "no checkpoint is saved: save one on the Ledger screen, or paste one" } });
      return;
    }
    const older = openCheckpoint(oldNote, pinned);
    if (!older.ok) {
      setResult({ source, verdict: { ok: false, reason: `${source}: ${older.reason}` } });
      return;
    }
    setBusy(true);
    setError(null);
    const latest = await client.query(LedgerCheckpointDocument, {}, { requestPolicy: "network-only" }).toPromise();
    const newerNote = latest.data?.ledgerCheckpoint;
    if (!newerNote) {
      setBusy(false);
      setError(latest.error ?? { message: "The server sent no checkpoint." });
      return;
    }
    const newer = openCheckpoint(newerNote, pinned);
    if (!newer.ok) {
      setBusy(false);
      setResult({ source, older: older.value, verdict: { ok: false, reason: `the current checkpoint: ${newer.reason}` } });
      return;
    }
    if (older.value.treeSize > newer.value.treeSize) {
      setBusy(false);
      setResult({ source, older: older.value, newer: newer.value, verdict: checkConsistency(older.value, newer.value, []) });
      return;
    }
    const proof = await client
      .query(ConsistencyProofDocument, { oldSize: older.value.treeSize, newSize: newer.value.treeSize }, { requestPolicy: "network-only" })
      .toPromise();
    setBusy(false);
    if (!proof.data) {
      setError(proof.error ?? { message: "The server sent no proof." });
      return;
    }
    setResult({
      source,
      older: older.value,
      newer: newer.value,
      newerNote,
      verdict: checkConsistency(older.value, newer.value, proof.data.consistencyProof.proof),
    });
  }

  return (
    <Page title="Consistency">
      <p>
        A checkpoint you saved earlier must describe a prefix of today's log: a log that rewrote or dropped an entry
        cannot prove that. The proof is checked in this browser, against the two roots the pinned key signed.
      </p>
      {!pinned ? <NoKeyPinned /> : null}
      <Section id="saved-h" title="Your saved checkpoint" className="audit-section">
        {saved ? (
          <>
            <p>Saved on this computer on {new Date(saved.savedAt).toLocaleString()}.</p>
            {pinned ? <CheckpointVerdict note={saved.note} what="Saved checkpoint" /> : null}
            <NoteText note={saved.note} label="The saved note" />
          </>
        ) : (
          <p>None yet: save the latest checkpoint on the Ledger screen, or paste one below.</p>
        )}
      </Section>
      <Section id="check-h" title="Check it against the current checkpoint" className="audit-section">
        <ApiForm
          id="consistency"
          errors={NO_ERRORS}
          busy={busy || !pinned}
          busyLabel={busy ? "Checking…" : "Pin a key first"}
          submitLabel="Check consistency"
          onSubmit={(data) => check(String(data.get("note") ?? "").trim())}
        >
          <TextArea
            name="note"
            label="Or paste an earlier checkpoint (optional)"
            hint="A whole signed note, signature lines included; left empty, your saved checkpoint is used"
            rows={6}
            spellCheck={false}
          />
        </ApiForm>
        {error ? <ErrorMessage error={error} /> : null}
        {result ? <Outcome result={result} onSave={(note) => saveCheckpoint(userId, note)} /> : null}
      </Section>
    </Page>
  );
}

/** A pasted note as written: lines end in \n (a textarea gives \r\n on some systems), one at the end. */
function normalise(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(/\n*$/, "\n");
}

function Outcome({ result, onSave }: { result: Result; onSave: (note: string) => void }) {
  const { verdict, older, newer } = result;
  if (!verdict.ok) {
    return <Verdict ok={false} title="Consistency check failed" reason={verdict.reason} testId="consistency-verdict" />;
  }
  return (
    <Verdict ok title="Consistent: verified in this browser" testId="consistency-verdict">
      <p>
        The tree of <strong data-testid="old-size">{older!.treeSize}</strong> entries in {result.source} (root{" "}
        <Hash hex={toHex(older!.rootHash)} />) is a prefix of the current tree of{" "}
        <strong data-testid="new-size">{newer!.treeSize}</strong> entries (root <Hash hex={toHex(newer!.rootHash)} />).
      </p>
      <div className="actions">
        <button type="button" onClick={() => onSave(result.newerNote!)}>
          Save the current checkpoint instead
        </button>
      </div>
    </Verdict>
  );
}
