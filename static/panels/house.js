// The house-price view (issue 11): price against distance as a scatter, the model's prediction
// as a line moving as it learns, and each residual ŷ−y drawn as a bar with its square, so that the
// mean squared error is the mean area of the squares. Shown when the dataset is "house" (or a
// lesson lists the "house" panel); the exact (w, b) surface beside it is the landscape panel's
// house mode. The line is read from the output map the server sends (x₂ = 0 row), so it is the
// model's own prediction whatever its features or layers.
import { h, fmt } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { fit, ticks, axes } from "../widgets/canvas.js";

const M = { l: 34, t: 8, r: 8, b: 18 };

// the model's prediction along x2 = 0 from an output grid over [-6, 6]², as a function of x1
function predictor(g) {
  if (!g) return null;
  const R = g.resolution, n = R * R, at = (g.count - 1) * n;
  const r0 = Math.floor((R - 1) / 2), r1 = Math.ceil((R - 1) / 2);
  const row = (c) => (g.data[at + r0 * R + c] + g.data[at + r1 * R + c]) / 2;
  return (x) => {
    const u = Math.max(0, Math.min(R - 1, ((x + 6) * (R - 1)) / 12)), c = Math.min(R - 2, Math.floor(u)), f = u - c;
    return row(c) * (1 - f) + row(c + 1) * f;
  };
}

export function mount(el, actions) {
  const canvas = h("canvas", { class: "house-canvas", "data-testid": "house_canvas" });
  const info = h("div", { class: "house-info", "data-testid": "house_mse" });
  el.append(h("h2", { dataset: { i18n: "house_title" } }), canvas, info);
  let s = null, pending = false;
  const shown = (st) => st.config?.dataset === "house" || (st.view.lesson && !st.view.hide.includes("house")
    && st.lessons.catalogue?.lessons.find((l) => l.id === st.view.lesson)?.view.panels?.includes("house"));

  function draw() {
    pending = false;
    const pts = s.dataset?.train, f = s.dataset?.kind === "regression" ? predictor(s.output || s.maps) : null;
    const { ctx, w, h: hh } = fit(canvas);
    ctx.clearRect(0, 0, w, hh);
    if (!pts || !pts.length) return;
    const ys = pts.map((p) => p[p.length - 1]);
    let lo = Math.min(...ys), hi = Math.max(...ys);
    const pad = (hi - lo) * 0.15 + 0.1; lo -= pad; hi += pad;
    const box = { x: M.l, y: M.t, w: w - M.l - M.r, h: hh - M.t - M.b };
    const sx = (v) => box.x + ((v + 6) / 12) * box.w, sy = (v) => box.y + ((hi - v) / (hi - lo)) * box.h;
    axes(ctx, box, { sx, sy, xs: ticks(-6, 6, 4), ys: ticks(lo, hi, 4), xname: t("house_distance"), yname: t("house_price") });
    let sum = 0, drawn = 0;
    if (f) {
      ctx.save();
      ctx.beginPath(); ctx.rect(box.x, box.y, box.w, box.h); ctx.clip();
      for (const p of pts) {                       // each residual: a bar from y to ŷ and its square
        const x = p[0], y = p[p.length - 1], yh = f(x), r = yh - y;
        sum += r * r; drawn += 1;
        const px = sx(x), side = Math.abs(sy(yh) - sy(y));
        ctx.fillStyle = "rgba(230, 120, 40, 0.08)"; ctx.strokeStyle = "rgba(230, 120, 40, 0.45)"; ctx.lineWidth = 1;
        ctx.fillRect(px, Math.min(sy(y), sy(yh)), side, side);
        ctx.beginPath(); ctx.moveTo(px, sy(y)); ctx.lineTo(px, sy(yh)); ctx.stroke();
      }
      ctx.strokeStyle = "#1565c0"; ctx.lineWidth = 2; ctx.beginPath();
      for (let k = 0; k <= 60; k++) { const x = -6 + k / 5; if (k) ctx.lineTo(sx(x), sy(f(x))); else ctx.moveTo(sx(x), sy(f(x))); }
      ctx.stroke();
      ctx.restore();
    }
    ctx.fillStyle = "#333";
    for (const p of pts) { ctx.beginPath(); ctx.arc(sx(p[0]), sy(p[p.length - 1]), 2.5, 0, 2 * Math.PI); ctx.fill(); }
    canvas.dataset.residuals = String(drawn);     // for scripts and tests: how many residuals are on screen
    info.textContent = f ? `${t("house_mse")} = ${fmt(sum / drawn, 4)}` : t("house_wait");
  }

  return {
    render(state, changed) {
      s = state;
      const on = !!(s.config && shown(s));
      el.classList.toggle("off", !on);
      if (!on) return;
      if (["dataset", "output", "maps", "view", "config"].some((k) => changed.has(k)) && !pending) {
        pending = true;
        requestAnimationFrame(draw);
      }
    },
  };
}
