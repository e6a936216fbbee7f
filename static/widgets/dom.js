// Tiny DOM helpers shared by the panels (no state lives here).
import { t } from "../i18n.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") { for (const [dk, dv] of Object.entries(v)) if (dv !== undefined && dv !== null) el.dataset[dk] = dv; }
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null) el.append(c instanceof Node ? c : String(c));
  if (el.dataset.i18n && !children.length) el.textContent = t(el.dataset.i18n);     // translated at birth
  if (el.dataset.i18nTitle) el.title = t(el.dataset.i18nTitle);
  return el;
}

// <label data-control=name><span data-i18n=name></span> control</label>
export function field(name, control, { label = name, tip } = {}) {
  return h("label", { class: "field", dataset: { control: name } },
    h("span", { class: "field-head" }, h("span", { class: "field-label", dataset: { i18n: label, i18nTitle: tip } })), control);
}

// a <select> whose options are translated names (or label(value)); value -> onchange(value)
export function select(name, values, onchange, testid = name, label = (v) => t(String(v))) {
  const el = h("select", { "data-testid": testid, name, onchange: () => onchange(el.value) });
  el.setOptions = (vals) => {
    const key = vals.join("|");
    if (el._key === key && el._lang === document.documentElement.lang) return;
    el._key = key; el._lang = document.documentElement.lang;
    const keep = el.value;
    el.replaceChildren(...vals.map((v) => h("option", { value: v, text: label(v) })));
    if (vals.includes(keep)) el.value = keep;
  };
  el.setOptions(values);
  return el;
}

// a control shows the value in force, unless the learner is at it (force: a refusal puts it back)
export function setValue(el, v, force = false) {
  if ((force || document.activeElement !== el) && String(el.value) !== String(v)) el.value = v;
}

// an element's text written only when it changes, into its text node when it has one: a node put
// in or taken out makes the page re-match its :has() rules (style.css), a text change does not
export function setText(el, text) {
  const n = el.firstChild;
  if (n && n.nodeType === Node.TEXT_NODE && !n.nextSibling) { if (n.data !== text) n.data = text; }
  else if (el.textContent !== text) el.textContent = text;
}

// hidden set only when it changes: writing the same value again still makes the page restyle
export function setHidden(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}

export function fmt(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return x.toExponential(2);
  return x.toFixed(digits);
}

export function note(key) {
  return h("p", { class: "note", dataset: { i18n: key } });
}
