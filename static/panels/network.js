// The network diagram: input features (click to toggle), hidden layers with +/- controls, the
// output; each node shows its map over the input plane; links drawn by weight or by gradient.
import { h, note, fmt, setText, setValue } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { paintMap } from "../widgets/colors.js";
import { featureMaps } from "../widgets/features.js";
import { sizeOf, onResize } from "../widgets/size.js";
import { still } from "../widgets/canvas.js";

let NODE = 34, GAP = 8, TOP = 30;
const BUSY_LINKS = 120, BUSY_HZ = 20;
const SVGNS = "http://www.w3.org/2000/svg";

export function paramCount(sizes) {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += (sizes[l - 1] + 1) * sizes[l];
  return n;
}

export function mount(el, actions) {
  let s = null;
  const count = h("span", { class: "param-count", "data-testid": "param_count" });
  const layersLabel = h("span", { "data-testid": "hidden_count" });
  const hidden = () => s.config.hidden.slice();        // the config shown: quick clicks build on each other
  const maxLayers = () => s.hello?.limits.max_hidden_layers ?? 8;
  const maxWidth = () => s.hello?.limits.max_neurons ?? 32;
  const width = h("input", { type: "range", min: 1, max: 8, step: 1, "data-testid": "layer_width",
    dataset: { i18nTitle: "layer_width_tip" } });
  width.addEventListener("change", () => actions.setConfig({ hidden: hidden().map(() => Number(width.value)) }));
  const viewToggle = h("button", { class: "toggle", "data-testid": "view_gradients", dataset: { i18nTitle: "view_tip" },
    onclick: () => actions.setView({ gradients: !s.view.gradients }) });
  const header = h("div", { class: "net-header" },
    h("button", { class: "small", "data-testid": "add_layer", dataset: { i18nTitle: "add_layer", control: "layers" }, text: "+",
      onclick: () => hidden().length < maxLayers() && actions.setConfig({ hidden: [...hidden(), hidden().at(-1) ?? 4] }) }),
    h("button", { class: "small", "data-testid": "remove_layer", dataset: { i18nTitle: "remove_layer", control: "layers" }, text: "−",
      onclick: () => hidden().length > 0 && actions.setConfig({ hidden: hidden().slice(0, -1) }) }),
    layersLabel,
    h("label", { class: "field inline", dataset: { control: "layer_width" } }, h("span", { dataset: { i18n: "layer_width" } }), width),
    h("span", { class: "mark restarts", text: "↺", dataset: { i18nTitle: "restarts_tip" } }),
    h("span", { dataset: { control: "view" } }, viewToggle), count);
  const stage = h("div", { class: "net-stage" });
  const svg = document.createElementNS(SVGNS, "svg");
  svg.classList.add("links");
  const tip = h("div", { class: "tip", hidden: true });
  const editor = h("input", { class: "editor", type: "number", step: "any", hidden: true, "data-testid": "weight_editor" });
  stage.append(svg, tip, editor);
  el.append(h("h2", { dataset: { i18n: "network" } }), header, stage, note("note_network"));

  let lastBusy = 0, paintedMaps = null;
  let shapeKey = "", links = [], canvases = [], biases = [], target = null, featureImages = [];

  function positions(sizes) {
    const box = sizeOf(stage), W = box.w || 500, H = box.h || 400;
    const cols = sizes.length;
    const most = Math.max(...sizes);
    TOP = W / Math.max(1, cols - 1) < 70 ? 46 : 30;      // narrow columns stack their +/- controls
    const pitch = (H - TOP - 4) / most;                 // every node fits, however many
    NODE = Math.max(4, Math.min(H > 520 ? 46 : 34, Math.floor(pitch * 0.8)));
    GAP = Math.max(1, Math.min(8, Math.floor(pitch - NODE)));
    const left = NODE >= 16 ? 52 : 8;                  // small nodes: labels only in the tooltip
    const x = (c) => left + (c * (W - NODE - left - 8)) / Math.max(1, cols - 1);
    const y = (n, i) => {
      const span = n * NODE + (n - 1) * GAP;
      const top = Math.max(TOP, (H - span) / 2);
      return top + i * (NODE + GAP);
    };
    return { x, y, W, H, pitchX: (W - NODE - left - 8) / Math.max(1, cols - 1) };
  }

  function build() {
    const c = s.config, all = s.hello.features;
    const sizes = [all.length, ...c.hidden, s.frame?.weights.length ? s.frame.weights.at(-1).b.length : 1];
    const { x, y, W, H, pitchX } = positions(sizes);
    stage.classList.toggle("small-nodes", NODE < 16);
    stage.classList.toggle("narrow", TOP > 30);
    svg.setAttribute("width", W); svg.setAttribute("height", H);
    svg.replaceChildren();
    for (const n of stage.querySelectorAll(".node, .layer-ctl")) n.remove();
    links = []; canvases = []; biases = []; featureImages = [];
    lastBusy = 0; paintedMaps = null;                  // the new diagram is drawn at once
    const active = c.features.map((f) => all.indexOf(f));
    // links: layer l connects column l to column l+1; layer 0 starts from the active features
    const real = [c.features.length, ...sizes.slice(1)];
    for (let l = 0; l < real.length - 1; l++) {
      for (let i = 0; i < real[l + 1]; i++) {
        for (let j = 0; j < real[l]; j++) {
          const from = l === 0 ? active[j] : j;
          const x0 = x(l) + NODE, y0 = y(sizes[l], from) + NODE / 2, x1 = x(l + 1), y1 = y(sizes[l + 1], i) + NODE / 2;
          const p = document.createElementNS(SVGNS, "path");
          const mx = (x0 + x1) / 2;
          p.setAttribute("d", `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`);
          p.dataset.testid = `link-${l}-${i}-${j}`;
          Object.assign(p.dataset, { layer: l, to: i, from: j });       // the wire's names (set_weight)
          p._d = { layer: l, to: i, from: j, key: `${l},${i},${j}` };   // read each redraw: no DOM lookups
          svg.append(p);
          links.push(p);
        }
      }
    }
    sizes.forEach((n, col) => {
      for (let i = 0; i < n; i++) {
        const isInput = col === 0;             // a feature's map never changes: an image (widgets/canvas.js still)
        const map = isInput ? h("img", { alt: "" }) : h("canvas", { width: 20, height: 20 });
        const on = isInput ? c.features.includes(all[i]) : true;
        const node = h("div", { class: `node${isInput ? " input" : ""}${on ? "" : " off"}`, "data-testid": isInput ? `feature-${all[i]}` : `node-${col}-${i}`,
          style: `left:${x(col)}px;top:${y(n, i)}px;width:${NODE}px;height:${NODE}px` }, map);
        if (isInput) {
          node.append(h("span", { class: "node-label", dataset: { i18n: all[i] } }));
          node.title = `${t(all[i])} — ${t("features_tip")}`;
          node.addEventListener("click", () => {        // the config in force now, not at the last redraw
            const now = s.config.features, name = all[i];
            const next = now.includes(name) ? now.filter((f) => f !== name) : all.filter((f) => f === name || now.includes(f));
            if (next.length) actions.setConfig({ features: next });
          });
          featureImages.push(map);
        } else {
          canvases.push(map);
          node.addEventListener("mouseenter", () => actions.setView({ hover: [col, i] }));
          node.addEventListener("mouseleave", () => actions.setView({ hover: null }));
          const b = h("div", { class: "bias", "data-testid": `bias-${col - 1}-${i}` });
          Object.assign(b.dataset, { layer: col - 1, to: i });
          node.append(b);
          biases.push(b);
        }
        stage.append(node);
      }
      if (col > 0 && col < sizes.length - 1) {
        const k = col - 1;
        const set = (d) => { const hs = hidden(); hs[k] = Math.max(1, Math.min(maxWidth(), hs[k] + d)); actions.setConfig({ hidden: hs }); };
        stage.append(h("div", { class: "layer-ctl", dataset: { control: "layers" }, style: `left:${x(col) + NODE / 2}px;top:2px` },
          h("button", { class: "tiny", "data-testid": `add_neuron-${k}`, dataset: { i18nTitle: "add_neuron" }, text: "+", onclick: () => set(1) }),
          h("button", { class: "tiny", "data-testid": `remove_neuron-${k}`, dataset: { i18nTitle: "remove_neuron" }, text: "−", onclick: () => set(-1) }),
          h("small", { text: c.hidden[k] })));
      }
    });
    const R = 24;
    const fm = featureMaps(all, R);
    const cv = document.createElement("canvas");
    featureImages.forEach((img, i) => { paintMap(cv, fm[i], 0, R, { scale: 1 }); still(cv, img); });
  }

  function valueOf(d) {
    const layer = s.frame?.[s.view.gradients ? "gradients" : "weights"][d.layer];
    if (!layer) return null;
    return d.from === undefined ? layer.b[d.to] : layer.W[d.to][d.from];
  }

  function showTip(e, d) {
    const w = s.frame.weights[d.layer], g = s.frame.gradients[d.layer];
    const isBias = d.from === undefined;
    if (!w || !g || (isBias ? w.b[d.to] : w.W[d.to]?.[d.from]) === undefined) { tip.hidden = true; return; }   // a shape in change
    tip.textContent = `${t(isBias ? "bias" : "weight")} ${fmt(isBias ? w.b[d.to] : w.W[d.to][d.from], 4)} · ` +
      `∂L/∂${isBias ? "b" : "w"} = ${fmt(isBias ? g.b[d.to] : g.W[d.to][d.from], 4)} — ${t("edit_hint")}`;
    const r = stage.getBoundingClientRect();
    tip.style.left = `${e.clientX - r.left + 12}px`; tip.style.top = `${e.clientY - r.top + 12}px`;
    tip.hidden = false;
  }

  function openEditor(e, d) {
    target = d;
    const r = stage.getBoundingClientRect();
    const w = s.frame.weights[d.layer];
    if (!w || (d.from === undefined ? w.b[d.to] : w.W[d.to]?.[d.from]) === undefined) return;
    editor.value = d.from === undefined ? w.b[d.to] : w.W[d.to][d.from];
    editor.style.left = `${e.clientX - r.left}px`; editor.style.top = `${e.clientY - r.top}px`;
    editor.hidden = false; editor.focus(); editor.select();
  }
  editor.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && target && editor.value !== "" && Number.isFinite(Number(editor.value))) {
      const d = target;
      actions.setWeight(d.layer, d.to, d.from === undefined ? null : d.from, Number(editor.value));
      editor.hidden = true; target = null;
    } else if (e.key === "Escape") { editor.hidden = true; target = null; }
  });
  editor.addEventListener("blur", () => { editor.hidden = true; });
  const datum = (elt) => (elt?.dataset?.layer !== undefined ? { layer: +elt.dataset.layer, to: +elt.dataset.to,
    from: elt.dataset.from === undefined ? undefined : +elt.dataset.from } : null);
  stage.addEventListener("mousemove", (e) => { const d = datum(e.target); if (d && s.frame) showTip(e, d); else tip.hidden = true; });
  stage.addEventListener("mouseleave", () => { tip.hidden = true; });
  stage.addEventListener("click", (e) => {
    const d = datum(e.target);
    if (!d || !s.frame) return;
    if (e.shiftKey && d.from !== undefined) {        // pick a weight for the loss-landscape slice
      const key = [d.layer, d.to, d.from], picked = s.view.selected.filter((p) => p.join() !== key.join());
      actions.setView({ selected: picked.length < s.view.selected.length ? picked : [...picked, key].slice(-2) });
    } else openEditor(e, d);
  });
  window.addEventListener("resize", () => { shapeKey = ""; });
  onResize(stage, () => s && panel.render(s, new Set()));     // a new size: the diagram is built again

  const panel = {
    render(state, changed) {
      s = state;
      if (!s.config || !s.hello) return;
      const c = s.config;
      const outN = s.frame?.weights.length ? s.frame.weights.at(-1).b.length : 1;
      const { w, h } = sizeOf(stage);
      const key = JSON.stringify([c.features, c.hidden, outN, w, h, s.view.lang]);
      if (key !== shapeKey) { shapeKey = key; build(); }
      const sizes = [c.features.length, ...c.hidden, outN];
      setText(count, `${paramCount(sizes).toLocaleString("en")} ${t("parameters")}`);
      setText(layersLabel, `${c.hidden.length} ${t("hidden_layers")}`);
      if (width.max !== String(maxWidth())) width.max = maxWidth();
      setValue(width, c.hidden[0] ?? 4);
      setText(viewToggle, t(s.view.gradients ? "view_gradients" : "view_weights"));
      viewToggle.classList.toggle("on", s.view.gradients);
      // a big network's links and maps are redrawn at most BUSY_HZ times a second: thickness changes
      // faster than that are not seen, and painting hundreds of curves is what a redraw costs
      const now = performance.now(), busy = links.length > BUSY_LINKS && !changed.has("view") && now - lastBusy < 1000 / BUSY_HZ;
      if (busy) return;
      lastBusy = now;
      const f = s.frame;
      // only a frame of this very shape is drawn on this diagram (an old one arrives after a change)
      if (f && f.weights.length === sizes.length - 1 && f.weights.every((L, l) => L.W.length === sizes[l + 1] && L.W[0]?.length === sizes[l])) {
        const grads = s.view.gradients;
        let gmax = 1e-12;
        if (grads) for (const L of f.gradients) for (const row of L.W) for (const g of row) gmax = Math.max(gmax, Math.abs(g ?? 0));
        const picked = new Set(s.view.selected.map((q) => q.join()));
        const layers = f[grads ? "gradients" : "weights"];
        for (const p of links) {                     // an attribute is written only when it changes
          const d = p._d, v = layers[d.layer].W[d.to][d.from] ?? 0;
          const w = (grads ? 1 + (9 * Math.abs(v)) / gmax : Math.min(10, 1 + (Math.abs(v) * 9) / 5)).toFixed(2);
          const cls = (v < 0 ? "neg" : "pos") + (picked.has(d.key) ? " picked" : "");
          if (p._w !== w) { p._w = w; p.setAttribute("stroke-width", w); }
          if (p._c !== cls) { p._c = cls; p.setAttribute("class", cls); }
        }
        for (const b of biases) {
          const v = valueOf({ layer: +b.dataset.layer, to: +b.dataset.to }) ?? 0;
          const cls = `bias ${v < 0 ? "neg" : "pos"}`;
          if (b._c !== cls) { b._c = cls; b.className = cls; }
        }
      }
      const m = s.maps;
      if (m && m !== paintedMaps) {
        paintedMaps = m;
        const R = m.resolution, n = R * R, first = c.features.length;
        if (m.count === first + canvases.length) {
          canvases.forEach((cv, k) => {
            let mx = 1;
            const at = (first + k) * n;
            for (let q = at; q < at + n; q += 7) mx = Math.max(mx, Math.abs(m.data[q]));
            paintMap(cv, m.data, at, R, { scale: 1 / mx });
          });
        }
      }
    },
  };
  return panel;
}
