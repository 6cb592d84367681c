// The provenance of any node: every ledger entry that touched its id, each audit path
// recomputed in this browser up to the root of the checkpoint the pinned key signed.
import { useEffect, useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useClient, type CombinedError } from "urql";
import { ProvenanceDocument, type ProvenanceQuery } from "../gql/graphql";
import { NO_ERRORS } from "../shared/errors";
import { ApiForm, TextField } from "../shared/form";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { CheckpointVerdict, NoteText } from "./CheckpointCard";
import { DataTable } from "../shared/DataTable";
import { entryColumns, Hash, NoKeyPinned, usePinned, Verdict, type EntryRow } from "./parts";
import { toHex } from "./verify/bytes";
import { checkEntryBytes } from "./verify/entry";
import { checkProvenance } from "./verify/proofs";

const PAGE = 100;

type Answer = { data?: ProvenanceQuery; error?: CombinedError };

/** Ask for a proof afresh each time (never from the cache): a check is only as new as its answer. */
export function useProvenance(nodeId: string | undefined, from: number, first: number): Answer | null {
  const client = useClient();
  const [answer, setAnswer] = useState<Answer | null>(null);
  useEffect(() => {
    if (!nodeId) return;
    let live = true;
    setAnswer(null);
    client
      .query(ProvenanceDocument, { nodeId, from, first }, { requestPolicy: "network-only" })
      .toPromise()
      .then((result) => {
        if (live) setAnswer({ data: result.data, error: result.error });
      });
    return () => {
      live = false;
    };
  }, [client, nodeId, from, first]);
  return answer;
}

export function ProvenancePage() {
  const { nodeId } = useParams();
  const navigate = useNavigate();
  const params = new URLSearchParams(useLocation().search);
  const from = Number(params.get("from") ?? 0) || 0;
  const answer = useProvenance(nodeId, from, PAGE);
  return (
    <Page title={nodeId ? `Provenance of ${nodeId}` : "Provenance"}>
      <ApiForm
        id="provenance"
        errors={NO_ERRORS}
        busy={false}
        submitLabel="Show its provenance"
        className="toolbar"
        onSubmit={(data) => {
          const id = String(data.get("nodeId") ?? "").trim();
          if (id) navigate(`/audit/provenance/${encodeURIComponent(id)}`);
        }}
      >
        <TextField name="nodeId" label="Node id" hint="A patient, user, prescription… id, as the ledger's subjects name it" defaultValue={nodeId ?? ""} key={nodeId} required autoComplete="off" />
      </ApiForm>
      {nodeId && !answer ? <Loading label="Fetching the proofs…" /> : null}
      {answer?.error ? <ErrorMessage error={answer.error} /> : null}
      {answer?.data && nodeId ? <ProvenanceResult answer={answer.data.provenance} from={from} nodeId={nodeId} /> : null}
    </Page>
  );
}

function ProvenanceResult({ answer, from, nodeId }: { answer: ProvenanceQuery["provenance"]; from: number; nodeId: string }) {
  const pinned = usePinned();
  const checked = useMemo(() => (pinned ? checkProvenance(answer, pinned, nodeId) : null), [answer, pinned, nodeId]);
  // What each row shows is read from the entry's bytes (checkProvenance holds them to it).
  const read = useMemo(() => answer.entries.map(({ entry }) => checkEntryBytes(entry).facts), [answer]);
  if (!pinned || !checked) return <NoKeyPinned />;
  const failed = [...checked.entries.entries()].filter(([, v]) => !v.ok);
  const failures = failed.length;
  const first = failed[0];
  const cp = checked.checkpoint;
  const columns = entryColumns<EntryRow & { proof: number }>();
  return (
    <>
      <CheckpointVerdict note={answer.checkpoint} what="The checkpoint the proofs lead to" />
      <NoteText note={answer.checkpoint} label="The signed note" />
      {failures === 0 && cp.ok ? (
        <Verdict ok title={`All ${answer.entries.length} inclusion proofs verified in this browser`} testId="provenance-verdict">
          <p>
            Each entry is in the tree of <strong>{cp.value.treeSize}</strong> entries with root <Hash hex={toHex(cp.value.rootHash)} />.
          </p>
        </Verdict>
      ) : (
        <Verdict
          ok={false}
          title={`${failures} of ${answer.entries.length} inclusion proofs failed`}
          reason={first && !first[1].ok ? `entry ${first[0]}: ${first[1].reason}` : undefined}
          testId="provenance-verdict"
        >
          <p>The failing entries are marked below, each with its reason.</p>
        </Verdict>
      )}
      <DataTable
        rows={answer.entries.map(({ entry, inclusionProof }, i) => ({ seq: entry.seq, facts: read[i], proof: inclusionProof.length }))}
        caption={`Entries that touched ${answer.nodeId}, from seq ${from}`}
        rowKey={(r) => String(r.seq)}
        rowAttributes={(r) => ({ "data-seq": r.seq })}
        columns={[
          columns.seq,
          columns.time,
          columns.action,
          columns.actor,
          columns.hash,
          {
            header: "Inclusion proof",
            attributes: (r) => {
              const ok = checked.entries.get(r.seq)!.ok;
              return { className: ok ? "verdict-cell ok" : "verdict-cell failed", "data-verdict": ok ? "ok" : "failed" };
            },
            cell: (r) => {
              const verdict = checked.entries.get(r.seq)!;
              return verdict.ok ? `Verified (${r.proof} hashes)` : `Failed: ${verdict.reason}`;
            },
          },
        ]}
      />
      {answer.nextFrom !== null && answer.nextFrom !== undefined ? (
        <p className="pager">
          <Link to={`/audit/provenance/${encodeURIComponent(answer.nodeId)}?from=${answer.nextFrom}`}>Later entries</Link>
        </p>
      ) : null}
    </>
  );
}
