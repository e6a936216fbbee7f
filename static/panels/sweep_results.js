// A sweep's results (issue 12), filling in live as cells finish: a heatmap of the mean test loss
// (one axis: bars with error bars) beside a second one of its spread across seeds, the best
// setting, and a sortable table whose "use" applies a cell's setting to the live network.
import { h, fmt } from "../widgets/dom.js";
import { t } from "../i18n.js";

const WORDS = new Set(["activation", "optimizer"]);
const COLUMNS = [["loss", "sw_col_loss", (c) => c.mean.loss_test], ["spread", "sw_col_spread", (c) => c.spread.loss_test],
  ["acc", "sw_col_acc", (c) => c.mean.accuracy_test], ["div", "sw_col_div", (c) => c.diverged]];

const valueText = (axis, v) => (WORDS.has(axis) ? t(v) : String(v));
const settingText = (setting) => Object.entries(setting).map(([a, v]) => `${t(`sw_axis_${a}`)} ${valueText(a, v)}`).join(", ");

// blue (low) to orange (high), on a log scale between the lowest and the highest seen
function colour(v, lo, hi) {
  if (v === null || v === undefined) return null;
  const a = Math.log(Math.max(lo, 1e-12)), b = Math.log(Math.max(hi, 1e-12));
  const f = b > a ? Math.min(1, Math.max(0, (Math.log(Math.max(v, 1e-12)) - a) / (b - a))) : 0;
  const mix = (x, y) => Math.round(x + (y - x) * f);
  return `rgb(${mix(8, 245)}, ${mix(119, 147)}, ${mix(189, 34)})`;
}

// rows x columns of one or two axes (a third axis is folded into the columns: "b / c"); the cells
// are labelled by their values, the axes once (the corner says which is which)
function layout(axes) {
  const names = Object.keys(axes), vals = names.map((n) => axes[n]);
  const strides = vals.map((_, i) => vals.slice(i + 1).reduce((n, v) => n * v.length, 1));
  const label = (i, k) => valueText(names[i], vals[i][k]);
  const axis = (i) => t(`sw_axis_${names[i]}`);
  if (names.length === 1) return { rows: [""], cols: vals[0].map((_, k) => label(0, k)), at: (r, c) => c, corner: axis(0) };
  const cols = names.length === 2 ? vals[1].map((_, k) => label(1, k))
    : vals[1].flatMap((_, k) => vals[2].map((__, j) => `${label(1, k)} / ${label(2, j)}`));
  return { rows: vals[0].map((_, k) => label(0, k)), cols, at: (r, c) => r * strides[0] + c,
    corner: `${axis(0)} ↓ · ${names.slice(1).map((_, i) => axis(i + 1)).join(" / ")} →` };
}

