// How a lesson (the server's catalogue, GET /api/lessons; docs/lessons.md) sets the page: its whole
// configuration in one set_config, and its view translated into the page's own view fields
// (state.view: landscape, surface, slice, gradients, show_test, hide) and landscape knobs
// (state.explore). Leaving a lesson never undoes the learner's changes: only the panels it hid come back.

// the panels a lesson may show or hide (data-panel names; docs/lessons.md "panels")
export const PANELS = ["data", "network", "output", "grads", "landscape", "house"];
const EXACT = ["house", "neuron"];
const LIVE = ["random", "pca", "weights"];

export const find = (catalogue, id) => catalogue?.lessons.find((l) => l.id === id) || null;
export const next = (catalogue, lesson) => catalogue?.lessons.find((l) => l.number === lesson.number + 1) || null;

// the config fields to send so that the session's config becomes the lesson's (one set_config)
export function configPatch(lesson, config) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  return Object.fromEntries(Object.entries(lesson.full_config).filter(([k, v]) => !config || !same(config[k], v)));
}

// -> {view: {...}, explore: {...}, sweep: {...}}: the page's view fields the lesson sets, and the
// sweep panel: open with the lesson's grid filled in (lesson 11), else closed (the landscape tab)
export function viewOf(lesson, view) {
  const v = lesson.view || {}, out = { lesson: lesson.id }, explore = {};
  if (v.panels) out.hide = [...view.hide.filter((n) => !PANELS.includes(n)), ...PANELS.filter((p) => !v.panels.includes(p))];
  out.gradients = !!v.gradients;
  out.show_test = !!v.show_test;
  const L = v.landscape;
  if (L) {
    if (LIVE.includes(L.mode)) Object.assign(out, { landscape: "live", slice: L.mode });
    else if (L.mode === "path" && EXACT.includes(L.surface)) out.landscape = L.surface;
    else if (["race", "crowd", "networks"].includes(L.mode)) out.landscape = L.mode;
    if (L.surface && !EXACT.includes(L.surface)) out.surface = L.surface;
    const lr = L.learning_rate ?? (L.rates && L.lr_preset ? L.rates[L.lr_preset] : null);
    if (lr && L.mode === "crowd") explore.crowd_rate = { surface: L.surface, optimizer: L.optimizer || "sgd", learning_rate: lr };
    else if (lr) explore.lr_log = Math.log10(lr);
    if (L.condition) explore.condition_log = Math.log10(L.condition);
    if (L.rates && L.mode === "race") Object.assign(explore, { rates: L.rates, rates_surface: L.surface });
    if (L.optimizer && L.mode === "crowd") explore.optimizer = L.optimizer;
    if (L.walkers) explore.walkers = L.walkers;
    if (L.models) explore.models = L.models;
    explore.start = null;
  }
  const sw = v.sweep;
  const axes = sw ? Object.entries(sw.axes).map(([axis, values]) => [axis, values.join(",")]) : [];
  const sweep = sw ? { open: true, form: { axes: [0, 1, 2].map((i) => axes[i] || ["", ""]), seeds: sw.seeds, epochs: sw.epochs } }
    : { open: false };
  return { view: out, explore, sweep };
}

// leaving: the lesson's name goes from the URL, the panels it hid come back, the rest stays
export const leaveView = (view) => ({ lesson: "", hide: view.hide.filter((n) => !PANELS.includes(n)) });

// the marks the open lesson asks for on the loss chart: "best_epoch", where the test loss was lowest
// (early stopping), among the steps the page has seen -> [{x: step, epoch}]
export function marks(s, hist) {
  const lesson = find(s.lessons.catalogue, s.view.lesson);
  if (!lesson?.view.marks?.includes("best_epoch") || !hist.step.length || !s.dataset) return [];
  let best = -1;
  hist.loss_test.forEach((v, i) => { if (Number.isFinite(v) && (best < 0 || v < hist.loss_test[best])) best = i; });
  if (best < 0) return [];
  const perEpoch = Math.max(1, Math.ceil(s.dataset.train.length / s.config.batch_size));
  return [{ x: hist.step[best], epoch: Math.floor(hist.step[best] / perEpoch) }];
}
