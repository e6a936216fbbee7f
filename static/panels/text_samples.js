// The timeline of samples (issue 10): every N iterations the server writes a sample; each one is
// shown with its iteration and validation loss, like the article's figure. The learner picks N and
// the sampling temperature (which the next-character bars use too).
import { h, field, select, setValue, fmt } from "../widgets/dom.js";
import { t } from "../i18n.js";

const EVERY = [10, 50, 100, 200, 500, 1000, 2000, 5000];

export function mount(el, actions) {
  const every = select("text_every", [], (v) => actions.setSamples({ every: Number(v) }), "text-every",
    (v) => `${Number(v).toLocaleString("en")} ${t("iterations")}`);
  const temp = h("input", { type: "range", min: 0, max: 2, step: 0.05, "data-testid": "text-temperature",
    dataset: { i18nTitle: "temperature_tip" } });
  const tempValue = h("output", { class: "value", "data-testid": "text-temperature-value" });
  temp.addEventListener("input", () => { tempValue.textContent = Number(temp.value).toFixed(2); });
  temp.addEventListener("change", () => actions.setSamples({ temperature: Number(temp.value) }));
  const list = h("div", { class: "text-samples", "data-testid": "text-samples", "aria-live": "polite" });
  const empty = h("p", { class: "note", dataset: { i18n: "text_no_samples" } });
  el.append(
    h("h2", { dataset: { i18n: "text_samples" } }),
    h("div", { class: "text-row" }, field("text_every", every, { tip: "text_every_tip" }),
      field("temperature", h("span", { class: "slider" }, temp, tempValue), { tip: "temperature_tip" })),
    list, empty, h("p", { class: "note", dataset: { i18n: "text_note_samples" } }),
  );
  let shown = null, lang = null;

  function entry(m) {
    const loss = m.loss_test === null ? "–" : `${fmt(m.loss_test)} (${fmt(m.bits_test)} bits)`;
    return h("figure", { class: "text-sample", dataset: { step: m.step } },
      h("figcaption", { text: t("text_sample_head", { step: m.step.toLocaleString("en"), loss }) }),
      h("pre", { text: m.text }));
  }

  return {
    render(s, changed) {
      const x = s.text;
      if (changed.has("view") || changed.has("text")) {
        every.setOptions([...new Set([...EVERY, x.every])].sort((a, b) => a - b).map(String));
        setValue(every, String(x.every));
        if (document.activeElement !== temp) { temp.value = x.temperature; tempValue.textContent = x.temperature.toFixed(2); }
      }
      if (x.samples === shown && lang === s.view.lang) return;
      const stuck = list.scrollHeight - list.scrollTop - list.clientHeight < 30;    // following the newest
      list.replaceChildren(...x.samples.map(entry));        // a new sample comes a few times a second at most
      shown = x.samples; lang = s.view.lang;
      empty.hidden = x.samples.length > 0;
      if (stuck) list.scrollTop = list.scrollHeight;
    },
  };
}
