// The server's full verification of its own files (what `hdt ledger verify` does), on demand.
// It is the server's word: the other screens are where this browser checks for itself.
import { useState } from "react";
import { Link } from "react-router";
import { useClient, type CombinedError } from "urql";
import { VerifyLedgerDocument, type VerifyLedgerQuery } from "../gql/graphql";
import { ErrorMessage, Page } from "../shared/Page";
import { Hash, Verdict } from "./parts";

export function VerifyLedgerPage() {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<VerifyLedgerQuery["verifyLedger"] | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);

  async function run() {
    setBusy(true);
    setReport(null);
    setError(null);
    const result = await client.query(VerifyLedgerDocument, {}, { requestPolicy: "network-only" }).toPromise();
    setBusy(false);
    setReport(result.data?.verifyLedger ?? null);
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
              {report.treeSize} entries, root <Hash hex={report.rootHash} />, in {report.seconds} s. {report.message}
            </p>
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
    </Page>
  );
}
