// The top bar: run controls, counters, speed, learning rate and the training choices.
import { h, field, select, setValue, fmt } from "./dom.js";
import { t, LANGUAGES } from "../i18n.js";

// the Playground's learning rates: the log slider snaps to them when close
export const PLAYGROUND_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const SPEEDS = [1, 10, 60, 250, 1500, 6000, 25000, 0];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const DROP_RATES = [0, 0.1, 0.2, 0.3, 0.5, 0.7];
const OPTIMIZERS = ["sgd", "momentum", "nesterov", "rmsprop", "adam"];
const REGULARIZATIONS = ["none", "l1", "l2", "dropout"];
const PROBLEM_DEFAULT = { classification: "circle", regression: "reg-plane", multiclass: "blobs" };

export function snapRate(log10) {
  const lr = 10 ** log10;
  for (const r of PLAYGROUND_RATES) if (Math.abs(Math.log10(r) - log10) < 0.06) return r;
  return Number(lr.toPrecision(2));
}

export function mount(el, actions) {
  const play = h("button", { class: "round play", "data-testid": "play", dataset: { i18nTitle: "play_tip" },
    onclick: () => actions.toggle() });
  const step = h("button", { class: "round", "data-testid": "step", dataset: { i18nTitle: "step_tip" },
    onclick: () => actions.step(1), text: "▸|" });
  const reset = h("button", { class: "round", "data-testid": "reset", dataset: { i18nTitle: "reset_tip" },
    onclick: () => actions.reset(), text: "↺" });
  const epoch = h("output", { class: "counter", "data-testid": "epoch", text: "0" });
  const steps = h("output", { class: "counter small", "data-testid": "steps", text: "0" });
  const speed = select("speed", SPEEDS.map(String), (v) => actions.setSpeed(Number(v)));
  const lrSlider = h("input", { type: "range", min: -5, max: 1, step: 0.01, "data-testid": "learning_rate",
    dataset: { i18nTitle: "learning_rate_tip" } });
  const lrValue = h("output", { class: "value", "data-testid": "learning_rate_value" });
  lrSlider.addEventListener("input", () => {
    const lr = snapRate(Number(lrSlider.value));
    lrValue.textContent = fmt(lr, 5).replace(/\.?0+$/, "");
    actions.setConfig({ learning_rate: lr });
  });
  const optimizer = select("optimizer", OPTIMIZERS,
    (v) => actions.setConfig({ optimizer: v }));
  const num = (name, lo, hi, stepv) => {
    const input = h("input", { type: "number", min: lo, max: hi, step: stepv, "data-testid": name,
      class: "num", onchange: () => actions.setConfig({ [name]: Number(input.value) }) });
    return input;
  };
  const momentum = num("momentum", 0, 0.999, 0.05), beta1 = num("beta1", 0, 0.999, 0.01),
    beta2 = num("beta2", 0, 0.99999, 0.001);
  const activation = select("activation", ["tanh"], (v) => actions.setConfig({ activation: v }));
  const regularization = select("regularization", REGULARIZATIONS,
    (v) => actions.setConfig({ regularization: v, ...(v === "dropout" ? { reg_rate: 0.1 } : {}) }));
  const regRate = select("reg_rate", REG_RATES.map(String), (v) => actions.setConfig({ reg_rate: Number(v) }));
  const problem = select("problem", Object.keys(PROBLEM_DEFAULT),
    (v) => actions.setConfig({ dataset: PROBLEM_DEFAULT[v], output: "", loss: "" }));
  const playground = h("input", { type: "checkbox", "data-testid": "playground",
    onchange: () => actions.setConfig({ playground: playground.checked }) });
  const language = h("select", { "data-testid": "language", onchange: () => actions.setLanguage(language.value) },
    Object.entries(LANGUAGES).map(([k, v]) => h("option", { value: k, text: v })));

  el.append(
    h("div", { class: "brand" }, h("b", { dataset: { i18n: "app_title" } }), h("small", { dataset: { i18n: "tagline" } })),
    h("div", { class: "group run", dataset: { control: "run" } }, reset, play, step),
    field("epoch", epoch), field("steps", steps),
    field("speed", speed, { tip: "speed_tip" }),
    field("learning_rate", h("span", { class: "lr" }, lrSlider, lrValue), { tip: "learning_rate_tip" }),
    field("optimizer", optimizer, { tip: "optimizer_tip" }),
    field("momentum", momentum), field("beta1", beta1), field("beta2", beta2),
    field("activation", activation, { tip: "activation_tip" }),
    field("regularization", regularization, { tip: "regularization_tip" }),
    field("reg_rate", regRate, { tip: "reg_rate_tip" }),
    field("problem", problem),
    field("playground", playground, { label: "playground_mode", tip: "playground_tip" }),
    field("language", language),
  );

  return {
    render(s, changed) {
      const running = s.status === "running";
      play.textContent = running ? "❚❚" : "▶";
      play.setAttribute("aria-label", t(running ? "pause" : "play"));
      play.classList.toggle("running", running);
      if (s.frame) { epoch.textContent = s.frame.epoch.toLocaleString("en"); steps.textContent = s.frame.step.toLocaleString("en"); }
      speed.setOptions(SPEEDS.map(String));
      for (const o of speed.options) o.textContent = o.value === "0" ? t("speed_max") : `${Number(o.value).toLocaleString("en")} ${t("steps_per_s")}`;
      setValue(speed, String(s.view.speed));
      setValue(language, s.view.lang);
      optimizer.setOptions(OPTIMIZERS); regularization.setOptions(REGULARIZATIONS);   // re-translated
      problem.setOptions(Object.keys(PROBLEM_DEFAULT));                                // on a language switch
      const c = s.config;
      if (!c) return;
      if (s.hello) activation.setOptions(s.hello.activations);
      if (document.activeElement !== lrSlider) {
        lrSlider.value = Math.log10(c.learning_rate);
        lrValue.textContent = String(c.learning_rate);
      }
      setValue(optimizer, c.optimizer);
      setValue(momentum, c.momentum); setValue(beta1, c.beta1); setValue(beta2, c.beta2);
      momentum.closest(".field").classList.toggle("off", !["momentum", "nesterov"].includes(c.optimizer));
      beta1.closest(".field").classList.toggle("off", c.optimizer !== "adam");
      beta2.closest(".field").classList.toggle("off", !["adam", "rmsprop"].includes(c.optimizer));
      setValue(activation, c.activation);
      setValue(regularization, c.regularization);
      const rates = (c.regularization === "dropout" ? DROP_RATES : REG_RATES).map(String);
      if (!rates.includes(String(c.reg_rate))) rates.push(String(c.reg_rate));
      regRate.setOptions(rates);
      setValue(regRate, String(c.reg_rate));
      regRate.closest(".field").classList.toggle("off", c.regularization === "none");
      const kind = s.hello?.datasets.find((d) => d.name === c.dataset)?.kind;
      if (kind) setValue(problem, kind);
      playground.checked = c.playground;
    },
  };
}
