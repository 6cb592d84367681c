// The session expired: ask for the same user's password in a modal dialog over the screen.
// The screen under it stays mounted, so every typed value is still there afterwards, and the
// request that met the expiry is sent again once the new token is in place.
import { useEffect, useRef, useState } from "react";
import { ApiForm, TextField } from "../shared/form";
import { NO_ERRORS, type FormErrors } from "../shared/errors";
import { completeReauth, endSession, useSessionState } from "../shared/session";
import { logIn } from "./login";

export function ReauthDialog() {
  const { session, reauthPending } = useSessionState();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (reauthPending && !element.open) {
      setErrors(NO_ERRORS);
      element.showModal();
    } else if (!reauthPending && element.open) {
      element.close();
    }
  }, [reauthPending]);

  if (!session) return null;

  async function submit(data: FormData, form: HTMLFormElement) {
    if (!session) return;
    setBusy(true);
    const outcome = await logIn(session.user.username, (data.get("password") as string) ?? "");
    setBusy(false);
    if ("session" in outcome && outcome.session.user.id === session.user.id) {
      form.reset();
      completeReauth(outcome.session);
    } else {
      setErrors("errors" in outcome ? outcome.errors : { fields: {}, form: ["That is another account."] });
    }
  }

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="reauth-title"
      aria-describedby="reauth-text"
      onCancel={(event) => event.preventDefault()}
    >
      <h2 id="reauth-title">Your session has expired</h2>
      <p id="reauth-text">
        Enter the password of <strong>{session.user.username}</strong> to go on. What you typed is kept, and what you
        were saving is sent once you are back.
      </p>
      <ApiForm id="reauth" errors={errors} busy={busy} submitLabel="Continue" busyLabel="Checking…" onSubmit={submit}>
        <TextField name="password" label="Password" type="password" autoComplete="current-password" required autoFocus />
      </ApiForm>
      <button type="button" className="link-button" onClick={() => endSession()}>
        Log out instead
      </button>
    </dialog>
  );
}
