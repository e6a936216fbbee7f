// The top bar: run controls, counters, speed, learning rate and the training choices.
import { h, field, select, setValue, setText, fmt } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { PLAYGROUND_FIXES, marked } from "../widgets/rules.js";

// the Playground's learning rates: the log slider snaps to them when close, arrow keys step along them
export const PLAYGROUND_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const SPEEDS = [1, 10, 60, 250, 1500, 6000, 25000, 0];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DROP_RATES = [0, 0.1, 0.2, 0.3, 0.5, 0.7];
const OPTIMIZER_FIELDS = { momentum: ["momentum", "nesterov"], beta1: ["adam"], beta2: ["adam", "rmsprop"] };

export function snapRate(log10) {
  const lr = 10 ** log10;
  for (const r of PLAYGROUND_RATES) if (Math.abs(Math.log10(r) - log10) < 0.06) return r;
  return Number(lr.toPrecision(2));
}

export function nextRate(lr, dir) {
  return dir > 0 ? PLAYGROUND_RATES.find((r) => r > lr * 1.0001) ?? PLAYGROUND_RATES.at(-1)
    : [...PLAYGROUND_RATES].reverse().find((r) => r < lr * 0.9999) ?? PLAYGROUND_RATES[0];
}

// the first dataset of each kind the server offers: what choosing a problem type switches to
const problems = (hello) => Object.fromEntries([...(hello?.datasets || [])].reverse().map((d) => [d.kind, d.name]));

