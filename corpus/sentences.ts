/**
 * Sentences of a clause, a document or a quote, split one way everywhere: the parser, measure conditions, quotes,
 * the retriever's sentence coverage and the console's highlighting (which gets the marks from the server).
 * Texts arrive in either width — clause text stays as published, questions and parsed views are half-width — so each
 * mark is listed once in each width, never the half-width one twice (the bug of the old per-file classes).
 */

/** The marks that end a sentence: 。, and ; ! ? in both widths. A comma does not. */
export const SENTENCE_ENDS = '。;；!！?？';

export interface SentenceOptions {
  /**
   * The marks that end a sentence, when a caller must not split on all of {@link SENTENCE_ENDS}; say why where you
   * pass it.
   */
  ends?: string;
  /** Keep each sentence's end mark (default true: sentences joined give the text back, bar white space). */
  keepEnds?: boolean;
}

const patterns = new Map<string, RegExp>();

function splitter(ends: string, keepEnds: boolean): RegExp {
  const key = `${keepEnds ? '+' : '-'}${ends}`;
  let pattern = patterns.get(key);
  if (!pattern) {
    const marks = [...ends].map((mark) => mark.replace(/[\\\]^-]/g, '\\$&')).join('');
    // A line break ends a sentence too: headings, table rows and notes stand on lines of their own.
    pattern = keepEnds ? new RegExp(`(?<=[${marks}])|\\r?\\n`) : new RegExp(`[${marks}]|\\r?\\n`);
    patterns.set(key, pattern);
  }
  return pattern;
}

/**
 * The sentences of `text`, trimmed, without empty ones.
 * @example sentences('给予补贴;最高50万元。\n(市财政局负责)') // ['给予补贴;', '最高50万元。', '(市财政局负责)']
 * @example sentences('给予补贴;最高50万元。', { keepEnds: false }) // ['给予补贴', '最高50万元']
 */
export function sentences(text: string, options: SentenceOptions = {}): string[] {
  return text
    .split(splitter(options.ends ?? SENTENCE_ENDS, options.keepEnds ?? true))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

/**
 * The sentence of `text` that holds the character at `index`, without its end mark: for a word found in a long text
 * (the whole corpus), the sentence around it, read without splitting the whole text.
 */
export function sentenceAround(text: string, index: number): string {
  const ends = (char: string | undefined) => char === '\n' || (char !== undefined && SENTENCE_ENDS.includes(char));
  let start = index;
  while (start > 0 && !ends(text[start - 1])) start -= 1;
  let end = index;
  while (end < text.length && !ends(text[end])) end += 1;
  return text.slice(start, end);
}
