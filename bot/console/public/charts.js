// @ts-check
// Small SVG charts drawn at the size they are shown, so 12px labels stay 12px on a phone.
const ns = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number | null | undefined>} [attributes]
 * @param {...(SVGElement | string | null | undefined | false | (SVGElement | string)[])} children
 * @returns {SVGElement}
 */
function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  for (const child of children.flat()) if (child) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

/** @type {Record<string, string>} */
export const colors = {
  'wecom-bot': '#2ba245',
  'wecom-callback': '#1a7f37',
  wecom: '#2ba245',
  telegram: '#229ed9',
  console: '#6e40c9',
  cli: '#8c959f',
  correct: '#2da44e',
  wrong: '#cf222e',
  incomplete: '#d4a72c',
  refused: '#cf222e',
};

/** Width available to a chart: full width, or half of it beside another chart on a wide screen. */
/** @param {boolean} [wide] */
export function chartWidth(wide) {
  const page = Math.min(window.innerWidth, 1200) - 2 * 16 - 2 * 16 - 2;
  return wide || window.innerWidth < 960 ? Math.max(280, page) : Math.max(280, (page - 16 - 32) / 2);
}

/** The top of a count axis with four whole, round steps (4, 8, 20, 40, 200…). */
/** @param {number} value */
function niceMaximum(value) {
  const raw = Math.max(1, value / 4);
  const power = 10 ** Math.floor(Math.log10(raw));
  // 10 × power ≥ raw always, so a step is found; the fallback only satisfies the type.
  const step = [1, 2, ...(power >= 10 ? [2.5] : []), 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? 10 * power;
  return step * 4;
}

/**
 * @param {number} width
 * @param {number} height
 * @param {string} title
 */
function frame(width, height, title) {
  const id = `chart-${Math.random().toString(36).slice(2)}`;
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': id }, svg('title', { id }, title));
}

/**
 * Columns per category (a day), stacked by series (a channel).
 * @param {{ title: string, categories: string[], series: { key: string, label: string, values: number[] }[], width: number, height?: number, format?: (value: number) => string, maximum?: number }} options
 */
export function stackedColumns({ title, categories, series, width, height = 220, format = String, maximum }) {
  const left = 36;
  const bottom = 28;
  const top = 10;
  const right = 8;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const totals = categories.map((_, index) => series.reduce((sum, item) => sum + item.values[index], 0));
  const top_ = maximum ?? niceMaximum(Math.max(0, ...totals));
  const chart = frame(width, height, title);
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (top_ * tick) / 4;
    const y = top + plotHeight - (plotHeight * tick) / 4;
    chart.append(
      svg('line', { x1: left, x2: width - right, y1: y, y2: y, stroke: '#d1d9e0', 'stroke-width': tick ? 1 : 1.5 }),
      svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#59636e' }, format(value)),
    );
  }
  const slot = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.max(2, Math.min(28, slot * 0.7));
  const labelEvery = Math.ceil(categories.length / Math.max(1, Math.floor(plotWidth / 48)));
  categories.forEach((category, index) => {
    const x = left + slot * index + (slot - barWidth) / 2;
    let y = top + plotHeight;
    for (const item of series) {
      const value = item.values[index];
      if (!value) continue;
      const barHeight = (plotHeight * value) / top_;
      y -= barHeight;
      chart.append(
        svg(
          'rect',
          { x, y, width: barWidth, height: barHeight, fill: colors[item.key] ?? '#1a56a8' },
          svg('title', {}, `${category} ${item.label}:${format(value)}`),
        ),
      );
    }
    if (index % labelEvery === 0) {
      chart.append(svg('text', { x: x + barWidth / 2, y: height - 8, 'text-anchor': 'middle', 'font-size': 11, fill: '#59636e' }, category.slice(5)));
    }
  });
  return chart;
}

/**
 * One horizontal bar per row (a document, a department), stacked by verdict; the label sits above its bar
 * so long Chinese titles fit on a phone.
 * @param {{ title: string, rows: { label: string, values: Record<string, number> }[], series: { key: string, label: string }[], width: number }} options
 */
export function stackedBars({ title, rows, series, width }) {
  const rowHeight = 46;
  const left = 4;
  const right = 40;
  const height = Math.max(rowHeight, rows.length * rowHeight) + 4;
  const chart = frame(width, height, title);
  const totals = rows.map((row) => series.reduce((sum, item) => sum + (row.values[item.key] ?? 0), 0));
  const maximum = Math.max(1, ...totals);
  const characters = Math.floor((width - left) / 13);
  rows.forEach((row, index) => {
    const y = index * rowHeight;
    const label = row.label.length > characters ? `${row.label.slice(0, characters - 1)}…` : row.label;
    chart.append(svg('text', { x: left, y: y + 16, 'font-size': 13, fill: '#1f2328' }, label, svg('title', {}, row.label)));
    let x = left;
    for (const item of series) {
      const value = row.values[item.key] ?? 0;
      if (!value) continue;
      const barWidth = ((width - left - right) * value) / maximum;
      chart.append(
        svg(
          'rect',
          { x, y: y + 22, width: barWidth, height: 16, fill: colors[item.key] ?? '#1a56a8', rx: 2 },
          svg('title', {}, `${row.label} ${item.label}:${value}`),
        ),
      );
      x += barWidth;
    }
    chart.append(svg('text', { x: x + 6, y: y + 35, 'font-size': 12, fill: '#59636e' }, String(totals[index])));
  });
  return chart;
}
