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
import { hasErrors, NO_ERRORS, type FormErrors } from "./errors";

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

function useField(name: string, label: string) {
  const { errors, prefix, labels } = useContext(FormContext);
  labels[name] = label;
  const id = fieldId(prefix, name);
  return { id, error: errors.fields[name], errorId: `${id}-error`, hintId: `${id}-hint` };
}

type Common = { name: string; label: string; hint?: string };

function Decorated(props: Common & { id: string; error?: string; errorId: string; hintId: string; required?: boolean; children: ReactNode }) {
  return (
    <div className={props.error ? "field invalid" : "field"}>
      <label htmlFor={props.id}>
        {props.label}
        {props.required ? <span className="required"> (required)</span> : null}
      </label>
      {props.hint ? (
        <p className="hint" id={props.hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p className="field-error" id={props.errorId}>
          <span className="visually-hidden">Error: </span>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function described(hint: string | undefined, error: string | undefined, hintId: string, errorId: string) {
  return [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
}

export function TextField(props: Common & InputHTMLAttributes<HTMLInputElement>) {
  const { name, label, hint, ...rest } = props;
  const f = useField(name, label);
  return (
    <Decorated {...props} {...f}>
      <input
        id={f.id}
        name={name}
        type="text"
        aria-invalid={f.error ? true : undefined}
        aria-describedby={described(hint, f.error, f.hintId, f.errorId)}
        {...rest}
      />
    </Decorated>
  );
}

export function TextArea(props: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { name, label, hint, ...rest } = props;
  const f = useField(name, label);
  return (
    <Decorated {...props} {...f}>
      <textarea
        id={f.id}
        name={name}
        rows={3}
        aria-invalid={f.error ? true : undefined}
        aria-describedby={described(hint, f.error, f.hintId, f.errorId)}
        {...rest}
      />
    </Decorated>
  );
}

export type Option = { value: string; label: string };

export function SelectField(
  props: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: Option[]; empty?: string },
) {
  const { name, label, hint, options, empty, ...rest } = props;
  const f = useField(name, label);
  return (
    <Decorated {...props} {...f}>
      <select
        id={f.id}
        name={name}
        aria-invalid={f.error ? true : undefined}
        aria-describedby={described(hint, f.error, f.hintId, f.errorId)}
        {...rest}
      >
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Decorated>
  );
}

/** Radio buttons in a fieldset whose legend is the label; the error names the group. */
export function RadioGroup(
  props: Common & { options: Option[]; defaultValue?: string; onChange?: (value: string) => void; required?: boolean },
) {
  const f = useField(props.name, props.label);
  return (
    <fieldset
      className={f.error ? "field radios invalid" : "field radios"}
      id={f.id}
      aria-describedby={described(props.hint, f.error, f.hintId, f.errorId)}
    >
      <legend>
        {props.label}
        {props.required ? <span className="required"> (required)</span> : null}
      </legend>
      {props.hint ? (
        <p className="hint" id={f.hintId}>
          {props.hint}
        </p>
      ) : null}
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
      {f.error ? (
        <p className="field-error" id={f.errorId}>
          <span className="visually-hidden">Error: </span>
          {f.error}
        </p>
      ) : null}
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
