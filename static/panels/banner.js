// Messages across the top: divergence, a lost connection, a refused input.
import { h } from "./dom.js";
import { t, serverText } from "../i18n.js";

export function mount(el, actions) {
  return {
    render(s) {
      const parts = [];
      if (s.connection === "lost") parts.push(h("div", { class: "msg lost", "data-testid": "connection_lost", text: t("connection_lost") }));
      if (s.status === "diverged") {
        parts.push(h("div", { class: "msg diverged", "data-testid": "diverged" }, t("diverged", { step: s.divergedAt ?? "?" }), " ",
          h("button", { class: "small", text: t("reset"), onclick: () => actions.reset() })));
      }
      if (s.error) {
        parts.push(h("div", { class: "msg error", "data-testid": "error" }, `${t("error_prefix")}: ${s.error.field} — ${serverText(s.error.message)} `,
          h("button", { class: "small", text: t("dismiss"), onclick: () => actions.dismissError() })));
      }
      const key = parts.map((p) => p.textContent).join("|");
      if (key !== el._key) { el._key = key; el.replaceChildren(...parts); }
      el.hidden = parts.length === 0;
    },
  };
}
