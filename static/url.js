// The URL hash, driven by one table: every field's type, its default and the slice of the page's
// state it belongs to. The whole training configuration, seed included, is written (a copied link
// reproduces the run); view fields only when they differ from their default.
// #dataset=circle&hidden=4,2&learning_rate=0.03&...&speed=250&landscape=race&surface=beale
//
// type: str | int | num | bool | strs (comma list) | ints (comma list); default null: the server's
export const FIELDS = {
  dataset: ["str", null, "config"], points: ["int", null, "config"], noise: ["num", null, "config"],
  train_ratio: ["num", null, "config"], classes: ["int", null, "config"], features: ["strs", null, "config"],
  hidden: ["ints", null, "config"], activation: ["str", null, "config"], output: ["str", null, "config"],
  loss: ["str", null, "config"], init: ["str", null, "config"], optimizer: ["str", null, "config"],
  learning_rate: ["num", null, "config"], momentum: ["num", null, "config"], beta1: ["num", null, "config"],
  beta2: ["num", null, "config"], schedule: ["str", null, "config"], batch_size: ["int", null, "config"],
  shuffle: ["bool", null, "config"], regularization: ["str", null, "config"], reg_rate: ["num", null, "config"],
  l1_freeze: ["bool", null, "config"], seed: ["int", null, "config"], playground: ["bool", null, "config"],
  clip: ["num", null, "config"], augment: ["bool", null, "config"], model: ["str", null, "config"],
  seq_len: ["int", null, "config"], context: ["int", null, "config"], embed: ["int", null, "config"],
  lang: ["str", null, "view"], hide: ["strs", [], "view"], gradients: ["bool", false, "view"],
  show_test: ["bool", false, "view"], discretize: ["bool", false, "view"], speed: ["num", 1500, "view"],
  landscape: ["str", "live", "view"], surface: ["str", "quadratic", "view"], slice: ["str", "random", "view"],
  lesson: ["str", "", "view"],
};

const parse = {
  str: (v) => v, int: (v) => (/^-?\d+$/.test(v) ? Number(v) : undefined),
  num: (v) => (v !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined),
  bool: (v) => (v === "true" ? true : v === "false" ? false : undefined),
  strs: (v) => (v === "" ? [] : v.split(",")),
  ints: (v) => (v === "" ? [] : v.split(",").map(Number)),
};

// the view slice's defaults, for state.js
export const VIEW_DEFAULTS = Object.fromEntries(Object.entries(FIELDS)
  .filter(([, [, , slice]]) => slice === "view").map(([k, [, d]]) => [k, d]));

// -> {config: {...}, view: {...}, unknown: ["name", ...]}: only what the hash names, typed
export function readHash(hash = location.hash) {
  const out = { config: {}, view: {}, unknown: [] };
  const text = hash.replace(/^#/, "");
  for (const part of text ? text.split("&") : []) {
    const [k, raw = ""] = part.split("=");
    if (!k) continue;
    const field = FIELDS[k];
    const v = field ? parse[field[0]](decodeURIComponent(raw)) : undefined;
    if (v === undefined) { out.unknown.push(k); continue; }
    out[field[2]][k] = v;
  }
  return out;
}

const text = (v) => (Array.isArray(v) ? v.join(",") : encodeURIComponent(v));

export function writeHash(config, view) {
  const parts = [];
  for (const [k, [, dflt, slice]] of Object.entries(FIELDS)) {
    const v = slice === "config" ? config[k] : view[k];
    if (v === null || v === undefined || (slice === "config" && v === "")) continue;
    if (slice === "view" && JSON.stringify(v) === JSON.stringify(dflt)) continue;
    parts.push(`${k}=${text(v)}`);
  }
  const hash = "#" + parts.join("&");
  if (hash !== location.hash) history.replaceState(null, "", hash);
}
