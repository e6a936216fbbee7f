// Wiring only: socket -> handlers -> state -> panels; controls -> actions -> socket.
import { state, set, setView, setExplore, setSweep, subscribe, recordHistory, clearHistory, rememberRun, recordDigits, setDigits,
  clearDigits, recordTextFrame, addSample, setText, recordSweep, forgetRun } from "./state.js";
import { Socket } from "./socket.js";
import { parseBinary, message, compatible, SERVER_TYPES, KIND_MAPS, KIND_SURFACE, KIND_OUTPUT, KIND_WEIGHT_IMAGES, KIND_SAMPLES,
  parseSamples } from "./protocol.js";
import * as i18n from "./i18n.js";
import { readHash, writeHash } from "./url.js";
import { makeActions, restoreRun } from "./actions.js";
import * as controls from "./panels/controls.js";
import * as advanced from "./panels/advanced.js";
import * as data from "./panels/data.js";
import * as network from "./panels/network.js";
import * as output from "./panels/output.js";
import * as gradnorms from "./panels/gradnorms.js";
import * as landscape from "./panels/landscape.js";
import * as banner from "./panels/banner.js";
import * as digitsSetup from "./panels/digits_setup.js";
import * as digitsNetwork from "./panels/digits_network.js";
import * as digitsWeights from "./panels/digits_weights.js";
import * as digitsResults from "./panels/digits_results.js";
import * as digitsPad from "./panels/digits_pad.js";
import * as text from "./panels/text.js";
import * as textSamples from "./panels/text_samples.js";
import * as textPredict from "./panels/text_predict.js";
import * as lessonsMenu from "./panels/lessons.js";
import * as lessonCaption from "./panels/lesson_caption.js";
import * as house from "./panels/house.js";
import * as lessonStage from "./panels/lesson_stage.js";
import * as lessons from "./lessons.js";
import * as sweep from "./panels/sweep.js";
import * as sweepResults from "./panels/sweep_results.js";
import * as dataUpload from "./panels/data_upload.js";
import * as filemenu from "./panels/filemenu.js";
import * as language from "./panels/language.js";
import { saveFile } from "./files.js";

const initial = readHash();
i18n.setLanguage(initial.view.lang || i18n.defaultLanguage());
setView({ ...initial.view, lang: i18n.language() });
if (initial.unknown.length) set({ notice: { key: "unknown_url_fields", vars: { names: initial.unknown.join(", ") } } });

