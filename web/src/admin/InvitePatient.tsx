// "Invite patient": a one-time code for the patient's own account. The server keeps only its
// hash, so it is shown here once, from the answer, and never read again; leaving the screen
// loses it (a new invitation makes a new code).
import { useMutation } from "urql";
import { InvitePatientDocument } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { formErrors } from "../shared/errors";
import { ApiForm } from "../shared/form";
import { when } from "../shared/format";
import { Section } from "../shared/Page";

export function InvitePatient({ patientId, name }: { patientId: string; name: string }) {
  const [state, invite] = useMutation(InvitePatientDocument);
  const invitation = state.data?.invitePatient;
  return (
    <Section id="invite" title="Patient account">
      <p>Invite {name} to read their own twin: they make their account with the code at “Make your patient account”.</p>
      <ApiForm
        id="invite-patient"
        errors={formErrors(state.error)}
        busy={state.fetching}
        submitLabel="Invite patient"
        busyLabel="Inviting…"
        onSubmit={() => void invite({ patientId }, { requestPolicy: "network-only" })}
      >
        {null}
      </ApiForm>
      {invitation && !state.fetching ? (
        <>
          <Saved what={`Invitation made; it works once, until ${when(invitation.expiresAt)}.`} anchor={invitation.anchor} />
          <p>
            Hand this code to the patient now; it is shown this once:{" "}
            <code className="invitation-code" data-testid="invitation-code">
              {invitation.code}
            </code>
          </p>
        </>
      ) : null}
    </Section>
  );
}
