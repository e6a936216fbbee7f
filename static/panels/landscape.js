// The loss-landscape panel: the loss surface around the current weights and the descent on it.
import { h, note } from "./dom.js";

export function mount(el, actions) {
  el.append(h("h2", { dataset: { i18n: "landscape" } }), h("div", { class: "landscape-plot", "data-testid": "landscape_plot" }),
    note("landscape_soon"));
  return { render() {} };
}
