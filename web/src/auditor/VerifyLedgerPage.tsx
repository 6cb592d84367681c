// The server's full verification of its own files (what `hdt ledger verify` does), on demand.
// It is the server's word: the other screens are where this browser checks for itself.
import { useState } from "react";
import { Link } from "react-router";
import { useClient, type CombinedError } from "urql";
import {
  ConsistencyProofDocument,
  LedgerCheckpointDocument,
  VerifyLedgerDocument,
  type VerifyLedgerQuery,
} from "../gql/graphql";
import { ErrorMessage, Page } from "../shared/Page";
import { Hash, KeyName, NoKeyPinned, usePinned, Verdict } from "./parts";
import { EncodingError, fromHex } from "./verify/bytes";
import type { Verdict as Outcome } from "./verify/merkle";
import { openCheckpoint, type Checkpoint } from "./verify/note";
import { checkConsistency } from "./verify/proofs";

type Tie = { verdict: Outcome; signed?: Checkpoint };

export function VerifyLedgerPage() {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<VerifyLedgerQuery["verifyLedger"] | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [tie, setTie] = useState<Tie | null>(null);
  const pinned = usePinned();

  /** The server's verdict names a tree (size, root) it does not sign. Tie it to the signed
   *  tree: a consistency proof from it to the latest checkpoint the pinned key signed. */
  async function tieToSigned(verified: VerifyLedgerQuery["verifyLedger"]): Promise<Tie | null> {
    if (!pinned) return null;
    const head = await client.query(LedgerCheckpointDocument, {}, { requestPolicy: "network-only" }).toPromise();
    if (!head.data) return null;
    const signed = openCheckpoint(head.data.ledgerCheckpoint, pinned);
    if (!signed.ok) return { verdict: { ok: false, reason: `the latest checkpoint: ${signed.reason}` } };
    if (verified.treeSize > signed.value.treeSize) {
      return { signed: signed.value, verdict: { ok: false, reason: "the server verified more entries than it has signed" } };
    }
    const proof = await client
      .query(ConsistencyProofDocument, { oldSize: verified.treeSize, newSize: signed.value.treeSize }, { requestPolicy: "network-only" })
      .toPromise();
    if (!proof.data) return null;
    let root: Uint8Array;
    try {
      root = fromHex(verified.rootHash);
    } catch (e) {
      if (e instanceof EncodingError) return { verdict: { ok: false, reason: "the verified root is not hex" } };
      throw e;
    }
    const older = { origin: signed.value.origin, treeSize: verified.treeSize, rootHash: root };
    return { signed: signed.value, verdict: checkConsistency(older, signed.value, proof.data.consistencyProof.proof) };
  }

  async function run() {
    setBusy(true);
    setReport(null);
    setError(null);
    setTie(null);
    const result = await client.query(VerifyLedgerDocument, {}, { requestPolicy: "network-only" }).toPromise();
    const verified = result.data?.verifyLedger;
    setTie(verified?.ok ? await tieToSigned(verified) : null);
    setBusy(false);
    setReport(verified ?? null);
    setError(result.error ?? null);
  }

  return (
    <Page title="Verify the ledger">
      <p>
        The server reads every entry, recomputes the hash chain and the Merkle tree file, and checks every checkpoint it
        signed. This is the server's verdict on its own files; the inclusion and consistency proofs on the other screens are
        checked by this browser.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={run} disabled={busy} aria-busy={busy}>
          {busy ? "Verifying the whole ledger…" : "Verify the whole ledger"}
        </button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {report ? (
        report.ok ? (
          <Verdict ok title="The server verified the whole ledger" testId="ledger-verdict">
            <p>
              {report.treeSize} entries, root <Hash hex={report.rootHash} />, in {report.seconds} s.
            </p>
            <p>The server says: {report.message}</p>
          </Verdict>
        ) : (
          <Verdict ok={false} title="The ledger failed verification" reason={report.message} testId="ledger-verdict">
            <p>
              Verified up to {report.treeSize} entries
              {report.firstBadSeq !== null && report.firstBadSeq !== undefined ? (
                <>
                  ; the first bad entry is <Link to={`/audit/entry/${report.firstBadSeq}`}>#{report.firstBadSeq}</Link>
                </>
              ) : null}
              .
            </p>
          </Verdict>
        )
      ) : null}
      {report?.ok && !pinned ? <NoKeyPinned /> : null}
      {report?.ok && tie && pinned ? (
        tie.verdict.ok ? (
          <Verdict ok title="Checked in this browser: the verified tree is in the signed log" testId="tie-verdict">
            <p>
              The tree of {report.treeSize} entries the server verified is a prefix of the tree of {tie.signed!.treeSize}{" "}
              entries that the pinned key <KeyName pinned={pinned} /> signed.
            </p>
          </Verdict>
        ) : (
          <Verdict ok={false} title="The verified tree is not shown to be in the signed log" reason={tie.verdict.reason} testId="tie-verdict" />
        )
      ) : null}
    </Page>
  );
}
