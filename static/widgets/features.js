// The seven input features' maps over the input plane, for the feature column's thumbnails.
// They never change, so the page draws them itself (same formulas as engine/features.py).
const F = {
  x1: (a, b) => a / 6, x2: (a, b) => b / 6, x1_sq: (a, b) => (a * a) / 18 - 1, x2_sq: (a, b) => (b * b) / 18 - 1,
  x1x2: (a, b) => (a * b) / 18, sin_x1: (a, b) => Math.sin(a), sin_x2: (a, b) => Math.sin(b),
};

export function featureMaps(names, R) {
  return names.map((name) => {
    const out = new Float32Array(R * R);
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < R; c++) out[r * R + c] = F[name](-6 + (12 * c) / (R - 1), -6 + (12 * r) / (R - 1));
    }
    return out;
  });
}
