// The output column: decision boundary (or regression surface) with the points, the loss
// read-outs and curves, and the per-layer gradient norms on a log scale.
import { h, note, fmt } from "./dom.js";
import { t } from "../i18n.js";
import { paintMap, paintClasses, labelColor } from "../colors.js";
import { schedulePlot } from "../plotqueue.js";

const CHART_HZ = 8;
const PLOT_CONFIG = { displayModeBar: false, responsive: true, staticPlot: false };
const LAYOUT = { margin: { l: 38, r: 6, t: 4, b: 22 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
  font: { size: 10 }, showlegend: false };

// at most n points of the history, evenly spaced, the newest always kept: a 300 px chart shows no more
function thin(h, n) {
  const len = h.step.length;
  if (len <= n) return h;
  const every = len / n, out = { step: [], loss_train: [], loss_test: [] };
  for (let k = 0; k < n; k++) {
    const i = k === n - 1 ? len - 1 : Math.floor(k * every);
    out.step.push(h.step[i]); out.loss_train.push(h.loss_train[i]); out.loss_test.push(h.loss_test[i]);
  }
  return out;
}

export function mount(el, actions) {
  const heat = h("canvas", { class: "heat" });
  const dots = h("canvas", { class: "dots", width: 300, height: 300 });
  const boundary = h("div", { class: "boundary", "data-testid": "boundary" }, heat, dots);
  const check = (name, key) => {
    const input = h("input", { type: "checkbox", "data-testid": name, onchange: () => actions.setView({ [key]: input.checked }) });
    return { input, label: h("label", { class: "check", dataset: { control: name } }, input, h("span", { dataset: { i18n: name } })) };
  };
  const showTest = check("show_test", "showTest"), discretize = check("discretize", "discretize");
  const read = (id) => h("output", { "data-testid": id, text: "–" });
  const lossTrain = read("loss_train"), lossTest = read("loss_test"), accTrain = read("accuracy_train"), accTest = read("accuracy_test");
  const accRow = h("div", { class: "readout acc" }, h("span", { dataset: { i18n: "accuracy_train" } }), accTrain,
    h("span", { dataset: { i18n: "accuracy_test" } }), accTest);
  const lossChart = h("div", { class: "chart", "data-testid": "loss_chart" });
  el.append(
    h("h2", { dataset: { i18n: "output" } }),
    h("div", { class: "readout" }, h("span", { dataset: { i18n: "loss_test" } }), lossTest,
      h("span", { dataset: { i18n: "loss_train" } }), lossTrain),
    accRow, boundary, h("div", { class: "checks" }, showTest.label, discretize.label), note("note_boundary"),
    h("div", { dataset: { control: "loss_chart" } }, lossChart, note("note_loss")),
  );
  let lastChart = 0, chartsReady = false, dotsKey = null;

  function drawDots(s) {
    const ctx = dots.getContext("2d"), W = dots.width;
    ctx.clearRect(0, 0, W, W);
    const kind = s.dataset.kind;
    const put = (rows, stroke) => {
      for (const [x, y, label] of rows) {
        ctx.beginPath();
        ctx.arc(((x + 6) / 12) * W, ((6 - y) / 12) * W, 3, 0, 2 * Math.PI);
        ctx.fillStyle = labelColor(kind === "regression" ? Math.max(-1, Math.min(1, label)) : label, kind);
        ctx.fill();
        ctx.strokeStyle = stroke; ctx.lineWidth = 1; ctx.stroke();
      }
    };
    put(s.dataset.train, "#fff");
    if (s.view.showTest) put(s.dataset.test, "#222");
  }

  function drawCharts(s) {
    const Plotly = window.Plotly;
    if (!Plotly) return;
    const hist = thin(s.history, 400);
    const traces = [
      { x: hist.step, y: hist.loss_test, name: t("loss_test"), mode: "lines", line: { color: "#222", width: 1.5 } },
      { x: hist.step, y: hist.loss_train, name: t("loss_train"), mode: "lines", line: { color: "#999", width: 1.5 } },
    ];
    Plotly.react(lossChart, traces, { ...LAYOUT, datarevision: `${hist.step.length}:${hist.step.at(-1)}`,
      xaxis: { zeroline: false }, yaxis: { rangemode: "tozero", zeroline: false } }, PLOT_CONFIG);
    chartsReady = true;
  }

  return {
    render(s, changed) {
      const f = s.frame;
      if (f) {
        lossTrain.textContent = fmt(f.loss_train); lossTest.textContent = fmt(f.loss_test);
        const acc = (a) => (a === null || a === undefined ? "–" : `${(a * 100).toFixed(1)}%`);
        accTrain.textContent = acc(f.accuracy_train); accTest.textContent = acc(f.accuracy_test);
        accRow.hidden = f.accuracy_train === null;
      }
      showTest.input.checked = s.view.showTest; discretize.input.checked = s.view.discretize;
      // the output map at the boundary's resolution when the server sends one, else the node maps'
      const m = s.output && s.maps && s.output.seq === s.maps.seq ? s.output : s.maps;
      if (m && s.dataset && (changed.has("maps") || changed.has("output") || changed.has("view"))) {
        const R = m.resolution, n = R * R;
        if (s.dataset.kind === "multiclass") {
          const k = s.config.classes;
          paintClasses(heat, m.data, (m.count - k) * n, R, k, s.view.discretize);
        } else {
          paintMap(heat, m.data, (m.count - 1) * n, R, { discretize: s.view.discretize && s.dataset.kind !== "regression" });
        }
      }
      if (s.dataset) {
        const key = [s.dataset, s.view.showTest];
        if (!dotsKey || dotsKey[0] !== key[0] || dotsKey[1] !== key[1]) { dotsKey = key; drawDots(s); }
      }
      const now = performance.now();
      if ((changed.has("frame") || changed.has("view") || !chartsReady) && now - lastChart > 1000 / CHART_HZ) {
        lastChart = now;
        schedulePlot("loss", () => drawCharts(s));
      }
    },
  };
}