export function mount(el, actions) {
  let s = null, drawn = null;
  const best = h("p", { class: "sw-best", "data-testid": "sweep_best" });
  const heat = h("div", { class: "sw-heat", "data-testid": "sweep_heatmap" });
  const spread = h("div", { class: "sw-heat spread", "data-testid": "sweep_spread" });
  const table = h("table", { class: "sw-table", "data-testid": "sweep_table" });
  const heads = { heat: h("h3", { dataset: { i18n: "sw_heatmap" } }), spread: h("h3", { dataset: { i18n: "sw_spread" } }) };
  el.append(best, heads.heat, heat, heads.spread, spread, h("div", { class: "sw-table-wrap" }, table), h("p", { class: "note", dataset: { i18n: "sw_note" } }));

  function grid(box, run, value, lo, hi, bars) {
    const L = layout(run.axes), cells = run.cells;
    const kids = [];
    if (bars) {
      box.style.gridTemplateColumns = `repeat(${L.cols.length}, minmax(0, 1fr))`;
      const top = Math.max(hi, ...Object.values(cells).map((c) => (c.mean.loss_test ?? 0) + (c.spread.loss_test ?? 0)), 1e-12);
      L.cols.forEach((name, c) => {
        const cell = cells[L.at(0, c)], v = cell && value(cell);
        const bar = h("div", { class: `hm-cell bar${cell ? " filled" : ""}${cell && v == null ? " diverged" : ""}`,
          dataset: { index: L.at(0, c) }, title: cell ? `${settingText(cell.setting)}: ${fmt(v, 4)} ± ${fmt(cell.spread.loss_test, 4)}` : name });
        if (cell && v != null) {
          const sd = cell.spread.loss_test ?? 0;
          bar.append(h("div", { class: "bar-fill", style: `height:${(100 * v) / top}%;background:${colour(v, lo, hi)}` }),
            h("div", { class: "err", style: `bottom:${(100 * Math.max(v - sd, 0)) / top}%;height:${(100 * 2 * sd) / top}%` }));
        }
        kids.push(h("div", { class: "bar-col" }, bar, h("span", { class: "hm-label col", text: name })));
      });
      kids.push(h("span", { class: "hm-corner", text: L.corner }));
    } else {
      box.style.gridTemplateColumns = `auto repeat(${L.cols.length}, minmax(0, 1fr))`;
      kids.push(h("span", { class: "hm-corner", text: L.corner }));
      kids.push(h("span"), ...L.cols.map((c) => h("span", { class: "hm-label col", text: c })));
      L.rows.forEach((rname, r) => {
        kids.push(h("span", { class: "hm-label row", text: rname }));
        L.cols.forEach((cname, c) => {
          const cell = cells[L.at(r, c)], v = cell ? value(cell) : null;
          const bg = colour(v, lo, hi);
          kids.push(h("div", { class: `hm-cell${cell ? " filled" : ""}${cell && v == null ? " diverged" : ""}`,
            dataset: { index: L.at(r, c) }, style: bg ? `background:${bg}` : null,
            title: cell ? `${settingText(cell.setting)}: ${fmt(v, 4)}` : `${rname} · ${cname}`,
            text: cell ? (v == null ? t("sw_diverged") : fmt(v, 3)) : "" }));
        });
      });
    }
    box.replaceChildren(...kids);
  }

  function draw() {
    const run = s.sweep.run;
    el.hidden = !run;
    if (!run) return;
    const cells = Object.values(run.cells);
    const range = (f) => { const v = cells.map(f).filter((x) => x != null); return [Math.min(...v, Infinity), Math.max(...v, -Infinity)]; };
    const [lo, hi] = range((c) => c.mean.loss_test), [slo, shi] = range((c) => c.spread.loss_test);
    const one = Object.keys(run.axes).length === 1;
    heads.heat.hidden = false;
    grid(heat, run, (c) => c.mean.loss_test, lo, hi, one);
    spread.hidden = heads.spread.hidden = one;                  // one axis: the spread is the error bars
    if (!one) grid(spread, run, (c) => c.spread.loss_test, Math.max(slo, 1e-6), Math.max(shi, 1e-6), false);
    heat.dataset.filled = String(cells.length);
    const b = run.summary?.best;
    best.textContent = b ? t("sw_best", { setting: settingText(b.setting), mean: fmt(b.mean, 4), spread: fmt(b.spread, 4) }) : "";
    drawTable(run, cells);
  }

  function drawTable(run, cells) {
    const axes = Object.keys(run.axes), { key, dir } = s.sweep.sort;
    const sorter = COLUMNS.find((c) => c[0] === key)?.[2] || ((c) => c.setting[key]);
    const rows = [...cells].sort((a, b) => {
      const x = sorter(a), y = sorter(b);
      if (x == null || y == null) return (x == null) - (y == null) || a.index - b.index;
      return (x < y ? -1 : x > y ? 1 : a.index - b.index) * dir;
    });
    const th = (k, label) => h("th", { dataset: { sort: k, i18nTitle: "sw_sort_tip" }, class: k === key ? (dir > 0 ? "asc" : "desc") : null,
      onclick: () => actions.setSweep({ sort: { key: k, dir: k === key ? -dir : 1 } }), text: label });
    table.replaceChildren(
      h("thead", {}, h("tr", {}, ...axes.map((a) => th(a, t(`sw_axis_${a}`))), ...COLUMNS.map(([k, label]) => th(k, t(label))), h("th"))),
      h("tbody", {}, ...rows.map((c) => h("tr", { dataset: { index: c.index }, class: run.summary?.best?.index === c.index ? "best" : null },
        ...axes.map((a) => h("td", { text: valueText(a, c.setting[a]) })),
        h("td", { text: fmt(c.mean.loss_test, 4) }), h("td", { text: fmt(c.spread.loss_test, 4) }),
        h("td", { text: c.mean.accuracy_test == null ? "–" : `${(100 * c.mean.accuracy_test).toFixed(1)}%` }),
        h("td", { text: String(c.diverged) }),
        h("td", {}, h("button", { class: "tiny", "data-testid": "sweep_use", dataset: { i18nTitle: "sw_use_tip" },
          text: t("sw_use"), onclick: () => actions.useSweepSetting(c) }))))));
  }

  return {
    render(state, changed) {
      s = state;
      if (!s.sweep.open) { drawn = null; return; }
      const key = [s.sweep.run, s.sweep.sort, s.view.lang];
      if (drawn && key.every((v, i) => v === drawn[i])) return;
      drawn = key;
      draw();
    },
  };
}
