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
    models: 16, rates: null, start: null, show_all: false, walk_speed: 60 },
  previews: null,                // dataset thumbnails {name: [[x, y, label], ...]}
  landscape: null,               // {message, surface}: the newest slice or exploration
  run: loadRun(),                // {version, config, weights, step}: the newest run state seen, to restore
};

const listeners = new Set();
let scheduled = false;
let changed = new Set();

export function set(patch) {
  for (const k of Object.keys(patch)) changed.add(k);
  Object.assign(state, patch);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(flush);
  }
}

export const setView = (patch) => set({ view: { ...state.view, ...patch } });
export const setExplore = (patch) => set({ explore: { ...state.explore, ...patch } });

function flush() {
  scheduled = false;
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
