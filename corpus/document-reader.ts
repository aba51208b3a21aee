import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import { CorpusParseError } from './errors.ts';
import { readHtml } from './readers/html-reader.ts';
import { decodeText } from './text-decoding.ts';

/** The kinds of file officers are sent. */
export type SourceFormat = 'text' | 'html' | 'docx' | 'pdf' | 'image';

/** A file read as the text the corpus keeps, with what reading it showed. */
export interface ReadDocument {
  text: string;
  format: SourceFormat;
  /** What the officer should check: pages read by OCR, lines read with low confidence. */
  warnings: string[];
}

/** Files above this size are refused before they are read: a policy document, even scanned, is far smaller. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Reads a file officers were sent: .txt (UTF-8 or GBK), .html (any declared charset), .docx. */
export async function readDocumentFile(file: string): Promise<ReadDocument> {
  const name = path.basename(file);
  if (!existsSync(file)) throw new CorpusParseError('file_missing', `${file} 不存在。`, name);
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) {
    throw new CorpusParseError('file_too_large', `${name} 有 ${megabytes(size)},超过 ${megabytes(MAX_FILE_BYTES)} 的上限:请确认文件无误,或拆分后分别加入。`, name);
  }
  const extension = path.extname(file).toLowerCase();
  const bytes = readFileSync(file);
  if (extension === '.docx') {
    let html: string;
    try {
      // mammoth's HTML keeps the document's tables; its raw text would flatten them.
      html = (await mammoth.convertToHtml({ buffer: bytes })).value;
    } catch (error) {
      throw new CorpusParseError('unreadable_docx', `${name} 不是可读取的 .docx 文件。`, name, { cause: error });
    }
    return { text: await readHtml(Buffer.from(html, 'utf8'), name), format: 'docx', warnings: [] };
  }
  if (extension === '.doc' || extension === '.wps' || extension === '.pdf') {
    throw new CorpusParseError('unsupported_format', `${name}:暂不支持 ${extension} 格式,请另存为 .docx 或 .pdf 后再加入。`, name);
  }
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (extension === '.html' || extension === '.htm' || /^\s*(\uFEFF|\xEF\xBB\xBF)?\s*<(!doctype|html)/i.test(head)) {
    return { text: await readHtml(bytes, name), format: 'html', warnings: [] };
  }
  return { text: decodeText(bytes, name).text, format: 'text', warnings: [] };
}
