// The loss-landscape panel: a slice through the live network, exact two-parameter surfaces with the
// descent walking on them, optimiser races, and crowds of walkers or of networks. Its choices live
// in state.view (landscape, surface, slice) and state.explore (the rest).
import { h, fmt, setText, setHidden } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { draw3d, optimizerColor, basinColor } from "../widgets/landscape_plot.js";
import { surfaceMap } from "../widgets/surfacemap.js";
import { schedulePlot } from "../widgets/plotqueue.js";

const MODES = ["live", "house", "neuron", "race", "crowd", "networks"];
const NETWORK_STEPS = 2500;              // a crowd of networks: 100 epochs of 250 points (lesson 3 measures these)
const EXACT = ["house", "neuron"];
const ratesFor = (v, e) => (e.rates && e.rates_surface === v.surface ? e.rates : null);   // this surface's chosen rates
const AXES = { random: ["d₁", "d₂"], pca: ["PC1", "PC2"], house: ["w", "b"], neuron: ["w₁", "w₂"] };
const WALK_SPEEDS = [15, 60, 240];

export function mount(el, actions) {
  let s = null, sentKey = null, drawnKey = null, walk = null;
  const canvas = h("canvas", { class: "landscape-map", "data-testid": "landscape_map" });
  const plot = h("div", { class: "landscape-plot", "data-testid": "landscape_plot", hidden: true });
  const map = surfaceMap(canvas);
  const info = h("div", { class: "ls-info", "data-testid": "landscape_info" });
  const caption = h("p", { class: "note", "data-testid": "landscape_caption" });
  const x = () => s.explore;
  const sel = (name, onchange) => { const e = h("select", { "data-testid": name, onchange: () => onchange(e.value) }); return e; };
  const options = (e, values, prefix = "ls_") => {
    const key = values.join("|") + document.documentElement.lang;
    if (e._key === key) return;
    e._key = key;
    e.replaceChildren(...values.map((v) => h("option", { value: v, text: t(`${prefix}${v}`) })));
  };
  const modeSel = sel("landscape_mode", (v) => actions.setView({ landscape: v }));
  const viewBtn = h("button", { class: "small toggle", "data-testid": "landscape_view",
    onclick: () => actions.setExplore({ three_d: !x().three_d }) });
  const slice = sel("landscape_slice", (v) => actions.setView({ slice: v }));
  const freeze = h("input", { type: "checkbox", "data-testid": "landscape_freeze", onchange: () => actions.setExplore({ freeze: freeze.checked }) });
  const lr = h("input", { type: "range", min: -3, max: 0.5, step: 0.01, "data-testid": "landscape_lr",
    oninput: () => actions.setExplore({ lr_log: Number(lr.value) }) });
  const lrOut = h("output", { class: "value", "data-testid": "landscape_lr_value" });
  const limitMark = h("span", { class: "limit-mark", "data-testid": "landscape_limit", hidden: true });
  const surface = sel("landscape_surface", (v) => actions.setView({ surface: v }));
  const condition = h("input", { type: "range", min: 0, max: 3, step: 0.1, "data-testid": "landscape_condition",
    onchange: () => actions.setExplore({ condition_log: Number(condition.value) }) });
  const optimizer = sel("landscape_optimizer", (v) => actions.setExplore({ optimizer: v }));
  const num = (name, lo, hi, key) => { const e = h("input", { type: "number", min: lo, max: hi, class: "num", "data-testid": name,
    onchange: () => actions.setExplore({ [key]: Math.max(lo, Math.min(hi, Math.round(Number(e.value)) || lo)) }) }); return e; };
  const count = num("landscape_count", 1, 200, "walkers"), models = num("landscape_models", 1, 64, "models");
  const rateBox = h("span", { class: "race-rates" });
  const showAll = h("input", { type: "checkbox", "data-testid": "landscape_show_all", onchange: () => actions.setExplore({ show_all: showAll.checked }) });
  const walkSpeed = sel("landscape_walk_speed", (v) => actions.setExplore({ walk_speed: Number(v) }));
  const group = (modes, ...kids) => h("div", { class: "ls-row", dataset: { modes: modes.join(" ") } }, ...kids);
  const controls = h("div", { class: "ls-controls" },
    group(["live"], h("span", { dataset: { i18n: "ls_slice" } }), slice,
      h("label", { class: "check" }, freeze, h("span", { dataset: { i18n: "ls_freeze" } }))),
    group(["live"], h("small", { class: "hint", dataset: { i18n: "ls_pick_hint" } })),
    group(EXACT, h("span", { dataset: { i18n: "learning_rate" } }), h("span", { class: "lr-wrap" }, lr, limitMark), lrOut),
    group(["race", "crowd"], surface, h("span", { class: "cond", dataset: { i18n: "ls_condition" } }), condition),
    group(["race"], rateBox),
    group(["crowd"], optimizer, count, h("span", { dataset: { i18n: "ls_walkers" } })),
    group(["networks"], models, h("span", { dataset: { i18n: "ls_models" } })),
    group(["house", "neuron", "race", "crowd"], h("span", { dataset: { i18n: "ls_walk_speed" } }), walkSpeed,
      h("label", { class: "check" }, showAll, h("span", { dataset: { i18n: "ls_show_all" } }))),
  );
  el.append(h("div", { class: "ls-head" }, h("h2", { dataset: { i18n: "landscape" } }), modeSel, viewBtn),
    h("div", { class: "ls-stage" }, canvas, plot), info, controls, caption);

  // -- asking the server ------------------------------------------------------------------------
  // the crowd's rate a lesson chose, on its surface with its optimizer; elsewhere the surface's own
  const crowdRate = (v, e) => {
    const r = e.crowd_rate;
    return r && r.surface === v.surface && r.optimizer === e.optimizer ? { learning_rate: r.learning_rate } : {};
  };
  function request() {
    const v = s.view, e = x(), mode = v.landscape;
    let ask;
    if (mode === "live") {
      const m = { mode: v.slice, frozen: e.freeze };
      if (v.slice === "weights") {
        if (v.selected.length < 2) { setText(info, t("ls_pick_hint")); ask = ["landscape", { mode: "off" }]; }
        else m.weights = v.selected.slice(-2).map(([layer, to, from]) => ({ layer, to, from }));
      }
      ask ||= ["landscape", m];
    } else {
      const base = { steps: 200, seed: 1, ...(e.start && mode !== "crowd" ? { start: e.start } : {}) };
      const cond = v.surface === "quadratic" ? { condition: 10 ** e.condition_log } : {};
      if (EXACT.includes(mode)) ask = ["explore", { ...base, surface: mode, mode: "path", learning_rate: 10 ** e.lr_log, steps: 60 }];
      else if (mode === "race") ask = ["explore", { ...base, surface: v.surface, mode: "race", steps: 300, ...cond, ...(ratesFor(v, e) ? { rates: e.rates } : {}) }];
      else if (mode === "crowd") ask = ["explore", { ...base, surface: v.surface, mode: "crowd", optimizer: e.optimizer, walkers: e.walkers, steps: 500, ...cond, ...crowdRate(v, e) }];
      else ask = ["explore", { ...base, mode: "networks", models: e.models, steps: NETWORK_STEPS, ...(s.config ? { _c: s.config } : {}) }];
    }
    const key = JSON.stringify(ask);
    if (key === sentKey) return;
    sentKey = key;
    if (ask[1]._c) delete ask[1]._c;            // the networks crowd follows this session's config
    if (ask[0] === "landscape") actions.setLandscape(ask[1]);
    else { actions.setLandscape({ mode: "off" }); actions.explore(ask[1]); }
  }

  // dragging on the map moves the start point and restarts the descent there
  let dragging = false, lastMove = 0;
  const draggable = () => !x().three_d && ["house", "neuron", "race"].includes(s.view.landscape);
  canvas.addEventListener("pointerdown", (e) => { if (draggable()) { dragging = true; move(e); } });
  window.addEventListener("pointerup", (e) => { if (dragging) { dragging = false; move(e, true); } });
  canvas.addEventListener("pointermove", (e) => { if (dragging) move(e); });
  function move(e, final = false) {
    const p = map.toData(e.clientX, e.clientY), now = performance.now();
    if (!p || (!final && now - lastMove < 60)) return;      // a few restarts a second while dragging
    lastMove = now; actions.setExplore({ start: p });
  }

  // -- drawing ----------------------------------------------------------------------------------
  function spec() {
    const L = s.landscape, m = L?.message, g = L?.surface;
    if (!m || m.mode === "networks" || !g || g.seq !== m.surface_seq) return null;
    const base = { x: m.x, y: m.y, z: g.data, R: g.resolution };
    if (m.type === "landscape") {
      const names = m.mode === "weights" ? s.view.selected.slice(-2).map(([l, i, j]) => `w${l + 1}[${i},${j}]`) : AXES[m.mode];
      return { ...base, paths: [{ name: "trail", xy: [...m.path, m.center], color: "#e7298a", width: 2 }], point: m.center,
        xname: names?.[0], yname: names?.[1] };
    }
    const r = m.result, log = m.surface.log_scale, names = AXES[m.mode === "path" ? s.view.landscape : ""] || ["x", "y"];
    const k = walk && walk.m === m ? walk.k : Infinity;
    const common = { ...base, log, xname: names[0], yname: names[1], markers: { xy: m.surface.minima, colors: "#fff" } };
    if (m.mode === "path") {
      const n = Math.min(r.path.length, k + 1), here = r.path[n - 1];
      return { ...common, paths: [{ name: "gd", xy: r.path, z: r.loss, color: "#e7298a", upto: n }], point: here,
        arrow: n >= 2 ? [r.path[n - 2], here] : null };
    }
    if (m.mode === "race") {
      return { ...common, paths: Object.entries(r.racers).map(([name, q]) => ({ name, xy: q.path, z: q.loss,
        color: optimizerColor(name), upto: Math.min(q.path.length, k + 1), head: true })) };
    }
    return { ...common, paths: r.paths.map((xy, i) => ({ xy, color: basinColor(r.labels[i]), width: 1, upto: Math.min(xy.length, k + 1) })),
      markers: k >= r.paths[0].length - 1 ? { xy: r.finals, colors: r.labels.map(basinColor) } : null };
  }

  function paint() {
    const m = s.landscape?.message;
    const sp = spec();
    setHidden(canvas, !!(x().three_d || m?.mode === "networks"));
    setHidden(plot, !canvas.hidden);
    if (m?.mode === "networks") return paintNetworks(m.result);
    if (!sp) return;
    if (x().three_d) {
      const key = [sp.z, walk?.k, s.view.landscape];
      if (drawnKey && key.every((v, i) => v === drawnKey[i])) return;
      drawnKey = key;
      schedulePlot("landscape", () => draw3d(plot, sp));
    } else map.draw(sp);
  }

  function paintNetworks(r) {
    const Plotly = window.Plotly;
    if (!Plotly || drawnKey === r) return;
    drawnKey = r;
    const M = r.models, traces = [];
    for (let k = 0; k < M; k++) {
      traces.push({ type: "scatter", mode: "lines", x: r.history.step, y: r.history.loss.map((row) => row[k]),
        line: { width: 1, color: `hsla(${(k * 360) / M}, 60%, 45%, .7)` }, hoverinfo: "skip" });
    }
    Plotly.react(plot, traces, { margin: { l: 40, r: 6, t: 4, b: 30 }, showlegend: false, paper_bgcolor: "rgba(0,0,0,0)",
      xaxis: { title: { text: t("steps"), standoff: 2 } }, yaxis: { type: "log", title: { text: t("loss") } }, font: { size: 10 } },
    { displayModeBar: false, responsive: true });
  }

  function describe() {
    const m = s.landscape?.message;
    if (!m) return;
    if (m.type === "landscape") {
      setText(info, `${t("loss")} ${fmt(m.loss_center)} · ${t("steps")} ${m.step}` +
        (m.explained ? ` · PCA ${(100 * m.explained[0]).toFixed(0)}% + ${(100 * m.explained[1]).toFixed(0)}%` : ""));
      return;
    }
    const r = m.result;
    if (m.mode === "path") {
      setHidden(limitMark, !r.limit);
      if (r.limit) limitMark.style.left = `${((Math.log10(r.limit) - Number(lr.min)) / (Number(lr.max) - Number(lr.min))) * 100}%`;
      setText(info, [r.regime ? t(`ls_regime_${r.regime}`) : null, r.limit ? `2/λmax = ${fmt(r.limit, 4)}` : t("ls_no_limit"),
        `${t("loss")} ${fmt(r.loss.at(-1), 4)}`].filter(Boolean).join(" · "));
    } else if (m.mode === "race") {
      info.replaceChildren(h("div", { class: "race-table" }, ...Object.entries(r.racers).flatMap(([name, q]) => [
        h("b", { style: `color:${optimizerColor(name)}`, text: t(name) }), h("span", { text: `η ${fmt(q.lr, 4)}` }),
        h("span", { text: q.escaped_at != null ? t("ls_escaped", { step: q.escaped_at }) : `${t("loss")} ${fmt(q.loss.at(-1), 3)}` })])));
    } else if (m.mode === "crowd") {
      const counts = r.counts.map((c, i) => [c, i]).sort((a, b) => b[0] - a[0]);
      const top = counts.slice(0, 4).map(([c]) => c).join(" / "), rest = counts.slice(4).reduce((a, [c]) => a + c, 0);
      setText(info, `η ${fmt(r.lr, 4)} · ` + t("ls_share", { p: (100 * r.share_global).toFixed(0) }) + ` · ${t("ls_basins")}: ${top}` +
        (rest ? ` ${t("ls_others", { n: rest, k: counts.length - 4 })}` : ""));
    } else {
      const q = r.spread;
      setText(info, `${r.models} ${t("ls_models")} · ${t("ls_spread")}: ${fmt(q.min, 4)} … ${fmt(q.median, 4)} … ${fmt(q.max, 4)}`);
    }
  }

  // the walk: an exploration's paths drawn step by step at the speed the learner chose
  function steps(m) {
    const r = m.result;
    if (m.mode === "path") return r.path.length - 1;
    if (m.mode === "race") return Math.max(...Object.values(r.racers).map((q) => q.path.length)) - 1;
    if (m.mode === "crowd") return r.paths[0].length - 1;
    return 0;
  }
  function animate() {
    if (!walk) return;
    const now = performance.now();
    walk.k = x().show_all ? walk.n : Math.min(walk.n, Math.floor(((now - walk.t0) / 1000) * x().walk_speed));
    paint();
    if (walk.k < walk.n) requestAnimationFrame(animate); else walk.running = false;
  }

  function controlsFor(v, e) {
    for (const g of controls.querySelectorAll("[data-modes]")) setHidden(g, !g.dataset.modes.split(" ").includes(v.landscape));
    options(modeSel, MODES); modeSel.value = v.landscape;
    options(slice, s.hello?.slices || []); slice.value = v.slice;
    options(surface, (s.hello?.surfaces || []).filter((n) => !EXACT.includes(n))); surface.value = v.surface;   // house, neuron: modes
    options(optimizer, s.hello?.optimizers || [], ""); optimizer.value = e.optimizer;
    options(walkSpeed, WALK_SPEEDS.map(String), "ls_speed_");
    walkSpeed.value = String(e.walk_speed);
    for (const n of controls.querySelectorAll(".cond")) setHidden(n, v.surface !== "quadratic");
    setHidden(condition, v.surface !== "quadratic");
    freeze.checked = e.freeze; showAll.checked = e.show_all;
    if (document.activeElement !== lr) lr.value = e.lr_log;
    setText(lrOut, fmt(10 ** e.lr_log, 4));
    condition.value = e.condition_log; count.value = e.walkers; models.value = e.models;
    setText(viewBtn, t(e.three_d ? "ls_surface" : "ls_contour"));
    setHidden(viewBtn, v.landscape === "networks");
    setText(caption, t(`note_ls_${v.landscape}`));
    // rates belong to the surface they were chosen for (state.explore.rates_surface): on another
    // surface they are not shown nor sent, and that surface's own rates race
    const m = s.landscape?.message, here = m?.surface?.name === v.surface;
    const used = here && m.mode === "race" ? Object.fromEntries(Object.entries(m.result.racers).map(([k, q]) => [k, q.lr])) : null;
    const rates = ratesFor(v, e) || used || (here ? m.surface.rates : null);
    const focused = document.activeElement?.parentElement?.parentElement === rateBox;
    if (rates && (!focused || rateBox.dataset.surface !== v.surface)) {
      rateBox.dataset.surface = v.surface;
      rateBox.replaceChildren(...Object.entries(rates).map(([o, r]) => h("label", { class: "race-rate", style: `color:${optimizerColor(o)}` },
        h("span", { text: t(o) }), h("input", { type: "number", min: 0.0001, max: 10, step: "any", value: r, class: "num",
          "data-testid": `race_lr-${o}`, onchange: (ev) => actions.setExplore({ rates_surface: v.surface,
            rates: { ...rates, [o]: Math.max(1e-4, Number(ev.target.value) || r) } }) }))));
    }
  }

  let seen = {};                       // the surface and mode last rendered
  return {
    render(state, changed) {
      s = state;
      if (!s.hello) return;
      // the state object is the same one each time: what it showed before is kept here. A start
      // point chosen on one surface (or mode) goes when the learner picks another, unless the same
      // change brought a new one (a lesson sets its surface and its start together)
      const surfaceChanged = seen.surface !== undefined && seen.surface !== s.view.surface;
      const modeChanged = seen.landscape !== undefined && seen.landscape !== s.view.landscape;
      seen = { surface: s.view.surface, landscape: s.view.landscape };
      if (changed.has("view") || changed.has("explore") || changed.has("hello") || changed.has("landscape")) controlsFor(s.view, s.explore);
      if (!changed.has("explore") && (surfaceChanged || modeChanged) && s.explore.start) { actions.setExplore({ start: null }); return; }
      if (changed.has("connection") && s.connection === "open") sentKey = null;
      if (s.connection === "open" && (changed.has("view") || changed.has("explore") || changed.has("hello") || changed.has("connection")
          || (changed.has("config") && s.view.landscape === "networks"))) request();
      const m = s.landscape?.message;
      if (m && m.type === "exploration" && (!walk || walk.m !== m)) {
        walk = { m, n: steps(m), k: 0, t0: performance.now(), running: true };
        requestAnimationFrame(animate);
      }
      if (changed.has("landscape") || changed.has("explore")) { describe(); if (!walk?.running) paint(); }
    },
  };
}
