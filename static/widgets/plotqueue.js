// Plotly redraws take ~10 ms each: at most one per animation frame, newest request per plot wins,
// so the charts never stack up in one frame and starve the rest of the page.
const queue = new Map();
let scheduled = false;

export function schedulePlot(key, draw) {
  queue.delete(key);                     // re-queued at the back: every plot gets its turn
  queue.set(key, draw);
  if (!scheduled) { scheduled = true; requestAnimationFrame(run); }
}

function run() {
  scheduled = false;
  const next = queue.entries().next();
  if (next.done) return;
  const [key, draw] = next.value;
  queue.delete(key);
  draw();
  if (queue.size) { scheduled = true; requestAnimationFrame(run); }
}
