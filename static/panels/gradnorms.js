// Per-layer gradient size, ‖∂L/∂W‖, on a log scale: vanishing gradients show at a glance.
import { h, note } from "./dom.js";
import { t } from "../i18n.js";
import { schedulePlot } from "../plotqueue.js";

const HZ = 5;

export function mount(el, actions) {
  const chart = h("div", { class: "chart small", "data-testid": "grad_chart" });
  el.append(h("h2", { dataset: { i18n: "grad_norms" } }), chart, note("note_grads"));
  let last = 0, shown = null;
  return {
    render(s, changed) {
      const Plotly = window.Plotly;
      const norms = s.frame?.grad_norms;
      const now = performance.now();
      if (!Plotly || !norms || (norms === shown && !changed.has("view")) || now - last < 1000 / HZ) return;
      last = now; shown = norms;
      const layers = norms.map((_, i) => (i === norms.length - 1 ? t("output") : `${t("layer")} ${i + 1}`));
      const y = norms.map((v) => (v > 0 ? v : null));
      schedulePlot("grads", () => Plotly.react(chart, [{ type: "bar", x: layers, y, marker: { color: "#0877bd" },
        hovertemplate: "%{x}: %{y:.3e}<extra></extra>" }],
        { margin: { l: 44, r: 6, t: 4, b: 20 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
          font: { size: 10 }, showlegend: false, datarevision: now,
          yaxis: { type: "log", exponentformat: "power", dtick: 1 } },
        { displayModeBar: false, responsive: true }));
    },
  };
}
