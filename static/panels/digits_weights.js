// What the first layer has learned: every first-layer neuron's 784 incoming weights drawn as a
// 28 x 28 image (binary kind 4, refreshed a few times a second), and the second layer's weights
// as a small matrix (from the frame).
import { h } from "../widgets/dom.js";
import { paintSigned, paintMatrix } from "../widgets/digit_image.js";

export function mount(el) {
  const grid = h("div", { class: "digits-weight-grid", "data-testid": "first-layer-weights", dataset: { i18nTitle: "digits_weights_tip" } });
  const second = h("canvas", { class: "digits-matrix", "data-testid": "second-layer-weights" });
  el.append(h("h2", { dataset: { i18n: "digits_weights" } }),
    h("div", { class: "digits-weights-row" }, grid,           // the second layer beside the first (style.css)
      h("div", { class: "digits-second" }, h("h3", { dataset: { i18n: "digits_second" } }), second)));

  return {
    render(s, changed) {
      if (document.body.dataset.task !== "digits") return;
      const w = s.digits.weights;
      if (changed.has("digits") && w && grid.dataset.seq !== String(w.seq)) {
        grid.dataset.seq = w.seq;
        while (grid.children.length < w.count) grid.append(h("canvas", { class: "digits-weight", width: 28, height: 28 }));
        while (grid.children.length > w.count) grid.lastChild.remove();
        for (let i = 0; i < w.count; i++) paintSigned(grid.children[i], w.data, i * 784, 28);
      }
      if (changed.has("frame") && s.frame?.digits?.layers?.length) paintMatrix(second, s.frame.digits.layers[0]);
    },
  };
}
