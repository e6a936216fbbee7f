// A loss surface seen from above on one canvas: the surface as a smooth colour map (rendered at the
// grid's resolution, scaled up with interpolation), paths, markers, the current point, labelled axes.
// No library: redrawing it for each step of an animated walk costs about a millisecond.
import { fit, ticks, axes } from "./canvas.js";
import { sizeOf, onResize } from "./size.js";

const STOPS = [[0, [11, 47, 91]], [0.25, [31, 111, 178]], [0.5, [124, 193, 228]], [0.75, [246, 214, 138]], [1, [240, 138, 36]]];
function colour(f) {
  let k = 1;
  while (k < STOPS.length - 1 && STOPS[k][0] < f) k++;
  const [f0, a] = STOPS[k - 1], [f1, b] = STOPS[k], u = Math.max(0, Math.min(1, (f - f0) / (f1 - f0)));
  return [0, 1, 2].map((c) => a[c] + (b[c] - a[c]) * u);
}

// z (R*R, row i at y[i]) -> an R x R image, low loss blue, high orange (optionally on a log scale)
function image(z, R, log) {
  let lo = Infinity, hi = -Infinity;
  for (const v of z) if (Number.isFinite(v) && v < 1e30) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const f = (v) => (log ? Math.log10(v - lo + 1e-3) : v);
  const a = f(lo), b = f(hi) > a ? f(hi) : a + 1;
  const off = document.createElement("canvas");
  off.width = R; off.height = R;
  const ctx = off.getContext("2d"), img = ctx.createImageData(R, R);
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < R; j++) {
      const v = z[i * R + j], o = ((R - 1 - i) * R + j) * 4;
      const c = Number.isFinite(v) && v < 1e30 ? colour((f(v) - a) / (b - a)) : [255, 255, 255];
      img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2]; img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return off;
}

export function surfaceMap(canvas) {
  let cached = null, cacheKey = null, geom = null, last = null;
  onResize(canvas, () => last && !canvas.hidden && map.draw(last));      // drawn again, as it was, at a new size
  const map = {
    // paths: [{xy, color, width, upto}] (upto: how many points are walked so far)
    draw(spec) {
      last = spec;
      const { x, y, z, R, log = false, paths = [], point = null, pointColor = "#e7298a", markers = null, arrow = null,
        xname = "", yname = "" } = spec;
      const { ctx, w, h } = fit(canvas, sizeOf(canvas));
      canvas.drawn = { xname, yname, point, paths: paths.map((p) => ({ name: p.name, first: p.xy[0],
        shown: Math.min(p.xy.length, p.upto ?? p.xy.length), length: p.xy.length })) };   // for scripts and tests
      ctx.clearRect(0, 0, w, h);
      const box = { x: 34, y: 4, w: w - 40, h: h - 22 };
      if (z !== cacheKey?.z || log !== cacheKey?.log) { cached = image(z, R, log); cacheKey = { z, log }; }
      const [x0, x1, y0, y1] = [x[0], x[R - 1], y[0], y[R - 1]];
      const sx = (v) => box.x + ((v - x0) / (x1 - x0)) * box.w, sy = (v) => box.y + box.h - ((v - y0) / (y1 - y0)) * box.h;
      geom = { box, x0, x1, y0, y1 };
      ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = "high";
      ctx.drawImage(cached, box.x, box.y, box.w, box.h);
      axes(ctx, box, { sx, sy, xs: ticks(x0, x1, 4), ys: ticks(y0, y1, 4), xname, yname, grid: false });
      ctx.save();
      ctx.beginPath(); ctx.rect(box.x, box.y, box.w, box.h); ctx.clip();
      ctx.lineJoin = "round"; ctx.lineCap = "round";
      for (const p of paths) {
        const n = Math.min(p.xy.length, p.upto ?? p.xy.length);
        ctx.beginPath();
        let pen = false;
        for (let k = 0; k < n; k++) {
          const q = p.xy[k];
          if (!q || q[0] === null || !Number.isFinite(q[0]) || !Number.isFinite(q[1])) { pen = false; continue; }
          const px = sx(Math.max(x0 - 1e3, Math.min(x1 + 1e3, q[0]))), py = sy(Math.max(y0 - 1e3, Math.min(y1 + 1e3, q[1])));
          if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
          pen = true;
        }
        ctx.strokeStyle = p.color; ctx.lineWidth = p.width ?? 2; ctx.stroke();
        if (p.head && n > 0 && p.xy[n - 1]) dot(ctx, sx(p.xy[n - 1][0]), sy(p.xy[n - 1][1]), 3.5, p.color);
      }
      if (markers) markers.xy.forEach((q, k) => dot(ctx, sx(q[0]), sy(q[1]), 3, Array.isArray(markers.colors) ? markers.colors[k] : markers.colors));
      if (arrow) {
        const [a, b] = arrow.map((q) => [sx(q[0]), sy(q[1])]), ang = Math.atan2(b[1] - a[1], b[0] - a[0]);
        ctx.strokeStyle = pointColor; ctx.lineWidth = 2;
        ctx.beginPath(); ctx.moveTo(...a); ctx.lineTo(...b);
        ctx.lineTo(b[0] - 8 * Math.cos(ang - 0.5), b[1] - 8 * Math.sin(ang - 0.5));
        ctx.moveTo(...b); ctx.lineTo(b[0] - 8 * Math.cos(ang + 0.5), b[1] - 8 * Math.sin(ang + 0.5)); ctx.stroke();
      }
      if (point) dot(ctx, sx(point[0]), sy(point[1]), 5.5, pointColor);
      ctx.restore();
    },
    // a pointer position -> data coordinates (null outside the map)
    toData(clientX, clientY) {
      if (!geom) return null;
      const r = canvas.getBoundingClientRect(), { box, x0, x1, y0, y1 } = geom;
      const u = (clientX - r.left - box.x) / box.w, v = (clientY - r.top - box.y) / box.h;
      if (u < 0 || u > 1 || v < 0 || v > 1) return null;
      return [x0 + u * (x1 - x0), y1 - v * (y1 - y0)];
    },
  };
  return map;
}

function dot(ctx, x, y, r, color) {
  ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = color; ctx.fill(); ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.2; ctx.stroke();
}
