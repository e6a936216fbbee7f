// Draws one loss surface with paths on it as a Plotly 3-D surface (the map from above: surfacemap.js).
// A pure view helper of the landscape panel: given numbers, it draws; it keeps no app state.
const COLORS = { sgd: "#d62728", momentum: "#1f77b4", nesterov: "#9467bd", rmsprop: "#2ca02c", adam: "#ff7f0e" };
export const optimizerColor = (name) => COLORS[name] || "#333";
const BASIN = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
export const basinColor = (k) => (k < 0 ? "#999" : BASIN[k % BASIN.length]);
const SCALE = [[0, "#0b2f5b"], [0.25, "#1f6fb2"], [0.5, "#7cc1e4"], [0.75, "#f6d68a"], [1, "#f08a24"]];

// z (Float32Array R*R, row i at y[i]) -> nested rows, optionally on a log scale
export function rows(z, R, log) {
  let lo = Infinity;
  for (const v of z) if (Number.isFinite(v) && v < lo) lo = v;
  const out = [];
  for (let i = 0; i < R; i++) {
    const row = new Array(R);
    for (let j = 0; j < R; j++) {
      let v = z[i * R + j];
      if (!Number.isFinite(v) || v > 1e30) v = null;
      else if (log) v = Math.log10(v - lo + 1e-3);
      row[j] = v;
    }
    out.push(row);
  }
  return { rows: out, lo };
}

// the surface's value at (a, b) by bilinear interpolation on the grid
export function lookup(z, R, xs, ys, a, b) {
  const fx = ((a - xs[0]) / (xs[R - 1] - xs[0])) * (R - 1), fy = ((b - ys[0]) / (ys[R - 1] - ys[0])) * (R - 1);
  const j = Math.max(0, Math.min(R - 2, Math.floor(fx))), i = Math.max(0, Math.min(R - 2, Math.floor(fy)));
  const u = Math.max(0, Math.min(1, fx - j)), v = Math.max(0, Math.min(1, fy - i));
  const at = (r, c) => z[r * R + c];
  return (1 - v) * ((1 - u) * at(i, j) + u * at(i, j + 1)) + v * ((1 - u) * at(i + 1, j) + u * at(i + 1, j + 1));
}

// the 3-D view: paths: [{name, xy: [[a, b], ...], z: [...] (optional), color, width, upto}]; point: [a, b]
export function draw3d(el, { x, y, z, R, log = false, paths = [], point = null, markers = null, xname = "", yname = "" }) {
  const Plotly = window.Plotly;
  if (!Plotly) return;
  const { rows: Z, lo } = rows(z, R, log);
  const height = (a, b, given) => {
    const v = given ?? lookup(z, R, x, y, a, b);
    return log ? Math.log10(Math.max(v - lo, 0) + 1e-3) : v;
  };
  const inside = ([a, b]) => a >= x[0] && a <= x[R - 1] && b >= y[0] && b <= y[R - 1];
  const traces = [{ type: "surface", x, y, z: Z, colorscale: SCALE, showscale: false, opacity: 0.92,
    contours: { z: { show: true, usecolormap: true, project: { z: false } } }, hoverinfo: "skip" }];
  for (const p of paths) {
    const pts = p.xy.slice(0, p.upto ?? p.xy.length).filter((q) => q && inside(q));
    traces.push({ type: "scatter3d", mode: "lines", x: pts.map((q) => q[0]), y: pts.map((q) => q[1]),
      z: pts.map((q, k) => height(q[0], q[1], p.z?.[k]) + 1e-3), line: { color: p.color, width: p.width ?? 4 }, name: p.name });
  }
  if (markers) traces.push({ type: "scatter3d", mode: "markers", x: markers.xy.map((q) => q[0]), y: markers.xy.map((q) => q[1]),
    z: markers.xy.map((q) => height(q[0], q[1])), marker: { size: 2.5, color: markers.colors } });
  if (point) traces.push({ type: "scatter3d", mode: "markers", x: [point[0]], y: [point[1]], z: [height(point[0], point[1])],
    marker: { size: 5, color: "#e7298a" }, name: "now" });
  const layout = { margin: { l: 0, r: 0, t: 0, b: 0 }, showlegend: false, paper_bgcolor: "rgba(0,0,0,0)", font: { size: 10 },
    uirevision: "keep", scene: { xaxis: { title: { text: xname } }, yaxis: { title: { text: yname } },
      zaxis: { title: { text: "" } }, camera: { eye: { x: 1.5, y: -1.5, z: 1.1 } }, aspectmode: "cube" } };
  Plotly.react(el, traces, layout, { displayModeBar: false, responsive: true });
}
