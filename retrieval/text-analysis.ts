import { Jieba } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';

const jieba = Jieba.withDict(dict);

const STOPWORDS = new Set(
  '的 了 和 与 及 是 在 对 等 为 将 把 被 或 也 就 都 而 及其 以及 有 个 我 我们 你 你们 他们 这 那 吗 呢 吧 啊 么 什么 怎么 如何 能 能不能 可以 可不可以 有没有 没有 要 需要 还 还是 现在 一下 哪些 多少 啥 呀 这个 那个 这边 那边 市里 政策'.split(
    ' ',
  ),
);

/** Words of a simplified-Chinese text (jieba, dictionary only), without punctuation and stopwords. */
export function words(text: string): string[] {
  return kept(jieba.cut(text.toLowerCase(), false));
}

/** The words of a cut that carry letters or digits and are no stopword. */
const kept = (cut: string[]) => cut.filter((word) => /[\p{L}\p{N}]/u.test(word) && !STOPWORDS.has(word));

/**
 * Parts of speech that carry no policy topic: pronouns (这块, 哪个, 自己), adverbs (一直, 大概, 到底), numerals
 * and measure words (一家, 几个, 第一次), locatives and times (以后, 之前, 去年), conjunctions, prepositions,
 * particles, modal and interjection words (jieba's tags r, d, m, q, f, t, c, p, u…, y, e, o). Enterprises wrap
 * their topic in many of them ("这块是哪个部门在管", "总共大概能拿到多少"), and most are words no clause uses,
 * so counted fully they weigh as much as the topic itself.
 */
const FUNCTION_TAGS = /^(r|rr|rz|ry|d|df|dg|m|mq|q|f|t|tg|c|cc|p|u|u[a-z]|y|e|o|zg)$/;

/**
 * Words that only ask or hedge, whatever jieba tags them (哪几个 and 是不是 come tagged as idioms, 一共 as an
 * abbreviation, 有点 as a noun): interrogatives, "how much in all", "roughly", "at most", "a bit", and the modal verbs
 * that ask whether (会, 能, 可能, 应该: "听说会配项目主管,一般是什么级别的领导来当"), and 说法 of 有没有说法 (is there a
 * policy on it).
 */
const ASKING_SCAFFOLD =
  /^(哪.*|谁|几.*|多少.*|会|能|能够|可能|应该|说法|是不是|会不会|要不要|能不能|可不可以|有没有|是否|一共|总共|总计|合计|大概|大约|左右|具体|一般|通常|最多|最少|至少|到底|究竟|有点|有点儿|有些|一点|一点儿|稍微)$/;

/**
 * A single Latin letter is what jieba cuts from a mixed word (the A of A股, the C of C类企业): rare as a word, it
 * weighed a fifth of "要是在A股上市成功,市里最多能奖多少" and hid the 上市 measure's figure.
 */
const LETTER = /^[a-z]$/;

/**
 * A vague stretch of time told in the story (前段时间生意差, 这阵子, 前些日子): jieba tags these nouns or names (段时间
 * as nr), so they weighed as the rarest words of the question — 前段时间 a ninth of "前段时间生意差水费交不上了…能缓多久".
 */
const TIME_SPAN = /^(前?段时间|一段时间|近段时间|阵子|这阵子|那阵子|前阵子|日子|前些日子|这些日子|这些年|这几年|那几年|前些年|前两年)$/;

/** A question asked as "A not A" (会不会, 能不能, 要不要, 算不算): it only asks. */
const A_NOT_A = /([\u4e00-\u9fff])[不没]\1/g;

/**
 * Of a text's tagged words (`taggedWords`), those that are function words by their part of speech, or only ask —
 * including the pieces jieba cuts an "A not A" into (会+不会 of 会不会直接罚款: a fifth of that question's weight,
 * as two words no clause uses).
 */
