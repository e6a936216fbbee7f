// The loss-landscape panel: a slice through the live network, exact two-parameter surfaces with the
// descent drawn on them, optimiser races, and crowds of walkers or of networks.
import { h, note, fmt } from "./dom.js";
import { t } from "../i18n.js";
import { draw as drawNow, toData, optimizerColor, basinColor } from "./landscape_plot.js";
import { schedulePlot } from "../plotqueue.js";

const draw = (el, spec) => schedulePlot("landscape", () => drawNow(el, spec));

const MODES = ["live", "house", "neuron", "race", "crowd", "networks"];
const SLICES = ["random", "pca", "weights"];
const SURFACES = ["quadratic", "rosenbrock", "beale", "himmelblau", "saddle", "rastrigin"];
const OPTIMIZERS = ["sgd", "momentum", "nesterov", "rmsprop", "adam"];
const RACE_RATES = { sgd: 0.15, momentum: 0.03, nesterov: 0.03, rmsprop: 0.05, adam: 0.1 };

function choice(name, values, onchange, prefix = "ls_") {
  const el = h("select", { "data-testid": name, onchange: () => onchange(el.value) },
    values.map((v) => h("option", { value: v, dataset: { i18n: `${prefix}${v}` } })));
  return el;
}

export function mount(el, actions) {
  let s = null, mode = "live", view = "contour", start = null, drawn = null;
  const plot = h("div", { class: "landscape-plot", "data-testid": "landscape_plot" });
  const info = h("div", { class: "ls-info", "data-testid": "landscape_info" });
  const modeSel = choice("landscape_mode", MODES, (v) => { mode = v; start = null; request(); });
  const viewBtn = h("button", { class: "small toggle", "data-testid": "landscape_view",
    onclick: () => { view = view === "contour" ? "surface" : "contour"; drawn = null; paint(); } });
  const slice = choice("landscape_slice", SLICES, () => request());
  const freeze = h("input", { type: "checkbox", "data-testid": "landscape_freeze", onchange: () => request() });
  const lr = h("input", { type: "range", min: -3, max: 0.5, step: 0.01, value: -1.5, "data-testid": "landscape_lr" });
  const lrOut = h("output", { class: "value" });
  const limitMark = h("span", { class: "limit-mark", "data-testid": "landscape_limit", hidden: true });
  lr.addEventListener("input", () => { lrOut.textContent = fmt(10 ** Number(lr.value), 4); request(); });
  const surface = choice("landscape_surface", SURFACES, () => { start = null; request(); });
  const condition = h("input", { type: "range", min: 0, max: 3, step: 0.1, value: 1, "data-testid": "landscape_condition",
    onchange: () => request() });
  const optimizer = choice("landscape_optimizer", OPTIMIZERS, () => request(), "");
  const count = h("input", { type: "number", min: 1, max: 200, value: 100, class: "num", "data-testid": "landscape_count",
    onchange: () => request() });
  const models = h("input", { type: "number", min: 1, max: 64, value: 16, class: "num", "data-testid": "landscape_models",
    onchange: () => request() });
  const rates = Object.fromEntries(OPTIMIZERS.map((o) => [o, h("input", { type: "number", min: 0.0001, max: 10, step: "any",
    value: RACE_RATES[o], class: "num", "data-testid": `race_lr-${o}`, onchange: () => request() })]));
  const run = h("button", { class: "small", "data-testid": "landscape_run", dataset: { i18n: "ls_run" }, onclick: () => request() });
  const group = (modes, ...kids) => h("div", { class: "ls-row", dataset: { modes: modes.join(" ") } }, ...kids);
  const controls = h("div", { class: "ls-controls" },
    group(["live"], h("span", { dataset: { i18n: "ls_slice" } }), slice,
      h("label", { class: "check" }, freeze, h("span", { dataset: { i18n: "ls_freeze" } }))),
    group(["live"], h("small", { class: "hint", dataset: { i18n: "ls_pick_hint" } })),
    group(["house", "neuron"], h("span", { dataset: { i18n: "learning_rate" } }), h("span", { class: "lr-wrap" }, lr, limitMark), lrOut),
    group(["house", "neuron"], h("small", { class: "hint", dataset: { i18n: "ls_drag_hint" } })),
    group(["race", "crowd"], surface),
    group(["race", "crowd"], h("span", { dataset: { i18n: "ls_condition" } }), condition),
    group(["race"], ...OPTIMIZERS.map((o) => h("label", { class: "race-rate", style: `color:${optimizerColor(o)}` },
      h("span", { dataset: { i18n: o } }), rates[o]))),
    group(["crowd"], optimizer, h("span", { dataset: { i18n: "ls_walkers" } }), count),
    group(["networks"], h("span", { dataset: { i18n: "ls_models" } }), models),
    group(["race", "crowd", "networks"], run),
  );
  el.append(h("div", { class: "ls-head" }, h("h2", { dataset: { i18n: "landscape" } }), modeSel, viewBtn), plot, info, controls,
    note("note_landscape"));

  function request() {
    for (const g of controls.querySelectorAll("[data-modes]")) g.hidden = !g.dataset.modes.split(" ").includes(mode);
    condition.closest(".ls-row").hidden ||= surface.value !== "quadratic";     // only the bowl has one
    if (mode === "live") {
      const picked = s?.view.selected ?? [];
      const m = { mode: slice.value, frozen: freeze.checked };
      if (slice.value === "weights") {
        if (picked.length < 2) { info.textContent = t("ls_pick_hint"); return; }
        m.weights = picked.slice(-2).map(([layer, to, from]) => ({ layer, to, from }));
      }
      actions.setLandscape(m);
      return;
    }
    actions.setLandscape({ mode: "off" });
    const base = { steps: 200, seed: 1 };
    if (mode === "house" || mode === "neuron") {
      actions.explore({ ...base, surface: mode, mode: "path", learning_rate: 10 ** Number(lr.value), ...(start ? { start } : {}), steps: 60 });
    } else if (mode === "race") {
      const r = Object.fromEntries(OPTIMIZERS.map((o) => [o, Math.max(1e-4, Number(rates[o].value) || RACE_RATES[o])]));
      actions.explore({ ...base, surface: surface.value, mode: "race", rates: r, condition: 10 ** Number(condition.value),
        steps: 300, ...(start ? { start } : {}) });
    } else if (mode === "crowd") {
      actions.explore({ ...base, surface: surface.value, mode: "crowd", optimizer: optimizer.value,
        walkers: Math.max(1, Math.min(200, Number(count.value) || 100)), steps: 500, condition: 10 ** Number(condition.value) });
    } else {
      actions.explore({ ...base, mode: "networks", models: Math.max(1, Math.min(64, Number(models.value) || 16)), steps: 2000 });
    }
  }

  // dragging on a contour map moves the start point and restarts the descent there
  let dragging = false;
  plot.addEventListener("pointerdown", (e) => { if (view === "contour" && ["house", "neuron", "race"].includes(mode)) { dragging = true; move(e); } });
  window.addEventListener("pointerup", (e) => { if (dragging) { dragging = false; move(e, true); } });
  plot.addEventListener("pointermove", (e) => { if (dragging) move(e); });
  let lastMove = 0;
  function move(e, final = false) {
    const p = toData(plot, e.clientX, e.clientY);
    const now = performance.now();
    if (!p || (!final && now - lastMove < 60)) return;      // a few restarts a second while dragging
    lastMove = now; start = p; request();
  }

  function paint() {
    const L = s?.landscape, m = L?.message;
    if (!m) return;
    viewBtn.textContent = t(view === "contour" ? "ls_contour" : "ls_surface");
    if (m.mode === "networks") return paintNetworks(m.result);
    const g = L.surface;
    if (!g || g.seq !== m.surface_seq || drawn === g) return;
    drawn = g;
    const R = g.resolution, base = { x: m.x, y: m.y, z: g.data, R, view };
    if (m.type === "landscape") {
      const trail = [...m.path, m.center];
      draw(plot, { ...base, paths: [{ name: "path", xy: trail, color: "#e7298a", width: 2 }], point: m.center, fast: true });
      info.textContent = `${t("loss_train")} ${fmt(m.loss_center)} · ${t("steps")} ${m.step}` +
        (m.explained ? ` · PCA ${(100 * m.explained[0]).toFixed(0)}% + ${(100 * m.explained[1]).toFixed(0)}%` : "");
      return;
    }
    const r = m.result, log = m.surface.log_scale;
    if (m.mode === "path") {
      const path = r.path, k = path.length - 1;
      draw(plot, { ...base, log, paths: [{ name: "gd", xy: path, z: r.loss, color: "#e7298a" }], point: path[k],
        arrow: k >= 1 ? [path[k - 1], path[k]] : null, markers: { xy: m.surface.minima, colors: "#fff" } });
      limitMark.hidden = !r.limit;
      if (r.limit) limitMark.style.left = `${((Math.log10(r.limit) - Number(lr.min)) / (Number(lr.max) - Number(lr.min))) * 100}%`;
      info.textContent = `${t(`ls_regime_${r.regime ?? "smooth"}`)} · 2/λmax = ${fmt(r.limit, 4)} · ${t("loss")} ${fmt(r.loss.at(-1), 4)}`;
    } else if (m.mode === "race") {
      const paths = Object.entries(r.racers).map(([name, q]) => ({ name, xy: q.path, z: q.loss, color: optimizerColor(name) }));
      draw(plot, { ...base, log, paths, markers: { xy: m.surface.minima, colors: "#fff" } });
      info.replaceChildren(...Object.entries(r.racers).map(([name, q]) => h("div", { class: "race-line", style: `color:${optimizerColor(name)}` },
        `${t(name)}: ${t("loss")} ${fmt(q.loss.at(-1), 4)}` +
        (q.predicted_rate != null ? ` · ${t("ls_predicted")} ${fmt(q.predicted_rate, 4)} / ${t("ls_measured")} ${fmt(q.measured_rate, 4)}` : ""))));
    } else {
      const paths = r.paths.map((xy, k) => ({ name: "", xy, color: basinColor(r.labels[k]), width: 1 }));
      draw(plot, { ...base, log, paths, markers: { xy: r.finals, colors: r.labels.map(basinColor) } });
      info.textContent = t("ls_share", { p: (100 * r.share_global).toFixed(0) }) + ` · ${t("ls_basins")}: ${r.counts.join(" / ")}`;
    }
  }

  function paintNetworks(r) {
    const Plotly = window.Plotly;
    if (!Plotly || drawn === r) return;
    drawn = r;
    const M = r.models, traces = [];
    for (let k = 0; k < M; k++) {
      traces.push({ type: "scatter", mode: "lines", x: r.history.step, y: r.history.loss.map((row) => row[k]),
        line: { width: 1, color: `hsla(${(k * 360) / M}, 60%, 45%, .7)` }, hoverinfo: "skip" });
    }
    Plotly.react(plot, traces, { margin: { l: 40, r: 6, t: 4, b: 24 }, showlegend: false, paper_bgcolor: "rgba(0,0,0,0)",
      yaxis: { type: "log" }, font: { size: 10 } }, { displayModeBar: false, responsive: true });
    const q = r.spread;
    info.textContent = `${M} ${t("ls_models")} · ${t("ls_spread")}: ${fmt(q.min, 4)} … ${fmt(q.median, 4)} … ${fmt(q.max, 4)}`;
  }

  return {
    render(state, changed) {
      const first = !s;
      s = state;
      if (first || (changed.has("connection") && s.connection === "open")) { modeSel.value = mode; request(); }
      if (changed.has("view") && mode === "live" && slice.value === "weights") request();
      if (changed.has("config") && mode === "networks") request();
      if (changed.has("landscape") || changed.has("view")) paint();
    },
  };
}
