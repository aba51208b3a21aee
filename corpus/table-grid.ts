import { readLabel } from './clause-labels.ts';
import { splitDepartmentList, type DepartmentAssignment, type DepartmentParseOptions, parseAssignment } from './department-parser.ts';
import { toHalfWidth, toSimplified } from './script-converter.ts';
import type { TableItem, TaskRow, TaskTable } from './table-parser.ts';

/**
 * Tables whose structure the source kept (HTML, .docx, PDF and scanned pages with ruled cells) are stored in
 * the document's text as rows of cells, one row a line: "| 序号 | 工作任务 | 牵头单位 |". A cell's paragraphs
 * are joined by "<br>"; merged cells are repeated in every row and column they cover, so each row reads alone.
 */
export type TableGrid = string[][];

const ROW = /^\|(.*)\|$/;
const SEPARATOR = /^\|(\s*:?-{3,}:?\s*\|)+$/;

/** Writes a table as text rows (header first, then a separator row, as Markdown does). */
export function gridToText(grid: TableGrid): string[] {
  const width = Math.max(0, ...grid.map((row) => row.length));
  if (width === 0) return [];
  const cell = (text: string | undefined) =>
    (text ?? '')
      .replace(/\|/g, '\\|')
      .replace(/\s*\n\s*/g, '<br>')
      .trim();
  const line = (row: string[]) => `| ${Array.from({ length: width }, (_, index) => cell(row[index])).join(' | ')} |`;
  return [line(grid[0]!), `|${' --- |'.repeat(width)}`, ...grid.slice(1).map(line)];
}

/** True for a line written by gridToText. */
export function isTableRow(line: string): boolean {
  return ROW.test(line.trim());
}

/** Reads rows written by gridToText back into cells (paragraphs of a cell joined by "\n"). */
export function textToGrid(lines: string[]): TableGrid {
  return lines
    .map((line) => line.trim())
    .filter((line) => ROW.test(line) && !SEPARATOR.test(line))
    .map((line) =>
      ROW.exec(line)![1]!
        .split(/(?<!\\)\|/)
        .map((cell) =>
          cell
            .replace(/\\\|/g, '|')
            .replace(/<br\s*\/?>/gi, '\n')
            .trim(),
        ),
    );
}

type ColumnRole = 'index' | 'heading' | 'list' | 'lead' | 'support' | 'departments' | 'period' | 'people' | 'other';

const roleOf = (header: string): ColumnRole => {
  const name = toHalfWidth(toSimplified(header)).replace(/\s+/g, '');
  if (/^(序号|编号|序)$/.test(name)) return 'index';
  if (/^(牵头|主办|主责)(单位|部门)/.test(name)) return 'lead';
  if (/^(配合|协办|参与|协同|协助)(单位|部门)/.test(name)) return 'support';
  if (/责任(单位|部门|主体)|承办单位|实施主体|负责(单位|部门)/.test(name)) return 'departments';
  if (/时限|时间|阶段|期限|节点|进度安排/.test(name)) return 'period';
  if (/领导|联络员|联系人|电话/.test(name)) return 'people';
  if (/总体|类别|领域|板块|方面|分类/.test(name)) return 'heading';
  return 'list';
};

/**
 * Reads a task table from its rows: the header names each column's role (序号, 牵头单位, 配合单位, 责任单位,
 * 完成时限, 分管领导…); each row becomes a TaskRow like the flattened tables of table-parser.ts, its list
 * cells split into their numbered items. Rows whose 序号 cell is empty continue the row above (a row broken
 * across pages); a row whose cells all say the same is a heading for the rows below it.
 */
