// Break-glass: open a patient outside my care for 4 hours, with the emergency stated. The
// reason is anchored in the ledger and shown to administrators and auditors.
import { useState } from "react";
import { Link } from "react-router";
import { useQueryParams } from "./params";
import { useMutation } from "urql";
import { BreakGlassDocument } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { ApiForm, TextArea, TextField, text } from "../shared/form";
import { Page } from "../shared/Page";
import { useSubmission, type Done } from "./forms";

export function BreakGlassPage() {
  const [params] = useQueryParams();
  const [, breakGlass] = useMutation(BreakGlassDocument);
  const [opened, setOpened] = useState<(Done & { patientId: string }) | null>(null);
  const submission = useSubmission();

  async function submit(data: FormData) {
    submission.start();
    const result = await breakGlass({ patientId: text(data, "patientId") ?? "", reason: text(data, "reason") ?? "" });
    const saved = result.data?.breakGlass;
    submission.finish(result.error, null);
    if (saved) setOpened({ what: "Emergency access granted for 4 hours; the reason is in the ledger.", anchor: saved.anchor, patientId: saved.patientId });
  }

  return (
    <Page title="Emergency access">
      <div className="warning">
        <p>
          Open the record of a patient who is <strong>not in your care</strong>, for 4 hours. Use it only in an
          emergency: your reason is anchored in the ledger and read by administrators and auditors.
        </p>
      </div>
      {opened ? (
        <>
          <Saved what={opened.what} anchor={opened.anchor} />
          <p>
            <Link to={`/physician/patients/${encodeURIComponent(opened.patientId)}`}>Open the patient's twin</Link>
          </p>
        </>
      ) : null}
      <ApiForm id="break-glass" errors={submission.errors} busy={submission.busy} submitLabel="Break the glass" busyLabel="Recording…" onSubmit={submit}>
        <TextField name="patientId" label="Patient ID" defaultValue={params.get("patient") ?? ""} autoComplete="off" required />
        <TextArea name="reason" label="Reason" hint="The emergency, in at least 10 characters" required />
      </ApiForm>
    </Page>
  );
}