export function mount(el, actions) {
  let s = null;
  const play = h("button", { class: "round play", "data-testid": "play", dataset: { i18nTitle: "play_tip" },
    onclick: () => actions.toggle() });
  const step = h("button", { class: "round", "data-testid": "step", dataset: { i18nTitle: "step_tip" },
    onclick: () => actions.step(1), text: "▸|" });
  const reset = h("button", { class: "round", "data-testid": "reset", dataset: { i18nTitle: "reset_tip" },
    onclick: () => actions.reset(), text: "↺" });
  const epoch = h("output", { class: "counter", "data-testid": "epoch", text: "0" });
  const steps = h("output", { class: "counter small", "data-testid": "steps", text: "0" });
  const speedLabel = (v) => (Number(v) === 0 ? t("speed_max")
    : `${Number(v).toLocaleString("en")} ${t(Number(v) === 1 ? "step_per_s" : "steps_per_s")}`);
  const speed = select("speed", SPEEDS.map(String), (v) => actions.setSpeed(Number(v)), "speed", speedLabel);
  const lrSlider = h("input", { type: "range", min: -5, max: 1, step: 0.01, "data-testid": "learning_rate",
    dataset: { i18nTitle: "learning_rate_tip" } });
  const lrValue = h("output", { class: "value", "data-testid": "learning_rate_value" });
  const setRate = (lr) => {
    lrValue.textContent = fmt(lr, 5).replace(/\.?0+$/, "");
    actions.setConfig({ learning_rate: lr });
  };
  lrSlider.addEventListener("input", () => setRate(snapRate(Number(lrSlider.value))));
  lrSlider.addEventListener("keydown", (e) => {          // one press: the next of the Playground's rates
    const dir = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[e.key];
    if (!dir || !s?.config) return;
    e.preventDefault();
    const lr = nextRate(s.config.learning_rate, dir);
    lrSlider.value = Math.log10(lr);
    setRate(lr);
  });
  const pick = (name) => select(name, [], (v) => actions.setConfig({ [name]: v }));
  const optimizer = pick("optimizer"), activation = pick("activation");
  const num = (name, lo, hi, stepv) => {
    const input = h("input", { type: "number", min: lo, max: hi, step: stepv, "data-testid": name,
      class: "num", onchange: () => actions.setConfig({ [name]: Number(input.value) }) });
    return input;
  };
  const momentum = num("momentum", 0, 0.999, 0.05), beta1 = num("beta1", 0, 0.999, 0.01),
    beta2 = num("beta2", 0, 0.99999, 0.001);
  const regularization = select("regularization", [],
    (v) => actions.setConfig({ regularization: v, ...(v === "dropout" ? { reg_rate: 0.1 } : {}) }));
  const regRate = select("reg_rate", REG_RATES.map(String), (v) => actions.setConfig({ reg_rate: Number(v) }));
  const problem = select("problem", [], (v) => actions.setConfig({ dataset: problems(s.hello)[v], output: "", loss: "" }));

  el.append(
    h("div", { class: "group run", dataset: { control: "run" } }, reset, play, step),
    field("epoch", epoch, { tip: "epoch_tip" }), field("steps", steps, { tip: "steps_tip" }),
    field("speed", speed, { tip: "speed_tip" }),
    marked(field("learning_rate", h("span", { class: "lr" }, lrSlider, lrValue), { tip: "learning_rate_tip" })),
    h("span", { class: "group", dataset: { control: "optimizer" } },
      marked(field("optimizer", optimizer, { tip: "optimizer_tip" })),
      marked(field("momentum", momentum, { tip: "momentum_tip" })), marked(field("beta1", beta1, { tip: "beta1_tip" })),
      marked(field("beta2", beta2, { tip: "beta2_tip" }))),
    marked(field("activation", activation, { tip: "activation_tip" })),
    marked(field("regularization", regularization, { tip: "regularization_tip" })),
    marked(field("reg_rate", regRate, { tip: "reg_rate_tip" })),
    marked(field("problem", problem, { tip: "problem_tip" }), "dataset"),
  );

  return {
    render(state, changed) {
      s = state;
      const running = s.status === "running" && s.connection === "open";
      const label = `${running}${s.view.lang}`;
      if (play._label !== label) {                   // a frame changes only the counters
        play._label = label;
        play.textContent = running ? "❚❚" : "▶";
        play.setAttribute("aria-label", t(running ? "pause" : "play"));
        play.classList.toggle("running", running);
      }
      if (s.frame) { setText(epoch, s.frame.epoch.toLocaleString("en")); setText(steps, s.frame.step.toLocaleString("en")); }
      const c = s.config, hello = s.hello;
      if (!["view", "config", "hello", "error"].some((k) => changed.has(k))) return;    // a frame: nothing more
      speed.setOptions(SPEEDS.map(String));                                              // re-labelled on a language switch
      setValue(speed, String(s.view.speed));
      if (!c || !hello) return;
      const force = changed.has("error");            // a refused value goes back to the one in force
      optimizer.setOptions(hello.optimizers); regularization.setOptions(hello.regularizations);
      activation.setOptions(hello.activations); problem.setOptions(Object.keys(problems(hello)));
      if (document.activeElement !== lrSlider || force) {
        lrSlider.value = Math.log10(c.learning_rate);
        lrValue.textContent = String(c.learning_rate);
      }
      setValue(optimizer, c.optimizer, force);
      setValue(momentum, c.momentum, force); setValue(beta1, c.beta1, force); setValue(beta2, c.beta2, force);
      for (const [name, uses] of Object.entries(OPTIMIZER_FIELDS)) {
        el.querySelector(`[data-control=${name}]`).classList.toggle("off", !uses.includes(c.playground ? PLAYGROUND_FIXES.optimizer : c.optimizer));
      }
      setValue(activation, c.activation, force);
      setValue(regularization, c.regularization, force);
      const rates = (c.regularization === "dropout" ? DROP_RATES : REG_RATES).map(String);
      if (!rates.includes(String(c.reg_rate))) rates.push(String(c.reg_rate));
      regRate.setOptions(rates.sort((a, b) => a - b));
      setValue(regRate, String(c.reg_rate), force);
      regRate.closest(".field").classList.toggle("off", c.regularization === "none");
      const kind = hello.datasets.find((d) => d.name === c.dataset)?.kind;
      if (kind) setValue(problem, kind, force);
    },
  };
}
