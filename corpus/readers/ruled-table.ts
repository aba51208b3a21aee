import type { TableGrid } from '../table-grid.ts';

/** A horizontal or vertical rule: a drawn line or thin filled rectangle, in page units with y growing downward. */
export interface Rule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A cell of a ruled table: its rectangle and the lattice rows and columns it covers. */
export interface TableCell {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  row: number;
  column: number;
  rowSpan: number;
  columnSpan: number;
}

export interface RuledTable {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  rows: number;
  columns: number;
  cells: TableCell[];
}

const isHorizontal = (rule: Rule) => rule.x1 - rule.x0 >= (rule.y1 - rule.y0) * 4;

/**
 * Finds tables drawn with rules (as government task lists are): rules that meet form a lattice; a stretch
 * of lattice with no rule between two neighbours is one merged cell. Tolerance is in page units.
 */
export function findRuledTables(rules: Rule[], tolerance: number): RuledTable[] {
  const allHorizontal = mergeRules(
    rules.filter(isHorizontal).map((rule) => ({ at: (rule.y0 + rule.y1) / 2, from: rule.x0, to: rule.x1 })),
    tolerance,
  );
  const allVertical = mergeRules(
    rules.filter((rule) => !isHorizontal(rule)).map((rule) => ({ at: (rule.x0 + rule.x1) / 2, from: rule.y0, to: rule.y1 })),
    tolerance,
  );
  // A table's rules end on other rules; a stroke of a character or a dash in the text touches none.
  const touches = (end: number, at: number, others: typeof allHorizontal) =>
    others.some((other) => Math.abs(other.at - end) <= tolerance * 2 && at >= other.from - tolerance * 2 && at <= other.to + tolerance * 2);
  const horizontal = allHorizontal.filter((rule) => touches(rule.from, rule.at, allVertical) && touches(rule.to, rule.at, allVertical));
  const vertical = allVertical.filter((rule) => touches(rule.from, rule.at, horizontal) && touches(rule.to, rule.at, horizontal));
  // Tables are the groups of rules that touch one another.
  const all = [...horizontal.map((rule) => ({ ...rule, horizontal: true })), ...vertical.map((rule) => ({ ...rule, horizontal: false }))];
  const parent = all.map((_, index) => index);
  const find = (index: number): number => (parent[index] === index ? index : (parent[index] = find(parent[index]!)));
  all.forEach((a, i) =>
    all.forEach((b, j) => {
      if (j <= i || a.horizontal === b.horizontal) return;
      const [h, v] = a.horizontal ? [a, b] : [b, a];
      if (v.at >= h.from - tolerance && v.at <= h.to + tolerance && h.at >= v.from - tolerance && h.at <= v.to + tolerance) parent[find(i)] = find(j);
    }),
  );
  const groups = new Map<number, typeof all>();
  all.forEach((rule, index) => (groups.get(find(index)) ?? groups.set(find(index), []).get(find(index))!).push(rule));
  const tables: RuledTable[] = [];
  for (const group of groups.values()) {
    const hs = group.filter((rule) => rule.horizontal);
    const vs = group.filter((rule) => !rule.horizontal);
    const ys = positions(
      hs.map((rule) => rule.at),
      tolerance,
    );
    const xs = positions(
      vs.map((rule) => rule.at),
      tolerance,
    );
    if (ys.length < 3 || xs.length < 3) continue;
    const covered = (rulesAt: typeof hs, at: number, from: number, to: number) =>
      rulesAt.some((rule) => Math.abs(rule.at - at) <= tolerance && rule.from <= from + (to - from) * 0.3 && rule.to >= to - (to - from) * 0.3);
    const rows = ys.length - 1;
    const columns = xs.length - 1;
    const owner = Array.from({ length: rows * columns }, (_, index) => index);
    const root = (index: number): number => (owner[index] === index ? index : (owner[index] = root(owner[index]!)));
    for (let row = 0; row < rows; row += 1) {
      for (let column = 0; column < columns; column += 1) {
        if (column + 1 < columns && !covered(vs, xs[column + 1]!, ys[row]!, ys[row + 1]!))
          owner[root(row * columns + column + 1)] = root(row * columns + column);
        if (row + 1 < rows && !covered(hs, ys[row + 1]!, xs[column]!, xs[column + 1]!))
          owner[root((row + 1) * columns + column)] = root(row * columns + column);
      }
    }
    const spans = new Map<number, { rows: number[]; columns: number[] }>();
    for (let index = 0; index < rows * columns; index += 1) {
      const span = spans.get(root(index)) ?? spans.set(root(index), { rows: [], columns: [] }).get(root(index))!;
      span.rows.push(Math.floor(index / columns));
      span.columns.push(index % columns);
    }
    const cells = [...spans.values()].map((span) => {
      const row = Math.min(...span.rows);
      const column = Math.min(...span.columns);
      const rowSpan = Math.max(...span.rows) - row + 1;
      const columnSpan = Math.max(...span.columns) - column + 1;
      return { row, column, rowSpan, columnSpan, x0: xs[column]!, x1: xs[column + columnSpan]!, y0: ys[row]!, y1: ys[row + rowSpan]! };
    });
    tables.push({ x0: xs[0]!, x1: xs[xs.length - 1]!, y0: ys[0]!, y1: ys[ys.length - 1]!, rows, columns, cells });
  }
  return tables.sort((a, b) => a.y0 - b.y0);
}

