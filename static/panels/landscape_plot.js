// Draws one loss surface with paths on it, as a Plotly 3-D surface or a contour map.
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

// paths: [{name, xy: [[a, b], ...], z: [...] (optional), color, width}]; point: [a, b]; arrow: [[a0,b0],[a1,b1]]
export function draw(el, { x, y, z, R, log = false, paths = [], point = null, arrow = null, view = "contour",
  markers = null, title = "", fast = false }) {
  const Plotly = window.Plotly;
  if (!Plotly) return;
  const { rows: Z, lo } = rows(z, R, log);
  const height = (a, b, given) => {
    const v = given ?? lookup(z, R, x, y, a, b);
    return log ? Math.log10(Math.max(v - lo, 0) + 1e-3) : v;
  };
  const inside = ([a, b]) => a >= x[0] && a <= x[R - 1] && b >= y[0] && b <= y[R - 1];
  const traces = [];
  const layout = { margin: { l: 30, r: 6, t: title ? 18 : 4, b: 24 }, showlegend: false, paper_bgcolor: "rgba(0,0,0,0)",
    font: { size: 10 }, title: title ? { text: title, font: { size: 11 }, y: 0.99 } : undefined, uirevision: "keep" };
  if (view === "surface") {
    traces.push({ type: "surface", x, y, z: Z, colorscale: SCALE, showscale: false, opacity: 0.92,
      contours: { z: { show: true, usecolormap: true, project: { z: false } } }, hoverinfo: "skip" });
    for (const p of paths) {
      const pts = p.xy.filter(inside);
      traces.push({ type: "scatter3d", mode: "lines", x: pts.map((q) => q[0]), y: pts.map((q) => q[1]),
        z: pts.map((q, k) => height(q[0], q[1], p.z?.[k]) + 1e-3), line: { color: p.color, width: p.width ?? 4 }, name: p.name });
    }
    if (markers) traces.push({ type: "scatter3d", mode: "markers", x: markers.xy.map((q) => q[0]), y: markers.xy.map((q) => q[1]),
      z: markers.xy.map((q) => height(q[0], q[1])), marker: { size: 2.5, color: markers.colors } });
    if (point) traces.push({ type: "scatter3d", mode: "markers", x: [point[0]], y: [point[1]], z: [height(point[0], point[1])],
      marker: { size: 5, color: "#e7298a" }, name: "now" });
    layout.scene = { xaxis: { title: { text: "" } }, yaxis: { title: { text: "" } }, zaxis: { title: { text: "" } },
      camera: { eye: { x: 1.5, y: -1.5, z: 1.1 } }, aspectmode: "cube" };
    layout.margin = { l: 0, r: 0, t: 0, b: 0 };
  } else {
    // a live slice redraws five times a second: a heatmap costs a fraction of a contour plot
    traces.push(fast
      ? { type: "heatmap", x, y, z: Z, colorscale: SCALE, showscale: false, zsmooth: "fast", hoverinfo: "skip" }
      : { type: "contour", x, y, z: Z, colorscale: SCALE, showscale: false, ncontours: 24,
          contours: { coloring: "heatmap" }, line: { width: 0.5, color: "rgba(255,255,255,.5)" }, hoverinfo: "skip" });
    for (const p of paths) {
      traces.push({ type: "scatter", mode: "lines", x: p.xy.map((q) => q[0]), y: p.xy.map((q) => q[1]),
        line: { color: p.color, width: p.width ?? 2 }, name: p.name, hoverinfo: "name" });
    }
    if (markers) traces.push({ type: "scatter", mode: "markers", x: markers.xy.map((q) => q[0]), y: markers.xy.map((q) => q[1]),
      marker: { size: 4, color: markers.colors }, hoverinfo: "skip" });
    if (point) traces.push({ type: "scatter", mode: "markers", x: [point[0]], y: [point[1]],
      marker: { size: 9, color: "#e7298a", line: { color: "#fff", width: 1.5 } }, name: "now" });
    layout.dragmode = false;                                  // dragging moves the start, not the view
    layout.xaxis = { range: [x[0], x[R - 1]], zeroline: false };
    layout.yaxis = { range: [y[0], y[R - 1]], zeroline: false };
    if (arrow) {
      layout.annotations = [{ x: arrow[1][0], y: arrow[1][1], ax: arrow[0][0], ay: arrow[0][1], xref: "x", yref: "y",
        axref: "x", ayref: "y", showarrow: true, arrowhead: 2, arrowsize: 1.2, arrowwidth: 2, arrowcolor: "#e7298a" }];
    }
  }
  Plotly.react(el, traces, layout, { displayModeBar: false, responsive: true });
}

// pixel position inside a contour plot -> data coordinates (for dragging the start point)
export function toData(el, clientX, clientY) {
  const full = el._fullLayout;
  if (!full || !full.xaxis || !full.xaxis.p2l) return null;
  const box = el.querySelector(".nsewdrag")?.getBoundingClientRect();
  if (!box) return null;
  return [full.xaxis.p2l(clientX - box.left), full.yaxis.p2l(clientY - box.top)];
}
