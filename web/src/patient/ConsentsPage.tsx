// My consents: what I granted or revoked, and a form to change one. TREATMENT is granted by
// default (revoking it closes the twin to the care team, except by break-glass, which then
// shows in "Who accessed my record"); SHARING names one physician. The server keeps the rules;
// the form only sends the choice and shows the anchored answer.
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { GrantConsentDocument, MyConsentsDocument, RevokeConsentDocument, type AnchorFieldsFragment, type ConsentPurpose } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { DataTable } from "../shared/DataTable";
import { formErrors } from "../shared/errors";
import { ApiForm, RadioGroup, SelectField, text } from "../shared/form";
import { when } from "../shared/format";
import { ErrorMessage, Loading, Section } from "../shared/Page";
import { WithMyPatient } from "./useMyPatient";

const PURPOSES: { value: ConsentPurpose; label: string }[] = [
  { value: "TREATMENT", label: "Treatment by my care team" },
  { value: "RESEARCH", label: "De-identified use for research" },
  { value: "SHARING", label: "Sharing my twin with a named physician" },
];

function purposeName(purpose: ConsentPurpose): string {
  return PURPOSES.find((p) => p.value === purpose)?.label ?? purpose;
}

export function ConsentsPage() {
  return <WithMyPatient title="My consents">{(patient) => <Consents patientId={patient.id} />}</WithMyPatient>;
}

function Consents({ patientId }: { patientId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: MyConsentsDocument, variables: { patientId }, requestPolicy: "network-only" });
  const [granting, grant] = useMutation(GrantConsentDocument);
  const [revoking, revoke] = useMutation(RevokeConsentDocument);
  const [purpose, setPurpose] = useState<ConsentPurpose>("RESEARCH");
  const [decision, setDecision] = useState<"grant" | "revoke">("grant");
  const [saved, setSaved] = useState<{ what: string; anchor: AnchorFieldsFragment } | null>(null);
  const physicians = (data?.twin.careTeam ?? []).filter((m) => m.role === "PHYSICIAN");
  const treatmentListed = (data?.consents ?? []).some((c) => c.purpose === "TREATMENT");

  async function submit(form: FormData) {
    setSaved(null);
    const recipientId = purpose === "SHARING" ? text(form, "recipientId") : null;
    const variables = { purpose, recipientId };
    const result = decision === "grant" ? await grant(variables) : await revoke(variables);
    const change = result.data && ("grantConsent" in result.data ? result.data.grantConsent : result.data.revokeConsent);
    if (change) {
      setSaved({ what: `${purposeName(change.purpose)}: ${change.granted ? "granted" : "revoked"}.`, anchor: change.anchor });
      refetch({ requestPolicy: "network-only" });
    }
  }

  const busy = granting.fetching || revoking.fetching;
  const lastError = decision === "grant" ? granting.error : revoking.error;
  return (
    <>
      <Section id="current" title="My consents now">
        {error ? <ErrorMessage error={error} /> : null}
        {fetching && !data ? <Loading /> : null}
        {data ? (
          <>
            {treatmentListed ? null : <p>Treatment by my care team: granted (the default while I am admitted).</p>}
            <DataTable
              caption="Consents I have given or taken back, as last changed"
              empty="You have not changed any consent."
              rows={data.consents}
              rowKey={(c) => `${c.purpose}-${c.recipientId ?? ""}`}
              rowAttributes={(c) => ({ "data-purpose": c.purpose, "data-granted": String(c.granted) })}
              columns={[
                { header: "Purpose", rowHeader: true, cell: (c) => purposeName(c.purpose) },
                { header: "Decision", cell: (c) => (c.granted ? "granted" : "revoked") },
                { header: "Physician", cell: (c) => c.recipientName ?? (c.recipientId ? <code>{c.recipientId}</code> : "—") },
                { header: "Since", cell: (c) => when(c.at) },
                { header: "Ledger entry", cell: (c) => `#${c.seq}` },
              ]}
            />
          </>
        ) : null}
      </Section>
      <Section id="change" title="Change a consent">
        {saved ? <Saved what={saved.what} anchor={saved.anchor} /> : null}
        <ApiForm id="consent" errors={formErrors(lastError)} busy={busy} submitLabel="Save my decision" busyLabel="Saving…" onSubmit={submit}>
          <RadioGroup name="purpose" label="Purpose" required defaultValue={purpose} onChange={(v) => setPurpose(v as ConsentPurpose)} options={PURPOSES} />
          <RadioGroup
            name="decision"
            label="My decision"
            required
            defaultValue={decision}
            onChange={(v) => setDecision(v as "grant" | "revoke")}
            options={[
              { value: "grant", label: "Grant" },
              { value: "revoke", label: "Revoke" },
            ]}
          />
          {purpose === "SHARING" ? (
            <SelectField
              name="recipientId"
              label="Physician to share my twin with"
              hint="A physician of your care team"
              required
              empty="Choose a physician"
              options={physicians.map((m) => ({ value: m.id, label: `${m.displayName ?? m.id}${m.specialty ? ` (${m.specialty})` : ""}` }))}
            />
          ) : null}
        </ApiForm>
        {purpose === "TREATMENT" && decision === "revoke" ? (
          <p className="warning">
            Revoking treatment closes your twin to your care team at once. Only an emergency (break-glass) access can then read
            it, and you will see it under “Who accessed my record”.
          </p>
        ) : null}
      </Section>
    </>
  );
}
