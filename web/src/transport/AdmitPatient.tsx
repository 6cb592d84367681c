// The admission form, used on a tablet in the ambulance bay: one column on a narrow screen,
// large targets, numeric keypads for the vitals. The server checks every value (ranges,
// times, required fields) and its field errors are shown next to the field they name.
import { useState } from "react";
import { Link } from "react-router";
import { useMutation } from "urql";
import {
  AdmitPatientDocument,
  type AdmitPatientInput,
  type AnchorFieldsFragment,
  type ArrivalMode,
  type Consciousness,
  type Sex,
  type VitalSign,
  type VitalSignInput,
} from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { formErrors } from "../shared/errors";
import { renameFields } from "../shared/fieldPaths";
import { ApiForm, RadioGroup, SelectField, TextArea, TextField, list, localNow, moment, number, text } from "../shared/form";
import { Page } from "../shared/Page";

const VITALS: { sign: VitalSign; label: string; unit: string; step?: string }[] = [
  { sign: "HEART_RATE", label: "Heart rate", unit: "beats/min" },
  { sign: "RESPIRATORY_RATE", label: "Respiratory rate", unit: "breaths/min" },
  { sign: "OXYGEN_SATURATION", label: "SpO₂", unit: "%" },
  { sign: "SYSTOLIC_BLOOD_PRESSURE", label: "Systolic BP", unit: "mmHg" },
  { sign: "DIASTOLIC_BLOOD_PRESSURE", label: "Diastolic BP", unit: "mmHg" },
  { sign: "BODY_TEMPERATURE", label: "Temperature", unit: "°C", step: "0.1" },
  { sign: "INHALED_OXYGEN_FLOW", label: "Oxygen flow", unit: "L/min (0 on air)", step: "0.5" },
  { sign: "GLASGOW_COMA_SCORE", label: "Glasgow coma score", unit: "3–15" },
  { sign: "BLOOD_GLUCOSE", label: "Blood glucose", unit: "mg/dL" },
  { sign: "PAIN_SCORE", label: "Pain", unit: "0–10" },
];

const ARRIVAL: { value: ArrivalMode; label: string }[] = [
  { value: "AMBULANCE", label: "Ambulance" },
  { value: "HELICOPTER", label: "Helicopter" },
  { value: "TRANSFER", label: "Transfer" },
  { value: "REFERRAL", label: "Referral" },
  { value: "WALK_IN", label: "Walk-in" },
];

const ACVPU: { value: Consciousness; label: string }[] = [
  { value: "ALERT", label: "Alert" },
  { value: "CONFUSION", label: "New confusion" },
  { value: "VOICE", label: "Responds to voice" },
  { value: "PAIN", label: "Responds to pain" },
  { value: "UNRESPONSIVE", label: "Unresponsive" },
];

const TRIAGE = [
  { value: "1", label: "1 · Resuscitation" },
  { value: "2", label: "2 · Emergent" },
  { value: "3", label: "3 · Urgent" },
  { value: "4", label: "4 · Less urgent" },
  { value: "5", label: "5 · Non-urgent" },
];

type Admitted = { name: string; patientId: string; anchor: AnchorFieldsFragment; warnings: string[] };

/** The mutation's input from the form, and for each vitals[i] the input that holds it. */
function readForm(data: FormData): { input: AdmitPatientInput; signs: VitalSign[] } {
  const measuredAt = moment(data, "vitalsAt") ?? "";
  const vitals: VitalSignInput[] = [];
  for (const { sign } of VITALS) {
    const value = number(data, `vitals.${sign}`);
    if (value !== null) vitals.push({ sign, value, measuredAt });
  }
  const level = text(data, "consciousness.level") as Consciousness | null;
  return {
    signs: vitals.map((v) => v.sign),
    input: {
      patient: {
        givenName: text(data, "patient.givenName") ?? "",
        familyName: text(data, "patient.familyName") ?? "",
        birthDate: text(data, "patient.birthDate") ?? "",
        sex: (text(data, "patient.sex") ?? "UNKNOWN") as Sex,
        mrn: text(data, "patient.mrn"),
      },
      arrivalMode: (text(data, "arrivalMode") ?? "AMBULANCE") as ArrivalMode,
      arrivedAt: moment(data, "arrivedAt") ?? "",
      chiefComplaint: text(data, "chiefComplaint") ?? "",
      triageLevel: number(data, "triageLevel") ?? 0,
      allergies: list(data, "allergies"),
      currentMedications: list(data, "currentMedications"),
      contactPhone: text(data, "contactPhone"),
      insurance: text(data, "insurance"),
      vitals: vitals.length ? vitals : null,
      consciousness: level ? { level, measuredAt } : null,
    },
  };
}

