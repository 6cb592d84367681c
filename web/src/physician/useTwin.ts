// A patient's twin, kept current: read once, then read again whenever `twinUpdated` says the
// ledger recorded a change for this patient. The server ends a stream when the token expires
// or the connection drops: the subscription is then started again.
import { useEffect, useRef, useState } from "react";
import { useQuery, useSubscription } from "urql";
import { PatientTwinDocument, TwinUpdatedDocument, type TwinUpdatedSubscription } from "../gql/graphql";

export type Update = TwinUpdatedSubscription["twinUpdated"];
export type Live = "connecting" | "live" | "reconnecting";

export function useTwin(patientId: string, { live = true }: { live?: boolean } = {}) {
  const [result, reexecute] = useQuery({
    query: PatientTwinDocument,
    variables: { patientId },
    requestPolicy: "network-only",
  });
  const [latest, setLatest] = useState<Update | null>(null);
  const [status, setStatus] = useState<Live>("connecting");
  const [sub, resubscribe] = useSubscription({
    query: TwinUpdatedDocument,
    variables: { patientId },
    pause: !live || !result.data,
  });
  const seen = useRef(-1);
  const asked = useRef(-1);
  /** The newest ledger entry the twin on screen was read after. */
  const [shownSeq, setShownSeq] = useState(-1);

  useEffect(() => {
    if (result.data && !result.fetching) setShownSeq((s) => Math.max(s, asked.current));
  }, [result.data, result.fetching]);

  useEffect(() => {
    const update = sub.data?.twinUpdated;
    if (!update) return;
    setStatus("live");
    setLatest(update);
    // The first message is the latest entry as it stands (it may be newer than the read that
    // opened the twin: read again once, cheaply); every later one is a change to read.
    if (update.seq > seen.current) {
      seen.current = update.seq;
      asked.current = update.seq;
      reexecute({ requestPolicy: "network-only" });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sub.data]);

  const failures = useRef(0);
  useEffect(() => {
    if (sub.data) failures.current = 0;
  }, [sub.data]);
  useEffect(() => {
    if (!sub.error) return;
    setStatus("reconnecting");
    // Read the twin again over HTTP: it catches up on what changed while the stream was down,
    // and an expired session meets UNAUTHENTICATED there, which asks for the password (the
    // socket cannot); then subscribe again (a new socket, with the token as it is then),
    // waiting longer after each failure in a row.
    reexecute({ requestPolicy: "network-only" });
    const delay = Math.min(30_000, 1000 * 2 ** failures.current++);
    const timer = window.setTimeout(() => resubscribe({ requestPolicy: "network-only" }), delay);
    return () => window.clearTimeout(timer);
  }, [sub.error, resubscribe, reexecute]);

  return { result, latest, status, shownSeq, refetch: () => reexecute({ requestPolicy: "network-only" }) };
}
