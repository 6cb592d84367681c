import type { FormErrors } from "./errors";

/** The API names list items by position (`vitals[2].value`); a form whose inputs are named
 *  for what they hold (`vitals.HEART_RATE`) maps the position back to the input's name. */
export function renameFields(errors: FormErrors, rename: (field: string) => string): FormErrors {
  const fields: Record<string, string> = {};
  for (const [name, message] of Object.entries(errors.fields)) fields[rename(name)] = message;
  return { form: errors.form, fields };
}
