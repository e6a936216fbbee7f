// The one state object of the page. Panels read it in render(state); only main.js writes it.
export const state = {
  connection: "connecting",      // connecting, open, lost
  hello: null,                   // the server's hello: lists, limits
  config: null,                  // the full training config in force
  dataset: null,                 // {kind, train, test}
  frame: null,                   // the newest frame
  maps: null,                    // every node's map {count, resolution, data: Float32Array}
  output: null,                  // the output node(s) at the boundary's resolution
  status: "paused",              // running, paused, diverged
  divergedAt: null,
  error: null,                   // {field, message}
  history: { step: [], loss_train: [], loss_test: [] },
  view: { lang: "en", gradients: false, showTest: false, discretize: false, hide: [],
          selected: [], speed: 1500 },
  previews: null,                // dataset thumbnails {name: [[x, y, label], ...]}
  landscape: null,
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

export function setView(patch) {
  set({ view: { ...state.view, ...patch } });
}

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
