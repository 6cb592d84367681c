// What every screen of one patient shares: the twin read (or "not found", the same for a
// patient outside your care as for an id that does not exist), and the links between them.
import type { ReactNode } from "react";
import { Link, NavLink, useParams } from "react-router";
import type { CombinedError } from "urql";
import type { PatientTwinQuery } from "../gql/graphql";
import { ErrorMessage, Loading, Page } from "../shared/Page";
import { useTwin } from "./useTwin";

export type Twin = PatientTwinQuery["twin"];

export function patientName(p: { givenName: string; familyName: string }): string {
  return `${p.givenName} ${p.familyName}`;
}

export function isNotFound(error: CombinedError | undefined): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === "NOT_FOUND");
}

export function PatientNotFound({ id }: { id: string }) {
  return (
    <Page title="Patient not found">
      <p>No patient with this id is in your care.</p>
      <p>
        In an emergency you may open a patient outside your care for 4 hours, with a stated reason that is kept in the
        ledger: <Link to={`/physician/break-glass?patient=${encodeURIComponent(id)}`}>emergency access</Link>.
      </p>
      <p>
        <Link to="/physician/patients">Back to my patients</Link>
      </p>
    </Page>
  );
}

export function PatientLinks({ id }: { id: string }) {
  const base = `/physician/patients/${encodeURIComponent(id)}`;
  const links = [
    ["", "Twin"],
    ["/diagnose", "Diagnose"],
    ["/prescribe", "Prescribe"],
    ["/medications", "Give or stop"],
    ["/surgery", "Surgery"],
    ["/discharge", "Discharge"],
  ];
  return (
    <nav className="patient-links" aria-label="This patient">
      <ul>
        {links.map(([to, label]) => (
          <li key={to}>
            <NavLink to={base + to} end>
              {label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A screen about one patient: its title names the patient once the twin is read. */
export function PatientScreen({
  title,
  live = false,
  children,
}: {
  title: string;
  live?: boolean;
  children: (twin: Twin, state: ReturnType<typeof useTwin>) => ReactNode;
}) {
  const { id = "" } = useParams();
  const state = useTwin(id, { live });
  const { data, error, fetching } = state.result;
  if (isNotFound(error)) return <PatientNotFound id={id} />;
  if (!data) {
    return (
      <Page title={title}>
        {error ? <ErrorMessage error={error} /> : null}
        {fetching ? <Loading /> : null}
      </Page>
    );
  }
  const twin = data.twin;
  return (
    <Page title={`${title}: ${patientName(twin.patient)}`}>
      <PatientLinks id={id} />
      {children(twin, state)}
    </Page>
  );
}
