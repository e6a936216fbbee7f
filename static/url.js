// The whole configuration, seed included, in the URL hash: a copied link reproduces the run.
// #dataset=circle&hidden=4,2&learning_rate=0.03&...&hide=noise,batch_size
const LISTS = new Set(["hidden", "features", "hide"]);

export function readHash(hash = location.hash) {
  const out = {};
  const text = hash.replace(/^#/, "");
  if (!text) return out;
  for (const part of text.split("&")) {
    const [k, raw = ""] = part.split("=");
    if (!k) continue;
    const v = decodeURIComponent(raw);
    if (LISTS.has(k)) out[k] = v === "" ? [] : v.split(",").map((x) => (k === "hidden" ? Number(x) : x));
    else if (v === "true" || v === "false") out[k] = v === "true";
    else if (v !== "" && !isNaN(Number(v))) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

export function writeHash(config, extra = {}) {
  const parts = [];
  for (const [k, v] of Object.entries({ ...config, ...extra })) {
    if (v === "" || v === null || v === undefined) continue;
    if (Array.isArray(v)) { if (k !== "hide" || v.length) parts.push(`${k}=${v.join(",")}`); }
    else parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  const hash = "#" + parts.join("&");
  if (hash !== location.hash) history.replaceState(null, "", hash);
}
