// The network drawn with its real layer sizes: the 784 inputs as the input image itself, then a
// column of neurons per layer lit by the current example's activations (the pad's drawing when
// there is one, else a test image that changes a few times a second), links coloured by weight.
import { h } from "../widgets/dom.js";
import { fit } from "../widgets/canvas.js";
import { rgb } from "../widgets/colors.js";
import { paintInk } from "../widgets/digit_image.js";
import { t } from "../i18n.js";

export function mount(el) {
  const canvas = h("canvas", { class: "digits-net", "data-testid": "digits-network" });
  const input = h("canvas", { width: 28, height: 28 });
  const caption = h("p", { class: "note", "data-testid": "digits-example" });
  el.append(h("h2", { dataset: { i18n: "digits_network", i18nTitle: "digits_network_tip" } }), canvas, caption);

  function example(s) {
    const pad = s.digits.pad, f = s.frame?.digits;
    if (pad) return { image: pad.image.flat(), scale: 1, acts: pad.activations, text: t("digits_pad_example", { predicted: pad.predicted }) };
    const smp = s.digits.samples;
    if (!f || !smp || f.example.sample >= smp.count) return null;
    const e = f.example;
    return { image: smp.images, at: e.sample * 784, scale: 255, acts: e.activations,
      text: t("digits_example", { label: e.label, predicted: e.predicted }) };
  }

  function draw(s) {
    const ex = example(s);
    const { ctx, w, h: H } = fit(canvas);
    ctx.clearRect(0, 0, w, H);
    if (!ex) return;
    caption.textContent = ex.text;
    canvas.drawn = ex.acts;                               // for scripts and tests
    paintInk(input, ex.image, ex.at || 0, 28, ex.scale);
    const side = Math.min(H - 20, w * 0.22);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(input, 4, (H - side) / 2, side, side);
    ctx.strokeStyle = "#999"; ctx.strokeRect(4, (H - side) / 2, side, side);
    const cols = ex.acts.length, x0 = side + 30, dx = (w - x0 - 24) / Math.max(1, cols - 1);
    const ys = ex.acts.map((a) => a.map((_, i) => (H / (a.length + 1)) * (i + 1)));
    const xs = ex.acts.map((_, c) => x0 + c * dx);
    const layers = s.frame?.digits?.layers || [];
    ctx.lineWidth = 0.6;
    ys[0].forEach((y) => {                                  // the image feeds every first-layer neuron
      ctx.strokeStyle = "rgba(120,120,120,0.25)"; ctx.beginPath(); ctx.moveTo(4 + side, H / 2); ctx.lineTo(xs[0], y); ctx.stroke();
    });
    for (let c = 1; c < cols; c++) {
      const W = layers[c - 1];
      if (!W || W.length !== ys[c].length) continue;
      let top = 1e-9;
      for (const r of W) for (const v of r) top = Math.max(top, Math.abs(v ?? 0));
      W.forEach((row, i) => row.forEach((v, j) => {
        ctx.strokeStyle = rgb((v ?? 0) / top); ctx.globalAlpha = Math.min(1, Math.abs(v ?? 0) / top + 0.1);
        ctx.beginPath(); ctx.moveTo(xs[c - 1], ys[c - 1][j]); ctx.lineTo(xs[c], ys[c][i]); ctx.stroke();
      }));
      ctx.globalAlpha = 1;
    }
    const r = Math.max(3, Math.min(9, (H / (Math.max(...ex.acts.map((a) => a.length)) + 1)) * 0.4));
    ctx.font = "11px system-ui, sans-serif"; ctx.textBaseline = "middle";
    ex.acts.forEach((a, c) => a.forEach((v, i) => {
      ctx.fillStyle = rgb(Math.max(-1, Math.min(1, v ?? 0)));
      ctx.beginPath(); ctx.arc(xs[c], ys[c][i], r, 0, 2 * Math.PI); ctx.fill();
      ctx.strokeStyle = "#777"; ctx.lineWidth = 0.8; ctx.stroke();
      if (c === cols - 1) { ctx.fillStyle = "#333"; ctx.fillText(String(i), xs[c] + r + 4, ys[c][i]); }
    }));
  }

  return {
    render(s, changed) {
      if (document.body.dataset.task !== "digits") return;
      if (["frame", "digits", "view"].some((k) => changed.has(k))) draw(s);
    },
  };
}
