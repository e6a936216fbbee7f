// 28 x 28 images on canvases: grayscale digits (ink 0..255 or 0..1) and signed weights in the
// Playground's orange-white-blue scale (colors.js LUT), each scaled to its own largest magnitude.
import { LUT } from "./colors.js";

function imageOf(canvas, side) {
  if (canvas.width !== side) { canvas.width = side; canvas.height = side; }
  const ctx = canvas.getContext("2d");
  return { ctx, img: ctx.createImageData(side, side) };
}

// values[at .. at + side*side): ink, dark paper; scale: what counts as full ink (255 or 1)
export function paintInk(canvas, values, at = 0, side = 28, scale = 255) {
  const { ctx, img } = imageOf(canvas, side);
  const px = img.data;
  for (let i = 0; i < side * side; i++) {
    const v = Math.max(0, Math.min(255, (values[at + i] / scale) * 255));
    px[i * 4] = px[i * 4 + 1] = px[i * 4 + 2] = 255 - v;
    px[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// signed values (a neuron's weights), blue positive, orange negative, scaled to the largest |value|
export function paintSigned(canvas, values, at = 0, side = 28) {
  const { ctx, img } = imageOf(canvas, side);
  const px = img.data;
  let top = 1e-12;
  for (let i = 0; i < side * side; i++) top = Math.max(top, Math.abs(values[at + i]));
  for (let i = 0; i < side * side; i++) {
    const k = Math.max(0, Math.min(255, ((values[at + i] / top + 1) * 127.5) | 0)) * 3;
    px[i * 4] = LUT[k]; px[i * 4 + 1] = LUT[k + 1]; px[i * 4 + 2] = LUT[k + 2]; px[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// a small matrix W (rows of numbers) as coloured cells, scaled to its largest |value|
export function paintMatrix(canvas, W) {
  const rows = W.length, cols = rows ? W[0].length : 0;
  if (!rows || !cols) return;
  if (canvas.width !== cols || canvas.height !== rows) { canvas.width = cols; canvas.height = rows; }
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(cols, rows);
  let top = 1e-12;
  for (const r of W) for (const v of r) if (v !== null) top = Math.max(top, Math.abs(v));
  W.forEach((r, i) => r.forEach((v, j) => {
    const k = Math.max(0, Math.min(255, (((v ?? 0) / top + 1) * 127.5) | 0)) * 3, o = (i * cols + j) * 4;
    img.data[o] = LUT[k]; img.data[o + 1] = LUT[k + 1]; img.data[o + 2] = LUT[k + 2]; img.data[o + 3] = 255;
  }));
  ctx.putImageData(img, 0, 0);
}
