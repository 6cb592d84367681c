// Prescribe: pick a medication, then the server's interaction check shows what the
// prescription would warn of, BEFORE it is confirmed. The warnings are the server's (the same
// rule prescribeMedication anchors); the physician decides.
import { useState } from "react";
import { useClient, useMutation } from "urql";
import { InteractionCheckDocument, PrescribeMedicationDocument, type InteractionCheckQuery, type Route } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { formErrors } from "../shared/errors";
import { ApiForm, SelectField, TextField, localNow, moment, number, text } from "../shared/form";
import { Combobox, type Suggestion } from "./Combobox";
import { useSubmission } from "./forms";
import { PatientScreen, type Twin } from "./patient";
import { SEVERITY_LABEL } from "./risk";
import { useMedicationSearch } from "./search";

export const ROUTES: { value: Route; label: string }[] = [
  { value: "ORAL", label: "Oral" },
  { value: "INTRAVENOUS", label: "Intravenous" },
  { value: "INTRAMUSCULAR", label: "Intramuscular" },
  { value: "SUBCUTANEOUS", label: "Subcutaneous" },
  { value: "INHALED", label: "Inhaled" },
  { value: "TOPICAL", label: "Topical" },
  { value: "RECTAL", label: "Rectal" },
  { value: "SUBLINGUAL", label: "Sublingual" },
];

type Check = InteractionCheckQuery["interactionCheck"];

/** Warnings that are not interactions: an allergy noted at admission that covers the
 * medication, home medications the catalogue does not know (so could not be checked). */
function otherWarnings(check: Check): string[] {
  return check.warnings.filter((w) => !w.startsWith("interacts with "));
}

function Warnings({ check }: { check: Check }) {
  const others = otherWarnings(check);
  const name = check.medication.name || `RxNorm ${check.medication.code}`;
  if (check.interactions.length === 0 && others.length === 0) {
    return (
      <div className="notice" role="status" data-interactions="0">
        <p>No interaction with this patient's active prescriptions or home medications is known for {name}.</p>
      </div>
    );
  }
  const n = check.interactions.length;
  return (
    <div className="warning interaction-warning" role="alert" data-interactions={n}>
      <h2>{n ? "Interaction warning" : "Warning"}</h2>
      {n ? (
        <>
          <p>
            {name} interacts with {n === 1 ? "a medication" : `${n} medications`} of this patient. Read before confirming:
          </p>
          <ul>
            {check.interactions.map((i) => (
              <li key={i.medication.code}>
                <strong>
                  {SEVERITY_LABEL[i.severity]}: {i.medication.name || i.medication.code}
                </strong>{" "}
                ({i.takenAtHome ? "taken at home, noted at admission" : "active prescription"}) — <span lang="fr">{i.description}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {others.length ? (
        <ul aria-label="Other warnings">
          {others.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function PrescribeForm({ twin }: { twin: Twin }) {
  const client = useClient();
  const [, prescribe] = useMutation(PrescribeMedicationDocument);
  const search = useMedicationSearch();
  const [medication, setMedication] = useState<{ code: string; name: string } | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const submission = useSubmission();
  const diagnoses = twin.timeline.filter((s) => s.__typename === "Diagnosis");

  function pick(picked: Suggestion) {
    const name = picked.label.replace(/ \(RxNorm \d+\)$/, "");
    setMedication({ code: picked.value, name });
    setCheck(null);
  }

  async function submit(data: FormData) {
    if (!medication) {
      submission.setErrors({ fields: { "medication.code": "pick a medication first" }, form: [] });
      return;
    }
    submission.start();
    if (!check || check.medication.code !== medication.code) {
      // Step 1: what would this prescription warn of? Nothing is recorded.
      const result = await client
        .query(InteractionCheckDocument, { patientId: twin.patient.id, medicationCode: medication.code }, { requestPolicy: "network-only" })
        .toPromise();
      submission.finish(result.error, null, (e) => renameField(e, "medicationCode", "medication.code"));
      if (result.data) setCheck(result.data.interactionCheck);
      return;
    }
    // Step 2: confirmed, with the warnings in view.
    const diagnosisId = text(data, "diagnosisId");
    const result = await prescribe({
      input: {
        patientId: twin.patient.id,
        medication: { code: medication.code, name: medication.name },
        dose: number(data, "dose") ?? Number.NaN,
        unit: text(data, "unit") ?? "",
        route: (text(data, "route") ?? "ORAL") as Route,
        frequency: text(data, "frequency") ?? "",
        prescribedAt: moment(data, "prescribedAt") ?? "",
        diagnosisId,
      },
    });
    const saved = result.data?.prescribeMedication;
    submission.finish(
      result.error,
      saved
        ? { what: `${medication.name} prescribed${saved.warnings.length ? `, with ${saved.warnings.length} interaction warning(s) anchored with it` : ""}.`, anchor: saved.anchor, warnings: saved.warnings }
        : null,
    );
    if (saved) setCheck(null);
  }

  const checked = !!check && !!medication && check.medication.code === medication.code;
  return (
    <>
      {submission.done ? (
        <>
          <Saved what={submission.done.what} anchor={submission.done.anchor} />
          {submission.done.warnings?.length ? (
            <ul className="warn-text" aria-label="Warnings anchored with the prescription">
              {submission.done.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      <ApiForm
        id="prescribe"
        errors={submission.errors}
        busy={submission.busy}
        submitLabel={checked ? `Confirm: prescribe ${medication?.name}` : "Check interactions"}
        busyLabel={checked ? "Prescribing…" : "Checking…"}
        onSubmit={submit}
      >
        <Combobox
          id="prescribe-medication_code"
          label="Medication"
          hint="Type a name (warfarin) or an RxNorm code (1191)."
          error={submission.errors.fields["medication.code"] ?? submission.errors.fields["medication.name"]}
          search={search}
          onPick={pick}
        />
        {medication ? (
          <p className="picked" role="status">
            Picked: <strong>{medication.name}</strong> (RxNorm {medication.code})
          </p>
        ) : null}
        {checked && check ? <Warnings check={check} /> : null}
        <div className="grid-2">
          <TextField name="dose" label="Dose" inputMode="decimal" required defaultValue="75" />
          <TextField name="unit" label="Unit" required defaultValue="mg" />
          <SelectField name="route" label="Route" options={ROUTES} defaultValue="ORAL" required />
          <TextField name="frequency" label="Frequency" required defaultValue="daily" />
        </div>
        <TextField name="prescribedAt" label="Prescribed at" type="datetime-local" defaultValue={localNow()} required />
        <SelectField
          name="diagnosisId"
          label="For the diagnosis"
          empty="No particular diagnosis"
          options={diagnoses.map((d) => ({
            value: d.id,
            label: d.__typename === "Diagnosis" ? d.diseases.map((x) => `${x.code} ${x.display}`).join("; ") : d.id,
          }))}
        />
      </ApiForm>
    </>
  );
}

function renameField(errors: ReturnType<typeof formErrors>, from: string, to: string) {
  const fields = { ...errors.fields };
  if (from in fields) {
    fields[to] = fields[from];
    delete fields[from];
  }
  return { fields, form: errors.form };
}

export function PrescribePage() {
  return <PatientScreen title="Prescribe">{(twin) => <PrescribeForm twin={twin} />}</PatientScreen>;
}
