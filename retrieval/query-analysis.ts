import placeData from '../corpus/places.json' with { type: 'json' };
import thesaurus from '../corpus/thesaurus.json' with { type: 'json' };
import { toHalfWidth, toSimplified } from '../corpus/script-converter.ts';
import { terms, type QuantityKind } from './text-analysis.ts';

/** A question made ready for search. */
export interface AnalysedQuery {
  /** Simplified, half-width, fillers and "who is responsible" phrasing removed. */
  text: string;
  terms: string[];
  /** Terms added from the thesaurus, searched with a lower weight. */
  expansionTerms: string[];
  /** For a question word taken from a thesaurus group, the words of that group's other members: 货款 → 账款, 款项… */
  synonyms: Map<string, string[]>;
  /** The kinds of number the question asks for (empty: it asks none). */
  asksQuantity: QuantityKind[];
  /** The asker wants the responsible department ("找哪个部门", "谁牵头"). */
  asksResponsibility: boolean;
  /** "人社局负责哪些措施" — list the measures of this department. */
  departmentListing: string | null;
  /** Place names the question mentions. */
  places: string[];
}

const FILLERS = [...thesaurus.fillers].sort((a, b) => b.length - a.length);
const RESPONSIBILITY = [...thesaurus.responsibility_phrases].sort((a, b) => b.length - a.length);
const PLACES = [...placeData.places].sort((a, b) => b.length - a.length);

/** How each kind of number is asked for; the first kind a question part matches is what it asks. */
const QUANTITY_QUESTIONS: [QuantityKind, RegExp][] = [
  ['period', /(?<![好十百千万哪])几(天|个工作日|个月|年|周)|多少(天|个?工作日|年|个月)|多久|多长时间/],
  ['share', /比例|百分之几|几个点|(?<![好十百千万哪])几成|几倍|(税率|费率|利率)[^,。;?]{0,6}(多少|几)/],
  ['money', /多少钱|多少万|多大金额|多大规模|(奖|补|贴|贷|借|给|拿|收|返|资助)[^,。;?]{0,4}多少/],
  ['count', /(?<![好十百千万哪])几(个|家|项|枚|次|名)|多少(个|家|项|枚|次|人|名)/],
  ['any', /多少|多大|上限|下限|标准是/],
];

/**
 * The kinds of number the question asks for: an amount, a share, a count or how long ("补多少钱", "比例",
 * "几天"). Only the asking parts count: in "帮上游十几家供应商融到了钱," or "得满足几个条件," 几 tells.
 */
export function asksQuantity(question: string): QuantityKind[] {
  const text = toHalfWidth(toSimplified(question));
  const asking = text.includes('?') ? text.split(/(?<=[,。;!?])/).filter((part) => part.endsWith('?')) : [text];
  const kinds = asking.map((part) => QUANTITY_QUESTIONS.find(([, pattern]) => pattern.test(part))?.[0]).filter((kind) => kind !== undefined);
  return [...new Set(kinds)];
}

export function analyseQuery(question: string): AnalysedQuery {
  let text = toHalfWidth(toSimplified(question)).replace(/\s+/g, ' ').trim();
  const asksResponsibility = RESPONSIBILITY.some((phrase) => text.includes(phrase)) || /哪(几)?个(部门|单位|局)|哪些(部门|单位)|谁(来)?(管|办|负责|牵头)/.test(text);
  for (const phrase of [...FILLERS, ...RESPONSIBILITY]) text = text.split(phrase).join(' ');
  text = text.replace(/^[\s,。.!?、]+/, '').trim();
  const listing = /([\u4e00-\u9fff]{1,12}?(?:局|委|办|中心|工会|联))(?:都|主要)?(?:负责|牵头|管)(?:了)?(?:哪些|什么|几项|多少)/.exec(text);
  const base = terms(text);
  const expansionTerms: string[] = [];
  const synonyms = new Map<string, string[]>();
  for (const group of thesaurus.groups) {
    const used = group.filter((word) => text.includes(word));
    if (used.length === 0) continue;
    const others = group.filter((word) => !used.includes(word)).flatMap((word) => terms(word));
    expansionTerms.push(...others);
    for (const word of used.flatMap((phrase) => terms(phrase)).filter((term) => !term.startsWith('#'))) {
      synonyms.set(word, [...(synonyms.get(word) ?? []), ...others.filter((term) => !term.startsWith('#'))]);
    }
  }
  const places = PLACES.filter((place) => text.includes(place));
  return {
    text,
    terms: base,
    expansionTerms: [...new Set(expansionTerms)].filter((term) => !base.includes(term)),
    synonyms,
    asksQuantity: asksQuantity(text),
    asksResponsibility,
    departmentListing: listing?.[1]?.replace(/^(请问|那|那么)/, '') ?? null,
    places,
  };
}
