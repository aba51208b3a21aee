import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import { CorpusParseError } from '../errors.ts';
import { readHtml } from './html-reader.ts';
import { readImage } from './image-reader.ts';
import { readPdf } from './pdf-reader.ts';
import type { TextRecognizer } from './text-recognizer.ts';
import { decodeText } from '../text-decoding.ts';

/** The kinds of file officers are sent. */
export type SourceFormat = 'text' | 'html' | 'docx' | 'pdf' | 'image';

/** A file read as the text the corpus keeps, with what reading it showed. */
export interface ReadDocument {
  text: string;
  format: SourceFormat;
  /** What the officer should check: pages read by OCR, lines read with low confidence. */
  warnings: string[];
  /** Pages of a PDF. */
  pages?: number;
}

export interface ReadOptions {
  /** OCR for scans and images; PaddleOCR (ocr/paddle-recognizer.ts) unless a test gives another. */
  recognizer?: TextRecognizer;
}

/** Files above this size are refused before they are read: a policy document, even scanned, is far smaller. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

let paddle: TextRecognizer | null = null;
async function defaultRecognizer(): Promise<TextRecognizer> {
  // Loaded only when a scan or image needs it: onnxruntime and the models take a moment to start.
  if (!paddle) paddle = new (await import('./ocr/paddle-recognizer.ts')).PaddleRecognizer();
  return paddle;
}

/** "OCR 识别置信度低,请核对:第2页「…」(0.82)…": at most ten lines named, with how many in all. */
function doubtfulWarnings(doubtful: { page: number; text: string; confidence: number }[], paged: boolean): string[] {
  if (doubtful.length === 0) return [];
  const named = doubtful
    .slice(0, 10)
    .map((line) => `${paged ? `第${line.page}页` : ''}「${line.text}」(${line.confidence.toFixed(2)})`)
    .join(';');
  return [`${doubtful.length} 行 OCR 识别置信度低,请对照原件核对:${named}${doubtful.length > 10 ? ' 等' : ''}`];
}

/** Reads a file officers were sent: .txt (UTF-8 or GBK), .html (any declared charset), .docx, .pdf (text or scanned), .png/.jpg. */
export async function readDocumentFile(file: string, options: ReadOptions = {}): Promise<ReadDocument> {
  const name = path.basename(file);
  if (!existsSync(file)) throw new CorpusParseError('FILE_MISSING', `${file} 不存在。`, name);
  const stat = statSync(file);
  if (stat.isDirectory()) {
    throw new CorpusParseError(
      'IS_DIRECTORY',
      `${file} 是文件夹，不是文件：请给出要加入的文件，如 policybot corpus add ${path.join(file, '文件.pdf')}（文件夹中的文件须逐个加入）。`,
      name,
    );
  }
  if (!stat.isFile()) throw new CorpusParseError('NOT_A_FILE', `${file} 不是普通文件：请给出要加入的 .txt / .html / .docx / .pdf / 图片文件。`, name);
  const size = stat.size;
  if (size > MAX_FILE_BYTES) {
    throw new CorpusParseError(
      'FILE_TOO_LARGE',
      `${name} 有 ${megabytes(size)},超过 ${megabytes(MAX_FILE_BYTES)} 的上限:请确认文件无误,或拆分后分别加入。`,
      name,
    );
  }
  const extension = path.extname(file).toLowerCase();
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CorpusParseError(
      'FILE_UNREADABLE',
      `无法读取 ${file}${code === 'EACCES' || code === 'EPERM' ? '：没有读取权限' : `（${code ?? (error as Error).message}）`}。`,
      name,
      { cause: error },
    );
  }
  const recognizer = async () => options.recognizer ?? (await defaultRecognizer());
  if (extension === '.pdf' || Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') {
    // The OCR models are loaded only when a page turns out to be a scan.
    const read = await readPdf(bytes, name, recognizer);
    if ((read.text.match(/[\u4e00-\u9fff]/g) ?? []).length < 20) {
      throw new CorpusParseError('NO_TEXT_IN_PDF', `${name} 中没有读出正文(${read.pages} 页):请确认文件内容,或用 .docx/.html 版本。`, name);
    }
    const warnings =
      read.scannedPages.length > 0
        ? [
            `${read.scannedPages.length === read.pages ? '全文' : `第${read.scannedPages.join('、')}页`}为扫描件,已用 OCR 识别,请对照原件核对`,
            ...doubtfulWarnings(read.doubtful, true),
          ]
        : [];
    return { text: read.text, format: 'pdf', warnings, pages: read.pages };
  }
  if (IMAGE_EXTENSIONS.has(extension)) {
    const read = await readImage(bytes, name, await recognizer());
    return { text: read.text, format: 'image', warnings: ['图片已用 OCR 识别,请对照原件核对', ...doubtfulWarnings(read.doubtful, false)] };
  }
  if (extension === '.docx') {
    let html: string;
    try {
      // mammoth's HTML keeps the document's tables; its raw text would flatten them.
      html = (await mammoth.convertToHtml({ buffer: bytes })).value;
    } catch (error) {
      throw new CorpusParseError('UNREADABLE_DOCX', `${name} 不是可读取的 .docx 文件。`, name, { cause: error });
    }
    return { text: await readHtml(Buffer.from(html, 'utf8'), name), format: 'docx', warnings: [] };
  }
  if (extension === '.doc' || extension === '.wps') {
    throw new CorpusParseError('UNSUPPORTED_FORMAT', `${name}:暂不支持 ${extension} 格式,请另存为 .docx 或 .pdf 后再加入。`, name);
  }
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (extension === '.html' || extension === '.htm' || /^\s*(\uFEFF|\xEF\xBB\xBF)?\s*<(!doctype|html)/i.test(head)) {
    const doubtful: { page: number; text: string; confidence: number }[] = [];
    let images = 0;
    // Images the saved page shows (its "_files" folder, or inline data): a task list published as a picture.
    const pageImage = async (source: string): Promise<string[] | null> => {
      const data = /^data:image\/(png|jpe?g|webp);base64,(.+)$/i.exec(source);
      const local = data ? null : path.resolve(path.dirname(file), decodeURIComponent(source.split(/[?#]/)[0] ?? ''));
      // Only images saved with the page (in its folder), never a path outside it or an address to fetch.
      const inside = local !== null && local.startsWith(path.dirname(path.resolve(file)) + path.sep);
      if (!data && (/^[a-z]+:/i.test(source) || !inside || !existsSync(local!) || !IMAGE_EXTENSIONS.has(path.extname(local!).toLowerCase()))) return null;
      try {
        const read = await readImage(data ? Buffer.from(data[2]!, 'base64') : readFileSync(local!), name, await recognizer());
        images += 1;
        doubtful.push(...read.doubtful);
        return read.text.split('\n');
      } catch {
        return null; // a logo or an icon: no text in it
      }
    };
    const text = await readHtml(bytes, name, pageImage);
    return { text, format: 'html', warnings: images > 0 ? [`页面中 ${images} 张图片已用 OCR 识别,请对照原件核对`, ...doubtfulWarnings(doubtful, false)] : [] };
  }
  return { text: decodeText(bytes, name).text, format: 'text', warnings: [] };
}