const socket = new Socket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`, {
  onOpen: () => set({ connection: "open" }),
  onText: (m) => (handlers[m.type] || unknownType)(m),
  onBinary: (buffer) => {
    if (new DataView(buffer).getUint16(6, true) === KIND_SAMPLES) { setDigits({ samples: parseSamples(buffer) }); return; }
    const grid = parseBinary(buffer);
    if (restoring && !restoring.answered && grid.kind !== KIND_SURFACE) return;   // the fresh session's maps
    if (grid.kind === KIND_WEIGHT_IMAGES) setDigits({ weights: grid });
    else if (grid.kind === KIND_MAPS) set({ maps: grid });
    else if (grid.kind === KIND_OUTPUT) set({ output: grid });
    else if (grid.kind === KIND_SURFACE) set({ landscape: { ...state.landscape, surface: grid } });
  },
  onClose: () => set({ connection: state.connection === "incompatible" ? "incompatible" : "lost", status: "paused" }),
});
const send = (type, fields) => socket.send(message(type, fields));

let wanted = initial.config;      // the config this page wants: the URL's at first, then the newest seen
let unacked = 0;                  // frames received, not yet drawn: acknowledged once drawn
let restoring = null;             // a run offered back, until its frame is in: {step, playing, answered}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// one handler per server message type (protocol.js SERVER_TYPES; a test checks they match)
const handlers = {
  hello(m) {
    if (!compatible(m)) {
      set({ hello: m, connection: "incompatible" });
      socket.close();
      return;
    }
    // the run seen before (a reconnect, a reload) goes back when it is the one the page wants
    const run = state.run;
    const fits = run && Object.entries(wanted).every(([k, v]) => same(run.config[k], v));
    const offered = fits && restoreRun(socket, run, m.limits.max_message_bytes);
    restoring = offered === true ? { step: run.step, playing: run.playing, answered: false } : null;
    const shown = restoring ? run.config : m.config;            // no flash of the fresh session's config
    set({ hello: m, config: shown, confirmed: shown, error: null });
    if (offered === "too_large") { forgetRun(); set({ notice: { key: "restore_too_large" } }); }
    if (!restoring) applyWanted(m.config);
    send("set_speed", { steps_per_second: state.view.speed });
    // thumbnails at 16 x 16, the boundary at 50 x 50, and at most two frames in flight: the page
    // acknowledges each frame it drew, so the server sends only as fast as the page draws
    send("set_view", { grid_resolution: 50, node_resolution: 16, flow: 2 });
    unacked = 0;
  },
  config(m) {
    if (m.applied === "rebuild") { clearHistory(); clearDigits(); }
    if (m.applied === "restored" && restoring) restoring.answered = true;
    wanted = m.config;
    set({ config: m.config, confirmed: m.config });
  },
  dataset(m) { if (!restoring || restoring.answered) set({ dataset: m }); },
  frame(m) {
    unacked += 1;
    if (restoring && !restoring.answered) { set({}); return; }   // the fresh session met first: not shown
    if (restoring) {                                              // the restored run's frame: resume
      const { playing } = restoring;
      restoring = null;
      if (playing) actions.play();
    }
    if (frameTask(m) !== taskOf(state)) { set({}); return; }    // of the run before a switch: acked, not shown
    if (m.digits) { set({ frame: m }); recordDigits(m); }    // digits: their own curves; no run file kept (784 inputs)
    else { recordHistory(m); if (m.text) recordTextFrame(m); set({ frame: m }); rememberRun(m); }
  },
  status(m) { set({ status: m.state, divergedAt: m.state === "diverged" ? m.step : null }); },
  error(m) {
    if (restoring && !restoring.answered && /^(run|step|epoch|message)\b/.test(m.field)) refused();
    const patch = { error: m };
    if (m.field.startsWith("config")) patch.config = state.confirmed;      // the refused value goes back
    set(patch);
    setTimeout(() => { if (state.error === m) set({ error: null }); }, 8000);
  },
  landscape(m) { set({ landscape: { ...state.landscape, message: m } }); },
  exploration(m) { set({ landscape: { ...state.landscape, message: m } }); },
  pad(m) { if (m.id === state.digits.drawing) setDigits({ pad: m }); },   // about a drawing since cleared: dropped
  sample(m) { addSample(m); },
  next_char(m) { setText({ next: m }); },
  inference(m) { set({ lessons: { ...state.lessons, inference: m } }); },
  sweep(m) { recordSweep(m); },
  upload_progress(m) { set({ data: { ...state.data, progress: m } }); },
  csv_table(m) { set({ data: { ...state.data, table: m, progress: null } }); },
  csv_data(m) { set({ data: { ...state.data, info: m } }); },
  file(m) { saveFile(m); set({ data: { ...state.data, pending: null } }); },
};
// the config the page wants, sent as a patch on the server's
function applyWanted(config) {
  const patch = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => k in config && !same(config[k], v)));
  if (Object.keys(patch).length) actions.setConfig(patch);
}
// the server refused the run offered back: start afresh with its config, and say so
function refused() {
  restoring = null;
  forgetRun();
  set({ config: state.hello.config, confirmed: state.hello.config, notice: { key: "restore_refused" } });
  applyWanted(state.hello.config);
}
function unknownType(m) { console.warn(`message of unknown type ${m.type}`); }
for (const k of SERVER_TYPES) if (!handlers[k]) console.error(`main.js: no handler for ${k}`);

const actions = makeActions(socket);

// each panel with its element: a panel inside a hidden workspace (<main data-task hidden>) is not drawn
const mountIn = (id, mod) => { const el = document.getElementById(id); return { el, ...mod.mount(el, actions) }; };
const panels = [
  mountIn("controls", controls),
  mountIn("advanced", advanced),
  mountIn("banner", banner),
  mountIn("data", data),
  mountIn("network", network),
  mountIn("output", output),
  mountIn("grads", gradnorms),
  mountIn("landscape", landscape),
  mountIn("digits-setup", digitsSetup),
  mountIn("digits-network", digitsNetwork),
  mountIn("digits-weights", digitsWeights),
  mountIn("digits-results", digitsResults),
  mountIn("digits-pad", digitsPad),
  mountIn("text-train", text),
  mountIn("text-samples", textSamples),
  mountIn("text-predict", textPredict),
  mountIn("lessons", lessonsMenu),
  mountIn("lesson-caption", lessonCaption),
  mountIn("house", house),
  mountIn("lesson-stage", lessonStage),
  mountIn("column-tabs", { mount: sweep.mountTabs }),
  mountIn("sweep-form", sweep),
  mountIn("sweep-results", sweepResults),
  mountIn("data", dataUpload),
  mountIn("menubar", filemenu),
  mountIn("language", language),
];
i18n.apply();

// names #hide= may hide: a control (data-control) or a whole panel (data-panel)
function applyHide(s) {
  const hide = new Set(s.view.hide);
  for (const el of document.querySelectorAll("[data-control], [data-panel]")) {
    el.hidden = hide.has(el.dataset.control) || hide.has(el.dataset.panel);
  }
}
function hideableNames() {
  return new Set([...document.querySelectorAll("[data-control], [data-panel]")].map((e) => e.dataset.control || e.dataset.panel));
}

// one workspace per task (engine.tasks): <main data-task="points">, "digits", "text"; the dataset's
// task (hello.datasets[].task) says which one shows
function taskOf(s) {
  const d = s.hello && s.config && s.hello.datasets.find((x) => x.name === s.config.dataset);
  return (d && d.task) || "points";
}
const frameTask = (f) => (f.digits ? "digits" : f.text ? "text" : "points");
function applyTask(s) {
  const task = taskOf(s);
  if (document.body.dataset.task === task) return false;
  document.body.dataset.task = task;
  for (const el of document.querySelectorAll("main[data-task]")) el.hidden = el.dataset.task !== task;
  return true;
}

subscribe((s, changed) => {
  if (changed.has("view")) { i18n.setLanguage(s.view.lang); i18n.apply(); applyHide(s); }
  // a workspace that shows again is drawn whole: its panels were not drawn while it was hidden
  if ((changed.has("config") || changed.has("hello")) && applyTask(s)) {
    if (s.frame && frameTask(s.frame) !== taskOf(s)) s.frame = null;   // the other workspace's frame goes
    changed = new Set(Object.keys(s));
  }
  for (const p of panels) if (!p.el.closest("main[hidden]")) p.render(s, changed);
  for (; unacked > 0; unacked--) send("ack");
  if ((changed.has("view") || changed.has("config")) && s.config) writeHash(s.config, s.view);
});

document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, select, textarea, [contenteditable]") || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === " ") { e.preventDefault(); actions.toggle(); }
  else if (e.key === "ArrowRight") { e.preventDefault(); actions.step(1); }
  else if (e.key === "r" || e.key === "R") { e.preventDefault(); actions.reset(); }
});

window.addEventListener("hashchange", () => {
  const h = readHash();
  if (h.view.lesson && h.view.lesson !== state.view.lesson && actions.openLesson(h.view.lesson)) return;
  const patch = Object.fromEntries(Object.entries(h.config).filter(([k, v]) => state.config && !same(state.config[k], v)));
  if (Object.keys(patch).length) actions.setConfig(patch);
  setView(h.view);
});
window.addEventListener("pagehide", () => rememberRun(state.frame, true));

fetch("/api/previews").then((r) => (r.ok ? r.json() : null)).then((p) => p && set({ previews: p })).catch(() => {});
// the lessons' catalogue; a #lesson=ID link sets its stage first (the URL's own fields win), then
// the socket opens and hello sends what is wanted
fetch("/api/lessons").then((r) => (r.ok ? r.json() : null)).then((c) => {
  if (!c) return;
  set({ lessons: { ...state.lessons, catalogue: c } });
  const lesson = lessons.find(c, initial.view.lesson);
  if (lesson) {
    wanted = { ...lesson.full_config, ...initial.config };
    const { view, explore, sweep } = lessons.viewOf(lesson, state.view);
    setExplore(explore);
    setSweep(sweep);
    setView({ ...view, ...initial.view });
  } else if (initial.view.lesson) {
    setView({ lesson: "" });
    set({ notice: { key: "lesson_unknown", vars: { id: initial.view.lesson, allowed: c.lessons.map((l) => l.id).join(", ") } } });
  }
}).catch(() => {}).finally(() => socket.connect());
setTimeout(() => {           // names #hide= does not know: said once the panels exist
  const unknown = state.view.hide.filter((n) => !hideableNames().has(n));
  if (unknown.length) set({ notice: { key: "unknown_hide", vars: { names: unknown.join(", ") } } });
}, 0);
window.learnscape = { state, actions };   // for scripting the page and for tests
