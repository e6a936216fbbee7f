// The "advanced" disclosure in the menu bar: output activation, loss, learning-rate schedule and
// initialiser (every list from hello), and Playground-compatible mode with what it fixes. "" for
// output and loss means the dataset's default. While the mode is on, the closed disclosure says so.
import { h, field, select, setValue } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { PLAYGROUND_FIXES, marked } from "../widgets/rules.js";

// [config field, hello's list, label, offers the dataset's default]
const FIELDS = [["output", "outputs", "output_act", true], ["loss", "losses", "loss_fn", true],
  ["schedule", "schedules", "schedule", false], ["init", "initialisers", "init", false]];

export function mount(el, actions) {
  const selects = FIELDS.map(([name]) => select(name, [], (v) => actions.setConfig({ [name]: v === "auto" ? "" : v })));
  const playground = h("input", { type: "checkbox", "data-testid": "playground",
    onchange: () => actions.setConfig({ playground: playground.checked }) });
  const pgNote = h("small", { class: "pg-note", "data-testid": "playground_fixes" });
  const badge = h("span", { class: "badge", "data-testid": "playground_badge", dataset: { i18n: "playground_mode" }, hidden: true });
  el.append(h("summary", { "data-testid": "advanced" }, h("span", { dataset: { i18n: "advanced" } }), badge),
    h("div", { class: "advanced-body" }, ...FIELDS.map(([name, , label], k) => marked(field(name, selects[k], { label, tip: `${name}_tip` }))),
      h("span", { class: "field pg", dataset: { control: "playground" } },
        h("label", { class: "inline" }, playground, h("span", { class: "field-label", dataset: { i18n: "playground_mode", i18nTitle: "playground_tip" } })),
        pgNote)));
  return {
    render(s, changed) {
      if (!s.hello || !s.config || !["config", "hello", "error", "view"].some((k) => changed.has(k))) return;   // not per frame
      const c = s.config;
      FIELDS.forEach(([name, list, , auto], k) => {
        selects[k].setOptions([...(auto ? ["auto"] : []), ...s.hello[list]]);
        setValue(selects[k], c[name] === "" ? "auto" : c[name], changed.has("error"));
      });
      playground.checked = c.playground;
      badge.hidden = !c.playground;
      // Playground-compatible: what it fixes is greyed and said
      for (const name of Object.keys(PLAYGROUND_FIXES)) {
        for (const f of document.querySelectorAll(`[data-control=${name}]`)) f.classList.toggle("fixed", c.playground);
      }
      pgNote.hidden = !c.playground;
      pgNote.textContent = c.playground ? t("playground_fixes", { list: Object.entries(PLAYGROUND_FIXES)
        .map(([k, v]) => `${t(k)} = ${t(String(v))}`).join(", ") }) : "";
    },
  };
}
