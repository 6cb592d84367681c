// Discharge: closes the stay. Shown done only once the server anchored it.
import { useState } from "react";
import { Link } from "react-router";
import { useMutation } from "urql";
import { DischargePatientDocument, type Disposition } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { ApiForm, SelectField, TextArea, TextField, localNow, moment, text } from "../shared/form";
import { useSubmission, type Done } from "./forms";
import { PatientScreen, type Twin } from "./patient";

const DISPOSITIONS = [
  { value: "HOME", label: "Home" },
  { value: "TRANSFER", label: "Transfer to another facility" },
  { value: "REHABILITATION", label: "Rehabilitation" },
  { value: "AGAINST_MEDICAL_ADVICE", label: "Against medical advice" },
  { value: "DECEASED", label: "Deceased" },
];

function Discharge({ twin, refetch }: { twin: Twin; refetch: () => void }) {
  const [, discharge] = useMutation(DischargePatientDocument);
  const [done, setDone] = useState<Done | null>(null);
  const submission = useSubmission();
  async function submit(data: FormData) {
    submission.start();
    const result = await discharge({
      input: {
        patientId: twin.patient.id,
        dischargedAt: moment(data, "dischargedAt") ?? "",
        disposition: (text(data, "disposition") ?? "HOME") as Disposition,
        summary: text(data, "summary"),
      },
    });
    const saved = result.data?.dischargePatient;
    submission.finish(result.error, null);
    if (saved) {
      setDone({ what: "Patient discharged.", anchor: saved.anchor });
      refetch();
    }
  }
  return (
    <>
      {done ? <Saved what={done.what} anchor={done.anchor} /> : null}
      {twin.patient.status === "DISCHARGED" ? (
        <p>
          Discharged on {new Date(twin.patient.dischargedAt ?? "").toLocaleString()}.{" "}
          <Link to={`/physician/patients/${twin.patient.id}`}>See the twin</Link>
        </p>
      ) : (
        <ApiForm id="discharge" errors={submission.errors} busy={submission.busy} submitLabel="Discharge the patient" busyLabel="Discharging…" onSubmit={submit}>
          <TextField name="dischargedAt" label="Discharged at" type="datetime-local" defaultValue={localNow()} required />
          <SelectField name="disposition" label="Disposition" options={DISPOSITIONS} defaultValue="HOME" required />
          <TextArea name="summary" label="Discharge summary" />
        </ApiForm>
      )}
    </>
  );
}

export function DischargePage() {
  return <PatientScreen title="Discharge">{(twin, state) => <Discharge twin={twin} refetch={state.refetch} />}</PatientScreen>;
}
