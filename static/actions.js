// The page's verbs: everything a panel (or a script) can ask for. Each one that talks to the server
// builds its message with protocol.js's message(); the rest change the page's state.
import { state, set, setView, setExplore, clearHistory, forgetRun } from "./state.js";
import { message, CLIENT_TYPES } from "./protocol.js";
import * as i18n from "./i18n.js";
import { parts, purposeOf, png, saveBlob } from "./files.js";

export function makeActions(socket) {
  // while the connection is down nothing is sent: say so rather than drop the click silently
  const send = (type, fields) => {
    if (state.connection !== "open") { set({ notice: { key: "not_connected" } }); return false; }
    socket.send(message(type, fields));
    return true;
  };
  const actions = {
    // the config shown changes at once (two quick clicks build on each other); the server's answer
    // replaces it, and a refusal puts back the last config the server confirmed
    setConfig: (patch) => {
      // a CSV's split is made from the table: a new ratio splits it again (server/uploads.py)
      if (state.config?.dataset === "custom" && "train_ratio" in patch && state.data.picked) {
        return actions.useCsv({ ...state.data.picked, train_ratio: patch.train_ratio });
      }
      if (send("set_config", { config: patch })) set({ config: { ...state.config, ...patch } });
    },
    play: () => send("play"),
    pause: () => send("pause"),
    toggle: () => actions[state.status === "running" ? "pause" : "play"](),
    step: (n = 1) => send("step", { n }),
    reset: () => { if (send("reset")) { clearHistory(); forgetRun(); } },
    regenerate: () => send("regenerate"),
    setWeight: (layer, to, from, value) => send("set_weight", { layer, to, from, value }),
    setSpeed: (v) => { setView({ speed: v }); send("set_speed", { steps_per_second: v }); },
    setLandscape: (fields) => send("set_landscape", fields),
    explore: (fields) => send("explore", fields),
    send: (m) => socket.send(m),              // any message as it is, for scripts (the page uses the verbs)
    setView,
    setExplore,
    setLanguage: (lang) => { i18n.setLanguage(lang); setView({ lang: i18n.language() }); },
    dismissError: () => set({ error: null }),
    dismissNotice: () => set({ notice: null }),
    // data in, model out (issue 15): a file in parts, the CSV's columns, files from the server, PNGs
    upload: async (file, purpose = purposeOf(file)) => {
      const text = await file.text();
      const envelope = message("upload", { purpose, name: file.name.slice(0, 200) });
      const pieces = parts(text, envelope);
      pieces.forEach((data, part) => send("upload", { purpose, name: envelope.name, part, parts: pieces.length, data }));
    },
    useCsv: (fields) => {
      if (send("use_csv", fields)) set({ data: { ...state.data, picked: fields } });
    },
    download: (what) => {
      if (send("download", { what, lang: i18n.language() === "zh" ? "zh" : "en" })) {
        set({ data: { ...state.data, pending: what } });
      }
    },
    savePng: async (el, name) => saveBlob(await png(el), `learnscape-${name}.png`),
  };
  return actions;
}

// The one place a run is offered back to the server (issue 13): after a reconnect, a killed worker
// or a reload (docs/protocol.md, "Restoring a run"): the engine's run file without its data, the
// step and epoch it had reached; the server answers paused there, so a run that was playing plays on.
export function restoreRun(socket, run) {
  if (!run || !run.weights) return false;
  const { version, config, weights, step, epoch, playing } = run;
  socket.send(message("restore", { run: { version, config, weights }, step, epoch: epoch || 0 }));
  if (playing) socket.send(message("play"));
  return true;
}
