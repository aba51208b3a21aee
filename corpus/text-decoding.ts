import iconv from 'iconv-lite';
import { CorpusParseError } from './errors.ts';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/**
 * Turns the bytes of an uploaded file into text. Chinese government files arrive in UTF-8 or GBK/GB18030
 * (older Windows tools); anything that is neither, or is binary, is refused rather than guessed at.
 */
export function decodeText(bytes: Uint8Array, documentName: string): { text: string; encoding: TextEncoding } {
  if (bytes.length === 0) throw new CorpusParseError('empty_file', `${documentName} is empty: nothing to add.`, documentName);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: checked(iconv.decode(Buffer.from(bytes), 'utf-16le'), documentName), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: checked(iconv.decode(Buffer.from(bytes), 'utf-16be'), documentName), encoding: 'utf-16be' };
  if (bytes.includes(0)) {
    throw new CorpusParseError('binary_file', `${documentName} looks like a binary file, not text: export it as .txt, .html or .docx.`, documentName);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: checked(text.replace(/^\uFEFF/, ''), documentName), encoding: 'utf-8' };
  } catch (error) {
    if (error instanceof CorpusParseError) throw error;
  }
  return { text: checked(iconv.decode(Buffer.from(bytes), 'gb18030'), documentName), encoding: 'gb18030' };
}

/** Refuses text that decoded to mostly control characters or replacement marks (an unknown encoding). */
function checked(text: string, documentName: string): string {
  const length = text.length || 1;
  const bad = (text.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g) ?? []).length;
  const cjk = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  if (bad / length > 0.02) {
    throw new CorpusParseError('unreadable_encoding', `${documentName} is not readable as UTF-8 or GBK/GB18030 text: save it as UTF-8 and try again.`, documentName);
  }
  if (cjk < 20) {
    throw new CorpusParseError('not_chinese_text', `${documentName} has almost no Chinese text (${cjk} characters): is it the right file?`, documentName);
  }
  return text;
}
