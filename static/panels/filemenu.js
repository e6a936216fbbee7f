// The top bar's file menu (issue 15): download and open a run, export the network (ONNX, NumPy,
// the offline HTML report: files the server makes and sends on the websocket), PNG pictures.
import { h } from "../widgets/dom.js";
import { t } from "../i18n.js";
import "./data_upload.js";           // registers static/strings/data.js (once: i18n refuses a key twice)

const EXPORTS = [["run", "file_download_run"], ["onnx", "file_export_onnx"], ["numpy", "file_export_numpy"],
  ["report", "file_export_report"]];

export function mount(el, actions) {
  const opener = h("input", { type: "file", accept: ".json,application/json", hidden: true, "data-testid": "file_open_input",
    onchange: () => { if (opener.files[0]) actions.upload(opener.files[0], "run"); opener.value = ""; } });
  const buttons = EXPORTS.map(([what, key]) => h("button", { class: "small", "data-testid": `file_${what}`,
    dataset: { i18n: key, i18nTitle: `${key}_tip` }, onclick: () => actions.download(what) }));
  const open = h("button", { class: "small", "data-testid": "file_open", dataset: { i18n: "file_open_run", i18nTitle: "file_open_run_tip" },
    onclick: () => opener.click() });
  const target = h("select", { "data-testid": "png_target" });
  const shoot = h("button", { class: "small", "data-testid": "file_png", dataset: { i18n: "file_png", i18nTitle: "file_png_tip" },
    onclick: () => {
      const name = target.value;
      const node = name === "page" ? document.body : document.querySelector(`[data-panel="${name}"]`);
      if (node) actions.savePng(node, name);
    } });
  const status = h("span", { class: "note", "data-testid": "file_status" });
  const menu = h("details", { class: "filemenu", "data-testid": "filemenu" },
    h("summary", { dataset: { i18n: "file_menu", i18nTitle: "file_menu_tip" } }),
    h("div", { class: "filemenu-body" }, buttons[0], open, opener, ...buttons.slice(1),
      h("span", { class: "png" }, target, shoot), status));
  el.append(menu);

  return {
    render(s, changed) {
      if (!["data", "view", "config"].some((k) => changed.has(k))) return;
      const panels = [...document.querySelectorAll("main:not([hidden]) [data-panel]")].filter((p) => !p.hidden)
        .map((p) => p.dataset.panel);
      const values = ["page", ...panels];
      const key = values.join("|") + s.view.lang;
      if (target._key !== key) {
        target._key = key;
        const keep = target.value;
        target.replaceChildren(...values.map((v) => h("option", { value: v, text: v === "page" ? t("file_png_page") : t(v) })));
        if (values.includes(keep)) target.value = keep;
      }
      const pending = s.data.pending;
      status.textContent = pending ? t("file_preparing", { what: t(EXPORTS.find((e) => e[0] === pending)[1]) }) : "";
    },
  };
}
