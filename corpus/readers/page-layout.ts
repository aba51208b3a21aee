import radicalData from '../cjk-radicals.json' with { type: 'json' };
import { gridToText, type TableGrid } from '../table-grid.ts';

/** A line of text on a page, as PDF text or OCR placed it: coordinates in page units, y growing downward. */
export interface PageLine {
  page: number;
  text: string;
  x0: number;
  x1: number;
  /** Top and bottom of the line. */
  y0: number;
  y1: number;
  /** OCR confidence (0–1); 1 for text the PDF holds. */
  confidence: number;
}

/** A table found on a page, placed where it stands among the lines. */
export interface PageTable {
  page: number;
  y0: number;
  y1: number;
  grid: TableGrid;
}

export interface PageContent {
  page: number;
  width: number;
  height: number;
  lines: PageLine[];
  tables: PageTable[];
}

const RADICALS = new Map([...radicalData.radicals].map((radical, index) => [radical, [...radicalData.ideographs][index]!]));

/**
 * Kangxi and CJK radical code points that PDF writers emit for ordinary characters ("⼀" for 一, "⺠" for 民:
 * fonts map both to one glyph) become the ideographs they stand for (Unicode's EquivalentUnifiedIdeograph).
 */
export function unifyIdeographs(text: string): string {
  return text.replace(/[\u2e80-\u2fdf]/g, (char) => RADICALS.get(char) ?? char);
}

const PAGE_NUMBER = /^([-—–－]\s*)?\d{1,4}(\s*[-—–－])?$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$|^\d{1,4}\s*\/\s*\d{1,4}$/;

/**
 * Drops what repeats at the top or bottom of pages (running headers, footers) and page numbers: a line in the
 * top or bottom 8% of a page that, digits aside, recurs on at least half of the pages (two at least).
 */
export function dropRunningLines(pages: PageContent[]): PageContent[] {
  const margin = (page: PageContent, line: PageLine) => line.y1 < page.height * 0.08 || line.y0 > page.height * 0.92;
  const key = (text: string) => text.replace(/\s+/g, '').replace(/\d+/g, '#');
  const seen = new Map<string, Set<number>>();
  for (const page of pages) {
    for (const line of page.lines)
      if (margin(page, line)) (seen.get(key(line.text)) ?? seen.set(key(line.text), new Set()).get(key(line.text))!).add(page.page);
  }
  const repeated = (text: string) => pages.length >= 2 && (seen.get(key(text))?.size ?? 0) >= Math.max(2, Math.ceil(pages.length / 2));
  return pages.map((page) => ({
    ...page,
    lines: page.lines.filter((line) => !(margin(page, line) && (PAGE_NUMBER.test(line.text.trim()) || repeated(line.text)))),
  }));
}

/**
 * Joins a document's lines into paragraphs, across page breaks too: a line continues the paragraph above
 * when that one ran to the right margin and this one is not indented. Tables stand where they were found.
 */
export function layoutText(pages: PageContent[]): string {
  const body = pages.flatMap((page) => page.lines);
  if (body.length === 0 && pages.every((page) => page.tables.length === 0)) return '';
  const height = median(body.map((line) => line.y1 - line.y0)) || 12;
  const left = percentile(
    body.map((line) => line.x0),
    0.05,
  );
  const right = percentile(
    body.map((line) => line.x1),
    0.9,
  );
  const paragraphs: string[] = [];
  let current: PageLine | null = null;
  let text = '';
  const flush = () => {
    if (text.trim()) paragraphs.push(text.trim());
    text = '';
    current = null;
  };
  for (const page of pages) {
    const items = [
      ...page.lines.map((line) => ({ y: line.y0, line, table: null as PageTable | null })),
      ...page.tables.map((table) => ({ y: table.y0, line: null as PageLine | null, table })),
    ].sort((a, b) => a.y - b.y);
    for (const item of items) {
      if (item.table) {
        flush();
        paragraphs.push(...gridToText(item.table.grid));
        continue;
      }
      const line = item.line!;
      const previous: PageLine | null = current;
      const indented = line.x0 - left > height * 0.9;
      const continues =
        previous !== null &&
        previous.x1 >= right - height * 1.5 &&
        !indented &&
        (previous.page !== line.page || line.y0 - previous.y1 < height * 1.2) &&
        Math.abs(previous.y1 - previous.y0 - (line.y1 - line.y0)) < height * 0.35;
      if (!continues) flush();
      text += continues && /[A-Za-z0-9]$/.test(text) && /^[A-Za-z0-9]/.test(line.text) ? ` ${line.text}` : line.text;
      current = line;
    }
  }
  flush();
  return paragraphs.join('\n');
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
}
