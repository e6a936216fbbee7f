// Per-layer gradient size, ‖∂L/∂W‖, on a log scale: vanishing gradients show at a glance.
import { h, note } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { logBars } from "../widgets/barchart.js";

const HZ = 8;

export function mount(el, actions) {
  const canvas = h("canvas", { class: "chart small", "data-testid": "grad_chart" });
  const chart = logBars(canvas);
  el.append(h("h2", { dataset: { i18n: "grad_norms" } }), canvas, note("note_grads"));
  let last = 0, shown = null;
  return {
    render(s, changed) {
      const norms = s.frame?.grad_norms;
      const now = performance.now();
      if (!norms || (norms === shown && !changed.has("view")) || now - last < 1000 / HZ) return;
      last = now; shown = norms;
      chart.draw(norms.map((_, i) => (i === norms.length - 1 ? t("output") : `${t("layer")} ${i + 1}`)), norms);
      canvas.dataset.drawn = String(s.frame.step);
    },
  };
}
