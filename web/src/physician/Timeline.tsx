// The three stages of care on one time axis (SVG), each lane a stage kind, each bar a stage
// from its start to the next stage (or discharge, or now); then the same as a list.
import type { PatientTwinQuery } from "../gql/graphql";
import { Anchor } from "../shared/Anchor";
import { linear, ms, shortTime, when } from "./scale";

type Twin = PatientTwinQuery["twin"];
type Stage = Twin["timeline"][number];

const LANES = ["Admission", "Diagnosis", "Surgery"] as const;
const W = 680;
const LANE = 34;
const LEFT = 96;
const RIGHT = 16;
const TOP = 8;

const PHASES: Record<string, string> = {
  PRE_OPERATIVE: "Pre-operative",
  INTRA_OPERATIVE: "Intra-operative",
  POST_OPERATIVE: "Post-operative",
};

export function phaseName(phase: string): string {
  return PHASES[phase] ?? phase;
}

function describe(stage: Stage): string {
  switch (stage.__typename) {
    case "Admission":
      return `${stage.chiefComplaint} (triage ${stage.triageLevel}, ${(stage.arrivalMode ?? "unknown arrival").toLowerCase().replace("_", " ")})`;
    case "Diagnosis":
      return stage.diseases.map((d) => `${d.code} ${d.display}`).join("; ") || "no disease";
    case "Surgery":
      return `${stage.procedureDisplay} — ${stage.phases.map((p) => phaseName(p.phase)).join(", ")}`;
    default:
      return "";
  }
}

export function Timeline({ twin }: { twin: Twin }) {
  const stages = twin.timeline;
  if (stages.length === 0) return <p>No stage recorded yet.</p>;
  const end = twin.patient.dischargedAt ? ms(twin.patient.dischargedAt) : Date.now();
  const start = ms(stages[0].at);
  const x = linear([start, Math.max(end, start + 1)], [LEFT, W - RIGHT]);
  const height = TOP + LANES.length * LANE + 26;
  return (
    <>
      <svg
        className="chart timeline"
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`Timeline: ${stages.map((s) => `${s.__typename} at ${when(s.at)}`).join(", ")}${twin.patient.dischargedAt ? `, discharged at ${when(twin.patient.dischargedAt)}` : ""}`}
      >
        {LANES.map((lane, i) => (
          <g key={lane}>
            <line className="grid" x1={LEFT} x2={W - RIGHT} y1={TOP + i * LANE + LANE / 2} y2={TOP + i * LANE + LANE / 2} />
            <text x={8} y={TOP + i * LANE + LANE / 2 + 4}>
              {lane}
            </text>
          </g>
        ))}
        {stages.map((stage, i) => {
          const lane = LANES.indexOf(stage.__typename as (typeof LANES)[number]);
          const next = i + 1 < stages.length ? ms(stages[i + 1].at) : end;
          const x0 = x(ms(stage.at));
          return (
            <g key={stage.id}>
              <rect
                className={`stage stage-${stage.__typename.toLowerCase()}`}
                x={x0}
                y={TOP + lane * LANE + 7}
                width={Math.max(4, x(next) - x0)}
                height={LANE - 14}
                rx={4}
              />
              {stage.__typename === "Surgery"
                ? stage.phases.map((p) => (
                    <line key={p.id} className="phase-tick" x1={x(ms(p.at))} x2={x(ms(p.at))} y1={TOP + lane * LANE + 3} y2={TOP + lane * LANE + LANE - 3} />
                  ))
                : null}
            </g>
          );
        })}
        {twin.patient.dischargedAt ? <line className="discharge" x1={x(end)} x2={x(end)} y1={TOP} y2={TOP + LANES.length * LANE} /> : null}
        <text x={LEFT} y={height - 6}>
          {shortTime(start)}
        </text>
        <text x={W - RIGHT} y={height - 6} textAnchor="end">
          {twin.patient.dischargedAt ? `discharged ${shortTime(end)}` : `now ${shortTime(end)}`}
        </text>
      </svg>
      <ol className="stages">
        {stages.map((stage) => (
          <li key={stage.id} className={`stage-item stage-${stage.__typename.toLowerCase()}`}>
            <strong>{stage.__typename}</strong> <time dateTime={stage.at}>{when(stage.at)}</time>: {describe(stage)}
            {stage.anchor ? (
              <>
                {" "}
                <Anchor anchor={stage.anchor} />
              </>
            ) : null}
            {stage.__typename === "Surgery" ? (
              <ul>
                {stage.phases.map((p) => (
                  <li key={p.id}>
                    {phaseName(p.phase)} <time dateTime={p.at}>{when(p.at)}</time>
                    {p.asaClass ? ` · ASA ${p.asaClass}` : ""}
                    {p.consentSigned != null ? ` · consent ${p.consentSigned ? "signed" : "not signed"}` : ""}
                    {p.risk ? ` · risk ${p.risk.toLowerCase()}` : ""}
                    {p.anaesthesia ? ` · ${p.anaesthesia}` : ""}
                    {p.recovery ? ` · ${p.recovery}` : ""}
                    {p.complications.length ? ` · complications: ${p.complications.join(", ")}` : ""}
                    {p.anchor ? (
                      <>
                        {" "}
                        <Anchor anchor={p.anchor} />
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
        {twin.patient.dischargedAt ? (
          <li className="stage-item">
            <strong>Discharged</strong> <time dateTime={twin.patient.dischargedAt}>{when(twin.patient.dischargedAt)}</time>
            {twin.patient.disposition ? ` (${twin.patient.disposition.toLowerCase().replace(/_/g, " ")})` : ""}
          </li>
        ) : null}
      </ol>
    </>
  );
}
