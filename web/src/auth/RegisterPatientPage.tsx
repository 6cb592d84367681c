// A patient makes their own account with the one-time code the hospital handed them; the
// account is active at once, so they are logged in and land on their twin.
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { RegisterPatientDocument } from "../gql/graphql";
import { anonymousClient } from "../shared/client";
import { formErrors, NO_ERRORS, type FormErrors } from "../shared/errors";
import { homeFor } from "../shared/features";
import { ApiForm, TextField, text } from "../shared/form";
import { Page } from "../shared/Page";
import { startSession } from "../shared/session";
import { logIn } from "./login";

export function RegisterPatientPage() {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const navigate = useNavigate();

  async function submit(data: FormData) {
    setBusy(true);
    const username = text(data, "username") ?? "";
    const password = (data.get("password") as string) ?? "";
    const result = await anonymousClient
      .mutation(RegisterPatientDocument, {
        input: { code: text(data, "code") ?? "", username, password, displayName: text(data, "displayName") ?? "" },
      })
      .toPromise();
    if (!result.data) {
      setBusy(false);
      setErrors(formErrors(result.error));
      return;
    }
    const outcome = await logIn(username, password);
    setBusy(false);
    if ("session" in outcome) {
      startSession(outcome.session);
      navigate(homeFor(outcome.session.user.role), { replace: true });
    } else {
      navigate("/login", { replace: true });
    }
  }

  return (
    <div className="auth-layout">
      <Page title="Make my patient account">
        <p>The hospital gave you an invitation code. It works once, for 72 hours.</p>
        <ApiForm id="register-patient" errors={errors} busy={busy} submitLabel="Make my account" busyLabel="Making your account…" onSubmit={submit}>
          <TextField name="code" label="Invitation code" autoComplete="one-time-code" autoCapitalize="none" spellCheck={false} required />
          <TextField name="displayName" label="Full name" autoComplete="name" required />
          <TextField
            name="username"
            label="Username"
            hint="3 to 64 lower-case letters, digits, '.', '_' or '-'"
            autoComplete="username"
            autoCapitalize="none"
            required
          />
          <TextField name="password" label="Password" type="password" autoComplete="new-password" required />
        </ApiForm>
        <p>
          Already have an account? <Link to="/login">Log in</Link>
        </p>
      </Page>
    </div>
  );
}
