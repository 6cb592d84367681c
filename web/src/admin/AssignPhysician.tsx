import { useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ActivePhysiciansDocument, AssignPhysicianDocument, PatientCareTeamDocument, type AnchorFieldsFragment } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { formErrors } from "../shared/errors";
import { ApiForm, SelectField, text } from "../shared/form";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { InvitePatient } from "./InvitePatient";

export function AssignPhysician() {
  const { patientId = "" } = useParams();
  const [twin, refetch] = useQuery({ query: PatientCareTeamDocument, variables: { patientId } });
  const [physicians] = useQuery({ query: ActivePhysiciansDocument });
  const [state, assign] = useMutation(AssignPhysicianDocument);
  const [saved, setSaved] = useState<{ name: string; anchor: AnchorFieldsFragment } | null>(null);
  const patient = twin.data?.twin.patient;
  const options = (physicians.data?.physicians.edges ?? []).map(({ node }) => ({
    value: node.id,
    label: `${node.displayName} (${node.specialty ?? node.username})`,
  }));

  async function submit(data: FormData) {
    setSaved(null);
    const physicianId = text(data, "physicianId") ?? "";
    const result = await assign({ patientId, physicianId });
    if (result.data) {
      setSaved({ name: options.find((o) => o.value === physicianId)?.label ?? "The physician", anchor: result.data.assignPhysician.anchor });
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <Page title="Assign a physician">
      <p>
        <Link to="/admin/patients">Back to patient records</Link>
      </p>
      {twin.error ? <ErrorMessage error={twin.error} /> : null}
      {twin.fetching && !patient ? <Loading /> : null}
      {patient ? (
        <div className="card">
          <h2>
            {patient.givenName} {patient.familyName}
          </h2>
          <dl className="details">
            <dt>Born</dt>
            <dd>{patient.birthDate}</dd>
            <dt>MRN</dt>
            <dd>{patient.mrn ?? "—"}</dd>
            <dt>Status</dt>
            <dd>{patient.status.toLowerCase()}</dd>
            <dt>Care team</dt>
            <dd>
              {twin.data?.twin.careTeam.length ? (
                <ul className="plain">
                  {twin.data.twin.careTeam.map((m) => (
                    <li key={m.id}>
                      {m.displayName} · {m.role.toLowerCase()}
                      {m.specialty ? ` · ${m.specialty}` : m.company ? ` · ${m.company}` : ""}
                    </li>
                  ))}
                </ul>
              ) : (
                "nobody yet"
              )}
            </dd>
          </dl>
        </div>
      ) : null}
      {saved ? <Saved what={`${saved.name} now cares for this patient.`} anchor={saved.anchor} /> : null}
      {patient ? (
        <ApiForm id="assign" errors={formErrors(state.error)} busy={state.fetching} submitLabel="Assign" busyLabel="Assigning…" onSubmit={submit}>
          <SelectField name="physicianId" label="Physician" required empty="Choose a physician" options={options} />
        </ApiForm>
      ) : null}
      {patient ? <InvitePatient patientId={patient.id} name={`${patient.givenName} ${patient.familyName}`} /> : null}
    </Page>
  );
}
