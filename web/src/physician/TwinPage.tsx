// A patient's twin, live: the stages on one timeline, the vital signs with the NEWS2 trend and
// its band, the medications, the care team. It is read again on every `twinUpdated`.
import { lazy, Suspense } from "react";
import { Anchor } from "../shared/Anchor";
import { DataTable } from "../shared/DataTable";
import { Loading, Section } from "../shared/Page";
import { PatientScreen, type Twin } from "./patient";
import { Timeline } from "./Timeline";
import type { Live, Update } from "./useTwin";
import { when } from "./scale";
import { RISK_LABEL } from "./risk";

const VitalCharts = lazy(() => import("./VitalCharts"));

function LiveStatus({ status, latest, shownSeq }: { status: Live; latest: Update | null; shownSeq: number }) {
  const label = { connecting: "Connecting to live updates…", live: "Live", reconnecting: "Live updates interrupted: reconnecting…" }[status];
  return (
    <div className={`live live-${status}`} data-twin-seq={shownSeq}>
      <p role="status">
        <span className="live-dot" aria-hidden="true" /> {label}
        {latest ? (
          <>
            {" "}
            · last change: {latest.action} <Anchor anchor={latest.anchor} />
          </>
        ) : null}
      </p>
    </div>
  );
}

/** What the crews noted at admission, as the prescription check reads it: every allergy of
 * every admission, the medications taken at home from the latest one. */
function notedAtAdmission(twin: Twin): { allergies: string[]; home: string[] } {
  const admissions = twin.timeline.flatMap((s) => (s.__typename === "Admission" ? [s] : []));
  return {
    allergies: [...new Set(admissions.flatMap((a) => a.allergies))].sort(),
    home: admissions.at(-1)?.currentMedications ?? [],
  };
}

function Details({ twin }: { twin: Twin }) {
  const p = twin.patient;
  const noted = notedAtAdmission(twin);
  return (
    <dl className="details">
      <dt>MRN</dt>
      <dd>{p.mrn ?? "—"}</dd>
      <dt>Born</dt>
      <dd>
        {p.birthDate} · {p.sex.toLowerCase()}
      </dd>
      <dt>Status</dt>
      <dd>
        {p.status.toLowerCase()}
        {p.currentStage ? ` · ${p.currentStage.toLowerCase()}` : ""}
      </dd>
      <dt>Admitted</dt>
      <dd>{when(p.admittedAt)}</dd>
      {p.dischargedAt ? (
        <>
          <dt>Discharged</dt>
          <dd>
            {when(p.dischargedAt)} {p.disposition ? `(${p.disposition.toLowerCase().replace(/_/g, " ")})` : ""}
          </dd>
        </>
      ) : null}
      <dt>Allergies</dt>
      <dd data-testid="allergies">{noted.allergies.length ? noted.allergies.join(", ") : "none noted"}</dd>
      <dt>At home takes</dt>
      <dd data-testid="home-medications">{noted.home.length ? noted.home.join(", ") : "none noted"}</dd>
      <dt>Care team</dt>
      <dd>{twin.careTeam.map((m) => `${m.displayName} (${m.role === "PHYSICIAN" ? (m.specialty ?? "physician") : (m.company ?? "transport")})`).join(", ")}</dd>
      {twin.anchor ? (
        <>
          <dt>Record</dt>
          <dd>
            <Anchor anchor={twin.anchor} />
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function News2({ twin }: { twin: Twin }) {
  const n = twin.news2;
  return (
    <div className={`news2 risk-${n.riskBand.toLowerCase()}`} data-news2-total={n.total}>
      <p className="news2-score">
        NEWS2 <strong>{n.total}</strong>
        {n.complete ? "" : " or more"} · <strong>{RISK_LABEL[n.riskBand]}</strong> clinical risk (trigger {n.trigger})
      </p>
      {n.complete ? null : <p>Not measured: {n.missing.map((m) => m.toLowerCase().replace(/_/g, " ")).join(", ")}.</p>}
      <p>
        Monitoring: {n.monitoring}. Response: {n.response}
      </p>
    </div>
  );
}

function Medications({ twin }: { twin: Twin }) {
  return (
    <DataTable
      rows={twin.medicationTransactions}
      empty="No medication prescribed."
      caption="Prescriptions and doses given, oldest first"
      rowKey={(t) => t.id}
      columns={[
        { header: "When", cell: (t) => when(t.at) },
        { header: "Medication", rowHeader: true, cell: (t) => t.medication.name || t.medication.code },
        {
          header: "What",
          cell: (t) => (
            <>
              {t.kind === "PRESCRIPTION" ? "prescribed" : "given"} {t.dose ?? ""} {t.unit ?? ""} {t.route?.toLowerCase() ?? ""}
              {t.frequency ? `, ${t.frequency}` : ""}
            </>
          ),
        },
        { header: "Status", cell: (t) => `${t.status ? t.status.toLowerCase() : "—"}${t.discontinueReason ? ` (${t.discontinueReason})` : ""}` },
        { header: "Warnings", cell: (t) => (t.warnings.length ? <span className="warn-text">{t.warnings.join(" · ")}</span> : "—") },
        { header: "Anchor", cell: (t) => (t.anchor ? <Anchor anchor={t.anchor} /> : "—") },
      ]}
    />
  );
}

export function TwinPage() {
  return (
    <PatientScreen title="Twin" live>
      {(twin, state) => (
        <>
          <LiveStatus status={state.status} latest={state.latest} shownSeq={state.shownSeq} />
          <div className="cards">
            <Section id="twin-details" title="Patient" className="card">
              <Details twin={twin} />
            </Section>
            <Section id="twin-news2" title="Early warning score" className="card">
              <News2 twin={twin} />
            </Section>
          </div>
          <Section id="twin-timeline" title="Timeline">
            <Timeline twin={twin} />
          </Section>
          <Section id="twin-vitals" title="Vital signs">
            <Suspense fallback={<Loading label="Loading the charts…" />}>
              <VitalCharts vitals={twin.vitals} trend={twin.news2Trend} />
            </Suspense>
          </Section>
          <Section id="twin-medications" title="Medications">
            <Medications twin={twin} />
          </Section>
        </>
      )}
    </PatientScreen>
  );
}
