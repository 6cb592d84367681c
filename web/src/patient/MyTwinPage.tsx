// The patient's twin, read-only: the stages of their stay, vital signs, diagnoses and
// medications, as the care team records them. Reading it is itself recorded (grounds SELF).
import { useQuery } from "urql";
import { MyTwinDocument, type PatientRowFragment } from "../gql/graphql";
import { DataTable } from "../shared/DataTable";
import { stageName, when } from "../shared/format";
import { ErrorMessage, Loading, Section } from "../shared/Page";
import { WithMyPatient } from "./useMyPatient";

export function MyTwinPage() {
  return <WithMyPatient title="My twin">{(patient) => <Twin patient={patient} />}</WithMyPatient>;
}

function Twin({ patient }: { patient: PatientRowFragment }) {
  const [{ data, fetching, error }] = useQuery({ query: MyTwinDocument, variables: { patientId: patient.id } });
  if (error) return <ErrorMessage error={error} />;
  if (fetching && !data) return <Loading />;
  const twin = data?.twin;
  if (!twin) return null;
  const diagnoses = twin.timeline.flatMap((s) => (s.__typename === "Diagnosis" ? s.diseases.map((d) => ({ ...d, at: s.at, stage: s.id })) : []));
  return (
    <>
      <div className="card">
        <h2>
          {twin.patient.givenName} {twin.patient.familyName}
        </h2>
        <dl className="details">
          <dt>Born</dt>
          <dd>{twin.patient.birthDate}</dd>
          <dt>Status</dt>
          <dd>{twin.patient.status.toLowerCase()}</dd>
          <dt>Current stage</dt>
          <dd>{stageName(twin.patient.currentStage)}</dd>
          <dt>Care team</dt>
          <dd>{twin.careTeam.map((m) => m.displayName ?? m.role.toLowerCase()).join(", ") || "nobody yet"}</dd>
        </dl>
      </div>
      <Section id="stages" title="Stages">
        <DataTable
          caption="The stages of my stay, oldest first"
          empty="No stage is recorded."
          rows={twin.timeline}
          rowKey={(s) => s.id}
          columns={[
            { header: "Stage", rowHeader: true, cell: (s) => s.__typename },
            { header: "Began", cell: (s) => when(s.at) },
            {
              header: "Details",
              cell: (s) =>
                s.__typename === "Admission"
                  ? [s.chiefComplaint, s.allergies.length ? `allergies: ${s.allergies.join(", ")}` : null, s.currentMedications.length ? `at home: ${s.currentMedications.join(", ")}` : null]
                      .filter(Boolean)
                      .join(" · ")
                  : s.__typename === "Surgery"
                    ? s.procedureDisplay
                    : s.__typename === "Diagnosis"
                      ? s.diseases.map((d) => d.display).join(", ")
                      : "",
            },
          ]}
        />
      </Section>
      <Section id="vitals" title="Vital signs">
        <DataTable
          caption={`${twin.vitals.length} measurements`}
          empty="No vital sign is recorded."
          rows={twin.vitals}
          rowKey={(v) => v.id}
          columns={[
            { header: "Measured", rowHeader: true, cell: (v) => when(v.at) },
            { header: "What", cell: (v) => v.name ?? v.code },
            { header: "Value", cell: (v) => (v.value !== null && v.value !== undefined ? `${v.value} ${v.unit ?? ""}` : (v.text ?? "—")) },
          ]}
        />
      </Section>
      <Section id="diagnoses" title="Diagnoses">
        <DataTable
          caption="Diagnoses made during my stay"
          empty="No diagnosis is recorded."
          rows={diagnoses}
          rowKey={(d) => `${d.stage}-${d.code}`}
          columns={[
            { header: "Disease", rowHeader: true, cell: (d) => d.display },
            { header: "ICD-10-CM", cell: (d) => <code>{d.code}</code> },
            { header: "Diagnosed", cell: (d) => when(d.at) },
          ]}
        />
      </Section>
      <Section id="medications" title="Medications">
        <DataTable
          caption="Medications prescribed and given"
          empty="No medication is recorded."
          rows={twin.medicationTransactions}
          rowKey={(t) => t.id}
          columns={[
            { header: "Medication", rowHeader: true, cell: (t) => t.medication.name },
            { header: "What", cell: (t) => t.kind.toLowerCase() },
            { header: "When", cell: (t) => when(t.at) },
            { header: "Dose", cell: (t) => [t.dose, t.unit, t.route, t.frequency].filter(Boolean).join(" ") || "—" },
            { header: "Status", cell: (t) => t.status?.toLowerCase() ?? "—" },
          ]}
        />
      </Section>
    </>
  );
}
