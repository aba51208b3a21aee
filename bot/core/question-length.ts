/**
 * How long a question is, counted one way by the core, every channel, the console and the CLI: in characters as a
 * reader sees them (grapheme clusters), after runs of white space are taken as one. JavaScript's `length` counts UTF-16
 * units, so 300 emoji were "600字"; code points would still count 👍🏽 as two and 👨‍👩‍👧 as five.
 */

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * The characters of `text` as a reader counts them.
 * @example questionLength('稳岗返还👍🏽') // 5
 */
export function questionLength(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text.replace(/\s+/g, ' ').trim())) count += 1;
  return count;
}

/**
 * The first `maximum` characters of `text`, as a reader counts them (grapheme clusters, as {@link questionLength}): what a search box keeps of
 * an over-long query (it is cut, not refused). Slicing UTF-16 units would count 👍 as two and could split it.
 * @example clippedQuestion('稳岗👍🏽返还', 3) // '稳岗👍🏽'
 */
export function clippedQuestion(text: string, maximum: number): string {
  if (text.length <= maximum) return text;
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (count === maximum) break;
    kept += segment;
    count += 1;
  }
  return kept;
}

/** The reply for a question over `maximum` characters, or null when it is within the limit. */
export function questionTooLong(text: string, maximum: number): string | null {
  // UTF-16 units are never fewer than characters: most questions need no segmenting.
  if (text.length <= maximum) return null;
  const length = questionLength(text);
  return length > maximum ? `问题太长了（${length}字），请控制在${maximum}字以内，只保留关键情况。` : null;
}
