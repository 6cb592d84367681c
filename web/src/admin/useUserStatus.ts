// Authorize or suspend a user, as the pending list and the staff lists both do.
import { useState } from "react";
import { useMutation } from "urql";
import { AuthorizeUserDocument, SuspendUserDocument, type AnchorFieldsFragment } from "../gql/graphql";

export type StatusChange = { username: string; verb: "authorized" | "suspended"; anchor: AnchorFieldsFragment };

export function useUserStatus(onChanged: () => void) {
  const [authorizeState, authorize] = useMutation(AuthorizeUserDocument);
  const [suspendState, suspend] = useMutation(SuspendUserDocument);
  const [done, setDone] = useState<StatusChange | null>(null);

  async function change(id: string, username: string, verb: StatusChange["verb"]) {
    setDone(null);
    const result = verb === "authorized" ? await authorize({ id }) : await suspend({ id });
    const data = result.data;
    const answer = data && ("authorizeUser" in data ? data.authorizeUser : "suspendUser" in data ? data.suspendUser : null);
    if (answer) {
      setDone({ username, verb, anchor: answer.anchor });
      onChanged();
    }
  }

  return {
    change,
    done,
    busy: authorizeState.fetching || suspendState.fetching,
    error: authorizeState.error ?? suspendState.error,
  };
}
