// Asking to be erased (GDPR art. 17). The request erases nothing by itself: it is anchored and
// listed to the hospital's administrators, who erase (destroying the data key, for good) once
// they have dealt with what the law lets the hospital keep.
import { useMutation, useQuery } from "urql";
import { MyErasureRequestDocument, RequestErasureDocument } from "../gql/graphql";
import { Saved } from "../shared/Anchor";
import { formErrors } from "../shared/errors";
import { ApiForm } from "../shared/form";
import { when } from "../shared/format";
import { ErrorMessage, Section } from "../shared/Page";
import { WithMyPatient } from "./useMyPatient";

export function ErasurePage() {
  return <WithMyPatient title="Erase my record">{(patient) => <Erasure patientId={patient.id} />}</WithMyPatient>;
}

function Erasure({ patientId }: { patientId: string }) {
  const [{ data, error }, refetch] = useQuery({ query: MyErasureRequestDocument, variables: { patientId }, requestPolicy: "network-only" });
  const [state, request] = useMutation(RequestErasureDocument);
  const open = data?.erasureRequest;

  async function submit() {
    const result = await request({});
    if (result.data) refetch({ requestPolicy: "network-only" });
  }

  return (
    <>
      <p>
        You may ask the hospital to erase your twin. Your request is recorded in the ledger and shown to the hospital's
        administrators; they erase your record, which cannot be undone: your data key is destroyed, your nodes removed, and
        every ledger entry about you can no longer be read. Download your export first if you want to keep a copy.
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      <Section id="request" title="My request">
        {open ? (
          <p data-testid="erasure-request">
            You asked to be erased on {when(open.at)} (ledger entry #{open.seq}). The administrators have it.
          </p>
        ) : data ? (
          <p>You have not asked to be erased.</p>
        ) : null}
        {state.data && !state.fetching ? <Saved what="Your request to be erased is recorded." anchor={state.data.requestErasure.anchor} /> : null}
        <ApiForm
          id="erasure"
          errors={formErrors(state.error)}
          busy={state.fetching}
          submitLabel={open ? "Ask again" : "Ask to be erased"}
          busyLabel="Sending…"
          onSubmit={() => void submit()}
        >
          {null}
        </ApiForm>
      </Section>
    </>
  );
}
