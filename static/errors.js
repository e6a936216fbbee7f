// The server's refusals in the learner's language: by their stable code when the page knows it,
// else the server's English text with its stock phrases translated.
import { t, has, language } from "./i18n.js";

// The server words its refusals in English from a small set of phrases ("... is out of range;
// allowed: ..."); in Chinese those phrases are replaced, the field names and values kept.
const PHRASES_ZH = [
  [/is out of range/g, "超出范围"], [/allowed:/g, "允许："], [/unknown value/g, "未知的值"],
  [/unknown field; see GET \/api\/protocol for the allowed fields/g, "未知字段（允许的字段见 GET /api/protocol）"],
  [/unknown config field/g, "未知的配置字段"], [/unknown/g, "未知"], [/must be one of:/g, "必须是以下之一："],
  [/must be a positive finite number/g, "必须是有限的正数"], [/must be a finite number/g, "必须是有限的数"],
  [/must be a whole number/g, "必须是整数"], [/must be true or false/g, "必须是 true 或 false"],
  [/is required/g, "不能缺少"], [/too large/g, "太大"], [/at most/g, "至多"], [/bytes/g, "字节"],
  [/not valid JSON; send one JSON object with a 'type'/g, "不是有效的 JSON；请发送带 'type' 的 JSON 对象"],
  [/binary messages are not accepted; send JSON text/g, "不接受二进制消息；请发送 JSON 文本"],
  [/has (\d+) items/g, "有 $1 项"], [/ to /g, " 至 "], [/; got/g, "；收到"], [/ or /g, " 或 "],
];


// "config.beta1" -> the label the learner sees next to that control
export function fieldName(field) {
  const name = String(field).replace(/^config\./, "");
  return has(name) ? t(name) : name;
}

// A refusal with a known code is said in the learner's language; otherwise the server's English.
export function errorText(e) {
  const key = e.code && `err_${e.code}`;
  if (key && has(key)) return t(key, { ...(e.params || {}), field: fieldName(e.field) });
  return serverText(e.message);
}

export function serverText(text) {
  if (language() !== "zh") return text;
  return PHRASES_ZH.reduce((s, [re, zh]) => s.replace(re, zh), text);
}
