// Messages along the bottom of the window (never over a heading): an incompatible server, a lost
// connection, divergence, a refused input (gone by itself after a few seconds), a notice.
import { h, setHidden } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { errorText, settingLabel } from "../errors.js";
import { PROTOCOL_VERSION } from "../protocol.js";

export function mount(el, actions) {
  return {
    render(s) {
      const parts = [];
      if (s.connection === "incompatible") {
        parts.push(h("div", { class: "msg diverged", "data-testid": "incompatible" },
          t("incompatible", { page: PROTOCOL_VERSION, server: s.hello?.protocol_version ?? "?" })));
      }
      if (s.connection === "lost") parts.push(h("div", { class: "msg lost", "data-testid": "connection_lost", text: t("connection_lost") }));
      if (s.status === "diverged") {
        parts.push(h("div", { class: "msg diverged", "data-testid": "diverged" }, t("diverged", { step: s.divergedAt ?? "?" }), " ",
          h("button", { class: "small", text: t("reset"), onclick: () => actions.reset() })));
      }
      if (s.error) {
        parts.push(h("div", { class: "msg error", "data-testid": "error" }, `${t("error_prefix")}: ${settingLabel(s.error, s.hello)} — ${errorText(s.error, s.hello)} `,
          h("button", { class: "small", text: t("dismiss"), onclick: () => actions.dismissError() })));
      }
      if (s.notice && !(s.notice.key === "not_connected" && s.connection === "open")) {
        parts.push(h("div", { class: "msg lost", "data-testid": "notice" }, t(s.notice.key, s.notice.vars || {}), " ",
          h("button", { class: "small", text: t("dismiss"), onclick: () => actions.dismissNotice() })));
      }
      const key = parts.map((p) => p.textContent).join("|");
      if (key !== el._key) { el._key = key; el.replaceChildren(...parts); }
      setHidden(el, parts.length === 0);
    },
  };
}
