import type { DepartmentAssignment } from './department-parser.ts';
import { readLabel } from './clause-labels.ts';
import { toHalfWidth, toSimplified } from './script-converter.ts';

/**
 * A task-list table exported from a PDF or web page one cell per line, e.g. 乐清's "1+N任务清单":
 * 序号 / 总体任务 / 重点工作 / 全市目标 / 落实举措 / 实施阶段 / 责任单位 / 分管领导 / 联络员.
 * Merged cells appear only in a group's first row, rows split across pages repeat their first cells,
 * empty cells are a lone space, and "2023-" / "2027年" is one cell broken over two lines.
 */
export interface TaskRow {
  index: number;
  /** Grouping headings (总体任务, 重点工作), inherited from earlier rows where merged. */
  headings: string[];
  /** Numbered items of the first list column (targets); `null` number for an unnumbered single item. */
  targets: TableItem[];
  /** Numbered items of the second list column (measures). */
  measures: TableItem[];
  period: string | null;
  departments: string | null;
  /** Lead and support as the table's own columns give them (牵头单位 / 配合单位), when it has such columns. */
  assignment?: DepartmentAssignment;
  people: string[];
}

export interface TableItem {
  number: number | null;
  text: string;
}

export interface TaskTable {
  header: string[];
  rows: TaskRow[];
  /** Names of the two list columns as the header gives them (e.g. 全市目标, 落实举措). */
  listColumns: [string, string];
  /** Names of the people columns (e.g. 分管领导, 联络员). */
  peopleColumns: string[];
}

const INDEX_CELL = /^\d{1,3}$/;
const PERIOD_CELL =
  /^(\d{4}\s*年?\s*[-—–~至]\s*(\d{4}\s*年?)?(底|前|底前)?|\d{4}年(底前?|前|起)?|\d{4}\s*[-—–]\s*\d{4}年?|长期(实施)?|持续(推进|实施)|常态化(推进|实施)?|\d{4}年(上|下)半年)$/;
const DEPARTMENT_CELL = /(局|办|委|中心|集团|政府|管委会|公司|法院|检察院|联合会|工会|行|组|部)([、,，*]|$)/;

/** Reads a flattened task table, or returns null when the lines do not start with such a header. */
export function parseTaskTable(rawLines: string[]): TaskTable | null {
  // Blank lines separate cells; a line holding only whitespace is an empty cell.
  const cells = rawLines.filter((line) => line.length > 0).map((line) => toHalfWidth(toSimplified(line)).trim());
  const headerStart = cells.indexOf('序号');
  if (headerStart < 0) return null;
  const header: string[] = [];
  let position = headerStart;
  while (position < cells.length && !INDEX_CELL.test(cells[position] ?? '') && header.length < 12) header.push(cells[position++] ?? '');
  if (header.length < 4) return null;
  const listHeaders = header.filter((name) => /目标|举措|措施|内容|任务$/.test(name) && !/总体|重点/.test(name));
  const listColumns: [string, string] = [listHeaders[0] ?? '目标', listHeaders[1] ?? '举措'];
  const peopleColumns = header.filter((name) => /领导|联络员|联系人/.test(name)).flatMap((name) => name.split(/[/／、]/));

  const rows: TaskRow[] = [];
  let headings: string[] = [];
  while (position < cells.length) {
    const index = Number(cells[position++]);
    const continued = rows.length > 0 && rows[rows.length - 1]!.index === index;
    const row: TaskRow = continued ? rows[rows.length - 1]! : { index, headings: [], targets: [], measures: [], period: null, departments: null, people: [] };
    const rowHeadings: string[] = [];
    let list: 'targets' | 'measures' | null = null;
    let afterLists = false;
    const addItem = (item: TableItem) => {
      // A row continued after a page break repeats its first cells: an item seen before is that repeat.
      if (continued && [...row.targets, ...row.measures].some((existing) => existing.text === item.text)) return;
      if (continued && list === null && item.number !== null) {
        // A row continued after a page break: the list goes on where its numbering continues.
        list = lastNumber(row.targets) + 1 === item.number ? 'targets' : 'measures';
      } else if (list === null) list = item.number === null || row.targets.length === 0 ? 'targets' : 'measures';
      else if (list === 'targets' && item.number === 1 && row.targets.length > 0) list = 'measures';
      else if (
        list === 'targets' &&
        item.number !== null &&
        continued &&
        lastNumber(row.measures) + 1 === item.number &&
        lastNumber(row.targets) + 1 !== item.number
      )
        list = 'measures';
      else if (list === 'targets' && item.number !== null && row.targets.some((target) => target.number === null)) list = 'measures';
      row[list].push(item);
    };
    while (position < cells.length) {
      const cell = cells[position] ?? '';
      if (INDEX_CELL.test(cell) && isRowStart(cells, position, index)) break;
      position += 1;
      if (!afterLists && cell.length === 0) continue;
      const label = readLabel(cell);
      if (
        (!afterLists && label && (label.kind === 'cn-dun' || label.kind === 'cn-paren') && row.targets.length + row.measures.length === 0) ||
        (!afterLists && label && continued && list === null && (label.kind === 'cn-dun' || label.kind === 'cn-paren'))
      ) {
        rowHeadings.push(cell);
        continue;
      }
      if (!afterLists && label && label.kind === 'arabic-dot') {
        addItem({ number: label.number, text: cell });
        continue;
      }
      if (PERIOD_CELL.test(cell) || /^\d{4}\s*[-—–]$/.test(cell)) {
        afterLists = true;
        const joined = /[-—–]$/.test(cell) && /^\d{4}/.test(cells[position] ?? '') ? `${cell}${cells[position++]}` : cell;
        row.period ??= joined;
        continue;
      }
      if (!afterLists && cell.length > 0) {
        if (list === null && (row.targets.length === 0 || continued)) addItem({ number: null, text: cell });
        else {
          // Text that continues the previous item (a long item broken over lines).
          const items = row[list ?? 'targets'];
          const last = items[items.length - 1];
          if (last) last.text += cell;
          else addItem({ number: null, text: cell });
        }
        continue;
      }
      if (afterLists && row.departments === null && DEPARTMENT_CELL.test(cell)) {
        row.departments = cell;
        continue;
      }
      if (afterLists && row.departments !== null && !continued && row.people.length === 0 && DEPARTMENT_CELL.test(cell) && /[、*]/.test(cell)) {
        row.departments += cell;
        continue;
      }
      if (!continued || row.people.length < peopleColumns.length) row.people.push(cell);
    }
    if (rowHeadings.length > 0) {
      const levelOf = (heading: string) => (readLabel(heading)?.kind === 'cn-dun' ? 0 : 1);
      const next = [...headings];
      for (const heading of rowHeadings) {
        next[levelOf(heading)] = heading;
        if (levelOf(heading) === 0) next.length = 1;
      }
      headings = next;
    }
    if (!continued) {
      row.headings = [...headings];
      rows.push(row);
    }
  }
  return { header, rows, listColumns, peopleColumns };
}

function lastNumber(items: TableItem[]): number {
  const last = items[items.length - 1];
  return last?.number ?? 0;
}

/** An index cell starts a row when it repeats the current index (page break) or is the next one. */
function isRowStart(cells: string[], position: number, current: number): boolean {
  const value = Number(cells[position]);
  if (value !== current && value !== current + 1) return false;
  const next = cells[position + 1] ?? '';
  // A row starts with a heading, a list or its first cell; a lone number followed by a period or person is a value.
  return next.length > 6 || readLabel(next) !== null;
}
