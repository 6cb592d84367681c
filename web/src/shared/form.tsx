// Form pieces that every screen uses: labelled fields, the API's field-level errors next to
// the field they name, and a summary of all errors at the top that links to each field.
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import type { CombinedError } from "urql";
import { formErrors, hasErrors, NO_ERRORS, type FormErrors } from "./errors";

type FormState = { errors: FormErrors; prefix: string; labels: Record<string, string> };
const FormContext = createContext<FormState>({ errors: NO_ERRORS, prefix: "f", labels: {} });

export function fieldId(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

type ApiFormProps = {
  /** Unique on the page: field ids start with it. */
  id: string;
  errors: FormErrors;
  busy: boolean;
  submitLabel: string;
  busyLabel?: string;
  onSubmit: (data: FormData, form: HTMLFormElement) => void;
  children: ReactNode;
  className?: string;
};

/** A form that submits its FormData and shows the API's answer. While the request is out
 *  the button says so and is disabled; nothing is shown as saved until the server answers. */
export function ApiForm(props: ApiFormProps) {
  const summary = useRef<HTMLDivElement>(null);
  // Each field records its label here as it renders, so the summary names fields as the
  // user sees them rather than by the API's path.
  const labels = useRef<Record<string, string>>({});
  const { errors } = props;
  // Focus the summary when a new answer brings errors (not on every render of the same ones).
  const errorKey = JSON.stringify(errors);
  useEffect(() => {
    if (errorKey !== JSON.stringify(NO_ERRORS)) summary.current?.focus();
  }, [errorKey]);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (props.busy) return;
    props.onSubmit(new FormData(event.currentTarget), event.currentTarget);
  }
  return (
    <FormContext.Provider value={{ errors, prefix: props.id, labels: labels.current }}>
      <form id={props.id} className={props.className ?? "form"} onSubmit={submit} noValidate>
        <ErrorSummary ref={summary} errors={errors} prefix={props.id} labels={labels.current} />
        {props.children}
        <div className="actions">
          <button type="submit" className="primary" disabled={props.busy} aria-busy={props.busy}>
            {props.busy ? (props.busyLabel ?? "Saving…") : props.submitLabel}
          </button>
        </div>
      </form>
    </FormContext.Provider>
  );
}

