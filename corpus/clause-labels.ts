/**
 * Recognises the numbering Chinese government documents use for their parts, in any document:
 * 第一章 / 第一条 / 一、 / (一) / 1. / (1) / ①. The level of each kind is not fixed here: it is the order in
 * which kinds first appear in a document (see clause-tree.ts).
 */

export type LabelKind = 'chapter' | 'article' | 'cn-dun' | 'cn-paren' | 'arabic-dot' | 'arabic-paren' | 'circled';

export interface ClauseLabel {
  kind: LabelKind;
  number: number;
  /** The label as printed, e.g. "(十一)". */
  printed: string;
  /** Length of the label in the matched text. */
  length: number;
  /** True when the label was damaged in the source and its number is inferred from the sequence. */
  inferred?: boolean;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Parses Chinese numerals up to the hundreds ("六十八", "十一", "一百零二"). */
export function parseChineseNumber(text: string): number | null {
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(text)) return null;
  let total = 0;
  let current = 0;
  for (const char of text) {
    if (char === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (char === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else current = CN_DIGITS[char] ?? 0;
  }
  return total + current;
}

const CN = '[一二三四五六七八九十百零〇两]+';
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

const PATTERNS: { kind: LabelKind; pattern: RegExp; numeral: 'cn' | 'arabic' | 'circled' }[] = [
  { kind: 'chapter', pattern: new RegExp(`^第(${CN})章\\s*`), numeral: 'cn' },
  { kind: 'article', pattern: new RegExp(`^第(${CN})条\\s*`), numeral: 'cn' },
  { kind: 'cn-dun', pattern: new RegExp(`^(${CN})[、，,]\\s*`), numeral: 'cn' },
  // The closing bracket may be lost when a heading was garbled ("(三娀髽I…"): a known numeral is enough.
  { kind: 'cn-paren', pattern: new RegExp(`^[(（](${CN})(?:[)）]|(?=[^一二三四五六七八九十百零〇两是]))\\s*`), numeral: 'cn' },
  // "1.2023年…", "1.2023下半年…": an item label before a year, not the decimal 1.2023.
  { kind: 'arabic-dot', pattern: /^(\d{1,3})(?:[.．、](?!\d)|[.．](?=(?:19|20)\d{2}(?:年|[上下]半年|[-—–~至]))|\s+(?=[\u4e00-\u9fff]))\s*/, numeral: 'arabic' },
  { kind: 'arabic-paren', pattern: /^[(（](\d{1,3})[)）]\s*/, numeral: 'arabic' },
  { kind: 'circled', pattern: new RegExp(`^([${CIRCLED}])\\s*`), numeral: 'circled' },
];

/** Reads a label at the start of `text` (already half-width and simplified), or null. */
export function readLabel(text: string): ClauseLabel | null {
  for (const { kind, pattern, numeral } of PATTERNS) {
    const match = pattern.exec(text);
    if (!match || match[1] === undefined) continue;
    const number = numeral === 'cn' ? parseChineseNumber(match[1]) : numeral === 'arabic' ? Number(match[1]) : CIRCLED.indexOf(match[1]) + 1;
    if (number === null || number <= 0) continue;
    return { kind, number, printed: match[0].trim(), length: match[0].length };
  }
  return null;
}

/** A label whose opening was lost in the source: "）优化…" or ")优化…" where "(六)" stood. */
export function readDamagedParenLabel(text: string): number | null {
  const match = /^[)）]\s*/.exec(text);
  return match ? match[0].length : null;
}

const CN_NAMES = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 68 → "六十八", 10 → "十", 102 → "一百零二". */
export function toChineseNumber(value: number): string {
  if (value < 10) return CN_NAMES[value] ?? String(value);
  if (value < 20) return `十${CN_NAMES[value - 10] ?? ''}`;
  if (value < 100) return `${CN_NAMES[Math.floor(value / 10)]}十${CN_NAMES[value % 10] ?? ''}`;
  const rest = value % 100;
  return `${CN_NAMES[Math.floor(value / 100)]}百${rest === 0 ? '' : rest < 10 ? `零${CN_NAMES[rest]}` : toChineseNumber(rest)}`;
}

/** The canonical printed form of a label, used in compact citations: "(六)", "二、" → "二", "3.". */
export function canonicalLabel(kind: LabelKind, number: number): string {
  switch (kind) {
    case 'chapter':
      return `第${toChineseNumber(number)}章`;
    case 'article':
      return `第${toChineseNumber(number)}条`;
    case 'cn-dun':
      return `${toChineseNumber(number)}、`;
    case 'cn-paren':
      return `(${toChineseNumber(number)})`;
    case 'arabic-dot':
      return `${number}.`;
    case 'arabic-paren':
      return `(${number})`;
    case 'circled':
      return CIRCLED[number - 1] ?? `(${number})`;
  }
}