export function readGridTable(grid: TableGrid, options: DepartmentParseOptions): TaskTable | null {
  const headerAt = grid.findIndex((row) => row.filter((cell) => cell.length > 0).length >= 2);
  if (headerAt < 0 || grid.length < headerAt + 2) return null;
  const header = grid[headerAt]!.map((cell) => toHalfWidth(toSimplified(cell.replace(/\n/g, ''))));
  const roles = header.map(roleOf);
  // Text columns: the last two are the lists (targets, measures); text columns before them group the rows.
  const textColumns = roles.flatMap((role, index) => (role === 'list' ? [index] : []));
  if (textColumns.length === 0) return null;
  // "重点任务 | 具体措施": a task column beside a column of measures or targets names the group the measures serve.
  const isMeasures = (index: number) => /措施|举措|内容|目标|要求/.test(header[index] ?? '');
  const grouping = textColumns.filter((index) => /任务|工作|事项/.test(header[index] ?? '') && !isMeasures(index) && textColumns.some(isMeasures));
  const lists = textColumns.filter((index) => !grouping.includes(index));
  const listIndexes = lists.length > 2 ? lists.slice(-2) : lists;
  textColumns.forEach((index) => {
    if (!listIndexes.includes(index)) roles[index] = 'heading';
  });
  // A list column whose cells carry heading labels ("一、…", "(一)…") groups the rows instead.
  const body = grid.slice(headerAt + 1);
  for (const index of [...listIndexes]) {
    const cells = body.map((row) => row[index] ?? '').filter(Boolean);
    const labelled = cells.filter((cell) => ['cn-dun', 'cn-paren'].includes(readLabel(toHalfWidth(toSimplified(cell)))?.kind ?? ''));
    if (listIndexes.length > 1 && cells.length > 0 && labelled.length === cells.length) {
      roles[index] = 'heading';
      listIndexes.splice(listIndexes.indexOf(index), 1);
    }
  }
  const listColumns: [string, string] = [header[listIndexes[0]!] ?? '内容', listIndexes[1] !== undefined ? header[listIndexes[1]]! : ''];
  const peopleColumns = header.filter((_, index) => roles[index] === 'people');
  const indexColumn = roles.indexOf('index');

  const rows: TaskRow[] = [];
  let groupHeadings: string[] = [];
  for (const cells of body) {
    const filled = cells.filter((cell) => cell.length > 0);
    if (filled.length === 0 || cells.map((cell) => toHalfWidth(toSimplified(cell.replace(/\n/g, '')))).join('|') === header.join('|')) continue;
    if (filled.length === cells.length && new Set(filled).size === 1 && cells.length > 1) {
      groupHeadings = [toHalfWidth(toSimplified(filled[0]!))];
      continue;
    }
    const indexCell = indexColumn >= 0 ? (cells[indexColumn] ?? '').trim() : '';
    const previous = rows[rows.length - 1];
    // A row continued on the next page has an empty 序号 and no departments or period of its own; a row that
    // has them but lost its 序号 (OCR misses a lone digit) is the next row.
    const ownFacts = cells.some((cell, column) => cell.length > 0 && ['lead', 'support', 'departments', 'period'].includes(roles[column]!));
    if (indexColumn >= 0 && indexCell === '' && previous && !ownFacts) {
      // A row continued on the next page: its cells go on where they broke off.
      mergeInto(previous, cells, roles);
      continue;
    }
    const index = /^\d{1,3}$/.test(indexCell) ? Number(indexCell) : (previous?.index ?? 0) + 1;
    // Headings, periods, departments and people are given in simplified script (they are matched and displayed); list items stay as published.
    const plain = cells.map((cell) => toHalfWidth(toSimplified(cell)));
    const headings = [...groupHeadings, ...plain.filter((_, column) => roles[column] === 'heading').filter(Boolean)];
    const row: TaskRow = {
      index,
      headings: headings.filter((heading, position) => headings.indexOf(heading) === position),
      targets: items(cells[listIndexes[0]!] ?? ''),
      measures: listIndexes[1] !== undefined ? items(cells[listIndexes[1]] ?? '') : [],
      period: plain.find((_, column) => roles[column] === 'period')?.replace(/\n/g, '') || null,
      departments: null,
      people: plain.filter((_, column) => roles[column] === 'people').map((cell) => cell.replace(/\n/g, '')),
      assignment: assignmentOf(plain, roles, options),
    };
    rows.push(row);
  }
  if (rows.length === 0) return null;
  return { header, rows, listColumns, peopleColumns };
}

function assignmentOf(cells: string[], roles: ColumnRole[], options: DepartmentParseOptions): DepartmentAssignment {
  const column = (role: ColumnRole) =>
    cells
      .filter((_, index) => roles[index] === role)
      .join('、')
      .replace(/\n/g, '');
  const lead = column('lead');
  const support = column('support');
  if (lead || support) {
    const leadUnits = splitDepartmentList(lead);
    return { lead: leadUnits, support: splitDepartmentList(support).filter((unit) => !leadUnits.includes(unit)) };
  }
  const listed = column('departments');
  return listed ? parseAssignment(`责任单位:${listed}`, options) : { lead: [], support: [] };
}

function mergeInto(row: TaskRow, cells: string[], roles: ColumnRole[]): void {
  const lists = roles.flatMap((role, index) => (role === 'list' ? [index] : []));
  const append = (target: TableItem[], text: string) => {
    for (const item of items(text)) {
      const last = target[target.length - 1];
      if (item.number === null && last) last.text += item.text;
      else target.push(item);
    }
  };
  if (lists[0] !== undefined) append(row.targets, cells[lists[0]] ?? '');
  if (lists[1] !== undefined) append(row.measures, cells[lists[1]] ?? '');
}

/** A cell's paragraphs as items: "1.…" starts an item, other paragraphs continue the one before. */
function items(cell: string): TableItem[] {
  const result: TableItem[] = [];
  for (const paragraph of cell
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)) {
    const label = readLabel(toHalfWidth(toSimplified(paragraph)));
    const last = result[result.length - 1];
    if (label && (label.kind === 'arabic-dot' || label.kind === 'arabic-paren' || label.kind === 'circled'))
      result.push({ number: label.number, text: paragraph });
    else if (last) last.text += paragraph;
    else result.push({ number: null, text: paragraph });
  }
  return result;
}
