// Bars on a log scale on one canvas (the per-layer gradient sizes): draw(labels, values).
import { fit, axes } from "./canvas.js";
import { sizeOf, onResize } from "./size.js";

export function logBars(canvas, color = "#0877bd") {
  onResize(canvas, () => canvas.drawn && bars.draw(canvas.drawn.labels, canvas.drawn.values));   // again at a new size
  const bars = {
    draw(labels, values) {
      canvas.drawn = { labels, values };             // what is on screen, for scripts and tests
      const { ctx, w, h } = fit(canvas, sizeOf(canvas));
      ctx.clearRect(0, 0, w, h);
      const box = { x: 40, y: 4, w: w - 46, h: h - 20 };
      const ok = values.filter((v) => v > 0 && Number.isFinite(v));
      if (!ok.length) return;
      let lo = Math.floor(Math.log10(Math.min(...ok))), hi = Math.ceil(Math.log10(Math.max(...ok)));
      if (hi <= lo) hi = lo + 1;
      const sy = (e) => box.y + box.h - ((e - lo) / (hi - lo)) * box.h;
      const every = Math.max(1, Math.ceil((hi - lo) / 4)), ys = [];
      for (let e = lo; e <= hi; e += every) ys.push(e);
      axes(ctx, box, { sx: () => -100, sy, xs: [], ys, ylabel: (e) => `1e${e}` });
      const bw = box.w / values.length;
      ctx.font = "10px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "top";
      values.forEach((v, i) => {
        const x = box.x + i * bw;
        if (v > 0 && Number.isFinite(v)) {
          const top = sy(Math.log10(v));
          ctx.fillStyle = color; ctx.fillRect(x + bw * 0.15, top, bw * 0.7, box.y + box.h - top);
        }
        ctx.fillStyle = "#666"; ctx.fillText(labels[i], x + bw / 2, box.y + box.h + 3);
      });
    },
  };
  return bars;
}
