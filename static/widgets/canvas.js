// Small canvas helpers shared by the chart widgets: a canvas sized to its box at the screen's
// resolution, "nice" tick values, and axes with ticks and labels.
// size: the box's {w, h} when the caller knows it (widgets/size.js: no layout forced), else read now
export function fit(canvas, size = { w: canvas.clientWidth, h: canvas.clientHeight }) {
  const dpr = window.devicePixelRatio || 1;
  const { w, h } = size;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, w, h };
}

// a drawing that does not change, shown as an image (into img, or a new one): each canvas on the
// page is a compositing layer of its own, which the compositor draws again every frame anything
// else on the screen changes; an image is painted with the page, once
export function still(canvas, img = document.createElement("img")) {
  img.src = canvas.toDataURL();
  if (!img.hasAttribute("alt")) img.alt = "";
  return img;
}

export function ticks(lo, hi, n = 4) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function label(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}

// box: {x, y, w, h} in CSS pixels; sx, sy: data -> pixel; xs, ys: tick values; names: axis titles
export function axes(ctx, box, { sx, sy, xs, ys, xname = "", yname = "", ylabel = label, grid = true }) {
  ctx.save();
  ctx.font = "10px system-ui, sans-serif";
  ctx.fillStyle = "#666"; ctx.strokeStyle = "#e6e6e6"; ctx.lineWidth = 1;
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const v of xs) {
    const px = Math.round(sx(v)) + 0.5;
    if (grid) { ctx.beginPath(); ctx.moveTo(px, box.y); ctx.lineTo(px, box.y + box.h); ctx.stroke(); }
    // a label that would run past the canvas's edge ends at it (the last tick of a loss curve)
    const half = ctx.measureText(label(v)).width / 2, right = ctx.canvas.width / (window.devicePixelRatio || 1);
    ctx.fillText(label(v), Math.min(Math.max(px, half), right - half), box.y + box.h + 2);
  }
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const v of ys) {
    const py = Math.round(sy(v)) + 0.5;
    if (grid) { ctx.beginPath(); ctx.moveTo(box.x, py); ctx.lineTo(box.x + box.w, py); ctx.stroke(); }
    ctx.fillText(ylabel(v), box.x - 3, py);
  }
  ctx.fillStyle = "#444";
  if (xname) { ctx.textAlign = "right"; ctx.textBaseline = "bottom"; ctx.fillText(xname, box.x + box.w, box.y + box.h - 2); }
  if (yname) { ctx.textAlign = "left"; ctx.textBaseline = "top"; ctx.fillText(yname, box.x + 3, box.y + 2); }
  ctx.restore();
}
