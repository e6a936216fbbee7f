// The page's verbs: everything a panel (or a script) can ask for. Each one that talks to the server
// builds its message with protocol.js's message(); the rest change the page's state.
import { state, set, setView, setExplore, clearHistory, forgetRun } from "./state.js";
import { message, CLIENT_TYPES } from "./protocol.js";
import * as i18n from "./i18n.js";

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
  };
  return actions;
}

// The one place a run is offered back to the server (issue 13): after a reconnect, a killed worker
// or a reload (docs/protocol.md, "Restoring a run"): the engine's run file without its data, the
// step and epoch it had reached. The server answers paused there (main.js plays on once the restored
// frame is in, if it was playing). A message over the server's limit is not sent (the transport
// would close the socket, and the page would offer it again on every reconnect): "too_large".
export function restoreRun(socket, run, maxBytes) {
  if (!run || !run.weights) return false;
  const { version, config, weights, step, epoch } = run;
  const m = message("restore", { run: { version, config, weights }, step, epoch: epoch || 0 });
  if (new TextEncoder().encode(JSON.stringify(m)).length > maxBytes) return "too_large";
  socket.send(m);
  return true;
}
