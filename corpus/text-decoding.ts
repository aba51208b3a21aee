import iconv from 'iconv-lite';
import { CorpusParseError } from './errors.ts';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/**
 * Turns the bytes of an uploaded file into text. Chinese government files arrive in UTF-8 or GBK/GB18030
 * (older Windows tools); anything that is neither, or is binary, is refused rather than guessed at.
 * `checkLanguage: false` leaves the "is this Chinese text" check to the caller (a web page is checked
 * once its markup is gone).
 */
export function decodeText(bytes: Uint8Array, documentName: string, options: { checkLanguage?: boolean } = {}): { text: string; encoding: TextEncoding } {
  const check = (text: string) => (options.checkLanguage === false ? readable(text, documentName) : checkedText(readable(text, documentName), documentName));
  if (bytes.length === 0) throw new CorpusParseError('EMPTY_FILE', `${documentName} 是空文件,没有可加入的内容。`, documentName);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: check(iconv.decode(Buffer.from(bytes), 'utf-16le')), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: check(iconv.decode(Buffer.from(bytes), 'utf-16be')), encoding: 'utf-16be' };
  if (bytes.includes(0)) {
    throw new CorpusParseError('BINARY_FILE', `${documentName} 不是文本文件(像是二进制文件):请另存为 .txt、.html、.docx 或 .pdf 后再加入。`, documentName);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: check(text.replace(/^\uFEFF/, '')), encoding: 'utf-8' };
  } catch (error) {
    if (error instanceof CorpusParseError) throw error;
  }
  return { text: check(iconv.decode(Buffer.from(bytes), 'gb18030')), encoding: 'gb18030' };
}

/** Refuses text that decoded to mostly control characters or replacement marks (an unknown encoding). */
function readable(text: string, documentName: string): string {
  const length = text.length || 1;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what marks a binary file read as text.
  const bad = (text.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g) ?? []).length;
  if (bad / length > 0.02) {
    throw new CorpusParseError('UNREADABLE_ENCODING', `${documentName} 无法按 UTF-8 或 GBK/GB18030 读取:请另存为 UTF-8 后再试。`, documentName);
  }
  return text;
}

/** Refuses text with almost no Chinese in it: the wrong file, or one whose text could not be read. */
export function checkedText(text: string, documentName: string): string {
  const cjk = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  if (cjk < 20) {
    throw new CorpusParseError('NOT_CHINESE_TEXT', `${documentName} 几乎没有中文内容(${cjk} 个汉字):是否选错了文件?`, documentName);
  }
  return text;
}
