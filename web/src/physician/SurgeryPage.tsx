// The surgery's three phases: the pre-operative assessment opens the Surgery stage; the
// intra-operative record and the post-operative course are added to it, in that order.
import { useState } from "react";
import { useMutation } from "urql";
import {
  RecordIntraOperativeDocument,
  RecordPostOperativeDocument,
  RecordSurgeryDocument,
  type SurgicalRisk,
} from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { Checkbox } from "./Checkbox";
import { SelectField, TextArea, TextField, list, localNow, moment, number, text } from "../shared/form";
import type { Done } from "./forms";
import { RecordCard } from "./RecordCard";
import { PatientScreen, type Twin } from "./patient";
import { phaseName } from "./Timeline";

type Surgery = Extract<Twin["timeline"][number], { __typename: "Surgery" }>;

const RISKS = [
  { value: "LOW", label: "Low" },
  { value: "MODERATE", label: "Moderate" },
  { value: "HIGH", label: "High" },
];
const ASA = [1, 2, 3, 4, 5, 6].map((n) => ({ value: String(n), label: `ASA ${n}` }));

function PreOperativeForm({ twin, onSaved }: { twin: Twin; onSaved: (d: Done) => void }) {
  const [, record] = useMutation(RecordSurgeryDocument);
  async function save(data: FormData) {
    const result = await record({
      input: {
        patientId: twin.patient.id,
        procedureCode: text(data, "procedureCode") ?? "",
        procedureDisplay: text(data, "procedureDisplay") ?? "",
        scheduledAt: moment(data, "scheduledAt") ?? "",
        preOperative: {
          assessedAt: moment(data, "preOperative.assessedAt") ?? "",
          asaClass: number(data, "preOperative.asaClass") ?? Number.NaN,
          consentSigned: data.get("preOperative.consentSigned") === "yes",
          risk: (text(data, "preOperative.risk") ?? "LOW") as SurgicalRisk,
          notes: text(data, "preOperative.notes"),
        },
      },
    });
    return { error: result.error, anchor: result.data?.recordSurgery.anchor };
  }
  return (
    <RecordCard
      id="pre"
      title="Pre-operative assessment"
      submitLabel="Record the pre-operative assessment"
      what="Surgery scheduled, pre-operative assessment recorded."
      save={save}
      onSaved={onSaved}
    >
      <div className="grid-2">
        <TextField name="procedureCode" label="Procedure (SNOMED CT code)" inputMode="numeric" required />
        <TextField name="procedureDisplay" label="Procedure name" required />
      </div>
      <TextField name="scheduledAt" label="Scheduled at" type="datetime-local" defaultValue={localNow()} required />
      <TextField name="preOperative.assessedAt" label="Assessed at" type="datetime-local" defaultValue={localNow()} required />
      <div className="grid-2">
        <SelectField name="preOperative.asaClass" label="ASA physical status" options={ASA} defaultValue="2" required />
        <SelectField name="preOperative.risk" label="Surgical risk" options={RISKS} defaultValue="LOW" required />
      </div>
      <Checkbox form="pre" name="preOperative.consentSigned" label="Consent signed" />
      <TextArea name="preOperative.notes" label="Notes" />
    </RecordCard>
  );
}

function IntraOperativeForm({ surgery, onSaved }: { surgery: Surgery; onSaved: (d: Done) => void }) {
  const [, record] = useMutation(RecordIntraOperativeDocument);
  async function save(data: FormData) {
    const result = await record({
      surgeryId: surgery.id,
      input: {
        startedAt: moment(data, "intraOperative.startedAt") ?? "",
        endedAt: moment(data, "intraOperative.endedAt") ?? "",
        anaesthesia: text(data, "intraOperative.anaesthesia") ?? "",
        notes: text(data, "intraOperative.notes"),
      },
    });
    return { error: result.error, anchor: result.data?.recordIntraOperative.anchor };
  }
  return (
    <RecordCard id="intra" title="Intra-operative record" submitLabel="Record the operation" what="Intra-operative record added." save={save} onSaved={onSaved}>
      <TextField name="intraOperative.startedAt" label="Started at" type="datetime-local" defaultValue={localNow()} required />
      <TextField name="intraOperative.endedAt" label="Ended at" type="datetime-local" defaultValue={localNow()} required />
      <TextField name="intraOperative.anaesthesia" label="Anaesthesia" required />
      <TextArea name="intraOperative.notes" label="Operative notes" />
    </RecordCard>
  );
}

function PostOperativeForm({ surgery, onSaved }: { surgery: Surgery; onSaved: (d: Done) => void }) {
  const [, record] = useMutation(RecordPostOperativeDocument);
  async function save(data: FormData) {
    const result = await record({
      surgeryId: surgery.id,
      input: {
        recordedAt: moment(data, "postOperative.recordedAt") ?? "",
        recovery: text(data, "postOperative.recovery") ?? "",
        complications: list(data, "postOperative.complications"),
        disposition: text(data, "postOperative.disposition"),
        notes: text(data, "postOperative.notes"),
      },
    });
    return { error: result.error, anchor: result.data?.recordPostOperative.anchor };
  }
  return (
    <RecordCard id="post" title="Post-operative course" submitLabel="Record the post-operative course" what="Post-operative course recorded." save={save} onSaved={onSaved}>
      <TextField name="postOperative.recordedAt" label="Recorded at" type="datetime-local" defaultValue={localNow()} required />
      <TextArea name="postOperative.recovery" label="Recovery" required />
      <TextField name="postOperative.complications" label="Complications" hint="Separated by commas; leave empty if none" />
      <TextField name="postOperative.disposition" label="Disposition" hint="e.g. ward, intensive care" />
      <TextArea name="postOperative.notes" label="Notes" />
    </RecordCard>
  );
}

function Surgeries({ twin, refetch }: { twin: Twin; refetch: () => void }) {
  const [done, setDone] = useState<Done | null>(null);
  const surgeries = twin.timeline.filter((s): s is Surgery => s.__typename === "Surgery");
  const current = surgeries[surgeries.length - 1];
  const phases = new Set(current?.phases.map((p) => p.phase));
  function saved(acknowledged: Done) {
    setDone(acknowledged);
    refetch();
  }
  return (
    <>
      {done ? <Saved what={done.what} anchor={done.anchor} /> : null}
      {current ? (
        <p>
          Current surgery: <strong>{current.procedureDisplay}</strong> (SNOMED CT {current.procedureCode}); recorded phases:{" "}
          {current.phases.map((p) => phaseName(p.phase)).join(", ")}.
        </p>
      ) : null}
      <div className="cards">
        {!current || phases.has("POST_OPERATIVE") ? (
          twin.patient.status === "ADMITTED" ? <PreOperativeForm twin={twin} onSaved={saved} /> : <p>The patient is discharged.</p>
        ) : !phases.has("INTRA_OPERATIVE") ? (
          <IntraOperativeForm surgery={current} onSaved={saved} />
        ) : (
          <PostOperativeForm surgery={current} onSaved={saved} />
        )}
      </div>
    </>
  );
}

export function SurgeryPage() {
  return <PatientScreen title="Surgery">{(twin, state) => <Surgeries twin={twin} refetch={state.refetch} />}</PatientScreen>;
}
