// The data panel's own-data part (issue 15): the panel as a drop zone and a file chooser (CSV, run file, text),
// the upload's progress, the CSV's column pickers, what the session trains on and the link warning.
import { h, field } from "../widgets/dom.js";
import { t, addStrings } from "../i18n.js";
import strings from "../strings/data.js";

addStrings(strings);

const TASKS = ["auto", "classification", "regression"];
const ID = /^(id|index|idx|row|no\.?|#)$/i;       // a row number is not an input worth suggesting

export function mount(el, actions) {
  const chooser = h("input", { type: "file", accept: ".csv,.tsv,.txt,.json,text/csv,text/plain,application/json",
    "data-testid": "csv_file", hidden: true, onchange: () => { if (chooser.files[0]) actions.upload(chooser.files[0]); chooser.value = ""; } });
  // the whole data panel is the drop zone; the chooser is a small button by its heading (the
  // default view gains no height: the panel is full at 1280 x 720)
  const choose = h("button", { class: "small h2-action", "data-testid": "csv_choose",
    dataset: { i18n: "csv_choose", i18nTitle: "csv_drop_tip" }, onclick: () => chooser.click() });
  const heading = el.querySelector("h2");           // beside it, not in it: i18n rewrites the heading's text
  if (heading) heading.after(choose, chooser); else el.append(choose, chooser);
  el.dataset.testid = "dropzone";
  el.addEventListener("dragover", (e) => { e.preventDefault(); el.classList.add("drop-over"); });
  el.addEventListener("dragleave", (e) => { if (!el.contains(e.relatedTarget)) el.classList.remove("drop-over"); });
  el.addEventListener("drop", (e) => {
    e.preventDefault();
    el.classList.remove("drop-over");
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) actions.upload(file);
  });
  const progress = h("p", { class: "note", "data-testid": "csv_progress", hidden: true });
  const head = h("p", { class: "note", "data-testid": "csv_table" });
  const x1 = h("select", { "data-testid": "csv_x1" });
  const x2 = h("select", { "data-testid": "csv_x2" });
  const label = h("select", { "data-testid": "csv_label" });
  const task = h("select", { "data-testid": "csv_task" });
  const standardize = h("input", { type: "checkbox", "data-testid": "csv_standardize", checked: true });
  const use = h("button", { "data-testid": "csv_use", dataset: { i18n: "csv_use" }, onclick: () => {
    const x = [x1.value, x2.value].filter(Boolean);
    actions.useCsv({ x, y: label.value, task: task.value, standardize: standardize.checked,
      train_ratio: window.learnscape.state.config.train_ratio });
  } });
  const pickers = h("div", { class: "csv-pickers", "data-testid": "csv_pickers", hidden: true }, head,
    field("csv_x1", x1), field("csv_x2", x2), field("csv_label", label), field("csv_task", task),
    h("label", { class: "field" }, standardize, h("span", { dataset: { i18n: "csv_standardize" } })), use);
  const info = h("p", { class: "note", "data-testid": "csv_info", hidden: true });
  const warning = h("p", { class: "note warn", "data-testid": "csv_link_warning", dataset: { i18n: "csv_link_warning" }, hidden: true });
  const box = h("div", { class: "upload", "data-testid": "upload" }, progress, pickers, info, warning);
  el.append(box);

  const options = (sel, values, labels = values) => {
    const key = values.join("|") + document.documentElement.lang;
    if (sel._key === key) return;
    sel._key = key;
    const keep = sel.value;
    sel.replaceChildren(...values.map((v, i) => h("option", { value: v, text: labels[i] })));
    if (values.includes(keep)) sel.value = keep;
  };
  let table = null;

  return {
    render(s, changed) {
      if (!["data", "config", "view", "error"].some((k) => changed.has(k))) return;
      const d = s.data;
      const p = d.progress;
      const failed = s.error && ["data", "part"].includes(s.error.field);
      progress.hidden = !p || p.done || failed;
      if (p) progress.textContent = t("csv_progress", { name: p.name, received: p.received, parts: p.parts, kb: Math.round(p.bytes / 1000) });
      const tb = d.table;
      pickers.hidden = !tb;
      if (tb) {
        head.textContent = t("csv_table", { name: tb.name, rows: tb.rows });
        options(x1, tb.numeric);
        options(x2, ["", ...tb.numeric], [t("csv_none"), ...tb.numeric]);
        options(label, tb.header);
        options(task, TASKS, TASKS.map((k) => t(k === "auto" ? "csv_auto" : k)));
        if (table !== tb) {                 // a new table: the first two numbers in (not an id), the last column out
          table = tb;
          const y = tb.header[tb.header.length - 1];
          const ins = tb.numeric.filter((n) => n !== y && !ID.test(n));
          const pick = ins.length ? ins : tb.numeric;
          x1.value = pick[0];
          x2.value = pick.length > 1 ? pick[1] : "";
          label.value = y;
        }
      }
      const custom = s.config && s.config.dataset === "custom";
      const i = d.info;
      info.hidden = !(custom && i);
      if (custom && i) {
        const classes = i.kind === "regression" ? "" : ` · ${t("csv_classes", { classes: i.classes.join(", ") })}`;
        info.textContent = t("csv_info", { name: i.name, rows: i.rows, kind: t(i.kind), inputs: i.inputs.join(", "), label: i.label }) + classes;
      }
      warning.hidden = !custom;
      box.hidden = progress.hidden && pickers.hidden && info.hidden && warning.hidden;
    },
  };
}
