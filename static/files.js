// Files in and out of the page: a file cut into upload parts that fit one websocket message, a
// server "file" message saved as a download, and PNG pictures of panels made in the page.
const MAX_MESSAGE = 60_000;          // bytes of one upload message (the server refuses over 64 KiB)
const encoder = new TextEncoder();

// text -> parts whose upload message stays under MAX_MESSAGE bytes (JSON escapes and UTF-8 counted);
// envelope: the message the parts go in (protocol.js message("upload", ...)) without them
export function parts(text, envelope) {
  const out = [];
  let i = 0;
  while (i < text.length || out.length === 0) {
    let n = Math.min(16_000, text.length - i);
    for (;;) {
      let end = i + n;
      if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1])) end -= 1;    // keep surrogate pairs whole
      const piece = text.slice(i, end);
      if (encoder.encode(JSON.stringify({ ...envelope, part: 9999, parts: 9999, data: piece })).length <= MAX_MESSAGE || n <= 1) {
        out.push(piece);
        i = end;
        break;
      }
      n = Math.floor(n / 2);
    }
    if (text.length === 0) break;
  }
  return out;
}

export function purposeOf(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".json")) return "run";
  if (name.endsWith(".txt") || name.endsWith(".md")) return "text";
  return "csv";
}

export function saveBlob(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// a server "file" message -> a download
export function saveFile(m) {
  const body = m.encoding === "base64" ? Uint8Array.from(atob(m.data), (c) => c.charCodeAt(0)) : m.data;
  saveBlob(new Blob([body], { type: m.mime }), m.name);
}

// -- pictures: a PNG of an element at 2x: its Plotly charts (Plotly.toImage), canvases and SVGs
// drawn where they are on screen over a white ground (HTML text between them is not drawn)
const SCALE = 2;

function load(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("image failed"));
    img.src = src;
  });
}

function svgUrl(svg) {
  const copy = svg.cloneNode(true);
  const r = svg.getBoundingClientRect();
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", r.width);
  copy.setAttribute("height", r.height);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`;
}

export async function png(el) {
  const box = el.getBoundingClientRect();
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(box.width * SCALE));
  canvas.height = Math.max(1, Math.round(box.height * SCALE));
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? r : null; };
  const plots = [...el.querySelectorAll(".js-plotly-plot")].filter(visible);
  const items = [];
  for (const p of plots) {
    items.push([visible(p), window.Plotly.toImage(p, { format: "png", scale: SCALE, width: p.clientWidth, height: p.clientHeight }).then(load)]);
  }
  const inPlot = (e) => plots.some((p) => p.contains(e));
  for (const c of el.querySelectorAll("canvas")) if (visible(c) && !inPlot(c)) items.push([visible(c), Promise.resolve(c)]);
  for (const s of el.querySelectorAll("svg")) {
    if (visible(s) && !inPlot(s) && !s.parentElement.closest("svg")) items.push([visible(s), load(svgUrl(s))]);
  }
  for (const [r, pending] of items) {
    try {
      const img = await pending;
      ctx.drawImage(img, (r.left - box.left) * SCALE, (r.top - box.top) * SCALE, r.width * SCALE, r.height * SCALE);
    } catch { /* one picture that cannot be drawn leaves its place white */ }
  }
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}
