// The one state object of the page. Panels read it in render(state, changed); they change it only
// through main.js's actions. Everything the page knows lives here, the panels' view choices included.
import { VIEW_DEFAULTS } from "./url.js";

const RUN_KEY = "learnscape.run";           // sessionStorage: the run to restore (before `state` reads it)

export const state = {
  connection: "connecting",      // connecting, open, lost, incompatible (another protocol version)
  hello: null,                   // the server's hello: every name list, the limits
  config: null,                  // the training config shown: the server's, with patches still on their way
  confirmed: null,               // the last config the server confirmed
  dataset: null,                 // {kind, train, test}
  frame: null,                   // the newest frame
  maps: null,                    // every node's map {count, resolution, data: Float32Array}
  output: null,                  // the output node(s) at the boundary's resolution
  status: "paused",              // running, paused, diverged (the server's run status)
  divergedAt: null,
  error: null,                   // {field, message, code?, params?} the server's last refusal
  notice: null,                  // {key, vars}: something the page itself wants to say
  history: { step: [], loss_train: [], loss_test: [] },
  view: { ...VIEW_DEFAULTS,      // the URL's view fields: lang, hide, gradients, show_test, ... slice
    selected: [],                // [[layer, to, from], ...] weights picked for the landscape slice
    hover: null },               // the hidden node under the pointer: [layer, index] (its map shown large)
  explore: {                     // the landscape panel's knobs besides mode, surface and slice
    three_d: false, freeze: false, lr_log: -1.5, condition_log: 1, optimizer: "sgd", walkers: 100,
    models: 16, rates: null, rates_surface: null, start: null, show_all: false, walk_speed: 60,
    crowd_rate: null },          // {surface, optimizer, learning_rate}: the crowd's rate there (a lesson's); else the surface's own
  previews: null,                // dataset thumbnails {name: [[x, y, label], ...]}
  landscape: null,               // {message, surface}: the newest slice or exploration
  run: loadRun(),                // {version, config, weights, step}: the newest run state seen, to restore
  digits: digitsState(),         // the digits workspace: {weights, samples, confusion, pad, drawing, history}
  text: {                        // the Text workspace (issue 10): its timeline, curve, bars and sampling choices
    samples: [], curve: { step: [], loss_train: [], loss_test: [] }, next: null, every: 100, temperature: 1 },
  lessons: { catalogue: null,    // the lessons' catalogue (GET /api/lessons); the open one is view.lesson
    inference: null },           // lesson 12: the server's answer to the last clicked point
  sweep: {                       // the sweep panel (issue 12): shown?, the form, the newest sweep, the table's order
    open: false,
    form: { axes: [["hidden_width", "1,2,4,8"], ["learning_rate", "0.01,0.03,0.1"], ["", ""]], seeds: 2, epochs: 50 },
    run: null,                   // {id, axes, seeds, epochs, total, done, elapsed_s, left_s, running, cells: {index: cell}, summary, hello}
    sort: { key: "loss", dir: 1 } },
  data: {                        // data in, model out: upload_progress, csv_table, csv_data, the
    progress: null, table: null, info: null, picked: null, pending: null },   // columns asked, a file on its way
};

const listeners = new Set();
let scheduled = 0;               // the animation frame that will draw what changed (0: none pending)
let changed = new Set();

// changes are drawn together at the next animation frame (frames arrive faster than they are drawn)
export function set(patch) {
  for (const k of Object.keys(patch)) changed.add(k);
  Object.assign(state, patch);
  if (!scheduled) scheduled = requestAnimationFrame(flush);
}

export const setView = (patch) => set({ view: { ...state.view, ...patch } });
export const setExplore = (patch) => set({ explore: { ...state.explore, ...patch } });

// what changed drawn now rather than at the next frame: for a verb that changes the whole page (a
// lesson opened or left), so that the page never says one thing while its state says another (the
// server can confirm a lesson's config before the next frame)
export function flushNow() {
  if (!scheduled) return;
  cancelAnimationFrame(scheduled);
  flush();
}

