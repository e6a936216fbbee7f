// The Text workspace's training column (issue 10): the data set, the text-only controls (model,
// hidden size, sequence length, batch size), the losses in nats and bits, and the loss curve with
// its two reference lines (uniform guess log V, unigram entropy). The header's learning rate,
// optimiser, speed and run buttons apply here too.
import { h, field, select, setValue, fmt } from "../widgets/dom.js";
import { t, addStrings } from "../i18n.js";
import { marked } from "../widgets/rules.js";
import { lineChart } from "../widgets/linechart.js";
import strings from "../strings/text.js";

addStrings(strings);

const HIDDEN = [16, 32, 64, 128, 256, 512];
const SEQ_LENS = [4, 8, 16, 32, 64, 128];
const BATCHES = [1, 4, 8, 16, 32, 64, 128, 256];
const COLORS = { loss_test: "#222", loss_train: "#999", uniform: "#d9534f", unigram: "#f0ad4e" };

// a fixed list plus the value in force when it is not one of them, sorted
const withValue = (list, v) => [...new Set([...list, v])].sort((a, b) => a - b).map(String);

export function mount(el, actions) {
  const dataset = select("text_dataset", [], (v) => actions.setConfig({ dataset: v, output: "", loss: "" }), "text_dataset");
  const model = select("model", [], (v) => actions.setConfig({ model: v }), "text_model");
  const num = (name, testid) => select(name, [], (v) => actions.setConfig(
    name === "hidden" ? { hidden: [Number(v)] } : { [name]: Number(v) }), testid, String);
  const hidden = num("hidden", "text_hidden"), seqLen = num("seq_len", "text_seq_len"), batch = num("batch_size", "text_batch");
  const corpus = h("p", { class: "note", "data-testid": "text-corpus" });
  const read = (id) => h("output", { "data-testid": id, text: "–" });
  const val = read("text-loss-test"), train = read("text-loss-train"), measured = h("small", { class: "note" });
  const canvas = h("canvas", { class: "chart", "data-testid": "text-loss-chart" });
  const chart = lineChart(canvas, Object.entries(COLORS).map(([name, color]) => ({ name, color })));
  el.append(
    h("h2", { dataset: { i18n: "text_title" } }),
    field("text_data", dataset, { tip: "text_data_tip" }), corpus,
    marked(field("model", model, { tip: "model_tip" })),
    marked(field("text_hidden", hidden, { tip: "text_hidden_tip" }), "hidden"),
    marked(field("seq_len", seqLen, { tip: "seq_len_tip" })),
    marked(field("text_batch", batch, { tip: "text_batch_tip" }), "batch_size"),
    h("div", { class: "readout" }, h("div", { class: "cell" }, h("span", { dataset: { i18n: "text_val" } }), val),
      h("div", { class: "cell" }, h("span", { dataset: { i18n: "text_train" } }), train)),
    measured,
    h("div", { class: "text-chart-head", dataset: { i18n: "text_loss" } }), canvas,
    h("p", { class: "note", dataset: { i18n: "text_note_loss" } }),
  );
  let drawn = 0, shownCurve = null, shownLang = null;

  function drawChart(s) {
    const c = s.text.curve, refs = s.frame?.text;
    if (!refs) return false;
    const n = c.step.length, x = n > 1 ? c.step : [0, Math.max(c.step[0] || 0, 1)];
    const line = (v) => x.map(() => v);
    const pad = (ys) => (n > 1 ? ys : [ys[0] ?? null, ys[0] ?? null]);
    chart.draw(x, [pad(c.loss_test), pad(c.loss_train), line(refs.uniform), line(refs.unigram)],
      [t("text_val_short"), t("text_train_short"), "log V", t("text_unigram_short")]);
    canvas.dataset.points = String(n);
    canvas.dataset.last = n ? String(c.loss_test[n - 1]) : "";
    return true;
  }

  return {
    render(s, changed) {
      const c = s.config, hello = s.hello;
      if (c && hello && ["config", "hello", "view", "error"].some((k) => changed.has(k))) {
        const force = changed.has("error");
        dataset.setOptions(hello.datasets.map((d) => d.name)); setValue(dataset, c.dataset, force);
        model.setOptions(hello.models || []); setValue(model, c.model, force);
        hidden.setOptions(withValue(HIDDEN, c.hidden[0])); setValue(hidden, String(c.hidden[0]), force);
        seqLen.setOptions(withValue(SEQ_LENS, c.seq_len)); setValue(seqLen, String(c.seq_len), force);
        batch.setOptions(withValue(BATCHES, c.batch_size)); setValue(batch, String(c.batch_size), force);
      }
      const d = s.dataset?.text;
      if (d && (changed.has("dataset") || changed.has("view"))) {
        corpus.textContent = t("text_corpus", { name: t(d.name) === d.name ? d.name : t(d.name),
          size: d.size.toLocaleString("en"), vocab: d.vocab_size, val: d.val_size.toLocaleString("en") });
      }
      const f = s.frame?.text;
      if (f && changed.has("frame")) {
        val.textContent = t("text_bits", { nats: fmt(s.frame.loss_test), bits: fmt(f.bits_test) });
        train.textContent = t("text_bits", { nats: fmt(s.frame.loss_train), bits: fmt(f.bits_train) });
        measured.textContent = f.eval_step === null ? "" : t("text_measured", { step: f.eval_step.toLocaleString("en") });
      }
      // the curve gains a point per measurement (a few a second at most): drawn when it changed
      if (s.text.curve !== shownCurve || s.text.curve.step.length !== drawn || shownLang !== s.view.lang) {
        if (drawChart(s)) { shownCurve = s.text.curve; drawn = s.text.curve.step.length; shownLang = s.view.lang; }
      }
    },
  };
}
