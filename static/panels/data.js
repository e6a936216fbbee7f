// The data column: dataset picker with thumbnails, split, noise, batch size, points, regenerate.
import { h, field, setValue } from "./dom.js";
import { labelColor } from "../colors.js";

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
  const ratio = slider("train_ratio", 10, 90, 10, (v) => actions.setConfig({ train_ratio: v }), 100);
  const noise = slider("noise", 0, 50, 5, (v) => actions.setConfig({ noise: v }), 100);
  const batch = slider("batch_size", 1, 100, 1, (v) => actions.setConfig({ batch_size: v }));
  const points = h("select", { "data-testid": "points",
    onchange: () => actions.setConfig({ points: Number(points.value) }) },
    POINTS.map((p) => h("option", { value: p, text: p })));
  const classes = h("select", { "data-testid": "classes",
    onchange: () => actions.setConfig({ classes: Number(classes.value) }) },
    [3, 4, 5].map((k) => h("option", { value: k, text: k })));
  const regen = h("button", { "data-testid": "regenerate", dataset: { i18n: "regenerate", i18nTitle: "regenerate_tip" },
    onclick: () => actions.regenerate() });
  el.append(
    h("h2", { dataset: { i18n: "data" } }),
    h("div", { class: "field-label", dataset: { i18n: "dataset", control: "dataset" } }),
    h("div", { dataset: { control: "dataset" } }, thumbs),
    field("train_ratio", ratio.wrap), field("noise", noise.wrap), field("batch_size", batch.wrap),
    field("points", points), field("classes", classes),
    h("div", { dataset: { control: "regenerate" } }, regen),
    h("p", { class: "note", dataset: { i18n: "note_data" } }),
  );
  let built = null;

  return {
    render(s, changed) {
      const c = s.config;
      if (s.previews && s.hello && built !== s.previews) {
        built = s.previews;
        thumbs.replaceChildren(...s.hello.datasets.map((d) => {
          const canvas = h("canvas", { width: 48, height: 48 });
          drawPreview(canvas, s.previews[d.name] || [], d.kind);
          return h("button", { class: "thumb", "data-testid": `dataset-${d.name}`, dataset: { name: d.name, i18nTitle: d.name },
            onclick: () => actions.setConfig({ dataset: d.name, output: "", loss: "" }) }, canvas,
            h("span", { dataset: { i18n: d.name } }));
        }));
      }
      if (!c) return;
      for (const b of thumbs.children) b.classList.toggle("selected", b.dataset.name === c.dataset);
      setValue(ratio.input, Math.round(c.train_ratio * 100)); ratio.out.textContent = `${Math.round(c.train_ratio * 100)}%`;
      setValue(noise.input, Math.round(c.noise * 100)); noise.out.textContent = Math.round(c.noise * 100);
      setValue(batch.input, c.batch_size); batch.out.textContent = c.batch_size;
      const n = c.points || s.hello?.datasets.find((d) => d.name === c.dataset)?.points;
      if (n && ![...points.options].some((o) => Number(o.value) === n)) points.append(h("option", { value: n, text: n }));
      setValue(points, n);
      setValue(classes, c.classes);
      classes.closest(".field").classList.toggle("off", c.dataset !== "blobs");
    },
  };
}