function flush() {
  scheduled = 0;
  const keys = changed;
  changed = new Set();
  for (const fn of listeners) fn(state, keys);
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const HISTORY_MAX = 2000;
export function recordHistory(frame) {
  const h = state.history;
  const last = h.step.length ? h.step[h.step.length - 1] : -1;
  if (frame.step < last) { h.step = []; h.loss_train = []; h.loss_test = []; }
  else if (frame.step === last) return;
  h.step.push(frame.step);
  h.loss_train.push(frame.loss_train);
  h.loss_test.push(frame.loss_test);
  if (h.step.length > HISTORY_MAX) {          // keep every other point: long runs stay light
    for (const k of ["step", "loss_train", "loss_test"]) h[k] = h[k].filter((_, i) => i % 2 === 0);
  }
}

export function clearHistory() {
  state.history = { step: [], loss_train: [], loss_test: [] };
}

// -- the run to restore after a reconnect or a reload (the engine's run file, without its data) --
const RUN_EVERY_MS = 500;
let runSaved = 0;

function loadRun() {
  try { return JSON.parse(sessionStorage.getItem(RUN_KEY)) || null; } catch { return null; }
}

export function rememberRun(frame, force = false) {
  if (!state.confirmed || !frame) return;
  if (!frame.weights.length) { if (state.run) forgetRun(); return; }     // a text run is not restored (yet)
  state.run = { version: 1, config: state.confirmed, weights: frame.weights, step: frame.step,
    epoch: frame.epoch, playing: state.status === "running" };
  const now = performance.now();
  if (!force && now - runSaved < RUN_EVERY_MS) return;
  runSaved = now;
  try { sessionStorage.setItem(RUN_KEY, JSON.stringify(state.run)); } catch { /* storage full: keep it in memory */ }
}

export function forgetRun() {
  state.run = null;
  try { sessionStorage.removeItem(RUN_KEY); } catch { /* nothing stored */ }
}

// -- the digits workspace: what its binary messages, frames and the pad's answers said ----------
// drawing: the number of the drawing on the pad, the id its every read_pad carries (its re-reads
// while it learns too); pad: the newest answer about that drawing
function digitsState() {
  return { weights: null, samples: null, confusion: null, pad: null, drawing: 0,
    history: { step: [], loss_train: [], loss_test: [], accuracy_train: [], accuracy_test: [] } };
}

const DIGITS_CURVES = ["loss_train", "loss_test", "accuracy_train", "accuracy_test"];
// a digits frame: its measured metrics go into the curves once per measurement (the frames between
// two measurements repeat the last one), its confusion matrix when it carries one
export function recordDigits(frame) {
  const d = state.digits, hist = d.history, f = frame.digits;
  const last = hist.step.length ? hist.step[hist.step.length - 1] : -1;
  if (f.measured_step < last) { for (const k of ["step", ...DIGITS_CURVES]) hist[k] = []; }
  if (f.measured_step >= 0 && f.measured_step !== last) {
    hist.step.push(f.measured_step);
    for (const k of DIGITS_CURVES) hist[k].push(frame[k]);
    if (hist.step.length > HISTORY_MAX) for (const k of ["step", ...DIGITS_CURVES]) hist[k] = hist[k].filter((_, i) => i % 2 === 0);
  }
  set({ digits: f.confusion ? { ...d, confusion: f.confusion } : { ...d } });
}

export const setDigits = (patch) => set({ digits: { ...state.digits, ...patch } });
export function clearDigits() { state.digits = { ...digitsState(), drawing: state.digits.drawing + 1 }; }   // answers about the old network go
// -- the Text workspace (issue 10) -------------------------------------------------------------
const SAMPLES_MAX = 100;          // the first (iteration 0: noise) and the newest ones
export function recordTextFrame(frame) {
  const c = state.text.curve, at = frame.text.eval_step, last = c.step.length ? c.step[c.step.length - 1] : -1;
  if (at === null || at === last || frame.loss_test === null) return;
  const curve = at < last ? { step: [], loss_train: [], loss_test: [] } : c;     // a new run
  curve.step.push(at); curve.loss_train.push(frame.loss_train); curve.loss_test.push(frame.loss_test);
  if (curve.step.length > HISTORY_MAX) for (const k of Object.keys(curve)) curve[k] = curve[k].filter((_, i) => i % 2 === 0);
  set({ text: { ...state.text, curve: { ...curve } } });
}

export function addSample(m) {
  const old = state.text.samples, last = old.length ? old[old.length - 1].step : -1;
  let samples = m.step <= last ? [m] : [...old, m];                          // a new run starts a new timeline
  if (samples.length > SAMPLES_MAX) samples = [samples[0], ...samples.slice(samples.length - SAMPLES_MAX + 1)];
  set({ text: { ...state.text, samples } });
}

export const setText = (patch) => set({ text: { ...state.text, ...patch } });
// -- a sweep's messages (issue 12) folded into state.sweep.run; a new id starts afresh. The run
// belongs to the session that hello opened: after a reconnect it is no longer running.
export function recordSweep(m) {
  const old = state.sweep.run;
  const r = !old || old.id !== m.id || m.event === "started" ? { id: m.id, cells: {}, summary: null } : old;
  const run = { ...r, axes: m.axes, seeds: m.seeds, epochs: m.epochs, total: m.cells, done: m.done,
    elapsed_s: m.elapsed_s, left_s: m.left_s, running: m.event !== "done", hello: state.hello,
    summary: m.summary || r.summary };
  if (m.cell) run.cells = { ...r.cells, [m.cell.index]: m.cell };
  set({ sweep: { ...state.sweep, run } });
}
export const setSweep = (patch) => set({ sweep: { ...state.sweep, ...patch } });
