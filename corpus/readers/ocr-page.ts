import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { PageContent, PageLine, PageTable } from './page-layout.ts';
import { findRuledTables, rulesFromBitmap, tableToGrid } from './ruled-table.ts';
import { LOW_CONFIDENCE, type RecognizedLine, type TextRecognizer } from './text-recognizer.ts';

/** A page read by OCR, in page units (`scale` pixels each), with the lines read with low confidence. */
export interface RecognizedPage {
  content: PageContent;
  doubtful: { page: number; text: string; confidence: number }[];
}

/**
 * Reads a page image: ruled tables cell by cell (a table's row read as one line would run its columns
 * together), the rest line by line; text normalised for OCR's usual confusions (ocr-text.ts).
 */
export async function recognizePage(image: Uint8Array, page: number, scale: number, recognizer: TextRecognizer): Promise<RecognizedPage> {
  const picture = await loadImage(Buffer.from(image));
  const canvas = createCanvas(picture.width, picture.height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, picture.width, picture.height);
  context.drawImage(picture, 0, 0);
  const pixels = context.getImageData(0, 0, picture.width, picture.height);
  const tables = findRuledTables(rulesFromBitmap(pixels.data, picture.width, picture.height, 4, Math.max(30, Math.round(picture.width * 0.03))), 3);
  const doubtful: RecognizedPage['doubtful'] = [];
  const note = (line: RecognizedLine) => {
    if (line.confidence < LOW_CONFIDENCE) doubtful.push({ page, text: normalizeOcrText(line.text), confidence: line.confidence });
  };

  const inTable = (line: RecognizedLine) =>
    tables.some((table) => {
      const x = (line.x0 + line.x1) / 2;
      const y = (line.y0 + line.y1) / 2;
      return x >= table.x0 && x <= table.x1 && y >= table.y0 && y <= table.y1;
    });
  const lines: PageLine[] = [];
  for (const line of await recognizer.recognize(image)) {
    if (inTable(line)) continue;
    note(line);
    lines.push({
      page,
      text: normalizeOcrText(line.text),
      x0: line.x0 / scale,
      x1: line.x1 / scale,
      y0: line.y0 / scale,
      y1: line.y1 / scale,
      confidence: line.confidence,
    });
  }
  const pageTables: PageTable[] = [];
  for (const table of tables) {
    const texts = new Map<string, string>();
    for (const cell of table.cells) {
      const inset = 3;
      const width = Math.round(cell.x1 - cell.x0 - inset * 2);
      const height = Math.round(cell.y1 - cell.y0 - inset * 2);
      if (width < 8 || height < 8) continue;
      // A margin around the crop: the detector finds text that touches an image's edge poorly.
      const pad = 16;
      // Cells of a low-resolution image are enlarged: small characters are misread ("引进" as "引1进").
      const zoom = picture.width < 1600 ? 2 : 1;
      const crop = createCanvas((width + pad * 2) * zoom, (height + pad * 2) * zoom);
      const cropContext = crop.getContext('2d');
      cropContext.fillStyle = '#ffffff';
      cropContext.fillRect(0, 0, crop.width, crop.height);
      cropContext.drawImage(canvas, cell.x0 + inset, cell.y0 + inset, width, height, pad * zoom, pad * zoom, width * zoom, height * zoom);
      let read = await recognizer.recognize(crop.toBuffer('image/png'));
      if (read.length === 0 && hasInk(cropContext.getImageData(0, 0, crop.width, crop.height).data)) {
        // A lone digit (a 序号) is small for the detector: read the cell again enlarged.
        const enlarged = createCanvas(crop.width * 2, crop.height * 2);
        const enlargedContext = enlarged.getContext('2d');
        enlargedContext.drawImage(crop, 0, 0, crop.width * 2, crop.height * 2);
        read = await recognizer.recognize(enlarged.toBuffer('image/png'));
      }
      read.forEach(note);
      texts.set(`${cell.row}:${cell.column}`, joinCellLines(read.map((line) => normalizeOcrText(line.text))));
    }
    pageTables.push({ page, y0: table.y0 / scale, y1: table.y1 / scale, grid: tableToGrid(table, (cell) => texts.get(`${cell.row}:${cell.column}`) ?? '') });
  }
  return { content: { page, width: picture.width / scale, height: picture.height / scale, lines, tables: pageTables }, doubtful };
}

/** Whether a crop holds any dark pixels (text), as opposed to an empty cell. */
function hasInk(data: Uint8ClampedArray | Uint8Array): boolean {
  let dark = 0;
  for (let index = 0; index < data.length; index += 4) if (data[index]! < 128 && data[index + 1]! < 128 && data[index + 2]! < 128) dark += 1;
  return dark >= 12;
}

/** Wrapped lines of one cell form one paragraph; a line starting a numbered item ("2.") starts a new one. */
export function joinCellLines(lines: string[]): string {
  return lines.reduce((text, line) => (!text ? line : /^(\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[①-⑳])/.test(line) ? `${text}\n${line}` : `${text}${line}`), '');
}

/**
 * OCR's usual confusions where they matter: a 文号 read as "某府办[2024]12号" or "〔2024】" is "〔2024〕";
 * "(—)" / "—、" opening a line is "(一)" / "一、"; O and l among digits are 0 and 1; brackets and
 * punctuation between Chinese characters are the full-width ones the published text uses; no spaces
 * between Chinese characters (OCR splits a line where it sees a gap).
 */
export function normalizeOcrText(text: string): string {
  return (
    text
      .replace(/(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff（(〔【，。、；：])|(?<=[（(〔【，。、；：])\s+(?=[\u4e00-\u9fff])/g, '')
      .replace(/(?<=\d)[Oo](?=\d)|(?<=\d)[Oo](?=\d)/g, '0')
      .replace(/(?<=\d)[lI](?=\d)/g, '1')
      .replace(/([\u4e00-\u9fff]{1,10})\s*[[［【(（〔]\s*((?:19|20)\d{2})\s*[\]］】)）〕]\s*(\d{1,4})\s*号/g, '$1〔$2〕$3号')
      // 責 is not among PP-OCRv4's characters: a traditional "責任單位:" comes out as "任單位:".
      .replace(/(?<![责責])任(单位|單位)(?=\s*[:：])/g, (_, unit: string) => (unit === '單位' ? `責任${unit}` : `责任${unit}`))
      .replace(/^[—–\-－一]\s*[、,，.]/, '一、')
      .replace(/^[(（]\s*[—–\-－]\s*[)）]/, '（一）')
      .replace(/^[(（]([一二三四五六七八九十]*)[—–\-－]([一二三四五六七八九十]*)[)）]/, '（$1一$2）')
      .replace(/(?<=[\u4e00-\u9fff])\((?=[\u4e00-\u9fff])/g, '（')
      .replace(/(?<=[\u4e00-\u9fff])\)/g, '）')
      .replace(/^\((?=[\u4e00-\u9fff])/, '（')
      .replace(/(?<=[\u4e00-\u9fff）])[,](?=[\u4e00-\u9fff（])/g, '，')
      .replace(/(?<=[\u4e00-\u9fff）])[:](?=[\u4e00-\u9fff（])/g, '：')
      .replace(/(?<=[\u4e00-\u9fff）])[;](?=[\u4e00-\u9fff（])/g, '；')
      .trim()
  );
}
