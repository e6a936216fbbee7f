// A lesson's animation (view.animate), under its caption. "inference" (lesson 12): click a point of
// the input plane; the server answers `infer` with every layer's activations and the measured times of
// a forward pass and of a training step; the diagram lights layer by layer. "backprop" (lesson 4):
// one `step`, then the new frame's weights light the layers forward, and its gradients fill the
// links from the output back to the inputs. No training happens here beyond that one step.
import { h, fmt, setHidden } from "../widgets/dom.js";
import { t } from "../i18n.js";
import { fit } from "../widgets/canvas.js";
import { rgb, labelColor } from "../widgets/colors.js";
import { drawLayers } from "../widgets/layers.js";
import * as lessons from "../lessons.js";

const TICK_MS = 350;                         // one layer lit per tick
const squash = (v) => Math.tanh(v);
const time = (s) => (s < 1e-3 ? `${fmt(s * 1e6, 1)} µs` : s < 1 ? `${fmt(s * 1e3, 2)} ms` : `${fmt(s, 2)} s`);
const scaled = (M) => { const m = Math.max(1e-12, ...M.flat().map(Math.abs)); return M.map((row) => row.map((v) => v / m)); };

export function mount(el, actions) {
  el.dataset.testid = "lesson_stage";
  const plane = h("canvas", { class: "infer-plane", "data-testid": "infer_plane" });
  const diagram = h("canvas", { class: "lesson-diagram", "data-testid": "lesson_diagram" });
  const hint = h("p", { class: "lesson-stage-hint", "data-testid": "lesson_stage_hint" });
  const times = h("p", { class: "lesson-stage-times", "data-testid": "infer_times" });
  const stepBtn = h("button", { class: "small", "data-testid": "backprop_step", onclick: () => {
    if (actions.step(1)) anim = { kind: "backprop", from: s.frame?.step ?? 0, t0: null };
  } });
  el.append(h("div", { class: "lesson-stage-row" }, plane, diagram, h("div", {}, hint, stepBtn, times)));
  let s = null, mode = null, anim = null, clicked = null;

  plane.addEventListener("click", (e) => {
    const r = plane.getBoundingClientRect();
    const p = [-6 + (12 * (e.clientX - r.left)) / r.width, 6 - (12 * (e.clientY - r.top)) / r.height].map((v) => Math.max(-6, Math.min(6, v)));
    clicked = p;
    if (actions.infer(p)) anim = { kind: "inference", t0: null };
    paintPlane();
  });

  function paintPlane() {
    const { ctx, w, h: hh } = fit(plane);
    ctx.fillStyle = "#fafafa"; ctx.fillRect(0, 0, w, hh);
    const sx = (v) => ((v + 6) / 12) * w, sy = (v) => ((6 - v) / 12) * hh;
    for (const p of s.dataset?.train || []) { ctx.fillStyle = labelColor(p[p.length - 1], s.dataset.kind); ctx.fillRect(sx(p[0]) - 1.5, sy(p[1]) - 1.5, 3, 3); }
    if (clicked) { ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(sx(clicked[0]), sy(clicked[1]), 6, 0, 2 * Math.PI); ctx.stroke(); }
  }

  function sizes() {
    const W = s.frame?.weights;
    return W ? [W[0].W[0].length, ...W.map((l) => l.W.length)] : null;
  }

  function paint() {
    const n = sizes();
    if (!n) return;
    const k = anim && anim.t0 !== null ? Math.floor((performance.now() - anim.t0) / TICK_MS) : Infinity;
    const L = n.length;
    if (mode === "inference") {
      const m = s.lessons.inference, acts = m ? m.activations.map((a) => a.map(squash)) : [];
      const lit = Math.min(L, k + 1);
      drawLayers(diagram, n, { nodes: acts, links: s.frame.weights.map((l) => l.W.map((r) => r.map(squash))), lit: (c) => !!m && c < lit });
      diagram.dataset.lit = String(m ? lit : 0);
      return lit < L;
    }
    // backprop: forward (L ticks, weights), then backward (L - 1 ticks, gradients from the output)
    const forward = Math.min(L, k + 1), back = Math.max(0, Math.min(L - 1, k + 1 - L));
    const weights = s.frame.weights.map((l) => l.W.map((r) => r.map(squash)));
    const grads = (s.frame.gradients || []).map((l) => scaled(l.W));
    const links = weights.map((Wl, i) => (i + 1 >= L - back ? grads[i] : Wl));
    drawLayers(diagram, n, { nodes: [[], ...s.frame.weights.map((l) => l.b.map(squash))], links,
      lit: (c) => !anim || c < forward, litLink: (c) => !anim || c < forward || c >= L - back });
    diagram.dataset.phase = !anim ? "idle" : back >= L - 1 ? "done" : forward >= L ? "backward" : "forward";
    return !!anim && back < L - 1;
  }

  function tick() { if (paint()) requestAnimationFrame(tick); }

  function say() {
    hint.textContent = t(mode === "inference" ? "stage_click" : "stage_backprop");
    stepBtn.hidden = mode !== "backprop";
    stepBtn.textContent = t("stage_step");
    const m = s.lessons.inference;
    times.hidden = mode !== "inference" || !m;
    if (m && mode === "inference") {
      const steps = s.frame?.step ?? m.step;
      times.textContent = t("stage_times", { forward: time(m.forward_seconds), step: time(m.step_seconds),
        ratio: fmt(m.step_seconds / m.forward_seconds, 1), steps, whole: time(m.step_seconds * steps),
        whole_ratio: fmt((m.step_seconds * steps) / m.forward_seconds, 0) });
    }
  }

  return {
    render(state, changed) {
      s = state;
      const lesson = lessons.find(s.lessons.catalogue, s.view.lesson);
      const next = lesson?.view.animate || null;
      setHidden(el, !next);
      if (!next) { mode = null; return; }
      if (next !== mode) { mode = next; anim = null; clicked = null; el.dataset.mode = mode; }
      setHidden(plane, mode !== "inference");
      if (changed.has("dataset") || changed.has("view")) paintPlane();
      if (mode === "inference" && changed.has("lessons") && s.lessons.inference && anim && anim.t0 === null) anim.t0 = performance.now();
      if (mode === "backprop" && changed.has("frame") && anim && anim.t0 === null && s.frame.step > anim.from) anim.t0 = performance.now();
      say();
      if (changed.has("frame") || changed.has("lessons") || changed.has("view")) tick();
    },
  };
}
