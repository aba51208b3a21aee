import iconv from 'iconv-lite';
import { toHalfWidth } from './script-converter.ts';

/**
 * Repairs lines that a web page's export garbled: Chinese text whose GBK bytes were re-read one byte
 * out of step (e.g. " ?。ㄒ唬┥罨淌碌怯浉母?/strong>" for "（一）深化商事登记改革"), plus HTML leftovers.
 *
 * Whether a line is garbled is decided by the document's own characters: garbled text is made of
 * characters the rest of the document hardly uses. A repair is kept only if it reads clearly better.
 */
export function repairMojibake(lines: string[]): { lines: string[]; repaired: number[]; unrecoverable: number[] } {
  const frequency = characterFrequency(lines.map(toHalfWidth));
  const repaired: number[] = [];
  const unrecoverable: number[] = [];
  const result = lines.map((line, index) => {
    const stripped = stripHtml(line);
    if (!looksGarbled(stripped, frequency)) return stripped;
    const best = bestRealignment(stripped, frequency);
    if (best === null) {
      unrecoverable.push(index);
      return stripped;
    }
    repaired.push(index);
    return readablePrefix(best, frequency);
  });
  return { lines: result, repaired, unrecoverable };
}

function stripHtml(line: string): string {
  return line
    .replace(/<\/?[a-z][a-z0-9]*[^<>]*>/gi, '')
    .replace(/\??\/?(strong|span|p|b|br|div)>/gi, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function characterFrequency(lines: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) for (const char of line) counts.set(char, (counts.get(char) ?? 0) + 1);
  return counts;
}

/** Share of CJK characters that are common in this document (seen at least 3 times). */
function familiarity(text: string, frequency: Map<string, number>): number {
  const cjk = [...toHalfWidth(text)].filter((char) => /[\u3000-\u303f\u4e00-\u9fff\ue000-\uf8ff\uff00-\uffef]/.test(char));
  if (cjk.length === 0) return 1;
  const familiar = cjk.filter((char) => (frequency.get(char) ?? 0) >= 3).length;
  return familiar / cjk.length;
}

function looksGarbled(line: string, frequency: Map<string, number>): boolean {
  const trimmed = line.trim();
  if (trimmed.length < 4 || trimmed.length > 200) return false;
  return familiarity(trimmed, frequency) < 0.6 || /^\?[\u3000-\u303f\u4e00-\u9fff]/.test(trimmed);
}

/**
 * Re-encodes the garbled part of the line as GBK and decodes it shifted by one byte either way. The garbling
 * often stops partway ("?。ㄈ娀髽I生產要素保障"), so every prefix length is tried and the most familiar
 * reading of the whole line wins.
 */
function bestRealignment(line: string, frequency: Map<string, number>): string | null {
  const core = line.trim().replace(/^\?+/, '').replace(/\?+$/, '');
  const original = familiarity(core, frequency);
  let best: string | null = null;
  let bestScore = original + 0.1;
  for (let cut = core.length; cut >= 2; cut -= 1) {
    const bytes = iconv.encode(core.slice(0, cut), 'gbk');
    for (const shifted of [bytes.subarray(1), Buffer.concat([Buffer.from([0xa1]), bytes])]) {
      const candidate = (iconv.decode(shifted, 'gbk') + core.slice(cut))
        .replace(/[\ufffd?]/g, '')
        .replace(/^[\s\u3000]+/, '')
        .trim();
      const score = familiarity(candidate, frequency);
      if (score > bestScore) {
        best = toHalfWidth(candidate);
        bestScore = score;
      }
    }
  }
  return best;
}

/** Cuts a repaired line where unreadable characters begin, so a half-recovered heading shows what is certain. */
function readablePrefix(text: string, frequency: Map<string, number>): string {
  // Private-use characters are what a GBK user-defined byte pair decodes to: never text.
  const chars = [...text.replace(/[\ue000-\uf8ff]/g, '')];
  const firstUnfamiliar = chars.findIndex(
    (char, index) => index > 0 && /[\u4e00-\u9fff]/.test(char) && !/[一二三四五六七八九十]/.test(char) && (frequency.get(char) ?? 0) < 3,
  );
  return firstUnfamiliar < 0 ? text : `${chars.slice(0, firstUnfamiliar).join('')}…`;
}
