// Diagnose: ICD-10-CM diseases found by code or name over the whole tree, symptoms and
// findings. Nothing is shown saved until the server answers with its anchor.
import { useState } from "react";
import { useMutation } from "urql";
import { RecordDiagnosisDocument } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { ApiForm, TextArea, TextField, list, localNow, moment, text } from "../shared/form";
import { Combobox, type Suggestion } from "./Combobox";
import { groupErrors, useSubmission } from "./forms";
import { PatientScreen, type Twin } from "./patient";
import { useDiseaseSearch } from "./search";

function DiagnosisForm({ twin }: { twin: Twin }) {
  const [, record] = useMutation(RecordDiagnosisDocument);
  const [diseases, setDiseases] = useState<Suggestion[]>([]);
  const submission = useSubmission();
  const search = useDiseaseSearch();

  async function submit(data: FormData) {
    submission.start();
    const result = await record({
      input: {
        patientId: twin.patient.id,
        diagnosedAt: moment(data, "diagnosedAt") ?? "",
        diseases: diseases.map((d) => ({ code: d.value })),
        symptoms: list(data, "symptoms"),
        findings: text(data, "findings"),
      },
    });
    const saved = result.data?.recordDiagnosis;
    submission.finish(
      result.error,
      saved ? { what: `Diagnosis recorded: ${diseases.map((d) => d.value).join(", ")}.`, anchor: saved.anchor } : null,
      (e) => groupErrors(e, "diseases", "diseases"),
    );
    if (saved) setDiseases([]);
  }

  const diseaseError = submission.errors.fields.diseases;
  return (
    <>
      {submission.done ? <Saved what={submission.done.what} anchor={submission.done.anchor} /> : null}
      <ApiForm id="diagnosis" errors={submission.errors} busy={submission.busy} submitLabel="Record the diagnosis" onSubmit={submit}>
        <Combobox
          id="diagnosis-diseases"
          label="ICD-10-CM diseases"
          hint="Type a code (I21.4) or words of its name (myocardial infarction); pick with the arrow keys and Enter."
          error={diseaseError}
          search={search}
          clearOnPick
          onPick={(picked) => setDiseases((d) => (d.some((x) => x.value === picked.value) ? d : [...d, picked]))}
        />
        <div aria-live="polite">
          {diseases.length ? (
            <ul className="chips" aria-label="Diseases picked">
              {diseases.map((d) => (
                <li key={d.value} className="chip">
                  {d.label}
                  <button type="button" aria-label={`Remove ${d.label}`} onClick={() => setDiseases((all) => all.filter((x) => x.value !== d.value))}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">No disease picked yet.</p>
          )}
        </div>
        <TextField name="diagnosedAt" label="Diagnosed at" type="datetime-local" defaultValue={localNow()} required />
        <TextField name="symptoms" label="Symptoms" hint="Separated by commas" />
        <TextArea name="findings" label="Examination findings" />
      </ApiForm>
    </>
  );
}

export function DiagnosisPage() {
  return <PatientScreen title="Diagnose">{(twin) => <DiagnosisForm twin={twin} />}</PatientScreen>;
}
