// A card holding one form that records something on the twin (a surgery phase, a dose, a
// stop): it sends the form, and reports it saved only with the anchor the server returned.
import type { ReactNode } from "react";
import type { CombinedError } from "urql";
import type { AnchorFieldsFragment } from "../gql/graphql";
import { ApiForm } from "../shared/form";
import { Section } from "../shared/Page";
import { useSubmission, type Done } from "./forms";

export type Answer = { error?: CombinedError; anchor?: AnchorFieldsFragment };

export function RecordCard(props: {
  id: string;
  title: string;
  submitLabel: string;
  /** What the acknowledgement says, from the form that was sent. */
  what: string | ((data: FormData) => string);
  /** Sends the form: the mutation's error, or the anchor it returned. */
  save: (data: FormData) => Promise<Answer>;
  onSaved: (d: Done) => void;
  children: ReactNode;
}) {
  const submission = useSubmission();
  async function submit(data: FormData) {
    submission.start();
    const { error, anchor } = await props.save(data);
    submission.finish(error, null);
    if (anchor) props.onSaved({ what: typeof props.what === "string" ? props.what : props.what(data), anchor });
  }
  return (
    <Section id={`${props.id}-title`} title={props.title} className="card">
      <ApiForm id={props.id} errors={submission.errors} busy={submission.busy} submitLabel={props.submitLabel} onSubmit={submit}>
        {props.children}
      </ApiForm>
    </Section>
  );
}
