// Give a dose of an active prescription, or stop one with its reason. The server refuses a
// dose after the stop; the screen shows its answer next to the field it names.
import { useState } from "react";
import { useMutation } from "urql";
import { AdministerMedicationDocument, DiscontinueMedicationDocument, type Route } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { SelectField, TextArea, TextField, localNow, moment, number, text } from "../shared/form";
import type { Done } from "./forms";
import { RecordCard } from "./RecordCard";
import { PatientScreen, type Twin } from "./patient";
import { ROUTES } from "./PrescribePage";
import { when } from "./scale";

type Transaction = Twin["medicationTransactions"][number];

function label(t: Transaction): string {
  return `${t.medication.name || t.medication.code} ${t.dose ?? ""} ${t.unit ?? ""} ${t.route?.toLowerCase() ?? ""}${t.frequency ? `, ${t.frequency}` : ""} (${(t.status ?? "").toLowerCase()}, since ${when(t.at)})`;
}

function GiveForm({ prescriptions, onSaved }: { prescriptions: Transaction[]; onSaved: (done: Done) => void }) {
  const [, administer] = useMutation(AdministerMedicationDocument);
  const [chosen, setChosen] = useState(prescriptions[0]?.id ?? "");
  const prescription = prescriptions.find((p) => p.id === chosen);

  async function save(data: FormData) {
    const result = await administer({
      input: {
        prescriptionId: text(data, "prescriptionId") ?? "",
        dose: number(data, "dose") ?? Number.NaN,
        unit: text(data, "unit") ?? "",
        route: (text(data, "route") ?? "ORAL") as Route,
        administeredAt: moment(data, "administeredAt") ?? "",
      },
    });
    return { error: result.error, anchor: result.data?.administerMedication.anchor };
  }

  return (
    <RecordCard
      id="give"
      title="Give a dose"
      submitLabel="Record the dose given"
      what={`Dose of ${prescription?.medication.name ?? "the medication"} recorded as given.`}
      save={save}
      onSaved={onSaved}
    >
      <SelectField
        name="prescriptionId"
        label="Prescription"
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
        options={prescriptions.map((p) => ({ value: p.id, label: label(p) }))}
        required
      />
      <div className="grid-2" key={chosen}>
        <TextField name="dose" label="Dose given" inputMode="decimal" defaultValue={prescription ? String(prescription.dose) : ""} required />
        <TextField name="unit" label="Unit" defaultValue={prescription?.unit ?? ""} required />
        <SelectField name="route" label="Route" options={ROUTES} defaultValue={prescription?.route ?? "ORAL"} required />
      </div>
      <TextField name="administeredAt" label="Given at" type="datetime-local" defaultValue={localNow()} required />
    </RecordCard>
  );
}

function StopForm({ prescriptions, onSaved }: { prescriptions: Transaction[]; onSaved: (done: Done) => void }) {
  const [, discontinue] = useMutation(DiscontinueMedicationDocument);

  async function save(data: FormData) {
    const result = await discontinue({
      input: { prescriptionId: text(data, "prescriptionId") ?? "", discontinuedAt: moment(data, "discontinuedAt") ?? "", reason: text(data, "reason") ?? "" },
    });
    return { error: result.error, anchor: result.data?.discontinueMedication.anchor };
  }

  function what(data: FormData) {
    const id = text(data, "prescriptionId") ?? "";
    return `${prescriptions.find((p) => p.id === id)?.medication.name ?? "The medication"} stopped.`;
  }

  return (
    <RecordCard id="stop" title="Stop a prescription" submitLabel="Stop the prescription" what={what} save={save} onSaved={onSaved}>
      <SelectField name="prescriptionId" label="Prescription to stop" options={prescriptions.map((p) => ({ value: p.id, label: label(p) }))} required />
      <TextArea name="reason" label="Reason" required />
      <TextField name="discontinuedAt" label="Stopped at" type="datetime-local" defaultValue={localNow()} required />
    </RecordCard>
  );
}

function Medications({ twin, refetch }: { twin: Twin; refetch: () => void }) {
  const [done, setDone] = useState<Done | null>(null);
  const running = twin.medicationTransactions.filter((t) => t.kind === "PRESCRIPTION" && (t.status === "ACTIVE" || t.status === "ON_HOLD"));
  const active = running.filter((t) => t.status === "ACTIVE");
  function saved(acknowledged: Done) {
    setDone(acknowledged);
    refetch();
  }
  return (
    <>
      {done ? <Saved what={done.what} anchor={done.anchor} /> : null}
      {running.length === 0 ? (
        <p>This patient has no active prescription.</p>
      ) : (
        <div className="cards">
          {active.length ? <GiveForm prescriptions={active} onSaved={saved} /> : null}
          <StopForm prescriptions={running} onSaved={saved} />
        </div>
      )}
    </>
  );
}

export function MedicationsPage() {
  return (
    <PatientScreen title="Give or stop medications">{(twin, state) => <Medications twin={twin} refetch={state.refetch} />}</PatientScreen>
  );
}
