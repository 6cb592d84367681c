import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { RegisterDocument, type StaffRole } from "../gql/graphql";
import { formErrors, NO_ERRORS, type FormErrors } from "../shared/errors";
import { ApiForm, RadioGroup, TextField, text } from "../shared/form";
import { Page } from "../shared/Page";
import { anonymousClient } from "../shared/client";

export function RegisterPage() {
  const [role, setRole] = useState<StaffRole>("PHYSICIAN");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const navigate = useNavigate();

  async function submit(data: FormData) {
    setBusy(true);
    const result = await anonymousClient
      .mutation(RegisterDocument, {
        input: {
          username: text(data, "username") ?? "",
          password: (data.get("password") as string) ?? "",
          displayName: text(data, "displayName") ?? "",
          role,
          specialty: role === "PHYSICIAN" ? text(data, "specialty") : null,
          licenceNumber: role === "PHYSICIAN" ? text(data, "licenceNumber") : null,
          company: role === "TRANSPORT" ? text(data, "company") : null,
        },
      })
      .toPromise();
    setBusy(false);
    const user = result.data?.register.user;
    if (user) navigate("/waiting", { state: { username: user.username } });
    else setErrors(formErrors(result.error));
  }

  return (
    <div className="auth-layout">
      <Page title="Register">
        <ApiForm
          id="register"
          errors={errors}
          busy={busy}
          submitLabel="Register"
          busyLabel="Registering…"
          onSubmit={submit}
        >
          <RadioGroup
            name="role"
            label="I am"
            required
            defaultValue="PHYSICIAN"
            onChange={(value) => setRole(value as StaffRole)}
            options={[
              { value: "PHYSICIAN", label: "A physician" },
              { value: "TRANSPORT", label: "A transport crew member" },
            ]}
          />
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
          {role === "PHYSICIAN" ? (
            <>
              <TextField name="specialty" label="Specialty" required />
              <TextField name="licenceNumber" label="Licence number" required />
            </>
          ) : (
            <TextField name="company" label="Ambulance company" autoComplete="organization" required />
          )}
        </ApiForm>
        <p>
          Already registered? <Link to="/login">Log in</Link>
        </p>
      </Page>
    </div>
  );
}
