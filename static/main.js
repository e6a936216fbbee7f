// Wiring only: socket -> state -> panels, controls -> actions -> socket.
import { state, set, setView, subscribe, recordHistory, clearHistory } from "./state.js";
import { Socket } from "./socket.js";
import { parseBinary, KIND_MAPS, KIND_SURFACE, KIND_OUTPUT } from "./protocol.js";
import * as i18n from "./i18n.js";
import { readHash, writeHash } from "./url.js";
import * as controls from "./panels/controls.js";
import * as data from "./panels/data.js";
import * as network from "./panels/network.js";
import * as output from "./panels/output.js";
import * as gradnorms from "./panels/gradnorms.js";
import * as landscape from "./panels/landscape.js";
import * as banner from "./panels/banner.js";

const VIEW_KEYS = ["lang", "hide", "gradients", "showTest", "discretize", "speed"];
const initial = readHash();
const view = { lang: initial.lang || i18n.defaultLanguage() };
for (const k of VIEW_KEYS) if (k in initial && k !== "lang") view[k] = initial[k];
setView(view);
i18n.setLanguage(state.view.lang);

const socket = new Socket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`, {
  onOpen: () => set({ connection: "open" }),
  onText: receive,
  onBinary: (buffer) => {
    const grid = parseBinary(buffer);
    if (grid.kind === KIND_MAPS) set({ maps: grid });
    else if (grid.kind === KIND_OUTPUT) set({ output: grid });
    else if (grid.kind === KIND_SURFACE) set({ landscape: { ...state.landscape, surface: grid } });
  },
  onClose: () => set({ connection: "lost" }),
});

let pendingHash = initial;
let unacked = 0;                 // frames received, not yet drawn: acknowledged once drawn

function receive(m) {
  switch (m.type) {
    case "hello": {
      set({ hello: m, config: m.config, error: null });
      const patch = {};
      for (const [k, v] of Object.entries(pendingHash)) {
        if (k in m.config && JSON.stringify(m.config[k]) !== JSON.stringify(v)) patch[k] = v;
      }
      pendingHash = { ...m.config, ...patch };            // a reconnect restores this run's config
      if (Object.keys(patch).length) actions.setConfig(patch);
      socket.send({ type: "set_speed", steps_per_second: state.view.speed });
      // thumbnails at 16 x 16, the boundary at 50 x 50, and at most two frames in flight: the page
      // acknowledges each frame it drew, so the server sends only as fast as the page draws
      socket.send({ type: "set_view", grid_resolution: 50, node_resolution: 16, flow: 2 });
      unacked = 0;
      break;
    }
    case "config":
      if (m.applied === "rebuild") clearHistory();
      pendingHash = m.config;
      set({ config: m.config });
      break;
    case "dataset": set({ dataset: m }); break;
    case "frame": unacked += 1; recordHistory(m); set({ frame: m }); break;
    case "status":
      set({ status: m.state, divergedAt: m.state === "diverged" ? m.step : null });
      break;
    case "error": set({ error: m }); break;
    case "landscape":
    case "exploration": set({ landscape: { ...state.landscape, message: m } }); break;
    default: break;
  }
}

const actions = {
  setConfig: (patch) => socket.send({ type: "set_config", config: patch }),
  play: () => socket.send({ type: "play" }),
  pause: () => socket.send({ type: "pause" }),
  toggle: () => actions[state.status === "running" ? "pause" : "play"](),
  step: (n = 1) => socket.send({ type: "step", n }),
  reset: () => { clearHistory(); socket.send({ type: "reset" }); },
  regenerate: () => socket.send({ type: "regenerate" }),
  setWeight: (layer, to, from, value) => socket.send({ type: "set_weight", layer, to, from, value }),
  setSpeed: (v) => { setView({ speed: v }); socket.send({ type: "set_speed", steps_per_second: v }); },
  setView,
  setLandscape: (fields) => socket.send({ type: "set_landscape", ...fields }),
  explore: (fields) => socket.send({ type: "explore", ...fields }),
  send: (message) => socket.send(message),          // any message, for scripts (panels use the verbs)
  setLanguage: (lang) => {
    i18n.setLanguage(lang);
    setView({ lang });
    i18n.apply();
  },
  dismissError: () => set({ error: null }),
};

const panels = [
  controls.mount(document.getElementById("topbar"), actions),
  banner.mount(document.getElementById("banner"), actions),
  data.mount(document.getElementById("data"), actions),
  network.mount(document.getElementById("network"), actions),
  output.mount(document.getElementById("output"), actions),
  gradnorms.mount(document.getElementById("grads"), actions),
  landscape.mount(document.getElementById("landscape"), actions),
];
i18n.apply();

subscribe((s, changed) => {
  if (changed.has("view")) i18n.setLanguage(s.view.lang);
  for (const p of panels) p.render(s, changed);
  for (; unacked > 0; unacked--) socket.send({ type: "ack" });
  if (changed.has("view") || changed.has("config")) {
    if (changed.has("view")) i18n.apply();
    for (const el of document.querySelectorAll("[data-control]")) {
      el.hidden = s.view.hide.includes(el.dataset.control);
    }
    if (s.config) {
      const v = s.view;
      writeHash(s.config, { lang: v.lang, hide: v.hide, gradients: v.gradients || "",
                            showTest: v.showTest || "", discretize: v.discretize || "" });
    }
  }
});

document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, select, textarea, [contenteditable]") || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === " ") { e.preventDefault(); actions.toggle(); }
  else if (e.key === "ArrowRight") { e.preventDefault(); actions.step(1); }
  else if (e.key === "r" || e.key === "R") { e.preventDefault(); actions.reset(); }
});

window.addEventListener("hashchange", () => {
  const h = readHash();
  const patch = {};
  for (const [k, v] of Object.entries(h)) {
    if (state.config && k in state.config && JSON.stringify(state.config[k]) !== JSON.stringify(v)) patch[k] = v;
  }
  if (Object.keys(patch).length) actions.setConfig(patch);
  if (h.hide) setView({ hide: h.hide });
});

fetch("/api/previews").then((r) => (r.ok ? r.json() : null)).then((p) => p && set({ previews: p })).catch(() => {});
socket.connect();
window.learnscape = { state, actions };   // for scripting the page and for tests
