import { useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { homeFor } from "../shared/features";
import { ApiForm, TextField, text } from "../shared/form";
import { NO_ERRORS, type FormErrors } from "../shared/errors";
import { Page } from "../shared/Page";
import { startSession, useSession } from "../shared/session";
import { logIn } from "./login";

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  if (session) return <Navigate to={from ?? homeFor(session.user.role)} replace />;

  async function submit(data: FormData) {
    setBusy(true);
    const outcome = await logIn(text(data, "username") ?? "", (data.get("password") as string) ?? "");
    setBusy(false);
    if ("session" in outcome) {
      startSession(outcome.session);
      navigate(from ?? homeFor(outcome.session.user.role), { replace: true });
    } else {
      setErrors(outcome.errors);
    }
  }

  return (
    <div className="auth-layout">
      <Page title="Log in to HDT">
        <ApiForm id="login" errors={errors} busy={busy} submitLabel="Log in" busyLabel="Logging in…" onSubmit={submit}>
          <TextField name="username" label="Username" autoComplete="username" required autoCapitalize="none" />
          <TextField name="password" label="Password" type="password" autoComplete="current-password" required />
        </ApiForm>
        <p>
          New physician or transport crew member? <Link to="/register">Register</Link>
        </p>
        <p>
          A patient with an invitation code? <Link to="/register/patient">Make your patient account</Link>
        </p>
      </Page>
    </div>
  );
}
