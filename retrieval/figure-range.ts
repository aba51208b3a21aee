/**
 * Figures with their units, as ranges: what the asker says of itself ("担保金额超过1000万", "我们两百来号人") and the
 * bracket a sentence is written for ("对单户担保金额1000万元及以下的小微企业", "职工50人以下的企业"). A sentence whose
 * brackets all exclude the asker's figure states the figure for someone else.
 */
export type FigureUnit = 'money' | 'people' | 'percent';

/** A closed interval in the unit's base (元, persons, percent points). */
export interface FigureRange {
  unit: FigureUnit;
  low: number;
  high: number;
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const PLACES: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** "三十" 30, "两百" 200, "一千五" 1500; null when it is not a plain Chinese number. */
function chineseNumber(text: string): number | null {
  let total = 0;
  let digit: number | null = null;
  let lastPlace = 1;
  for (const char of text) {
    if (char in DIGITS) digit = DIGITS[char]!;
    else if (char in PLACES) {
      lastPlace = PLACES[char]!;
      total += (digit ?? 1) * lastPlace;
      digit = null;
    } else return null;
  }
  // "一千五": a digit after a place is the next place down.
  if (digit !== null) total += lastPlace > 1 ? (digit * lastPlace) / 10 : digit;
  return total;
}

/**
 * A number said in words as one word of the question ("两百万", "三十", "一千五", "百分之六十"), as the documents write it in
 * digits ("200", of "200万元"): null when the word is no such number. Only one holding 十/百/千 or 万/亿 — "三年",
 * "一次" are words of their own.
 */
export function spokenNumber(word: string): string | null {
  const share = /^百分之([零〇一二两三四五六七八九十百]+)$/.exec(word);
  const plain = /^([零〇一二两三四五六七八九十百千]+)(万|亿)?$/.exec(word);
  const spoken = share?.[1] ?? (plain && (/[十百千]/.test(plain[1]!) || plain[2]) ? plain[1] : undefined);
  const value = spoken === undefined ? null : chineseNumber(spoken);
  return value === null ? null : String(value);
}

const NUMBER = '[0-9]+(?:\\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+';
/** Below / at most / above / at least, before the figure. */
const BEFORE = '超过|不超过|高于|不高于|低于|不低于|不少于|少于|多于|不足|达到|满|未满|大于|小于';
/** After the figure. */
const AFTER = '及以上|及以下|以上|以下|以内|左右|出头';
const FIGURE = new RegExp(
  `(${BEFORE})?(${NUMBER})(?:(多|几|来|余)|[、至到-](${NUMBER}))?\\s*(万|亿)?\\s*(元|人|名|号人|个人|个|%)?(?:[((]含[))])?(${AFTER})?`,
  'g',
);
/** The people counted by "N个": right after it ("28个工人"), or just before it ("参保员工28个"). */
const PEOPLE_AFTER = /^(工人|员工|职工|人员|参保职工|参保员工|参保工人|伙计|工友)/;
const PEOPLE_BEFORE = /(工人|员工|职工|人员|参保)[^,。;?]{0,3}$/;
const AT_LEAST = /^(不低于|不少于|达到|满|及以上|以上)$/;
const MORE_THAN = /^(超过|高于|多于|大于)$/;
const AT_MOST = /^(不超过|不高于|及以下|以下|以内)$/;
const LESS_THAN = /^(低于|少于|不足|未满|小于)$/;
/** Either side of a figure said with "来" or "左右" ("两百来号人": 180–220). */
const ROUGH = 0.1;

interface ReadFigure extends FigureRange {
  /** Said with a bound (以下, 超过…): a bracket, not a point. */
  bounded: boolean;
  /** The characters right after the figure. */
  after: string;
}

/**
 * The unit a figure is read in: % a share, 元 (or 万/亿 alone) money, 人/名 people — and 个 people only beside a word
 * for them ("28个工人", "参保员工25个"; not "3个工作日", "5个项目"); null for anything else.
 */
function unitOf(unitWord: string | undefined, magnitude: string | undefined, before: string, after: string): FigureUnit | null {
  if (unitWord === '%') return 'percent';
  if (unitWord === '元' || (magnitude && !unitWord)) return 'money';
  if (unitWord === '个') return PEOPLE_AFTER.test(after) || PEOPLE_BEFORE.test(before) ? 'people' : null;
  return unitWord ? 'people' : null;
}

function readFigures(text: string): ReadFigure[] {
  const found: ReadFigure[] = [];
  for (const match of text.matchAll(FIGURE)) {
    const [whole, before, first, rough, second, magnitude, unitWord, after] = match;
    const unit = unitOf(unitWord, magnitude, text.slice(0, match.index ?? 0), text.slice((match.index ?? 0) + match[0].length));
    if (!unit) continue;
    // A year or a date ("2023年") never reaches here: 年 is not a unit read.
    const value = (raw: string) => (/^[0-9]/.test(raw) ? Number(raw) : chineseNumber(raw));
    const base = value(first!);
    if (base === null || Number.isNaN(base)) continue;
    const scale = magnitude === '亿' ? 1e8 : magnitude === '万' ? 1e4 : 1;
    let low = base * scale;
    let high = (second ? (value(second) ?? base) : base) * scale;
    // "二十几" 20–30, "两百多" 200–300, "1%出头" 1–1.5, "两百来" and "左右" ±10 %.
    if (rough === '多' || rough === '几' || rough === '余') high = low + firstDigitScale(low);
    else if (after === '出头') high = low + firstDigitScale(low) / 2;
    else if (rough === '来' || after === '左右') {
      low *= 1 - ROUGH;
      high *= 1 + ROUGH;
    }
    const bound = before ?? after ?? '';
    let bounded = true;
    if (AT_LEAST.test(bound)) high = Number.POSITIVE_INFINITY;
    else if (MORE_THAN.test(bound)) {
      low = low * (1 + 1e-9);
      high = Number.POSITIVE_INFINITY;
    } else if (AT_MOST.test(bound)) low = 0;
    else if (LESS_THAN.test(bound)) {
      high = low * (1 - 1e-9);
      low = 0;
    } else bounded = false;
    const end = (match.index ?? 0) + whole.length;
    found.push({ unit, low, high, bounded, after: text.slice(end, end + 1) });
  }
  return found;
}

/** 20 → 10, 250 → 100, 1 → 1: "二十几" spans the next ten, "两百多" the next hundred. */
function firstDigitScale(value: number): number {
  return value > 0 ? 10 ** Math.floor(Math.log10(value)) : 1;
}

/** The figures the asker states (its size, its amount, its share), as ranges. */
export function statedFigures(question: string): FigureRange[] {
  return readFigures(question).map(({ unit, low, high }) => ({ unit, low, high }));
}

/**
 * The brackets a sentence is written for: a bounded figure used to qualify ("1000万元及以下的小微企业", "50人以下企业"),
 * not a cap on what is given ("给予不超过50万元补助", "费率原则上不高于1%", followed by its noun or a comma).
 */
function brackets(sentence: string): FigureRange[] {
  return readFigures(sentence)
    .filter(({ bounded, after }) => bounded && (after === '的' || /[\u4e00-\u9fff]/.test(after)) && !/[补奖给助贴]/.test(after))
    .map(({ unit, low, high }) => ({ unit, low, high }));
}

/** Every figure the asker states of a unit lies outside every bracket the sentence is written for in that unit. */
export function outsideBrackets(stated: FigureRange[], sentence: string): boolean {
  if (stated.length === 0) return false;
  const written = brackets(sentence);
  for (const unit of new Set(stated.map((figure) => figure.unit))) {
    const ours = stated.filter((figure) => figure.unit === unit);
    const theirs = written.filter((figure) => figure.unit === unit);
    if (theirs.length === 0) continue;
    if (ours.every((figure) => theirs.every((bracket) => figure.high < bracket.low || figure.low > bracket.high))) return true;
  }
  return false;
}

/** Some figure the asker states lies inside a bracket the sentence is written for: the sentence says what applies to it. */
export function withinBracket(stated: FigureRange[], sentence: string): boolean {
  if (stated.length === 0) return false;
  const written = brackets(sentence);
  return stated.some((figure) => written.some((bracket) => bracket.unit === figure.unit && figure.low >= bracket.low && figure.high <= bracket.high));
}
