// The digits workspace's own settings: the way back to the other datasets, what the data are, the
// parameter count, hidden widths and depth, batch size and augmentation. (Learning rate, optimiser,
// activation and regularisation are the header's controls, shared with the playground.)
import { h, setValue } from "../widgets/dom.js";
import { t } from "../i18n.js";
import * as i18n from "../i18n.js";
import strings from "../strings/digits.js";

i18n.addStrings(strings);
const BATCHES = [1, 8, 16, 32, 64, 128, 256];

export function mount(el, actions) {
  const dataset = h("select", { "data-testid": "digits-dataset",
    onchange: () => actions.setConfig({ dataset: dataset.value, output: "", loss: "" }) });
  const counts = h("p", { class: "note", "data-testid": "digits-counts" });
  const params = h("output", { class: "digits-params", "data-testid": "digits-parameters" });
  const widths = h("span", { class: "digits-widths" });
  let shown = [16, 16];                  // the hidden widths in force (render keeps it)
  const hidden = () => [...shown];
  const add = h("button", { class: "small", "data-testid": "digits-add-layer", text: "+", dataset: { i18nTitle: "digits_add_layer" },
    onclick: () => { const w = hidden(); if (w.length < 8) actions.setConfig({ hidden: [...w, w.at(-1) || 16] }); } });
  const remove = h("button", { class: "small", "data-testid": "digits-remove-layer", text: "−", dataset: { i18nTitle: "digits_remove_layer" },
    onclick: () => { const w = hidden(); if (w.length > 1) actions.setConfig({ hidden: w.slice(0, -1) }); } });
  const batch = h("select", { "data-testid": "digits-batch",
    onchange: () => actions.setConfig({ batch_size: Number(batch.value) }) }, BATCHES.map((b) => h("option", { value: b, text: b })));
  const augment = h("input", { type: "checkbox", "data-testid": "digits-augment",
    onchange: () => actions.setConfig({ augment: augment.checked }) });
  const title = h("h2", { "data-testid": "digits-title" });     // the network's real shape, e.g. 784-16-16-10
  el.append(
    title,
    h("label", { class: "field" }, h("span", { class: "field-label", dataset: { i18n: "digits_dataset" } }), dataset),
    counts,
    h("div", { class: "field" }, h("span", { class: "field-label", dataset: { i18n: "digits_parameters" } }), params),
    h("div", { class: "field" }, h("span", { class: "field-label", dataset: { i18n: "digits_widths" } }), widths, add, remove),
    h("label", { class: "field" }, h("span", { class: "field-label", dataset: { i18n: "digits_batch" } }), batch),
    h("label", { class: "field check" }, augment, h("span", { dataset: { i18n: "digits_augment" } })),
  );
  let built = "";

  return {
    render(s, changed) {
      if (document.body.dataset.task !== "digits" || !s.config || !s.hello) return;
      if (dataset.hello !== s.hello || changed.has("view")) {
        dataset.hello = s.hello;
        dataset.replaceChildren(...s.hello.datasets.map((d) => h("option", { value: d.name, text: t(d.name) })));
        setValue(dataset, s.config.dataset, true);
      }
      if (changed.has("dataset") && s.dataset?.counts_train) {
        const d = s.dataset, train = d.counts_train.reduce((a, b) => a + b, 0), test = d.counts_test.reduce((a, b) => a + b, 0);
        counts.dataset.vars = JSON.stringify({ train, test, per: d.counts_train[0] + d.counts_test[0] });
      }
      if (counts.dataset.vars) counts.textContent = t("digits_counts", JSON.parse(counts.dataset.vars));
      if (changed.has("frame") && s.frame?.digits) params.textContent = s.frame.digits.parameters.toLocaleString("en");
      if (!["config", "hello", "view", "error", "dataset"].some((k) => changed.has(k))) return;
      const d = s.dataset?.counts_train ? s.dataset : { image_size: 28, counts_train: { length: 10 } };
      title.textContent = t("digits_title", { shape: [d.image_size ** 2, ...s.config.hidden, d.counts_train.length].join("-") });
      shown = s.config.hidden;
      setValue(dataset, s.config.dataset);
      setValue(batch, s.config.batch_size);
      augment.checked = !!s.config.augment;
      const key = s.config.hidden.join(",");
      if (key !== built) {
        built = key;
        const max = s.hello.limits.max_neurons;
        widths.replaceChildren(...s.config.hidden.map((w, i) => {
          const sel = h("select", { "data-testid": `digits-width-${i}`, onchange: () => {
            const next = hidden(); next[i] = Number(sel.value); actions.setConfig({ hidden: next });
          } }, Array.from({ length: max }, (_, k) => h("option", { value: k + 1, text: k + 1 })));
          sel.value = w;
          return sel;
        }));
      }
    },
  };
}
