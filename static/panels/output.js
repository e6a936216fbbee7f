// The output column: the network's output over the input plane (or, while the pointer is on a
// neuron, that neuron's map) with the points, axes and a colour scale; the loss read-outs and curve.
import { h, note, fmt, setText, setHidden } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { paintMap, paintClasses, labelColor, LUT } from "../widgets/colors.js";
import { fit, axes, ticks, still } from "../widgets/canvas.js";
import { lineChart } from "../widgets/linechart.js";
import { sizeOf, onResize } from "../widgets/size.js";
import { marks as lessonMarks } from "../lessons.js";

const CHART_HZ = 10;
const M = { l: 22, t: 4, r: 4, b: 16 };          // the map's margins in its canvas: room for the axes

// at most n points of the history, evenly spaced, the newest always kept: a 300 px chart shows no more
function thin(hist, n) {
  const len = hist.step.length;
  if (len <= n) return hist;
  const every = len / n, out = { step: [], loss_train: [], loss_test: [] };
  for (let k = 0; k < n; k++) {
    const i = k === n - 1 ? len - 1 : Math.floor(k * every);
    out.step.push(hist.step[i]); out.loss_train.push(hist.loss_train[i]); out.loss_test.push(hist.loss_test[i]);
  }
  return out;
}

export function mount(el, actions) {
  const heat = h("canvas", { class: "heat" });
  const dots = h("canvas", { class: "dots" });
  const grid = document.createElement("canvas");           // the map at its own resolution, scaled up smoothly
  const title = h("div", { class: "map-title", "data-testid": "map_title" });
  const boundary = h("div", { class: "boundary", "data-testid": "boundary" }, heat, dots, title);
  const scale = h("img", { class: "colour-scale", "data-testid": "colour_scale", alt: "" });   // drawn once: an image
  const scaleCanvas = document.createElement("canvas");
  const check = (name) => {
    const input = h("input", { type: "checkbox", "data-testid": name, onchange: () => actions.setView({ [name]: input.checked }) });
    return { input, label: h("label", { class: "check", dataset: { control: name } }, input, h("span", { dataset: { i18n: name } })) };
  };
  const showTest = check("show_test"), discretize = check("discretize");
  const read = (id) => h("output", { "data-testid": id, text: "–" });
  const lossTrain = read("loss_train"), lossTest = read("loss_test"), accTrain = read("accuracy_train"), accTest = read("accuracy_test");
  const cell = (key, out) => h("div", { class: "cell" }, h("span", { dataset: { i18n: key } }), out);
  const accRow = h("div", { class: "readout acc" }, cell("accuracy_train", accTrain), cell("accuracy_test", accTest));
  const lossCanvas = h("canvas", { class: "chart", "data-testid": "loss_chart" });
  const loss = lineChart(lossCanvas, [{ name: "loss_test", color: "#222" }, { name: "loss_train", color: "#999" }]);
  el.append(
    h("h2", { dataset: { i18n: "output" } }),
    h("div", { class: "readout" }, cell("loss_test", lossTest), cell("loss_train", lossTrain)),
    accRow, boundary, scale, h("div", { class: "checks" }, showTest.label, discretize.label), note("note_boundary"),
    h("div", { dataset: { control: "loss_chart" } }, lossCanvas, note("note_loss")),
  );
  let lastChart = 0, chartTimer = 0, dotsKey = null, size = 0;

  // the loss curve, at most CHART_HZ times a second; a change that comes sooner is drawn when the
  // interval is over (the last frame of a run is never left off the chart)
  function drawChart(s) {
    const wait = lastChart + 1000 / CHART_HZ - performance.now();
    if (wait > 0) {
      if (!chartTimer) chartTimer = setTimeout(() => { chartTimer = 0; drawChart(s); }, wait);
      return;
    }
    lastChart = performance.now();
    const hist = thin(s.history, 400);
    const marks = lessonMarks(s, hist).map((m) => ({ x: m.x, label: t("lesson_best_epoch", { epoch: m.epoch }) }));
    loss.draw(hist.step, [hist.loss_test, hist.loss_train], [t("loss_test"), t("loss_train")], marks);
    lossCanvas.dataset.points = String(hist.step.length);
  }

  function box(w, hh) { return { x: M.l, y: M.t, w: w - M.l - M.r, h: hh - M.t - M.b }; }

  function drawDots(s) {
    const { ctx, w, h: hh } = fit(dots, sizeOf(boundary));       // the map's canvases fill the boundary
    ctx.clearRect(0, 0, w, hh);
    const b = box(w, hh), sx = (v) => b.x + ((v + 6) / 12) * b.w, sy = (v) => b.y + ((6 - v) / 12) * b.h;
    axes(ctx, b, { sx, sy, xs: ticks(-6, 6, 4), ys: ticks(-6, 6, 4), grid: false, xname: "x₁", yname: "x₂" });
    const kind = s.dataset.kind;
    const put = (rows, stroke) => {
      for (const [x, y, label] of rows) {
        ctx.beginPath();
        ctx.arc(sx(x), sy(y), 3, 0, 2 * Math.PI);
        ctx.fillStyle = labelColor(kind === "regression" ? Math.max(-1, Math.min(1, label)) : label, kind);
        ctx.fill();
        ctx.strokeStyle = stroke; ctx.lineWidth = 1; ctx.stroke();
      }
    };
    put(s.dataset.train, "#fff");
    if (s.view.show_test) put(s.dataset.test, "#222");
  }

  function drawScale(s) {
    const { ctx, w, h: hh } = fit(scaleCanvas, { w: scale.clientWidth, h: scale.clientHeight });      // drawn rarely
    ctx.clearRect(0, 0, w, hh);
    const x0 = M.l, x1 = w - M.r, multi = s.dataset?.kind === "multiclass";
    for (let px = x0; px < x1; px++) {
      const i = Math.round(((px - x0) / (x1 - x0)) * 255) * 3;
      ctx.fillStyle = `rgb(${LUT[i]},${LUT[i + 1]},${LUT[i + 2]})`;
      ctx.fillRect(px, 0, 1, 8);
    }
    ctx.font = "10px system-ui, sans-serif"; ctx.fillStyle = "#555"; ctx.textBaseline = "top";
    ctx.textAlign = "left"; ctx.fillText(multi ? "" : "−1", x0, 9);
    ctx.textAlign = "center"; ctx.fillText(multi ? t("scale_classes") : "0", (x0 + x1) / 2, 9);
    ctx.textAlign = "right"; ctx.fillText(multi ? "" : "+1", x1, 9);
    still(scaleCanvas, scale);
  }

  function drawMap(s) {
    const { ctx, w, h: hh } = fit(heat, sizeOf(boundary));
    const b = box(w, hh), hover = s.view.hover;
    const useOutput = !hover && s.output && s.maps && s.output.seq === s.maps.seq;
    const m = useOutput ? s.output : s.maps;
    if (!m) return;
    const R = m.resolution, n = R * R;
    if (hover) {                       // a neuron's map, large: hover = [column, index] in the diagram
      const at = (s.config.features.length + s.config.hidden.slice(0, hover[0] - 1).reduce((a, k) => a + k, 0) + hover[1]) * n;
      if (at + n > m.data.length) return;
      let mx = 1e-9;
      for (let q = at; q < at + n; q++) mx = Math.max(mx, Math.abs(m.data[q]));
      paintMap(grid, m.data, at, R, { scale: 1 / mx });
      setText(title, t("neuron_map", { layer: hover[0], i: hover[1] + 1 }));
    } else {
      if (s.dataset.kind === "multiclass") paintClasses(grid, m.data, (m.count - s.config.classes) * n, R, s.config.classes, s.view.discretize);
      else paintMap(grid, m.data, (m.count - 1) * n, R, { discretize: s.view.discretize && s.dataset.kind !== "regression" });
      setText(title, "");
    }
    ctx.clearRect(0, 0, w, hh);
    ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = "low";   // bilinear: smooth, and cheap per frame
    ctx.drawImage(grid, b.x, b.y, b.w, b.h);
  }

  let shown = null;                    // the state last rendered: drawn again at a new size
  onResize(boundary, () => shown && panel.render(shown, new Set()));
  const panel = {
    render(s, changed) {
      shown = s;
      const f = s.frame;
      if (f) {
        setText(lossTrain, fmt(f.loss_train)); setText(lossTest, fmt(f.loss_test));
        const acc = (a) => (a === null || a === undefined ? "–" : `${(a * 100).toFixed(1)}%`);
        setText(accTrain, acc(f.accuracy_train)); setText(accTest, acc(f.accuracy_test));
        setHidden(accRow, f.accuracy_train === null);
      }
      showTest.input.checked = s.view.show_test; discretize.input.checked = s.view.discretize;
      if (!s.dataset || !s.config) return;
      const resized = sizeOf(boundary).w !== size;
      size = sizeOf(boundary).w;
      if (changed.has("maps") || changed.has("output") || changed.has("view") || resized) drawMap(s);
      const key = [s.dataset, s.view.show_test, size, s.view.lang];
      if (!dotsKey || key.some((v, i) => v !== dotsKey[i])) { dotsKey = key; drawDots(s); drawScale(s); }
      if (changed.has("frame") || changed.has("view") || resized) drawChart(s);
    },
  };
  return panel;
}
