// Vital signs and the NEWS2 trend as SVG line charts on one shared time axis (loaded only
// when a twin is opened). The scores and bands are the server's: this only draws them.
import type { ClinicalRisk, TwinObservationFragment } from "../gql/graphql";
import { linear, ms, shortTime, ticks, type Scale } from "./scale";

type Point = { t: number; v: number; risk?: ClinicalRisk; complete?: boolean };
type TrendPoint = { at: string; total: number; complete: boolean; riskBand: ClinicalRisk };

const MINUTE = 60_000;
const W = 680;
const H = 170;
const M = { top: 12, right: 16, bottom: 28, left: 48 };

export const RISK_NAMES: Record<ClinicalRisk, string> = {
  LOW: "low",
  LOW_MEDIUM: "low–medium (a single parameter scored 3)",
  MEDIUM: "medium",
  HIGH: "high",
};

/** NEWS2 bands of aggregate score (RCP 2017, Chart 2), drawn behind the trend. */
const NEWS2_BANDS: { from: number; to: number; className: string; label: string }[] = [
  { from: 0, to: 4.5, className: "band-low", label: "Low 0–4" },
  { from: 4.5, to: 6.5, className: "band-medium", label: "Medium 5–6" },
  { from: 6.5, to: 20, className: "band-high", label: "High 7+" },
];

function Axes({ x, y, yTicks, domain }: { x: Scale; y: Scale; yTicks: number[]; domain: [number, number] }) {
  const xTicks = ticks(domain[0], domain[1], 4);
  return (
    <g aria-hidden="true">
      <line className="axis" x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
      <line className="axis" x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} />
      {yTicks.map((v) => (
        <g key={v}>
          <line className="grid" x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} />
          <text x={M.left - 6} y={y(v) + 4} textAnchor="end">
            {v}
          </text>
        </g>
      ))}
      {xTicks.length > 1
        ? [domain[0], domain[1]].map((t, i) => (
            <text key={t} x={x(t)} y={H - 8} textAnchor={i === 0 ? "start" : "end"}>
              {shortTime(t)}
            </text>
          ))
        : null}
    </g>
  );
}

function Series({ points, x, y, risky }: { points: Point[]; x: Scale; y: Scale; risky?: boolean }) {
  const d = points.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join("");
  return (
    <g>
      <path className="line" d={d} />
      {points.map((p, i) => (
        <circle
          key={i}
          className={risky && p.risk ? `dot risk-${p.risk.toLowerCase()}${p.complete === false ? " incomplete" : ""}` : "dot"}
          cx={x(p.t)}
          cy={y(p.v)}
          r={points.length > 120 ? 1.8 : 3}
        />
      ))}
    </g>
  );
}

function Chart({
  title,
  unit,
  points,
  domain,
  summary,
  fixed,
  news2,
}: {
  title: string;
  unit: string;
  points: Point[];
  domain: [number, number];
  summary: string;
  fixed?: [number, number];
  news2?: boolean;
}) {
  const values = points.map((p) => p.v);
  let low = fixed ? fixed[0] : Math.min(...values);
  let high = fixed ? fixed[1] : Math.max(...values);
  if (!fixed) {
    const pad = (high - low) * 0.1 || Math.abs(high) * 0.05 || 1;
    low -= pad;
    high += pad;
  }
  const x = linear(domain, [M.left, W - M.right]);
  const y = linear([low, high], [H - M.bottom, M.top]);
  return (
    <figure className="vital-chart" data-points={points.length}>
      <figcaption>
        <strong>{title}</strong>
        {unit ? <span className="unit"> ({unit})</span> : null}
        <span className="latest"> — {summary}</span>
      </figcaption>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${summary}`}>
        {news2
          ? NEWS2_BANDS.map((b) => (
              <rect
                key={b.className}
                className={b.className}
                x={M.left}
                width={W - M.left - M.right}
                y={y(Math.min(b.to, high))}
                height={Math.max(0, y(b.from) - y(Math.min(b.to, high)))}
              />
            ))
          : null}
        <Axes x={x} y={y} domain={domain} yTicks={ticks(low, high, 4).filter((v) => v >= low && v <= high)} />
        <Series points={points} x={x} y={y} risky={news2} />
      </svg>
    </figure>
  );
}

export default function VitalCharts({ vitals, trend }: { vitals: TwinObservationFragment[]; trend: TrendPoint[] }) {
  const numeric = vitals.filter((o) => o.value !== null && o.value !== undefined);
  const times = [...numeric.map((o) => ms(o.at)), ...trend.map((p) => ms(p.at))];
  if (times.length === 0) return <p>No vital sign recorded yet.</p>;
  const first = Math.min(...times);
  const last = Math.max(...times);
  // A single moment is drawn in the middle of an hour, not on the axis.
  const domain: [number, number] = last - first < MINUTE ? [first - 30 * MINUTE, last + 30 * MINUTE] : [first, last];
  const groups = new Map<string, { name: string; unit: string; points: Point[] }>();
  for (const o of numeric) {
    const group = groups.get(o.code) ?? { name: o.name ?? o.code, unit: o.unit ?? "", points: [] as Point[] };
    group.points.push({ t: ms(o.at), v: o.value as number });
    groups.set(o.code, group);
  }
  const latestScore = trend[trend.length - 1];
  return (
    <div className="vital-charts" data-observations={numeric.length}>
      {trend.length ? (
        <Chart
          title="NEWS2 trend"
          unit="score"
          news2
          fixed={[0, Math.max(10, ...trend.map((p) => p.total + 1))]}
          domain={domain}
          points={trend.map((p) => ({ t: ms(p.at), v: p.total, risk: p.riskBand, complete: p.complete }))}
          summary={`${trend.length} scores; latest ${latestScore.total}, ${RISK_NAMES[latestScore.riskBand]} risk${latestScore.complete ? "" : " (incomplete: at least this)"}`}
        />
      ) : null}
      <p className="legend" aria-hidden="true">
        <span className="swatch band-low" /> Low 0–4 <span className="swatch band-medium" /> Medium 5–6{" "}
        <span className="swatch band-high" /> High 7+ <span className="dot-key incomplete" /> incomplete score
      </p>
      {[...groups.entries()].map(([code, g]) => {
        const latest = g.points[g.points.length - 1];
        return (
          <Chart
            key={code}
            title={g.name}
            unit={g.unit}
            domain={domain}
            points={g.points}
            summary={`${g.points.length} measurements; latest ${latest.v} ${g.unit} at ${shortTime(latest.t)}`}
          />
        );
      })}
    </div>
  );
}
