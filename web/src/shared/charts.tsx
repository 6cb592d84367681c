// Charts as plain SVG (no library: the whole first load must stay under 300 KB of gzipped
// JS). Each chart is a figure with a caption, an image role with a summary for screen
// readers, and its numbers in a table under a disclosure.
import type { ReactNode } from "react";

export type Datum = { label: string; value: number; title?: string };

function ChartFigure(props: { caption: string; data: Datum[]; valueLabel: string; children: ReactNode }) {
  return (
    <figure className="chart-figure">
      <figcaption>{props.caption}</figcaption>
      {props.data.length === 0 ? <p>No data.</p> : props.children}
      {props.data.length ? (
        <details>
          <summary>{props.caption} as a table</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">{props.valueLabel}</th>
              </tr>
            </thead>
            <tbody>
              {props.data.map((d) => (
                <tr key={d.label}>
                  <th scope="row">{d.title ?? d.label}</th>
                  <td>{d.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </figure>
  );
}

function summary(caption: string, data: Datum[], valueLabel: string): string {
  return `${caption}: ${data.map((d) => `${d.title ?? d.label} ${d.value} ${valueLabel}`).join(", ")}`;
}

/** Horizontal bars, one per datum, longest first as given. */
export function BarChart({ caption, data, valueLabel }: { caption: string; data: Datum[]; valueLabel: string }) {
  const row = 28;
  const labelWidth = 230;
  const width = 640;
  const max = Math.max(1, ...data.map((d) => d.value));
  const scale = (width - labelWidth - 60) / max;
  return (
    <ChartFigure caption={caption} data={data} valueLabel={valueLabel}>
      <svg className="chart" viewBox={`0 0 ${width} ${data.length * row + 10}`} role="img" aria-label={summary(caption, data, valueLabel)}>
        {data.map((d, i) => (
          <g key={d.label} transform={`translate(0, ${i * row + 5})`}>
            <text x={labelWidth - 8} y={row / 2 + 4} textAnchor="end">
              {d.label.length > 32 ? `${d.label.slice(0, 31)}…` : d.label}
            </text>
            <rect className="bar" x={labelWidth} y={4} width={Math.max(1, d.value * scale)} height={row - 8} rx={3}>
              <title>{`${d.title ?? d.label}: ${d.value}`}</title>
            </rect>
            <text x={labelWidth + d.value * scale + 6} y={row / 2 + 4}>
              {d.value}
            </text>
          </g>
        ))}
      </svg>
    </ChartFigure>
  );
}

/** Vertical columns over time (one per day), with the first and last day on the axis. */
export function ColumnChart({ caption, data, valueLabel }: { caption: string; data: Datum[]; valueLabel: string }) {
  const width = 640;
  const height = 220;
  const pad = { left: 40, right: 10, top: 10, bottom: 30 };
  const max = Math.max(1, ...data.map((d) => d.value));
  const step = (width - pad.left - pad.right) / Math.max(1, data.length);
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  return (
    <ChartFigure caption={caption} data={data} valueLabel={valueLabel}>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary(caption, data, valueLabel)}>
        <line className="axis" x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} />
        <line className="axis" x1={pad.left} x2={pad.left} y1={pad.top} y2={y(0)} />
        <text x={pad.left - 6} y={y(max) + 4} textAnchor="end">
          {max}
        </text>
        <text x={pad.left - 6} y={y(0) + 4} textAnchor="end">
          0
        </text>
        {data.map((d, i) => (
          <rect key={d.label} className="bar" x={pad.left + i * step + 1} y={y(d.value)} width={Math.max(1, step - 2)} height={y(0) - y(d.value)}>
            <title>{`${d.title ?? d.label}: ${d.value}`}</title>
          </rect>
        ))}
        {data.length ? (
          <>
            <text x={pad.left} y={height - 8}>
              {data[0].label}
            </text>
            <text x={width - pad.right} y={height - 8} textAnchor="end">
              {data[data.length - 1].label}
            </text>
          </>
        ) : null}
      </svg>
    </ChartFigure>
  );
}
