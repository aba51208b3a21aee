/**
 * The years a question asks about ("2024年计划供地多少", "2023年的工会经费还能返吗") and the years a sentence is
 * written for ("2023年度完成…", "期限至2021年12月31日", "2023—2025年", "2022年5月1日起"): a sentence naming years
 * none of which reaches the asked year states its figure, or its measure, for another time.
 */

/** A closed span of years; open ends are ±Infinity. */
interface YearSpan {
  from: number;
  to: number;
}

const YEAR = '(20[0-9]{2})';
/** "2023—2025年", "2023年至2025年", "2023-2025". */
const RANGE = new RegExp(`${YEAR}年?\\s*[-—–~至到]\\s*${YEAR}年?`, 'g');
/** "到2025年", "至2021年12月31日", "截至2024年", "2025年底前": up to that year. */
const UNTIL = new RegExp(`(?:到|至|截至|截止到?)${YEAR}年|${YEAR}年(?:底|末)?(?:前|之前|以前)`, 'g');
/** "2022年5月1日起", "自2023年起", "2021年以来": from that year on. */
const SINCE = new RegExp(`${YEAR}年[^,。;]{0,8}?(?:起|以来|开始)`, 'g');
const PLAIN = new RegExp(`${YEAR}年`, 'g');

/** The years named in the asking parts of a question. */
export function askedYears(askingParts: string[]): number[] {
  return [...new Set(askingParts.flatMap((part) => [...part.matchAll(PLAIN)].map((match) => Number(match[1]))))];
}

function yearSpans(sentence: string): YearSpan[] {
  const spans: YearSpan[] = [];
  let rest = sentence;
  const take = (pattern: RegExp, span: (match: RegExpMatchArray) => YearSpan) => {
    rest = rest.replace(pattern, (...args) => {
      spans.push(span(args as unknown as RegExpMatchArray));
      return ' ';
    });
  };
  take(RANGE, (match) => ({ from: Number(match[1]), to: Number(match[2]) }));
  take(UNTIL, (match) => ({ from: -Infinity, to: Number(match[1] ?? match[2]) }));
  take(SINCE, (match) => ({ from: Number(match[1]), to: Infinity }));
  take(PLAIN, (match) => ({ from: Number(match[1]), to: Number(match[1]) }));
  return spans;
}

/** One of the spans reaches one of the asked years. */
const reachesAsked = (asked: number[], spans: YearSpan[]) => asked.some((year) => spans.some((span) => span.from <= year && year <= span.to));

/** The sentence names years, and none of them reaches any asked year. */
export function forOtherYears(asked: number[], sentence: string): boolean {
  if (asked.length === 0) return false;
  const spans = yearSpans(sentence);
  return spans.length > 0 && !reachesAsked(asked, spans);
}

/** The sentence names a year asked ("2022年因财政资金紧张…" for "2022年的奖励怎么没兑现"). */
export function forAskedYear(asked: number[], sentence: string): boolean {
  return asked.length > 0 && reachesAsked(asked, yearSpans(sentence));
}