export function functionWords(tagged: { word: string; tag: string }[]): Set<string> {
  const found = new Set(
    tagged
      .filter(({ word, tag }) => FUNCTION_TAGS.test(tag) || ASKING_SCAFFOLD.test(word) || LETTER.test(word) || TIME_SPAN.test(word))
      .map(({ word }) => word),
  );
  const text = tagged.map(({ word }) => word).join('');
  for (const match of text.matchAll(A_NOT_A)) {
    const [start, end] = [match.index, match.index + match[0].length];
    let offset = 0;
    for (const { word } of tagged) {
      // A piece starting inside it is part of it ("能不能不要全封死": 能 + 不能不要).
      if (offset >= start && offset < end) found.add(word);
      offset += word.length;
    }
  }
  return found;
}

/** The words of a text in order with jieba's part-of-speech tags (n noun, v verb, r pronoun…). */
export function taggedWords(text: string): { word: string; tag: string }[] {
  return jieba.tag(text.toLowerCase(), false);
}

/** Every word of a text as jieba cuts it (dictionary only), punctuation and particles included. */
export function segment(text: string): string[] {
  return jieba.cut(text.toLowerCase(), false);
}

/** Overlapping character pairs of the CJK and alphanumeric runs: robust where word boundaries differ. */
export function characterBigrams(text: string): string[] {
  const grams: string[] = [];
  for (const run of text.toLowerCase().match(/[\u4e00-\u9fff]+|[a-z0-9.%]+/g) ?? []) {
    if (/^[a-z0-9.%]+$/.test(run)) {
      grams.push(run);
      continue;
    }
    for (let index = 0; index + 1 < run.length; index += 1) grams.push(run.slice(index, index + 2));
  }
  return grams;
}

/**
 * Two-character words a text holds inside its cut: the end of a longer word, its head (中小学 → 小学; not its start:
 * 绿色通道 is no kind of 绿色), and the pair across two words, where jieba may have cut wrongly (对外|地户籍 → 外地).
 */
function embeddedIn(cut: string[]): string[] {
  const found: string[] = [];
  cut.forEach((word, index) => {
    if (/^[\u4e00-\u9fff]{3,}$/.test(word)) found.push(word.slice(-2));
    const next = cut[index + 1];
    if (next && /^[\u4e00-\u9fff]+$/.test(word) && /^[\u4e00-\u9fff]/.test(next)) found.push(word.slice(-1) + next[0]);
  });
  return found;
}

/** `terms` of a text and, marked `>`, the two-character words it holds inside its cut, from one cut (a sentence's coverage needs both). */
export function termsWithEmbedded(text: string): string[] {
  const cut = jieba.cut(text.toLowerCase(), false);
  return [...kept(cut), ...characterBigrams(text).map((gram) => `#${gram}`), ...embeddedIn(cut).map((word) => `>${word}`)];
}

/** Search terms: words plus bigrams (marked so the two never collide). */
export function terms(text: string): string[] {
  return [...words(text), ...characterBigrams(text).map((gram) => `#${gram}`)];
}

/**
 * jieba's general IDF table (6 MB, 270 000 lines "word value", read by `@node-rs/jieba/dict.js` with the dictionary).
 * Building a Map of it takes 0.15–0.3 s here, more than a one-question command spends on everything else, so the
 * first words are found in the bytes (Buffer.indexOf, about a millisecond each) and the Map is built only once
 * that many words were asked for (an index build, the server): 150 lookups cost about what the Map does, and one
 * question looks up 10–30.
 */
const LOOKUPS_BEFORE_TABLE = 150;
/** A word not in the table: about the weight of the table's rarest words (13.9). */
const UNKNOWN_IDF = 11.0;
const idfBytes = Buffer.from(idf.buffer, idf.byteOffset, idf.byteLength);
let idfTable: Map<string, number> | null = null;
const idfLookups = new Map<string, number>();

/** Inverse document frequency of a word from jieba's general-Chinese table; rare words weigh more. */
export function generalIdf(word: string): number {
  if (idfTable) return idfTable.get(word) ?? UNKNOWN_IDF;
  const known = idfLookups.get(word);
  if (known !== undefined) return known;
  if (idfLookups.size >= LOOKUPS_BEFORE_TABLE) {
    idfTable = new Map();
    for (const line of idfBytes.toString('utf8').split('\n')) {
      const [term, value] = line.split(' ');
      if (term && value) idfTable.set(term, Number(value));
    }
    idfLookups.clear();
    return idfTable.get(word) ?? UNKNOWN_IDF;
  }
  const value = /\s/.test(word) || word === '' ? UNKNOWN_IDF : findIdf(word);
  idfLookups.set(word, value);
  return value;
}

