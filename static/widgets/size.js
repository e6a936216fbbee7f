// An element's box size (clientWidth x clientHeight) kept by one ResizeObserver, so that a redraw
// reads it without forcing a layout: reading clientWidth after a panel has written its text (the
// counters, the read-outs) lays the page out again, every frame. onResize(el, fn) calls fn({w, h})
// when the size changes (after the layout that changed it, before the paint).
const sizes = new WeakMap(), watchers = new WeakMap();
const observer = new ResizeObserver((entries) => {
  for (const e of entries) {
    const el = e.target, old = sizes.get(el), now = { w: el.clientWidth, h: el.clientHeight };
    sizes.set(el, now);
    if (old && (old.w !== now.w || old.h !== now.h)) for (const fn of watchers.get(el) || []) fn(now);
  }
});

// the size last laid out; an element not measured yet, or of no size yet (hidden until now), is read now
export function sizeOf(el) {
  let s = sizes.get(el);
  if (!s) observer.observe(el);
  if (!s || !s.w || !s.h) { s = { w: el.clientWidth, h: el.clientHeight }; sizes.set(el, s); }
  return s;
}

export function onResize(el, fn) {
  sizeOf(el);
  if (!watchers.has(el)) watchers.set(el, []);
  watchers.get(el).push(fn);
}
