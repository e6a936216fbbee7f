// The Playground's colour scale: orange (-1) through near-white (0) to blue (+1), and class colours.
const ORANGE = [245, 147, 34], WHITE = [232, 234, 235], BLUE = [8, 119, 189];
export const CLASS_COLORS = [[8, 119, 189], [245, 147, 34], [60, 170, 90], [170, 80, 190], [200, 60, 70]];

// 256-entry lookup table for values in [-1, 1]
export const LUT = new Uint8ClampedArray(256 * 3);
for (let i = 0; i < 256; i++) {
  const v = (i / 255) * 2 - 1;
  const [a, b, f] = v < 0 ? [WHITE, ORANGE, -v] : [WHITE, BLUE, v];
  for (let c = 0; c < 3; c++) LUT[i * 3 + c] = a[c] + (b[c] - a[c]) * f;
}

export function rgb(v) {
  const i = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
  return `rgb(${LUT[i * 3]},${LUT[i * 3 + 1]},${LUT[i * 3 + 2]})`;
}

export function labelColor(label, kind) {
  if (kind === "multiclass") return `rgb(${CLASS_COLORS[label % CLASS_COLORS.length].join(",")})`;
  return rgb(Math.max(-1, Math.min(1, label)));
}

// Paint one R x R map (values at offset `at` of `data`) into a canvas of R x R pixels.
// Row r of the map is x2 = -6 + 12 r / (R - 1): drawn bottom-up so +x2 is at the top.
export function paintMap(canvas, data, at, R, { scale = 1, discretize = false } = {}) {
  if (canvas.width !== R) { canvas.width = R; canvas.height = R; }
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(R, R);
  const px = img.data;
  for (let r = 0; r < R; r++) {
    const row = (R - 1 - r) * R;
    for (let c = 0; c < R; c++) {
      let v = data[at + r * R + c] * scale;
      if (discretize) v = v >= 0 ? 1 : -1;
      const i = Math.max(0, Math.min(255, ((v + 1) * 127.5) | 0)) * 3;
      const o = (row + c) * 4;
      px[o] = LUT[i]; px[o + 1] = LUT[i + 1]; px[o + 2] = LUT[i + 2]; px[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

// Multi-class: colour each pixel by the most probable class, paler where it is less sure.
export function paintClasses(canvas, data, at, R, k, discretize = false) {
  if (canvas.width !== R) { canvas.width = R; canvas.height = R; }
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(R, R);
  const px = img.data, n = R * R;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < R; c++) {
      const p = r * R + c;
      let best = 0, bestv = -1;
      for (let j = 0; j < k; j++) { const v = data[at + j * n + p]; if (v > bestv) { bestv = v; best = j; } }
      const f = discretize ? 1 : Math.max(0, (bestv - 1 / k) / (1 - 1 / k));
      const col = CLASS_COLORS[best % CLASS_COLORS.length];
      const o = ((R - 1 - r) * R + c) * 4;
      for (let q = 0; q < 3; q++) px[o + q] = WHITE[q] + (col[q] - WHITE[q]) * f * 0.8;
      px[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}
