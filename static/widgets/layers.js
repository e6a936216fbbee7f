// A small layered diagram on one canvas, for a lesson's animation: columns of nodes (the input
// features, each hidden layer, the output), links between them. draw(canvas, sizes, {nodes, links,
// lit}) colours node j of column c by nodes[c][j] and the links into column c by links[c - 1] (a
// matrix [to][from]), each in [-1, 1] (blue positive, orange negative); only columns (and links)
// marked in `lit` are coloured, the rest are grey: the animation lights them one after another.
import { fit } from "./canvas.js";
import { rgb } from "./colors.js";

export function drawLayers(canvas, sizes, { nodes = [], links = [], lit = () => true, litLink = lit } = {}) {
  const { ctx, w, h } = fit(canvas);
  ctx.clearRect(0, 0, w, h);
  const cols = sizes.length, gx = (c) => 18 + (c * (w - 36)) / Math.max(1, cols - 1);
  const gy = (c, j) => h / 2 + (j - (sizes[c] - 1) / 2) * Math.min(26, (h - 16) / Math.max(1, sizes[c]));
  const r = Math.max(4, Math.min(9, (h - 16) / (2.6 * Math.max(...sizes))));
  for (let c = 1; c < cols; c++) {
    for (let j = 0; j < sizes[c]; j++) {
      for (let i = 0; i < sizes[c - 1]; i++) {
        const v = links[c - 1]?.[j]?.[i];
        ctx.strokeStyle = litLink(c) && v !== undefined ? rgb(v) : "#ddd";
        ctx.lineWidth = litLink(c) && v !== undefined ? 0.5 + 2.5 * Math.min(1, Math.abs(v)) : 0.7;
        ctx.beginPath(); ctx.moveTo(gx(c - 1), gy(c - 1, i)); ctx.lineTo(gx(c), gy(c, j)); ctx.stroke();
      }
    }
  }
  for (let c = 0; c < cols; c++) {
    for (let j = 0; j < sizes[c]; j++) {
      const v = nodes[c]?.[j];
      ctx.fillStyle = lit(c) && v !== undefined ? rgb(v) : "#eee";
      ctx.strokeStyle = "#888"; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.arc(gx(c), gy(c, j), r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    }
  }
}
