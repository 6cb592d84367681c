// The API's errors as a form shows them: `extensions.field` names the input field (a dotted
// path such as `patient.givenName` or `vitals[0].value`), the message starts with it.
import type { CombinedError } from "urql";

export type FormErrors = {
  /** Messages by input field path, shown next to the field. */
  fields: Record<string, string>;
  /** Messages that belong to no field, shown at the top of the form. */
  form: string[];
};

export const NO_ERRORS: FormErrors = { fields: {}, form: [] };

export function formErrors(error: CombinedError | undefined | null): FormErrors {
  if (!error) return NO_ERRORS;
  const result: FormErrors = { fields: {}, form: [] };
  if (error.networkError) result.form.push("The server could not be reached. Nothing was saved.");
  for (const e of error.graphQLErrors) {
    const field = e.extensions?.field;
    if (typeof field === "string" && field) {
      const prefix = `${field}: `;
      result.fields[field] = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    } else {
      result.form.push(e.message);
    }
  }
  return result;
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.form.length > 0 || Object.keys(errors.fields).length > 0;
}
