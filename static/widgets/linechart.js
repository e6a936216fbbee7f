// A live line chart on one canvas (the loss curve): no library, one redraw is a few hundred
// segments. series: [{name, color}]; draw(x, [y0, y1, ...]) with nulls for gaps; marks: [{x, label}]
// are drawn as dashed vertical lines with their label (a lesson's best epoch). A value with no
// drawn neighbour (the first measurement, a point between gaps) is drawn as a dot.
// options.top: the y axis reaches at least this (accuracy: 1, so it reads 0-1 from the start).
import { fit, ticks, axes } from "./canvas.js";
import { sizeOf, onResize } from "./size.js";

const ok = (v) => v !== null && Number.isFinite(v);

export function lineChart(canvas, series, options = {}) {
  let last = null;                     // drawn again, as it was, at a new size
  onResize(canvas, () => last && chart.draw(...last));
  const chart = {
    draw(x, ys, names = series.map((s) => s.name), marks = []) {
      last = [x, ys, names, marks];
      const { ctx, w, h } = fit(canvas, sizeOf(canvas));
      ctx.clearRect(0, 0, w, h);
      const box = { x: 38, y: 14, w: w - 44, h: h - 30 };
      let x0 = x.length ? x[0] : 0, x1 = x.length ? x[x.length - 1] : 1, top = options.top || 0;
      if (x1 <= x0) x1 = x0 + 1;
      for (const y of ys) for (const v of y) if (ok(v) && v > top) top = v;
      if (top <= 0) top = 1;
      // what is on screen, for scripts and tests: copies (the caller's arrays go on growing)
      canvas.drawn = { x: [...x], ys: ys.map((y) => [...y]), names, marks, top };
      const sx = (v) => box.x + ((v - x0) / (x1 - x0)) * box.w, sy = (v) => box.y + box.h - (v / top) * box.h;
      axes(ctx, box, { sx, sy, xs: x.length === 1 ? [x0] : ticks(x0, x1, 4), ys: ticks(0, top, 3) });
      ys.forEach((y, k) => {
        ctx.beginPath();
        const dots = [];
        for (let i = 0; i < x.length; i++) {
          if (!ok(y[i])) continue;
          const px = sx(x[i]), py = sy(Math.min(y[i], top));
          if (i > 0 && ok(y[i - 1])) ctx.lineTo(px, py); else ctx.moveTo(px, py);
          if (!(i > 0 && ok(y[i - 1])) && !(i + 1 < x.length && ok(y[i + 1]))) dots.push([px, py]);
        }
        ctx.strokeStyle = series[k].color; ctx.lineWidth = 1.5; ctx.stroke();
        ctx.fillStyle = series[k].color;
        for (const [px, py] of dots) { ctx.beginPath(); ctx.arc(px, py, 2.5, 0, 2 * Math.PI); ctx.fill(); }
      });
      for (const m of marks) {
        const px = Math.round(sx(m.x)) + 0.5;
        ctx.save(); ctx.setLineDash([4, 3]); ctx.strokeStyle = "#2e7d32"; ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(px, box.y); ctx.lineTo(px, box.y + box.h); ctx.stroke(); ctx.restore();
        ctx.font = "10px system-ui, sans-serif"; ctx.fillStyle = "#2e7d32"; ctx.textBaseline = "top";
        ctx.textAlign = px > box.x + box.w / 2 ? "right" : "left";
        ctx.fillText(m.label, px + (ctx.textAlign === "left" ? 3 : -3), box.y + 14);
      }
      // the legend, top right: which line is which
      ctx.font = "10px system-ui, sans-serif"; ctx.textBaseline = "middle"; ctx.textAlign = "left";
      let lx = box.x + box.w;
      for (let k = series.length - 1; k >= 0; k--) {
        lx -= ctx.measureText(names[k]).width + 24;
        ctx.strokeStyle = series[k].color; ctx.lineWidth = 2;
        ctx.beginPath(); ctx.moveTo(lx, 7); ctx.lineTo(lx + 14, 7); ctx.stroke();
        ctx.fillStyle = "#333"; ctx.fillText(names[k], lx + 17, 7);
      }
    },
  };
  return chart;
}
