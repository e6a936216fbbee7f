// The page's language, at the top bar's right end over the lessons menu (the select names itself:
// its label is there for screen readers and the tooltip).
import { h, field, setValue } from "../widgets/dom.js";
import { LANGUAGES } from "../i18n.js";

export function mount(el, actions) {
  const language = h("select", { "data-testid": "language", dataset: { i18nTitle: "language_tip" },
    onchange: () => actions.setLanguage(language.value) },
    Object.entries(LANGUAGES).map(([k, v]) => h("option", { value: k, text: v })));
  el.append(field("language", language, { tip: "language_tip" }));
  return {
    render(s, changed) {
      if (["view", "hello", "error"].some((k) => changed.has(k))) setValue(language, s.view.lang);
    },
  };
}
