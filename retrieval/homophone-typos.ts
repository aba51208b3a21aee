import { pinyin } from 'pinyin-pro';
import { defaultLexicon } from './lexicon.ts';
import { STOPWORD_CHARS } from './query-analysis.ts';
import { DICTIONARY_TOTAL, segment, taggedWords, wordFrequency } from './text-analysis.ts';

/**
 * Typing Chinese on a phone is typing pinyin and picking a character, and a hurried pick is a homophone: 代款 for
 * 贷款, 办洁 for 办结, 若干意件 for 若干意见. Such a pair is no word — jieba's dictionary cuts it into two single
 * characters — and the documents never write it, while one homophone of one of its characters, with the same
 * reading and tone, makes a word the documents use. That word is what was meant.
 *
 * Measured on the development sets: 14 such pairs, all typos; required to read with the same tone, the pairs that
 * were no typo (打几折, 排插, 32条里) are left alone, at the cost of two typos whose tone differs (审皮, 审差).
 */
export interface TypoCorrection {
  /** As the asker wrote it (simplified): 代款. */
  written: string;
  /** The documents' word it is read as: 贷款. */
  meant: string;
}

/** What the corpus knows: a word of its vocabulary, and a piece of text it holds anywhere. */
export interface KnownText {
  isWord(word: string): boolean;
  holds(text: string): boolean;
}

/** Characters that ask, point or join: a pair holding one is a phrase of two words (打几折, 补的钱), never a typo. */
const FUNCTION_CHARS = new Set([...STOPWORD_CHARS, ...'他她它不没很太更最还又再才']);
const HAN = /^[\u4e00-\u9fff]$/;

let homophones: Map<string, string[]> | null = null;

/** Every character of each reading with its tone (dài → 代 带 待 贷 …): built once, in some 70 ms. */
function charactersOf(reading: string): string[] {
  if (!homophones) {
    homophones = new Map();
    for (let code = 0x4e00; code <= 0x9fff; code += 1) {
      const character = String.fromCharCode(code);
      for (const each of pinyin(character, { multiple: true, type: 'array' })) {
        if (!each) continue;
        const list = homophones.get(each) ?? [];
        list.push(character);
        homophones.set(each, list);
      }
    }
  }
  return homophones.get(reading) ?? [];
}

const readingOf = (word: string) => pinyin(word, { type: 'array' }).join(' ');

/**
 * How much likelier, in log terms, general Chinese writes the word than its two characters side by side as words
 * of their own (jieba's dictionary frequencies). A typo's characters are rarely words there (代款: 代, 款); two
 * common words next to each other (钱能 of 装修的钱能要回来, 要建 of 说要建) read as themselves. On the development
 * sets the typos scored 4.2–10.3 and such neighbours 2.1–2.8 (潜能, 上市 for 上事); 4 keeps them apart (e⁴ ≈ 55
 * times likelier). It drops two typos whose word general Chinese seldom writes (转贷 0.0, 贴息 3.1).
 */
const MIN_WORD_LIKELIHOOD = 4;
const wordLikelihood = (word: string, pair: string) =>
  Math.log(Math.max(1, wordFrequency(word))) -
  (Math.log(Math.max(1, wordFrequency(pair[0]!))) + Math.log(Math.max(1, wordFrequency(pair[1]!))) - Math.log(DICTIONARY_TOTAL));

/** The word a pair of single characters was meant as, when exactly one homophone makes a word the corpus uses. */
function meantWord(pair: string, known: KnownText): string | null {
  const reading = pinyin(pair, { type: 'array' });
  const candidates = new Set<string>();
  for (const [position, syllable] of reading.entries()) {
    for (const character of charactersOf(syllable)) {
      if (character === pair[position]) continue;
      const word = position === 0 ? `${character}${pair[1]}` : `${pair[0]}${character}`;
      // Read in context: a character of several readings is read as the word reads it (行 in 银行 is háng).
      if (known.isWord(word) && readingOf(word) === reading.join(' ') && wordLikelihood(word, pair) >= MIN_WORD_LIKELIHOOD) candidates.add(word);
    }
  }
  return candidates.size === 1 ? [...candidates][0]! : null;
}

/**
 * The passive 被 comes before a verb (被罚, 被查, 被拖): before a noun it is no passive but a slip for a homophone
 * ("技改项目被案" for 备案).
 */
function passiveBeforeNoun(first: string, second: string): boolean {
  return first === '被' && /^n/.test(taggedWords(second)[0]?.tag ?? '');
}

/** The text (simplified, half-width) with each homophone typo replaced by the word meant, and what was replaced. */
export function correctTypos(text: string, known: KnownText): { text: string; corrections: TypoCorrection[] } {
  const pieces = segment(text);
  const corrections: TypoCorrection[] = [];
  let corrected = '';
  let at = 0;
  for (let index = 0; index < pieces.length; index += 1) {
    const first = pieces[index]!;
    const second = pieces[index + 1];
    if (
      second !== undefined &&
      HAN.test(first) &&
      HAN.test(second) &&
      (!FUNCTION_CHARS.has(first) || passiveBeforeNoun(first, second)) &&
      !FUNCTION_CHARS.has(second)
    ) {
      const pair = `${first}${second}`;
      const meant = known.holds(pair) || defaultLexicon().expand(pair).length > 0 ? null : meantWord(pair, known);
      if (meant) {
        corrections.push({ written: pair, meant });
        corrected += meant;
        at += 2;
        index += 1;
        continue;
      }
    }
    // As written (jieba's pieces are lower-cased, and as long as the text they were cut from).
    corrected += text.slice(at, at + first.length);
    at += first.length;
  }
  return { text: corrected + text.slice(at), corrections };
}
