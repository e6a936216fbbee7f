// The page's verbs: everything a panel (or a script) can ask for. Each one that talks to the server
// builds its message with protocol.js's message(); the rest change the page's state.
import { state, set, setView, setExplore, clearHistory, forgetRun, setDigits, setText, setSweep, flushNow } from "./state.js";
import { message } from "./protocol.js";
import * as i18n from "./i18n.js";
import * as lessons from "./lessons.js";
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
    // the digits drawing pad: its canvas as uint8 grayscale (red channel, ink bright) in base64, with
    // the drawing's number (a script may number its own); a cleared pad's next drawing is a new one
    readPad: (canvas, id = state.digits.drawing) => {
      if (id !== state.digits.drawing) setDigits({ drawing: id });
      const { width, height } = canvas;
      const rgba = canvas.getContext("2d").getImageData(0, 0, width, height).data;
      let bin = "";
      for (let i = 0; i < rgba.length; i += 4) bin += String.fromCharCode(rgba[i]);
      return send("read_pad", { width, height, pixels: btoa(bin), id });
    },
    clearPad: () => setDigits({ pad: null, drawing: state.digits.drawing + 1 }),
    // the Text workspace (issue 10): the sampling choices, and the next-character bars of a prompt
    setSamples: (fields) => { if (send("set_samples", fields)) setText(fields); },
    predictNext: (prompt) => send("predict_next", { prompt, temperature: state.text.temperature }),
    // lessons (static/lessons.js): the stage in one set_config, the view through setView/setExplore;
    // the page is drawn at once (its caption, its panels, the URL), before the server confirms
    openLesson: (id) => {
      const lesson = lessons.find(state.lessons.catalogue, id);
      if (!lesson) return false;
      const patch = lessons.configPatch(lesson, state.config);
      if (Object.keys(patch).length && !send("set_config", { config: patch })) return false;
      if (Object.keys(patch).length) set({ config: { ...state.config, ...patch } });
      const { view, explore, sweep } = lessons.viewOf(lesson, state.view);
      setExplore(explore);
      setSweep(sweep);
      setView(view);
      flushNow();
      return true;
    },
    nextLesson: () => {
      const n = lessons.next(state.lessons.catalogue, lessons.find(state.lessons.catalogue, state.view.lesson));
      return n ? actions.openLesson(n.id) : false;
    },
    closeLesson: () => { setView(lessons.leaveView(state.view)); flushNow(); },
    infer: (point) => send("infer", { point }),
    // sweeps (issue 12): the panel's own state, the grid sent to the server, a cell's setting applied
    setSweep,
    startSweep: (axes, seeds, epochs) => send("start_sweep", { axes, seeds, epochs }),
    cancelSweep: () => send("cancel_sweep"),
    useSweepSetting: (cell) => actions.setConfig(cell.config),
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
