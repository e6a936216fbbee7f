// The drawing pad: draw a digit (mouse or finger, pointer events); the server reads it (one forward
// pass) and answers what the network sees (28 x 28, cropped, scaled and centred as MNIST was),
// the ten probabilities, every layer's activations, and the pass's time beside one training step's.
import { h } from "../widgets/dom.js";
import { rgb } from "../widgets/colors.js";
import { paintInk } from "../widgets/digit_image.js";
import { t } from "../i18n.js";

export const PAD_SIDE = 140;          // canvas pixels a side (sent as uint8 grayscale: ink bright)
const READ_EVERY_MS = 120;            // while drawing
const REREAD_MS = 250;                // while it learns, the drawing is read again this often

export function mount(el, actions) {
  const pad = h("canvas", { class: "digits-pad", width: PAD_SIDE, height: PAD_SIDE, "data-testid": "digit-pad",
    dataset: { i18nTitle: "digits_pad_tip" } });
  const clear = h("button", { "data-testid": "digit-clear", dataset: { i18n: "digits_clear" } });
  const seen = h("canvas", { class: "digits-seen", width: 28, height: 28, "data-testid": "digit-seen" });
  const says = h("p", { class: "digits-says", "data-testid": "digit-says" });
  const bars = h("div", { class: "digits-bars", "data-testid": "digit-probabilities" },
    Array.from({ length: 10 }, (_, k) => h("div", { class: "digits-bar", dataset: { digit: k } },
      h("span", { class: "digit", text: k }), h("span", { class: "track" }, h("span", { class: "fill" })), h("span", { class: "p" }))));
  const acts = h("div", { class: "digits-acts", "data-testid": "digit-activations" });
  const timing = h("p", { class: "digits-timing", "data-testid": "digit-timing" });
  el.append(h("h2", { dataset: { i18n: "digits_pad" } }),
    h("div", { class: "digits-pad-row" },
      h("div", {}, pad, clear),
      h("div", {}, h("h3", { dataset: { i18n: "digits_seen" } }), seen, says)),
    h("h3", { dataset: { i18n: "digits_probabilities" } }), bars,
    h("h3", { dataset: { i18n: "digits_activations" } }), acts, timing);

  const ctx = pad.getContext("2d", { willReadFrequently: true });   // read back on every read_pad
  let inked = false, last = null, sentAt = 0, answer = null;
  const blank = () => { ctx.fillStyle = "#000"; ctx.fillRect(0, 0, PAD_SIDE, PAD_SIDE); inked = false; };
  blank();
  const at = (e) => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * PAD_SIDE / r.width, (e.clientY - r.top) * PAD_SIDE / r.height]; };
  const read = (force = false, every = READ_EVERY_MS) => {
    const now = performance.now();
    if (inked && (force || now - sentAt > every)) { sentAt = now; actions.readPad(pad); }
  };
  pad.addEventListener("pointerdown", (e) => {
    e.preventDefault(); pad.setPointerCapture(e.pointerId); last = at(e);
    ctx.fillStyle = "#fff"; ctx.beginPath(); ctx.arc(last[0], last[1], 5, 0, 2 * Math.PI); ctx.fill(); inked = true;
  });
  pad.addEventListener("pointermove", (e) => {
    if (!last) return;
    const p = at(e);
    ctx.strokeStyle = "#fff"; ctx.lineWidth = 10; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.beginPath(); ctx.moveTo(...last); ctx.lineTo(...p); ctx.stroke();
    last = p; read();
  });
  const end = () => { if (last) { last = null; read(true); } };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  clear.addEventListener("click", () => { blank(); actions.clearPad(); });
  pad.markInked = () => { inked = true; };              // a script drew on the canvas itself

  function show(m) {
    answer = m;
    paintInk(seen, m.image.flat(), 0, 28, 1);
    says.textContent = t("digits_says", { digit: m.predicted });
    m.probabilities.forEach((p, k) => {
      const row = bars.children[k];
      row.dataset.p = p; row.classList.toggle("top", k === m.predicted);
      row.querySelector(".fill").style.width = `${(100 * p).toFixed(1)}%`;
      row.querySelector(".p").textContent = `${(100 * p).toFixed(1)}%`;
    });
    acts.replaceChildren(...m.activations.map((layer) => h("div", { class: "digits-act-row" },
      layer.map((v) => h("span", { class: "cell", style: `background:${rgb(Math.max(-1, Math.min(1, v ?? 0)))}`, title: (v ?? 0).toFixed(3) })))));
    timing.textContent = t("digits_timing", { infer: m.inference_us.toFixed(0), step: m.step_us.toFixed(0) });
  }

  return {
    render(s, changed) {
      if (document.body.dataset.task !== "digits") return;
      const m = s.digits.pad;
      if (changed.has("digits") && m && m !== answer) show(m);
      if (!m && answer) {
        answer = null; bars.querySelectorAll(".digits-bar").forEach((r) => { r.dataset.p = ""; r.querySelector(".fill").style.width = "0"; r.querySelector(".p").textContent = ""; });
        acts.replaceChildren(); says.textContent = ""; seen.getContext("2d").clearRect(0, 0, 28, 28);
      }
      if (!m) timing.textContent = t("digits_timing_none");
      else if (changed.has("view")) show(m);
      if (changed.has("frame") && s.status === "running" && inked && !last) read(false, REREAD_MS);   // it learns: read again
    },
  };
}
