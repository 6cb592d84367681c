/** A server time (ISO-8601) in the reader's locale and time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

const STAGES: Record<string, string> = { ADMISSION: "Admission", DIAGNOSIS: "Diagnosis", SURGERY: "Surgery" };

export function stageName(stage: string | null | undefined): string {
  return stage ? (STAGES[stage] ?? stage) : "—";
}

/** The choices of a filter by stage and by status, as the patient lists offer them. */
export const STAGE_OPTIONS = Object.entries(STAGES).map(([value, label]) => ({ value, label }));
export const STATUS_OPTIONS = [
  { value: "ADMITTED", label: "Admitted" },
  { value: "DISCHARGED", label: "Discharged" },
];
