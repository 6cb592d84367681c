// Logging in, shared by the login screen and the password prompt of an expired session.
import { anonymousClient } from "../shared/client";
import { formErrors, type FormErrors } from "../shared/errors";
import type { Session } from "../shared/session";
import { LoginDocument } from "../gql/graphql";

export type LoginOutcome = { session: Session } | { errors: FormErrors };

export async function logIn(username: string, password: string): Promise<LoginOutcome> {
  const result = await anonymousClient.mutation(LoginDocument, { username, password }).toPromise();
  const answer = result.data?.login;
  if (!answer) return { errors: formErrors(result.error) };
  if (answer.__typename === "Session") {
    return { session: { token: answer.token, expiresAt: answer.expiresAt, user: answer.user } };
  }
  return { errors: { fields: {}, form: [answer.message] } };
}
