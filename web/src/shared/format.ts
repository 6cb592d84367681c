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
