// The server's refusals in the learner's language. Every error carries a stable `code`, the
// `setting` it is about and `params`; hello sends the phrase of every code and the label of every
// setting in English and 中文 (server/errors.py), so the page words it without a table of its own.
import { t, has, language } from "./i18n.js";

// a refusal's `detail` may quote the engine's English: its stock phrases said in 中文
const PHRASES_ZH = [
  [/is out of range/g, "超出范围"], [/allowed:/g, "允许："], [/unknown/g, "未知"],
  [/must be a positive finite number/g, "必须是有限的正数"], [/must be a finite number/g, "必须是有限的数"],
  [/must be a whole number/g, "必须是整数"], [/; got/g, "；收到"], [/ to /g, " 至 "], [/ or /g, " 或 "],
];

const fill = (phrase, params) => phrase.replace(/\{(\w+)\}/g, (m, k) => (k in (params || {}) ? String(params[k]) : m));

// the label the learner sees next to the setting an error is about
export function settingLabel(e, hello) {
  const s = e.setting || "message";
  if (has(s)) return t(s);
  const labels = hello && hello.settings && hello.settings[s];
  return labels ? labels[language()] || labels.en : s;
}

export function errorText(e, hello) {
  const phrases = hello && hello.errors && hello.errors[e.code];
  if (phrases) {
    const params = { ...(e.params || {}) };
    if (language() === "zh" && typeof params.detail === "string") params.detail = serverText(params.detail);
    return fill(phrases[language()] || phrases.en, params);
  }
  return serverText(e.message);
}

export function serverText(text) {
  if (language() !== "zh") return text;
  return PHRASES_ZH.reduce((s, [re, zh]) => s.replace(re, zh), text);
}
