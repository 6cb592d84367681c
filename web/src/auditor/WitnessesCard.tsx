// The latest cosigned checkpoint: the log's signature checked with the pinned key, and each
// witness's cosignature (C2SP tlog-cosignature/v1) checked in this browser. The witness keys
// are the ones the server names; compare them with the witnesses' own published keys.
import { useMemo } from "react";
import { useQuery } from "urql";
import { WitnessesDocument } from "../gql/graphql";
import { ErrorMessage, Loading } from "../shared/Page";
import { CheckpointVerdict, NoteText } from "./CheckpointCard";
import { Verdict } from "./parts";
import { cosignaturesOn, parseWitnessKey, type WitnessKey } from "./verify/cosignature";

export function WitnessesCard() {
  const [answer] = useQuery({ query: WitnessesDocument, requestPolicy: "network-only" });
  const witnesses = answer.data?.witnesses ?? [];
  const cosigned = answer.data?.cosignedCheckpoint ?? null;
  const keys = useMemo(() => {
    const parsed: WitnessKey[] = [];
    for (const w of witnesses) {
      try {
        parsed.push(parseWitnessKey(w.key));
      } catch {
        // an unreadable key verifies nothing; the row below says so
      }
    }
    return parsed;
  }, [witnesses]);
  const found = useMemo(() => (cosigned ? cosignaturesOn(cosigned.note, keys) : []), [cosigned, keys]);
  if (answer.error) return <ErrorMessage error={answer.error} />;
  if (answer.fetching && !answer.data) return <Loading />;
  if (witnesses.length === 0) return <p>No witnesses are configured: checkpoints are signed by the hospital alone.</p>;
  const enough = cosigned !== null && found.length >= cosigned.quorum;
  return (
    <>
      {cosigned ? (
        <>
          <CheckpointVerdict note={cosigned.note} what="Cosigned checkpoint" />
          <Verdict
            ok={enough}
            title={`${found.length} of ${witnesses.length} witness cosignatures verified in this browser (the policy asks ${cosigned.quorum})`}
            testId="cosignature-verdict"
          />
          <NoteText note={cosigned.note} label="The cosigned note" />
        </>
      ) : (
        <p>No checkpoint has enough cosignatures yet.</p>
      )}
      <table className="witnesses" data-testid="witnesses">
        <thead>
          <tr>
            <th scope="col">Witness</th>
            <th scope="col">Cosignature</th>
            <th scope="col">Cosigned size</th>
            <th scope="col">Behind by</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {witnesses.map((w) => {
            const mine = found.find((c) => c.witness === keys.find((k) => k.text === w.key.trim())?.name);
            return (
              <tr key={w.name}>
                <th scope="row">{w.name}</th>
                <td>{mine ? `verified, made ${new Date(mine.timestamp * 1000).toISOString()}` : "none valid"}</td>
                <td>{w.cosignedSize}</td>
                <td>{w.lagEntries} entries</td>
                <td>{w.lastError ?? "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
