// The "advanced" disclosure: output activation, loss, learning-rate schedule and initialiser (every
// list from hello). "" for output and loss means the dataset's default.
import { h, field, select, setValue } from "../widgets/dom.js";
import { marked } from "../widgets/rules.js";

// [config field, hello's list, label, offers the dataset's default]
const FIELDS = [["output", "outputs", "output_act", true], ["loss", "losses", "loss_fn", true],
  ["schedule", "schedules", "schedule", false], ["init", "initialisers", "init", false]];

export function mount(el, actions) {
  const selects = FIELDS.map(([name]) => select(name, [], (v) => actions.setConfig({ [name]: v === "auto" ? "" : v })));
  el.append(h("summary", { "data-testid": "advanced", dataset: { i18n: "advanced" } }),
    h("div", { class: "advanced-body" }, ...FIELDS.map(([name, , label], k) => marked(field(name, selects[k], { label, tip: `${name}_tip` })))));
  return {
    render(s, changed) {
      if (!s.hello || !s.config) return;
      FIELDS.forEach(([name, list, , auto], k) => {
        selects[k].setOptions([...(auto ? ["auto"] : []), ...s.hello[list]]);
        setValue(selects[k], s.config[name] === "" ? "auto" : s.config[name], changed.has("error"));
      });
    },
  };
}