/** Rules on one line that touch or overlap become one. */
function mergeRules(rules: { at: number; from: number; to: number }[], tolerance: number) {
  const sorted = [...rules].sort((a, b) => a.at - b.at || a.from - b.from);
  const merged: { at: number; from: number; to: number }[] = [];
  for (const rule of sorted) {
    const same = merged.find((other) => Math.abs(other.at - rule.at) <= tolerance && rule.from <= other.to + tolerance && rule.to >= other.from - tolerance);
    if (same) {
      same.from = Math.min(same.from, rule.from);
      same.to = Math.max(same.to, rule.to);
    } else merged.push({ ...rule });
  }
  return merged.filter((rule) => rule.to - rule.from > tolerance * 4);
}

function positions(values: number[], tolerance: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const result: number[] = [];
  for (const value of sorted) if (result.length === 0 || value - result[result.length - 1]! > tolerance) result.push(value);
  return result;
}

/** The table's text, a merged cell's text repeated in each row and column it covers (as table-grid.ts stores it). */
export function tableToGrid(table: RuledTable, textOf: (cell: TableCell) => string): TableGrid {
  const grid: TableGrid = Array.from({ length: table.rows }, () => Array.from({ length: table.columns }, () => ''));
  for (const cell of table.cells) {
    const text = textOf(cell);
    for (let row = cell.row; row < cell.row + cell.rowSpan; row += 1) {
      for (let column = cell.column; column < cell.column + cell.columnSpan; column += 1) grid[row]![column] = text;
    }
  }
  return grid;
}

/**
 * Rules in a bitmap (a scanned or rendered page): runs of dark pixels at least `minimum` long, horizontal and
 * vertical. Text strokes are far shorter than a table's rules.
 */
export function rulesFromBitmap(data: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number, minimum: number): Rule[] {
  const dark = new Uint8Array(width * height);
  for (let index = 0; index < width * height; index += 1) {
    const offset = index * channels;
    const luminance = channels >= 3 ? (data[offset]! * 299 + data[offset + 1]! * 587 + data[offset + 2]! * 114) / 1000 : data[offset]!;
    dark[index] = luminance < 140 ? 1 : 0;
  }
  const rules: Rule[] = [];
  for (let y = 0; y < height; y += 1) {
    let start = -1;
    for (let x = 0; x <= width; x += 1) {
      const on = x < width && dark[y * width + x] === 1;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start >= minimum) rules.push({ x0: start, x1: x, y0: y, y1: y + 1 });
        start = -1;
      }
    }
  }
  for (let x = 0; x < width; x += 1) {
    let start = -1;
    for (let y = 0; y <= height; y += 1) {
      const on = y < height && dark[y * width + x] === 1;
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        if (y - start >= minimum) rules.push({ x0: x, x1: x + 1, y0: start, y1: y });
        start = -1;
      }
    }
  }
  return rules;
}
