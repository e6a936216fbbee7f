// The open lesson's caption (data-testid "lesson-caption"), in the page's language: what to watch,
// what to try (buttons applying the lesson's `try` configs), where the idea is in the articles, and
// "next lesson". Closing it leaves the lesson and keeps the learner's changes.
import { h } from "../widgets/dom.js";
import { t, has } from "../i18n.js";
import * as lessons from "../lessons.js";

const label = (patch) => Object.entries(patch)
  .map(([k, v]) => `${has(k) ? t(k) : k} ${Array.isArray(v) ? v.join("-") : has(String(v)) ? t(String(v)) : v}`).join(", ");

export function mount(el, actions) {
  el.dataset.testid = "lesson-caption";
  el.hidden = true;
  const title = h("h2", { class: "lesson-title", "data-testid": "lesson_title" });
  const text = h("p", { class: "lesson-text", "data-testid": "lesson_text" });
  const tries = h("p", { class: "lesson-try", "data-testid": "lesson_try" });
  const source = h("p", { class: "lesson-source", "data-testid": "lesson_source" });
  const nextBtn = h("button", { class: "small", "data-testid": "lesson_next", onclick: () => actions.nextLesson() });
  const close = h("button", { class: "small close", "data-testid": "lesson_close", text: "×", onclick: () => actions.closeLesson() });
  el.append(h("div", { class: "lesson-head" }, title, nextBtn, close), text, tries, source);
  let key = null;
  return {
    render(s, changed) {
      if (!(changed.has("lessons") || changed.has("view"))) return;
      const lesson = lessons.find(s.lessons.catalogue, s.view.lesson);
      el.hidden = !lesson;
      if (!lesson) { key = null; return; }
      const lang = s.view.lang === "zh" ? "zh" : "en";
      if (key === lesson.id + lang) return;
      key = lesson.id + lang;
      el.lang = lang === "zh" ? "zh-CN" : "en";
      title.textContent = `${lesson.number}. ${lesson.title[lang]}`;
      text.textContent = lesson.caption[lang];
      const ts = lesson.view.try || [];
      tries.hidden = !ts.length;
      tries.replaceChildren(h("span", { text: t("lesson_try") }),
        ...ts.map((p, i) => h("button", { class: "small", "data-testid": `lesson_try-${i}`, text: label(p), onclick: () => actions.setConfig(p) })));
      const a = s.lessons.catalogue.articles[lesson.source.article] || {};
      const name = `《${a.title || lesson.source.article}》 ${lesson.source.section || ""}`;
      source.replaceChildren(h("span", { text: t("lesson_article") + " " }),
        a.url ? h("a", { href: a.url, target: "_blank", rel: "noopener noreferrer", text: name }) : h("span", { text: name }));
      const n = lessons.next(s.lessons.catalogue, lesson);
      nextBtn.textContent = n ? `${t("lesson_next")} →` : t("lesson_last");
      nextBtn.disabled = !n;
      close.title = t("lesson_close");
      close.setAttribute("aria-label", t("lesson_close"));
    },
  };
}