function ErrorSummary({
  errors,
  prefix,
  labels,
  ref,
}: {
  errors: FormErrors;
  prefix: string;
  labels: Record<string, string>;
  ref: React.Ref<HTMLDivElement>;
}) {
  if (!hasErrors(errors)) return <div ref={ref} hidden />;
  const fields = Object.entries(errors.fields);
  return (
    <div ref={ref} className="error-summary" role="alert" tabIndex={-1}>
      <h2>Not saved</h2>
      <ul>
        {errors.form.map((message) => (
          <li key={message}>{message}</li>
        ))}
        {fields.map(([name, message]) => (
          <li key={name}>
            <a href={`#${fieldId(prefix, name)}`}>
              {labels[name] ?? name}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

type Common = { name: string; label: string; hint?: string };

/** What every control of a field carries: its id, its name, and its hint and error tied to it. */
type Control = { id: string; name: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

function useField({ name, label, hint }: Common) {
  const { errors, prefix, labels } = useContext(FormContext);
  labels[name] = label;
  const id = fieldId(prefix, name);
  const error: string | undefined = errors.fields[name];
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const control: Control = { id, name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
  return { id, error, hintId, errorId, control };
}

function LabelText({ label, required }: { label: string; required?: boolean }) {
  return (
    <>
      {label}
      {required ? <span className="required"> (required)</span> : null}
    </>
  );
}

function Hint({ id, hint }: { id: string; hint?: string }) {
  return hint ? (
    <p className="hint" id={id}>
      {hint}
    </p>
  ) : null;
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="field-error" id={id}>
      <span className="visually-hidden">Error: </span>
      {error}
    </p>
  ) : null;
}

/** A labelled field of an ApiForm: its label, hint and error around the control it renders. */
function Field(props: Common & { required?: boolean; children: (control: Control) => ReactNode }) {
  const f = useField(props);
  return (
    <div className={f.error ? "field invalid" : "field"}>
      <label htmlFor={f.id}>
        <LabelText label={props.label} required={props.required} />
      </label>
      <Hint id={f.hintId} hint={props.hint} />
      {props.children(f.control)}
      <FieldError id={f.errorId} error={f.error} />
    </div>
  );
}

export function TextField({ name, label, hint, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field name={name} label={label} hint={hint} required={rest.required}>
      {(control) => <input {...control} type="text" {...rest} />}
    </Field>
  );
}

export function TextArea({ name, label, hint, ...rest }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field name={name} label={label} hint={hint} required={rest.required}>
      {(control) => <textarea {...control} rows={3} {...rest} />}
    </Field>
  );
}

export type Option = { value: string; label: string };

/** The options of a select, after an empty choice when `empty` names one. */
export function Options({ options, empty }: { options: Option[]; empty?: string }) {
  return (
    <>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}

export function SelectField({
  name,
  label,
  hint,
  options,
  empty,
  ...rest
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: Option[]; empty?: string }) {
  return (
    <Field name={name} label={label} hint={hint} required={rest.required}>
      {(control) => (
        <select {...control} {...rest}>
          <Options options={options} empty={empty} />
        </select>
      )}
    </Field>
  );
}

/** A select outside any form that acts at once (a list's filter): its own id, a visible label. */
export function FilterSelect(props: { id: string; label: string; value: string; onChange: (value: string) => void; options: Option[]; empty?: string }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <Options options={props.options} empty={props.empty} />
      </select>
    </div>
  );
}

/** Radio buttons in a fieldset whose legend is the label; the error names the group. */
export function RadioGroup(
  props: Common & { options: Option[]; defaultValue?: string; onChange?: (value: string) => void; required?: boolean },
) {
  const f = useField(props);
  return (
    <fieldset className={f.error ? "field radios invalid" : "field radios"} id={f.id} aria-describedby={f.control["aria-describedby"]}>
      <legend>
        <LabelText label={props.label} required={props.required} />
      </legend>
      <Hint id={f.hintId} hint={props.hint} />
      <div className="radio-options">
        {props.options.map((o) => (
          <label key={o.value} className="radio">
            <input
              type="radio"
              name={props.name}
              value={o.value}
              defaultChecked={props.defaultValue === o.value}
              onChange={() => props.onChange?.(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
      <FieldError id={f.errorId} error={f.error} />
    </fieldset>
  );
}

/** The text of a form field, trimmed; null when empty. */
export function text(data: FormData, name: string): string | null {
  const value = data.get(name);
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** A number field: null when empty; NaN is sent as-is for the server to refuse. */
export function number(data: FormData, name: string): number | null {
  const value = text(data, name);
  return value === null ? null : Number(value);
}

/** A `datetime-local` value, read in the browser's time zone, as ISO-8601 with its offset. */
export function moment(data: FormData, name: string): string | null {
  const value = text(data, name);
  if (value === null) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** Now, for a `datetime-local` input's default value (local time, to the minute). */
export function localNow(): string {
  const now = new Date();
  now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
  return now.toISOString().slice(0, 16);
}

/** A list typed one item per line or comma-separated. */
export function list(data: FormData, name: string): string[] {
  return (text(data, name) ?? "")
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A list's filter: a toolbar form applied with "Show". The query's errors (a filter the API
 *  refuses) show next to the field they name, as in any form. */
export function FilterForm(props: { id: string; error?: CombinedError; onSubmit: (data: FormData) => void; children: ReactNode }) {
  return (
    <ApiForm id={props.id} className="form toolbar" errors={formErrors(props.error)} busy={false} submitLabel="Show" onSubmit={props.onSubmit}>
      {props.children}
    </ApiForm>
  );
}
