import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { CorpusParseError } from '../errors.ts';
import { recognizePage } from './ocr-page.ts';
import { dropRunningLines, layoutText, unifyIdeographs, type PageContent, type PageLine } from './page-layout.ts';
import { findRuledTables, rulesFromBitmap, tableToGrid, type RuledTable } from './ruled-table.ts';
import type { TextRecognizer } from './text-recognizer.ts';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Pages rendered for tables and OCR at this many pixels per PDF point (144 dpi). */
const RENDER_SCALE = 2;
/** A page holding fewer Chinese characters than this as text is a scan: it is read by OCR. */
const SCANNED_PAGE = 10;

export interface ReadPdf {
  text: string;
  pages: number;
  scannedPages: number[];
  doubtful: { page: number; text: string; confidence: number }[];
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/**
 * Reads a PDF with pdfjs-dist (legacy build, Node 20): text in reading order, ruled tables as rows, pages
 * without text through OCR; running headers, footers and page numbers dropped, paragraphs rejoined across
 * lines and pages. An encrypted or damaged file is refused with a message that says so.
 */
export async function readPdf(bytes: Uint8Array, documentName: string, recognizer: () => Promise<TextRecognizer>): Promise<ReadPdf> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document: Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
  try {
    document = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      cMapUrl: `${pdfjsRoot}/cmaps/`,
      cMapPacked: true,
      standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'PasswordException') {
      throw new CorpusParseError(
        'ENCRYPTED_PDF',
        `${documentName} 是加密的 PDF,需要密码才能打开:请向发文单位索取未加密的文件,或用 .docx/.html 版本。`,
        documentName,
        { cause: error },
      );
    }
    throw new CorpusParseError('UNREADABLE_PDF', `${documentName} 不是可读取的 PDF(文件损坏或不完整):请重新下载或导出后再加入。`, documentName, {
      cause: error,
    });
  }
  try {
    const pages: PageContent[] = [];
    const scannedPages: number[] = [];
    const doubtful: ReadPdf['doubtful'] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      const rendered = page.getViewport({ scale: RENDER_SCALE });
      const canvas = createCanvas(Math.ceil(rendered.width), Math.ceil(rendered.height));
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      await page.render({ canvasContext: context as unknown as CanvasRenderingContext2D, viewport: rendered }).promise;
      const content = await page.getTextContent();
      const items = (content.items as TextItem[]).filter((item) => typeof item.str === 'string' && item.str.trim().length > 0);
      const chinese = items.reduce((sum, item) => sum + (item.str.match(/[\u2e80-\u2fdf\u4e00-\u9fff]/g) ?? []).length, 0);
      if (chinese < SCANNED_PAGE) {
        scannedPages.push(number);
        const read = await recognizePage(canvas.toBuffer('image/png'), number, RENDER_SCALE, await recognizer());
        pages.push(read.content);
        doubtful.push(...read.doubtful);
        continue;
      }
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      const tables = findRuledTables(rulesFromBitmap(pixels.data, canvas.width, canvas.height, 4, Math.max(30, Math.round(canvas.width * 0.03))), 3).map(
        (table) => scaled(table, 1 / RENDER_SCALE),
      );
      const placed = items.map((item) => {
        const [x, baseline] = viewport.convertToViewportPoint(item.transform[4]!, item.transform[5]!) as [number, number];
        const size = item.height || Math.hypot(item.transform[2]!, item.transform[3]!) || 10;
        return { text: unifyIdeographs(item.str), x0: x, x1: x + item.width, y0: baseline - size, y1: baseline + size * 0.15, size };
      });
      const inCell = (item: (typeof placed)[number], box: { x0: number; x1: number; y0: number; y1: number }) => {
        const x = (item.x0 + item.x1) / 2;
        const y = (item.y0 + item.y1) / 2;
        return x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1;
      };
      const outside = placed.filter((item) => !tables.some((table) => inCell(item, table)));
      pages.push({
        page: number,
        width: viewport.width,
        height: viewport.height,
        lines: groupLines(outside, number),
        tables: tables.map((table) => ({
          page: number,
          y0: table.y0,
          y1: table.y1,
          grid: tableToGrid(table, (cell) =>
            groupLines(
              placed.filter((item) => inCell(item, cell)),
              number,
            )
              .map((line) => line.text)
              .reduce((text, line) => (!text ? line : /^(\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[①-⑳])/.test(line) ? `${text}\n${line}` : `${text}${line}`), ''),
          ),
        })),
      });
      page.cleanup();
    }
    return { text: layoutText(dropRunningLines(pages)), pages: document.numPages, scannedPages, doubtful };
  } catch (error) {
    if (error instanceof CorpusParseError) throw error;
    throw new CorpusParseError('UNREADABLE_PDF', `${documentName} 不是可读取的 PDF(文件损坏或不完整):请重新下载或导出后再加入。`, documentName, {
      cause: error,
    });
  } finally {
    await document.destroy();
  }
}

function scaled(table: RuledTable, factor: number): RuledTable {
  return {
    ...table,
    x0: table.x0 * factor,
    x1: table.x1 * factor,
    y0: table.y0 * factor,
    y1: table.y1 * factor,
    cells: table.cells.map((cell) => ({ ...cell, x0: cell.x0 * factor, x1: cell.x1 * factor, y0: cell.y0 * factor, y1: cell.y1 * factor })),
  };
}

/** Text pieces on one baseline form a line, read left to right; a wide gap between pieces is kept as a space. */
function groupLines(items: { text: string; x0: number; x1: number; y0: number; y1: number; size: number }[], page: number): PageLine[] {
  const sorted = [...items].sort((a, b) => a.y1 - b.y1 || a.x0 - b.x0);
  const rows: (typeof items)[] = [];
  for (const item of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0]!.y1 - item.y1) <= Math.min(row[0]!.size, item.size) * 0.5) row.push(item);
    else rows.push([item]);
  }
  return rows
    .map((row) => {
      row.sort((a, b) => a.x0 - b.x0);
      let text = '';
      row.forEach((item, index) => {
        const gap = index > 0 ? item.x0 - row[index - 1]!.x1 : 0;
        text += index > 0 && gap > item.size * 0.8 ? ` ${item.text}` : item.text;
      });
      return {
        page,
        text: text.trim(),
        x0: row[0]!.x0,
        x1: Math.max(...row.map((item) => item.x1)),
        y0: Math.min(...row.map((item) => item.y0)),
        y1: Math.max(...row.map((item) => item.y1)),
        confidence: 1,
      };
    })
    .filter((line) => line.text.length > 0);
}
