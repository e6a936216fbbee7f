// How well it reads: loss and accuracy curves (measured a few times a second on all 5,000
// images), the confusion matrix as a heatmap, and a grid of test images with the network's answer
// (wrong ones framed in red, read "answer ✗ (true digit)" as the legend above them says).
import { h } from "../widgets/dom.js";
import { lineChart } from "../widgets/linechart.js";
import { fit } from "../widgets/canvas.js";
import { paintInk } from "../widgets/digit_image.js";
import { t } from "../i18n.js";

const TRAIN = "#0877bd", TEST = "#f59322";

export function mount(el) {
  const lossCanvas = h("canvas", { class: "digits-chart", "data-testid": "digits-loss" });
  const accCanvas = h("canvas", { class: "digits-chart", "data-testid": "digits-accuracy" });
  const loss = lineChart(lossCanvas, [{ color: TRAIN }, { color: TEST }]);
  const acc = lineChart(accCanvas, [{ color: TRAIN }, { color: TEST }], { top: 1 });   // accuracy reads 0-1
  const summary = h("p", { class: "digits-summary", "data-testid": "digits-summary" });
  const confusion = h("canvas", { class: "digits-confusion", "data-testid": "confusion" });
  const samples = h("div", { class: "digits-samples", "data-testid": "digit-samples" });
  // side by side where the panel is wide enough, one under the other where it is not (style.css)
  el.append(h("h2", { dataset: { i18n: "digits_curves" } }), summary,
    h("div", { class: "digits-curves" }, lossCanvas, accCanvas),
    h("div", { class: "digits-tables" },
      h("div", { class: "digits-confusion-box" }, h("h3", { dataset: { i18n: "digits_confusion" } }), confusion),
      h("div", { class: "digits-samples-box" }, h("h3", { dataset: { i18n: "digits_samples" } }),
        h("p", { class: "note digits-legend", "data-testid": "digit-samples-legend", dataset: { i18n: "digits_samples_legend" } }),
        samples)));

  function drawConfusion(C) {
    confusion.drawn = C;
    const { ctx, w, h: H } = fit(confusion);
    ctx.clearRect(0, 0, w, H);
    const pad = 16, cell = Math.min((w - pad) / 10, (H - pad) / 10);
    const top = Math.max(1, ...C.flat());
    ctx.font = `${Math.max(8, cell * 0.32)}px system-ui, sans-serif`; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    C.forEach((row, i) => row.forEach((v, j) => {
      const f = v / top, x = pad + j * cell, y = pad + i * cell;
      ctx.fillStyle = i === j ? `rgba(8,119,189,${0.1 + 0.9 * f})` : `rgba(245,147,34,${v ? 0.15 + 0.85 * Math.min(1, f * 4) : 0.04})`;
      ctx.fillRect(x, y, cell - 1, cell - 1);
      if (v) { ctx.fillStyle = f > 0.5 && i === j ? "#fff" : "#222"; ctx.fillText(String(v), x + cell / 2, y + cell / 2); }
    }));
    ctx.fillStyle = "#555";
    for (let k = 0; k < 10; k++) { ctx.fillText(String(k), pad + k * cell + cell / 2, 7); ctx.fillText(String(k), 7, pad + k * cell + cell / 2); }
  }

  function drawSamples(smp) {
    while (samples.children.length < smp.count) {
      samples.append(h("figure", { class: "digits-sample" }, h("canvas", { width: 28, height: 28 }), h("figcaption")));
    }
    while (samples.children.length > smp.count) samples.lastChild.remove();
    for (let i = 0; i < smp.count; i++) {
      const fig = samples.children[i], wrong = smp.labels[i] !== smp.predicted[i];
      paintInk(fig.firstChild, smp.images, i * 784, 28);
      fig.lastChild.textContent = wrong ? `${smp.predicted[i]} ✗ (${smp.labels[i]})` : String(smp.predicted[i]);
      fig.classList.toggle("wrong", wrong);
      fig.dataset.label = smp.labels[i]; fig.dataset.predicted = smp.predicted[i];
    }
  }

  return {
    render(s, changed) {
      if (document.body.dataset.task !== "digits") return;
      const d = s.digits, hist = d.history;
      if (changed.has("digits") || changed.has("view")) {
        loss.draw(hist.step, [hist.loss_train, hist.loss_test], [t("digits_loss_train"), t("digits_loss_test")]);
        acc.draw(hist.step, [hist.accuracy_train, hist.accuracy_test], [t("digits_acc_train"), t("digits_acc_test")]);
        if (d.confusion) drawConfusion(d.confusion);
        if (d.samples && samples.dataset.seq !== String(d.samples.seq)) { samples.dataset.seq = d.samples.seq; drawSamples(d.samples); }
      }
      const f = s.frame;
      if (changed.has("frame") && f?.digits && f.accuracy_test !== null) {
        summary.textContent = t("digits_accuracy_now", { acc: `${(100 * f.accuracy_test).toFixed(1)}%`, step: f.digits.measured_step });
        summary.dataset.accuracy = f.accuracy_test;
      }
    },
  };
}
