// A patient's account is linked to one twin; the API lists exactly that one patient to it
// (`patients`), so the screens ask for it rather than keep an id the browser could get wrong.
import type { ReactNode } from "react";
import { useQuery } from "urql";
import { MyPatientDocument, type PatientRowFragment } from "../gql/graphql";
import { ErrorMessage, Loading, Page } from "../shared/Page";

/** Renders `children` with the patient's own record once it is known. */
export function WithMyPatient({ title, children }: { title: string; children: (patient: PatientRowFragment) => ReactNode }) {
  const [{ data, fetching, error }] = useQuery({ query: MyPatientDocument });
  const patient = data?.patients.edges[0]?.node;
  return (
    <Page title={title}>
      {error ? <ErrorMessage error={error} /> : null}
      {fetching && !data ? <Loading /> : null}
      {data && !patient ? <p>No twin is linked to this account.</p> : null}
      {patient ? children(patient) : null}
    </Page>
  );
}
