// Diseases drawn as a graph (SVG): the IS_A tree around one disease (its ancestors above it,
// its children below), or the path between two diseases (up to their nearest common
// ancestor, then down). Each box is also a link in the lists next to the drawing.
type Node = { code: string; display: string };

const BOX_W = 190;
const BOX_H = 40;
const GAP_Y = 26;
const GAP_X = 14;

function clip(text: string, n = 27): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function Box({ node, x, y, focus }: { node: Node; x: number; y: number; focus?: boolean }) {
  return (
    <g className={focus ? "node focus" : "node"}>
      <rect x={x} y={y} width={BOX_W} height={BOX_H} rx={6} />
      <text x={x + 8} y={y + 16} className="code">
        {node.code}
      </text>
      <text x={x + 8} y={y + 32}>
        {clip(node.display)}
      </text>
    </g>
  );
}

/** The tree around `focus`: the chain of ancestors above it, up to 8 children fanned below. */
export function TreeGraph({ focus, ancestors, children }: { focus: Node; ancestors: Node[]; children: Node[] }) {
  const chain = [...ancestors].reverse();
  const shown = children.slice(0, 8);
  const cols = Math.max(1, shown.length);
  const width = Math.max(3 * (BOX_W + GAP_X) + GAP_X, cols * (BOX_W + GAP_X) + GAP_X);
  const centre = width / 2 - BOX_W / 2;
  const rows = chain.length + 1 + (shown.length ? 1 : 0);
  const height = rows * (BOX_H + GAP_Y) + GAP_Y;
  const y = (row: number) => GAP_Y / 2 + row * (BOX_H + GAP_Y);
  const focusRow = chain.length;
  return (
    <svg
      className="chart disease-graph"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${focus.code} ${focus.display}: ${chain.length} ancestors (${chain.map((a) => a.code).join(" > ") || "none"}), ${children.length} children`}
    >
      {chain.map((a, i) => (
        <g key={a.code}>
          <line className="edge" x1={centre + BOX_W / 2} x2={centre + BOX_W / 2} y1={y(i) + BOX_H} y2={y(i + 1)} />
          <Box node={a} x={centre} y={y(i)} />
        </g>
      ))}
      <Box node={focus} x={centre} y={y(focusRow)} focus />
      {shown.map((c, i) => {
        const x = GAP_X + i * (BOX_W + GAP_X) + (width - (cols * (BOX_W + GAP_X) + GAP_X)) / 2;
        return (
          <g key={c.code}>
            <line className="edge" x1={centre + BOX_W / 2} x2={x + BOX_W / 2} y1={y(focusRow) + BOX_H} y2={y(focusRow + 1)} />
            <Box node={c} x={x} y={y(focusRow + 1)} />
          </g>
        );
      })}
    </svg>
  );
}

/** A path from one disease up to the nearest common ancestor and down to the other. */
export function PathGraph({ path, ancestorsOfFrom }: { path: Node[]; ancestorsOfFrom: Set<string> }) {
  // The route goes up through ancestors of its first disease, then down: its top is the last
  // of them on the route.
  let top = 0;
  path.forEach((n, i) => {
    if (ancestorsOfFrom.has(n.code)) top = i;
  });
  const up = top;
  const down = path.length - 1 - top;
  const levels = Math.max(up, down);
  const width = (BOX_W + GAP_X) * 3;
  const height = (levels + 1) * (BOX_H + GAP_Y) + GAP_Y;
  const place = (i: number): [number, number] => {
    const level = i <= top ? top - i : i - top;
    const col = i === top ? 1 : i < top ? 0 : 2;
    return [GAP_X / 2 + col * (BOX_W + GAP_X), GAP_Y / 2 + level * (BOX_H + GAP_Y)];
  };
  return (
    <svg
      className="chart disease-graph"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Path of ${path.length - 1} IS_A links: ${path.map((n) => n.code).join(" → ")}`}
    >
      {path.slice(1).map((n, k) => {
        const [x1, y1] = place(k);
        const [x2, y2] = place(k + 1);
        return <line key={`e-${n.code}`} className="edge path" x1={x1 + BOX_W / 2} y1={y1 + BOX_H / 2} x2={x2 + BOX_W / 2} y2={y2 + BOX_H / 2} />;
      })}
      {path.map((n, i) => {
        const [x, y] = place(i);
        return <Box key={n.code} node={n} x={x} y={y} focus={i === 0 || i === path.length - 1} />;
      })}
    </svg>
  );
}
