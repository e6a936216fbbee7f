// The lessons menu in the top bar (data-testid "lessons"): every lesson of the catalogue, in course
// order; choosing one opens it (actions.openLesson). Its caption is panels/lesson_caption.js.
import { h } from "../widgets/dom.js";
import { t, addStrings } from "../i18n.js";
import strings from "../strings/lessons.js";

addStrings(strings);

export function mount(el, actions) {
  const menu = h("select", { "data-testid": "lessons_select", "aria-label": t("lessons_menu"),
    onchange: () => { if (menu.value) actions.openLesson(menu.value); } });
  el.dataset.testid = "lessons";
  el.append(menu);
  let key = null;
  return {
    render(s, changed) {
      const c = s.lessons.catalogue;
      if (!(changed.has("lessons") || changed.has("view")) || !c) return;
      const lang = s.view.lang === "zh" ? "zh" : "en";
      const k = lang + c.lessons.length;
      if (k !== key) {
        key = k;
        menu.replaceChildren(h("option", { value: "", text: t("lessons_pick") }),
          ...c.lessons.map((l) => h("option", { value: l.id, text: `${l.number}. ${l.title[lang]}` })));
        menu.setAttribute("aria-label", t("lessons_menu"));
      }
      menu.value = s.view.lesson || "";
    },
  };
}
