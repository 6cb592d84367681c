// Small helpers the physician's forms share: the server's answer to a mutation as what the
// form shows (its anchor once acknowledged, or its errors by field).
import { useState } from "react";
import type { AnchorFieldsFragment } from "../gql/graphql";
import { formErrors, NO_ERRORS, type FormErrors } from "../shared/errors";
import type { CombinedError } from "urql";

export type Done = { what: string; anchor: AnchorFieldsFragment; warnings?: string[] };

/** Errors the API names by a list item (`diseases[1].code`) shown at the field for the list. */
export function groupErrors(errors: FormErrors, prefix: string, field: string): FormErrors {
  const fields: Record<string, string> = {};
  for (const [name, message] of Object.entries(errors.fields)) {
    if (name === prefix || name.startsWith(`${prefix}[`) || name.startsWith(`${prefix}.`)) {
      fields[field] = fields[field] ? `${fields[field]}; ${message}` : message;
    } else fields[name] = message;
  }
  return { fields, form: errors.form };
}

/** A form's request state: busy while out, its errors, what the server acknowledged. */
export function useSubmission() {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState<Done | null>(null);
  return {
    busy,
    errors,
    done,
    start() {
      setBusy(true);
      setDone(null);
    },
    finish(error: CombinedError | undefined, acknowledged: Done | null, map?: (e: FormErrors) => FormErrors) {
      setBusy(false);
      if (acknowledged) {
        setErrors(NO_ERRORS);
        setDone(acknowledged);
      } else {
        const found = formErrors(error);
        setErrors(map ? map(found) : found);
      }
    },
    setErrors,
  };
}
