// The data column: dataset picker with thumbnails, split, noise, batch size, points, regenerate.
import { h, field, setValue } from "../widgets/dom.js";
import { labelColor } from "../widgets/colors.js";
import { still } from "../widgets/canvas.js";
import { marked } from "../widgets/rules.js";

const POINTS = [50, 100, 200, 500, 1000, 2000, 5000];

function slider(name, min, max, step, onchange, scale = 1) {
  const input = h("input", { type: "range", min, max, step, "data-testid": name });
  const out = h("output", { class: "value", "data-testid": `${name}_value` });
  input.addEventListener("input", () => { out.textContent = input.value; });
  input.addEventListener("change", () => onchange(Number(input.value) / scale));
  return { input, out, wrap: h("span", { class: "slider" }, input, out) };
}

function drawPreview(canvas, points, kind) {
  const ctx = canvas.getContext("2d");
  const W = canvas.width;
  ctx.fillStyle = "#f7f7f7";
  ctx.fillRect(0, 0, W, W);
  for (const [x, y, label] of points) {
    ctx.fillStyle = labelColor(kind === "regression" ? Math.max(-1, Math.min(1, label)) : label, kind);
    ctx.fillRect(((x + 6) / 12) * W - 1, ((6 - y) / 12) * W - 1, 2.5, 2.5);
  }
}

export function mount(el, actions) {
  const thumbs = h("div", { class: "thumbs", "data-testid": "datasets" });
  const others = h("div", { class: "other-data", "data-testid": "other-datasets" });     // the other workspaces
  const ratio = slider("train_ratio", 10, 90, 10, (v) => actions.setConfig({ train_ratio: v }), 100);
  const noise = slider("noise", 0, 50, 5, (v) => actions.setConfig({ noise: v }), 100);
  const batch = slider("batch_size", 1, 100, 1, (v) => actions.setConfig({ batch_size: v }));
  const points = h("select", { "data-testid": "points",
    onchange: () => actions.setConfig({ points: Number(points.value) }) });
  const classes = h("select", { "data-testid": "classes",
    onchange: () => actions.setConfig({ classes: Number(classes.value) }) },
    [3, 4, 5].map((k) => h("option", { value: k, text: k })));
  const regen = h("button", { "data-testid": "regenerate", dataset: { i18n: "regenerate", i18nTitle: "regenerate_tip" },
    onclick: () => actions.regenerate() });
  el.append(
    h("h2", { dataset: { i18n: "data" } }),
    h("div", { class: "field-head", dataset: { control: "dataset" } }, h("span", { class: "field-label", dataset: { i18n: "dataset" } }),
      h("span", { class: "mark restarts", text: " ↺", dataset: { i18nTitle: "restarts_tip" } })),
    h("div", { dataset: { control: "dataset" } }, thumbs, others),
    marked(field("train_ratio", ratio.wrap, { tip: "train_ratio_tip" })), marked(field("noise", noise.wrap, { tip: "noise_tip" })),
    marked(field("batch_size", batch.wrap, { tip: "batch_size_tip" })),
    h("div", { class: "pair" }, marked(field("points", points, { tip: "points_tip" })),
      marked(field("classes", classes, { tip: "classes_tip" }))),
    h("div", { dataset: { control: "regenerate" } }, regen),
    h("p", { class: "note", dataset: { i18n: "note_data" } }),
    h("p", { class: "note", dataset: { i18n: "note_marks" } }),
  );
  let built = null;

  return {
    render(s, changed) {
      const c = s.config;
      if (s.previews && s.hello && built !== s.previews) {
        built = s.previews;
        // tiles: the generated point sets; the bundled data of another task are a button each (their
        // own workspace); uploads come through the upload button
        others.replaceChildren(...s.hello.datasets.filter((d) => d.source === "bundled").map((d) =>
          h("button", { class: "other", "data-testid": `dataset-${d.name}`, dataset: { i18n: d.name },
            onclick: () => actions.setConfig({ dataset: d.name }) })));
        thumbs.replaceChildren(...s.hello.datasets.filter((d) => d.source === "generated").map((d) => {
          const canvas = h("canvas", { width: 48, height: 48 });
          drawPreview(canvas, s.previews[d.name] || [], d.kind);
          return h("button", { class: "thumb", "data-testid": `dataset-${d.name}`, dataset: { name: d.name, i18nTitle: d.name },
            onclick: () => actions.setConfig({ dataset: d.name, output: "", loss: "" }) }, still(canvas),
            h("span", { dataset: { i18n: d.name } }));
        }));
      }
      if (!c || !["config", "hello", "previews", "error"].some((k) => changed.has(k))) return;   // not per frame
      for (const b of thumbs.children) b.classList.toggle("selected", b.dataset.name === c.dataset);
      setValue(ratio.input, Math.round(c.train_ratio * 100)); ratio.out.textContent = `${Math.round(c.train_ratio * 100)}%`;
      setValue(noise.input, Math.round(c.noise * 100)); noise.out.textContent = Math.round(c.noise * 100);
      setValue(batch.input, c.batch_size); batch.out.textContent = c.batch_size;
      // the standard sizes, plus the one in force if it is not one of them: sorted, nothing stray kept
      const n = c.points || s.hello?.datasets.find((d) => d.name === c.dataset)?.points;
      const sizes = [...new Set([...POINTS, ...(n ? [n] : [])])].sort((a, b) => a - b);
      if (sizes.join() !== [...points.options].map((o) => o.value).join()) {
        points.replaceChildren(...sizes.map((p) => h("option", { value: p, text: p })));
      }
      setValue(points, n, changed.has("error"));
      setValue(classes, c.classes);
      classes.closest(".field").classList.toggle("off", c.dataset !== "blobs");
    },
  };
}
