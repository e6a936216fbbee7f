// Next-character prediction made visible (issue 10): type a prompt, see the model's probability for
// every possible next character as bars (the top choice highlighted) and the cost -log p of the
// character that really follows the prompt in the corpus. Asked again as the model trains.
import { h, fmt } from "../widgets/dom.js";
import { t } from "../i18n.js";

const WAIT_MS = 150;                 // typing: ask once the keys pause
const SHOWN = 24;                    // bars drawn at full size; the rest follow, smaller

const show = (c) => (c === "\n" ? "⏎" : c === " " ? "␣" : c === "\t" ? "⇥" : c);
const pct = (p) => `${(100 * p).toFixed(p < 0.001 ? 2 : 1)}%`;

export function mount(el, actions) {
  const prompt = h("textarea", { rows: 3, "data-testid": "text-prompt", spellcheck: "false",
    dataset: { i18nTitle: "text_prompt" } });
  const top = h("p", { class: "text-top", "data-testid": "next-char-top" });
  const bars = h("div", { class: "next-char", "data-testid": "next-char" });
  const follows = h("p", { class: "text-follows", "data-testid": "next-char-follows" });
  const unknown = h("p", { class: "note" });
  el.append(
    h("h2", { dataset: { i18n: "text_predict" } }),
    h("label", { class: "field" }, h("span", { class: "field-label", dataset: { i18n: "text_prompt" } }), prompt),
    top, bars, follows, unknown, h("p", { class: "note", dataset: { i18n: "text_note_predict" } }),
  );
  let timer = null, asked = false, waiting = false, askedAt = null, shown = null, lang = null, last = null;
  const ask = () => {
    clearTimeout(timer); timer = null;
    asked = true; waiting = true; askedAt = last?.frame?.text?.eval_step ?? null;
    actions.predictNext(prompt.value);
  };
  prompt.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, WAIT_MS); });

  function draw(m) {
    const order = m.probs.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0]);
    const max = order[0][0] || 1;
    bars.replaceChildren(...order.map(([p, i], rank) => h("div", {
      class: `nc-bar${i === m.top ? " top" : ""}${rank >= SHOWN ? " small" : ""}`,
      dataset: { char: m.chars[i], p: String(p) }, title: `${JSON.stringify(m.chars[i])} ${pct(p)}` },
    h("span", { class: "nc-char", text: show(m.chars[i]) }),
    h("span", { class: "nc-track" }, h("span", { class: "nc-fill", style: `width:${(100 * p / max).toFixed(1)}%` })),
    h("span", { class: "nc-p", text: pct(p) }))));
    top.textContent = t("text_top", { char: show(m.top_char), p: pct(m.probs[m.top]) });
    const f = m.follows;
    follows.textContent = f ? t("text_follows", { char: show(f.char), cost: fmt(f.cost),
      bits: fmt(f.cost === null ? null : f.cost / Math.LN2) }) : t("text_not_found");
    follows.classList.toggle("found", !!f);
    unknown.textContent = m.unknown.length ? t("text_unknown", { chars: m.unknown.map(show).join(" ") }) : "";
    bars.dataset.step = String(m.step);
  }

  return {
    render(s, changed) {
      const x = s.text;
      last = s;
      if (prompt._lang !== s.view.lang) { prompt._lang = s.view.lang; prompt.placeholder = t("text_prompt_placeholder"); }
      if (x.next && (x.next !== shown || lang !== s.view.lang)) {
        waiting = waiting && x.next === shown;
        shown = x.next; lang = s.view.lang; draw(x.next);
      }
      // asked again for the same prompt when the model was measured anew (it trained) or the
      // temperature changed; one question at a time
      const evalStep = s.frame?.text?.eval_step ?? null;
      if (asked && !waiting && !timer && x.next && (evalStep !== askedAt || x.temperature !== x.next.temperature)) ask();
    },
  };
}
