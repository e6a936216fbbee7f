// The sweep panel (issue 12): the landscape column's tabs, and the grid to run: one to three axes
// with their values, seeds and epochs, a run button, a progress bar with time left, cancellable.
// Its results (heatmap, table) are panels/sweep_results.js. State: state.sweep.
import { h } from "../widgets/dom.js";
import { t, addStrings } from "../i18n.js";
import strings from "../strings/sweep.js";

addStrings(strings);

const AXES = ["hidden_width", "depth", "learning_rate", "batch_size", "reg_rate", "activation", "optimizer", "noise"];
const WORDS = new Set(["activation", "optimizer"]);
const DEFAULTS = { hidden_width: "1,2,4,8", depth: "1,2,3", learning_rate: "0.01,0.03,0.1", batch_size: "1,10,30",
  reg_rate: "0,0.001,0.01", activation: "relu,tanh,sigmoid", optimizer: "sgd,momentum,adam", noise: "0,0.1,0.25" };

// "1, 2,4" -> [1, 2, 4] (names stay words); empty parts dropped
export function parseValues(axis, text) {
  const parts = String(text).split(",").map((p) => p.trim()).filter(Boolean);
  return WORDS.has(axis) ? parts : parts.map(Number);
}

// the column's two tabs: the loss landscape and the sweep (the column shows one: see style.css)
export function mountTabs(el, actions) {
  const column = el.parentElement;
  const tab = (name, open) => h("button", { class: "col-tab", type: "button", "data-testid": `tab_${name}`,
    dataset: { i18n: name === "sweep" ? "sw_tab" : "landscape", i18nTitle: name === "sweep" ? "sw_tab_tip" : undefined },
    onclick: () => actions.setSweep({ open }) });
  const tabs = [tab("landscape", false), tab("sweep", true)];
  el.append(...tabs);
  return {
    render(s, changed) {
      if (!changed.has("sweep")) return;
      column.dataset.tab = s.sweep.open ? "sweep" : "landscape";
      tabs.forEach((b, i) => { b.classList.toggle("on", i === (s.sweep.open ? 1 : 0)); b.setAttribute("aria-pressed", String(i === (s.sweep.open ? 1 : 0))); });
    },
  };
}

export function mount(el, actions) {
  let s = null;
  const form = () => s.sweep.form;
  const setForm = (patch) => actions.setSweep({ form: { ...form(), ...patch } });
  const rows = [0, 1, 2].map((i) => {
    const axis = h("select", { "data-testid": `sweep_axis_${i}`, onchange: () => {
      const axes = form().axes.map((a, k) => (k === i ? [axis.value, DEFAULTS[axis.value] || ""] : a));
      setForm({ axes });
    } });
    const values = h("input", { type: "text", class: "sw-values", "data-testid": `sweep_values_${i}`, spellcheck: "false",
      onchange: () => setForm({ axes: form().axes.map((a, k) => (k === i ? [a[0], values.value] : a)) }) });
    const label = h("span", { class: "sw-axis-label" });
    return { axis, values, label, el: h("div", { class: "sw-row" }, label, axis, values) };
  });
  const num = (name, lo, hi) => {
    const e = h("input", { type: "number", min: lo, max: hi, class: "num", "data-testid": `sweep_${name}`,
      onchange: () => setForm({ [name]: Math.max(lo, Math.min(hi, Math.round(Number(e.value)) || lo)) }) });
    return e;
  };
  const seeds = num("seeds", 1, 10), epochs = num("epochs", 1, 2000);
  const size = h("span", { class: "sw-size", "data-testid": "sweep_size" });
  const run = h("button", { class: "small sw-run", "data-testid": "sweep_run", dataset: { i18n: "sw_run" }, onclick: start });
  const cancel = h("button", { class: "small", "data-testid": "sweep_cancel", dataset: { i18n: "sw_cancel" },
    onclick: () => actions.cancelSweep() });
  const bar = h("progress", { class: "sw-bar", "data-testid": "sweep_progress", max: 1, value: 0 });
  const progress = h("span", { class: "sw-progress", "data-testid": "sweep_progress_text" });
  const taskNote = h("p", { class: "note", dataset: { i18n: "sw_points_only" }, hidden: true });
  el.append(h("h2", { dataset: { i18n: "sw_title" } }),
    h("div", { class: "sw-form" }, ...rows.map((r) => r.el),
      h("div", { class: "sw-row" },
        h("label", { class: "sw-num", dataset: { i18nTitle: "sw_seeds_tip" } }, h("span", { dataset: { i18n: "sw_seeds" } }), seeds),
        h("label", { class: "sw-num", dataset: { i18nTitle: "sw_epochs_tip" } }, h("span", { dataset: { i18n: "sw_epochs" } }), epochs),
        run, cancel),
      size, taskNote),
    h("div", { class: "sw-status" }, bar, progress));

  function grid() {
    const axes = {};
    for (const [axis, text] of form().axes) if (axis && !(axis in axes)) axes[axis] = parseValues(axis, text);
    return axes;
  }
  function start() {
    const axes = grid();
    if (Object.keys(axes).length) actions.startSweep(axes, form().seeds, form().epochs);
  }
  const running = () => { const r = s.sweep.run; return !!(r && r.running && r.hello === s.hello && s.connection === "open"); };

  function drawForm() {
    const f = form();
    rows.forEach((r, i) => {
      const key = AXES.join("|") + document.documentElement.lang;
      if (r.axis._key !== key) {
        r.axis._key = key;
        r.axis.replaceChildren(h("option", { value: "", text: t("sw_none") }),
          ...AXES.map((a) => h("option", { value: a, text: t(`sw_axis_${a}`) })));
      }
      r.axis.value = f.axes[i][0];
      if (document.activeElement !== r.values) r.values.value = f.axes[i][1];
      r.values.disabled = !f.axes[i][0];
      r.values.placeholder = t("sw_values");
      r.label.textContent = t("sw_axis", { n: i + 1 });
    });
    if (document.activeElement !== seeds) seeds.value = f.seeds;
    if (document.activeElement !== epochs) epochs.value = f.epochs;
    const cells = Object.values(grid()).reduce((n, v) => n * Math.max(v.length, 1), 1);
    size.textContent = t("sw_size", { cells, seeds: f.seeds, models: cells * f.seeds });
  }

  function drawProgress() {
    const r = s.sweep.run, on = running();
    const task = s.hello && s.config && s.hello.datasets.find((d) => d.name === s.config.dataset)?.task;
    taskNote.hidden = !task || task === "points";
    run.disabled = on || !taskNote.hidden;
    cancel.disabled = !on;
    bar.max = r ? Math.max(r.total, 1) : 1;
    bar.value = r ? r.done : 0;
    el.dataset.running = String(on);
    if (!r) { progress.textContent = ""; return; }
    const parts = [t("sw_progress", { done: r.done, cells: r.total })];
    if (on) parts.push(r.done ? t("sw_left", { s: Math.ceil(r.left_s ?? 0) }) : t("sw_waiting"));
    else if (r.running) parts.push(t("sw_ended"));
    else parts.push(r.summary?.cancelled ? t("sw_cancelled") : t("sw_took", { s: (r.summary?.time_s ?? r.elapsed_s).toFixed(1) }));
    progress.textContent = parts.join(" · ");
  }

  return {
    render(state, changed) {
      s = state;
      if (!s.sweep.open) return;
      if (changed.has("sweep") || changed.has("view")) drawForm();
      if (changed.has("sweep") || changed.has("connection") || changed.has("hello") || changed.has("config") || changed.has("view")) drawProgress();
    },
  };
}