/**
 * The field after `word` on its line of a table of "word value…" lines (jieba's idf.txt, dict.txt), found in the
 * table's bytes at its start or after a line break; null when the table does not list the word.
 */
function fieldAfter(bytes: Buffer, word: string): string | null {
  const key = Buffer.from(`${word} `);
  let start = 0;
  if (!bytes.subarray(0, key.length).equals(key)) {
    const at = bytes.indexOf(Buffer.from(`\n${word} `));
    if (at < 0) return null;
    start = at + 1;
  }
  const from = start + key.length;
  // The field ends at the next space (dict.txt: "word frequency tag") or at the line's end (idf.txt: "word value").
  const space = bytes.indexOf(0x20, from);
  const line = bytes.indexOf(0x0a, from);
  const ends = [space, line].filter((at) => at >= 0);
  return bytes.toString('utf8', from, ends.length > 0 ? Math.min(...ends) : bytes.length);
}

/** The value on the line "word value" of the IDF table. */
function findIdf(word: string): number {
  const value = fieldAfter(idfBytes, word);
  return value === null ? UNKNOWN_IDF : Number(value);
}

const dictBytes = Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength);
const frequencies = new Map<string, number>();
/** The sum of the dictionary's frequencies (jieba's dict.txt): a word's share of running text is its frequency over it. */
export const DICTIONARY_TOTAL = 60_101_964;

/**
 * How often jieba's general dictionary counts `word` in running text (0 when it does not list it), found in the
 * dictionary's bytes as `findIdf` finds a word and remembered: it is asked only of the few pairs that may be typos.
 */
export function wordFrequency(word: string): number {
  const known = frequencies.get(word);
  if (known !== undefined) return known;
  const value = Number(fieldAfter(dictBytes, word) ?? 0);
  if (frequencies.size >= 10_000) frequencies.clear();
  frequencies.set(word, value);
  return value;
}

/**
 * What kind of number a question asks for, and a sentence must state to answer it. A share said in words
 * ("全额返还", "减半征收") answers "退多少" as a percentage does.
 */
export type QuantityKind = 'period' | 'share' | 'money' | 'count' | 'any';

const NUMERAL = '[0-9一二两三四五六七八九十百千万半]';
/** "一次性", "一体化" are not counts. */
const NOT_A_COUNT = /一次性|一体化|一站式|一揽子|一系列|一批|一律|一并/g;
const STATED: Record<QuantityKind, RegExp> = {
  period: new RegExp(`${NUMERAL}+\\s*个?(工作日|天|日|小时|周|个月|月|年)|[0-9]{4}年|[0-9]+月[0-9]+日`),
  share: new RegExp(`[0-9.]+\\s*%|百分之|${NUMERAL}+成|${NUMERAL}+倍|${NUMERAL}+折|一半|半数|全额|减半|翻番`),
  money: new RegExp(`${NUMERAL}[0-9.,]*\\s*(万|亿)?元|[0-9.]+\\s*(万|亿)`),
  count: new RegExp(`${NUMERAL}+\\s*(个|家|项|枚|次|人|名|户|张|类|种|条)`),
  any: new RegExp(`[0-9]|${NUMERAL}+(个|家|项|枚|年|月|日|天|小时|万|亿|元|成|倍|次)|百分之|一半|半数|全额|减半|翻番`),
};

/** The text states a number of this kind ("50万元" money, "90%" share, "3枚" count, "1个工作日" period). */
export function statesQuantity(text: string, kind: QuantityKind = 'any'): boolean {
  return STATED[kind].test(text.replace(NOT_A_COUNT, ''));
}

/** A clause's own number ("9.", "(三)") is a label, not a quantity it states. */
export function withoutLabel(text: string): string {
  return text.replace(/^\s*(?:[0-9]+[.、．]|[((][一二三四五六七八九十百]+[))])/, '');
}