export function AdmitPatient() {
  const [state, admit] = useMutation(AdmitPatientDocument);
  const [signs, setSigns] = useState<VitalSign[]>([]);
  const [admitted, setAdmitted] = useState<Admitted | null>(null);
  const [formKey, setFormKey] = useState(0);

  const errors = renameFields(formErrors(state.error), (field) => {
    const match = /^vitals\[(\d+)\]\.(value|measuredAt)$/.exec(field);
    if (!match) return field === "consciousness.measuredAt" ? "vitalsAt" : field;
    return match[2] === "measuredAt" ? "vitalsAt" : `vitals.${signs[Number(match[1])] ?? ""}`;
  });

  async function submit(data: FormData) {
    const { input, signs: sent } = readForm(data);
    setSigns(sent);
    const result = await admit({ input });
    const answer = result.data?.admitPatient;
    if (answer) {
      setAdmitted({
        name: `${input.patient?.givenName} ${input.patient?.familyName}`,
        patientId: answer.patientId,
        anchor: answer.anchor,
        warnings: answer.warnings,
      });
    }
  }

  if (admitted) {
    return (
      <Page title="Admit a patient">
        <Saved what={`${admitted.name} is admitted.`} anchor={admitted.anchor} />
        {admitted.warnings.map((w) => (
          <p className="warning" key={w}>
            {w}
          </p>
        ))}
        <div className="actions">
          <button
            type="button"
            className="primary"
            onClick={() => {
              setAdmitted(null);
              setFormKey((k) => k + 1);
            }}
          >
            Admit another patient
          </button>
          <Link className="button" to="/transport/patients">
            My patients
          </Link>
        </div>
      </Page>
    );
  }

  return (
    <Page title="Admit a patient">
      <ApiForm
        key={formKey}
        id="admit"
        className="form tablet-form"
        errors={errors}
        busy={state.fetching}
        submitLabel="Admit patient"
        busyLabel="Admitting…"
        onSubmit={submit}
      >
        <fieldset className="group">
          <legend>Patient</legend>
          <div className="grid-2">
            <TextField name="patient.givenName" label="Given name" required autoComplete="off" />
            <TextField name="patient.familyName" label="Family name" required autoComplete="off" />
            <TextField name="patient.birthDate" label="Date of birth" type="date" required />
            <SelectField
              name="patient.sex"
              label="Sex"
              required
              defaultValue="UNKNOWN"
              options={[
                { value: "FEMALE", label: "Female" },
                { value: "MALE", label: "Male" },
                { value: "OTHER", label: "Other" },
                { value: "UNKNOWN", label: "Unknown" },
              ]}
            />
            <TextField name="patient.mrn" label="Medical record number" hint="If known" autoComplete="off" />
            <TextField name="contactPhone" label="Contact phone" type="tel" autoComplete="off" />
            <TextField name="insurance" label="Insurance" autoComplete="off" />
          </div>
        </fieldset>

        <fieldset className="group">
          <legend>Arrival</legend>
          <div className="grid-2">
            <TextField name="arrivedAt" label="Arrival time" type="datetime-local" required defaultValue={localNow()} />
            <SelectField name="arrivalMode" label="Arrival mode" required defaultValue="AMBULANCE" options={ARRIVAL} />
          </div>
          <TextArea name="chiefComplaint" label="Chief complaint" required />
          <RadioGroup name="triageLevel" label="Triage level (ESI)" required options={TRIAGE} />
        </fieldset>

        <fieldset className="group">
          <legend>Vital signs</legend>
          <TextField name="vitalsAt" label="Measured at" type="datetime-local" defaultValue={localNow()} />
          <div className="vitals-grid">
            {VITALS.map((v) => (
              <TextField
                key={v.sign}
                name={`vitals.${v.sign}`}
                label={v.label}
                hint={v.unit}
                type="number"
                inputMode="decimal"
                step={v.step ?? "1"}
              />
            ))}
          </div>
          <RadioGroup name="consciousness.level" label="Consciousness (ACVPU)" options={ACVPU} />
        </fieldset>

        <fieldset className="group">
          <legend>History</legend>
          <div className="grid-2">
            <TextArea name="allergies" label="Allergies" hint="One per line" />
            <TextArea name="currentMedications" label="Current medications" hint="One per line" />
          </div>
        </fieldset>
      </ApiForm>
    </Page>
  );
}
