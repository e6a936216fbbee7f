// What the page must know about the training config's fields: which ones restart training when
// changed (the rest apply to the run in progress: engine/config.py LIVE_FIELDS, plus the optimiser),
// and what Playground-compatible mode fixes (engine/config.py Config.resolved). A test checks both
// against the engine.
import { h } from "./dom.js";

export const RESTARTS = ["dataset", "points", "noise", "train_ratio", "classes", "seed", "features", "hidden",
  "activation", "output", "loss", "init", "playground", "augment", "model", "seq_len", "context", "embed"];
export const PLAYGROUND_FIXES = { loss: "half_mse", optimizer: "sgd", shuffle: false, schedule: "constant", l1_freeze: true };

// a control's field with a mark saying whether changing it restarts training (↺) or applies live
export function marked(fieldEl, name = fieldEl.dataset.control) {
  const restarts = RESTARTS.includes(name);
  fieldEl.querySelector(".field-head")?.append(h("span", { class: restarts ? "mark restarts" : "mark live",
    "data-testid": `mark-${name}`, text: restarts ? " ↺" : " •", dataset: { i18nTitle: restarts ? "restarts_tip" : "live_tip" } }));
  return fieldEl;
}
