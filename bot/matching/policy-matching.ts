/**
 * Policy matching: an enterprise profile against the conditions of every measure (corpus/measure-conditions.ts).
 * No channel SDK, no HTTP, no environment: a corpus, the officers' corrections and a clock go in, matches come out.
 */
import type { Corpus } from '../../corpus/index.ts';
import type { Clause, PolicyDocument } from '../../corpus/index.ts';
import {
  applyCorrection,
  kindLabel,
  measureConditions,
  metricLabels,
  type Condition,
  type ConditionCorrection,
  type KindId,
  type MeasureConditions,
  type Offer,
  type Topic,
  type UnreadCondition,
} from '../../corpus/measures.ts';
import { placeKey } from '../../corpus/measures.ts';
import { validityOn, type ValidityStatus } from '../../corpus/index.ts';
import { toCitation, type Citation } from '../../retrieval/index.ts';
import type { EnterpriseProfile } from './enterprise-profile.ts';

export type Fit = 'met' | 'unknown' | 'failed';

export interface MeasureMatch {
  clauseId: string;
  docId: string;
  topic: Topic;
  /** The measure's heading, or the start of its text. */
  name: string;
  /** What it gives, from the offers that fit the profile. */
  gives: string[];
  /** Conditions the profile meets, as sentences for the answer ("小微企业", "员工人数≤30人"). */
  matchedOn: string[];
  /** Conditions the profile does not say enough to decide ("须为首次认定"). */
  toCheck: string[];
  unread: UnreadCondition[];
  validity: { status: ValidityStatus; note: string };
  /** Why it was listed: it is about what the enterprise asked for, it is meant for its kind, or it is open to all. */
  relevance: 'need' | 'kind' | 'general';
  citation: Citation;
}

export type MissingFact = 'region' | 'size' | 'industry';

export interface MatchResult {
  profile: EnterpriseProfile;
  /** Measures whose conditions the profile meets (or does not contradict), in force or not known to have expired. */
  matches: MeasureMatch[];
  /** Measures that fit as far as the rules could read, but with conditions they could not read. */
  mayApply: MeasureMatch[];
  /** Measures that would fit but whose document or phase has expired (filled when asked for). */
  expired: MeasureMatch[];
  /** How many measures were left out because they expired (whether or not listed). */
  expiredCount: number;
  /** Facts the profile lacks that decide between many measures: what a short follow-up should ask. */
  missing: MissingFact[];
}

export interface MatchOptions {
  includeExpired?: boolean;
}

export interface PolicyMatcher {
  match(profile: EnterpriseProfile, options?: MatchOptions): Promise<MatchResult>;
  /** Every measure's conditions, officers' corrections applied. */
  conditions(): Promise<MeasureConditions[]>;
  /** Conditions of one clause, corrections applied. */
  conditionsOf(clauseId: string): Promise<MeasureConditions | undefined>;
}

export interface PolicyMatcherOptions {
  /** The corpus, or a function returning the current one (it changes after `corpus add`). */
  corpus: Corpus | (() => Corpus);
  /** Officers' corrections of conditions (the store's), looked up on every match so a correction counts at once. */
  corrections?: () => Promise<ConditionCorrection[]>;
  today?: () => string;
}

// Kinds that say who a measure is for, as against broad ones that almost every enterprise asking is.
const specificKinds = new Set<KindId>([
  'micro_small',
  'individual',
  'high_tech',
  'specialized',
  'tech_sme',
  'foreign_trade',
  'retail_catering',
  'startup',
  'small_taxpayer',
  'above_scale',
  'agriculture',
]);
/** Kinds that are an industry (the enterprise is one of them at most). */
export const industryKinds: ReadonlySet<KindId> = new Set<KindId>(['manufacturing', 'retail_catering', 'agriculture']);
const concrete = new Set(['amount', 'ratio', 'tax', 'money', 'finance', 'land']);
/** With this many measures depending on a missing fact, the fact is worth one follow-up question. */
const DECISIVE = 3;

/**
 * @example
 * const matcher = createPolicyMatcher({ corpus, corrections: () => store.listConditionCorrections() });
 * const result = await matcher.match(readProfile('我们是清远一家28人的小微制造企业'));
 */
export function createPolicyMatcher(options: PolicyMatcherOptions): PolicyMatcher {
  const corpusNow = typeof options.corpus === 'function' ? options.corpus : () => options.corpus as Corpus;
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  let cache: { corpus: Corpus; base: MeasureConditions[] } | undefined;

  const baseConditions = (): MeasureConditions[] => {
    const corpus = corpusNow();
    if (cache?.corpus !== corpus)
      cache = { corpus, base: corpus.documents.flatMap((document) => document.clauses.map((clause) => measureConditions(clause, document))) };
    return cache.base;
  };

  async function conditions(): Promise<MeasureConditions[]> {
    const corrections = new Map(((await options.corrections?.()) ?? []).map((correction) => [correction.clauseId, correction]));
    const corpus = corpusNow();
    return baseConditions().map((measure) => {
      const correction = corrections.get(measure.clauseId);
      return correction ? applyCorrection(measure, correction, corpus.clause(measure.clauseId)!) : measure;
    });
  }

  async function match(profile: EnterpriseProfile, matchOptions: MatchOptions = {}): Promise<MatchResult> {
    const corpus = corpusNow();
    const date = today();
    const matches: MeasureMatch[] = [];
    const mayApply: MeasureMatch[] = [];
    const expired: MeasureMatch[] = [];
    let expiredCount = 0;
    const regionsSeen = new Set<string>();
    let sizeDecides = 0;
    let industryDecides = 0;
    for (const measure of await conditions()) {
      const document = corpus.document(measure.docId)!;
      const clause = corpus.clause(measure.clauseId)!;
      const place = regionFit(document, profile);
      if (place === 'failed') continue;
      // An offer whose own deadline has passed ("期限至2021年12月31日") fits only as an expired one.
      const lapsed = (fits: { condition: Condition; fit: Fit }[]) => fits.some(({ condition, fit }) => condition.type === 'period' && fit === 'failed');
      const fitting = measure.offers
        .map((offer) => ({ offer, fits: offer.conditions.map((condition) => ({ condition, fit: conditionFit(condition, profile, date, offer) })) }))
        .filter(({ fits }) => !fits.some(({ condition, fit }) => fit === 'failed' && condition.type !== 'period') && kindsFit(fits) !== 'failed');
      if (fitting.length === 0) continue;
      const current = fitting.filter(({ fits }) => !lapsed(fits));
      const relevance = relevanceOf(
        measure,
        fitting.map(({ offer, fits }) => ({ offer, fits })),
        profile,
      );
      if (!relevance) continue;
      regionsSeen.add(`${document.region.city}${document.region.district ?? ''}`);
      const kindFits = fitting.flatMap(({ fits }) => fits.filter(({ condition }) => condition.type === 'kind'));
      if (
        !profile.size &&
        profile.aboveScale === null &&
        kindFits.some(({ condition, fit }) => fit === 'unknown' && condition.type === 'kind' && !industryKinds.has(condition.kind))
      )
        sizeDecides += 1;
      if (kindFits.some(({ condition, fit }) => fit === 'unknown' && condition.type === 'kind' && industryKinds.has(condition.kind))) industryDecides += 1;
      let validity = measureValidity(document, clause, date);
      if (current.length === 0 && validity.status !== 'expired') validity = { status: 'expired', note: '文件所写期限已过' };
      const entry = toMatch(
        measure,
        clause,
        document,
        current.length > 0 && validity.status !== 'expired' ? current : fitting,
        validity,
        relevance,
        date,
        place,
      );
      if (validity.status === 'expired') {
        expiredCount += 1;
        if (matchOptions.includeExpired) expired.push(entry);
        continue;
      }
      (measure.unread.length > 0 ? mayApply : matches).push(entry);
    }
    const missing: MissingFact[] = [];
    if (!profile.region && regionsSeen.size > 1) missing.push('region');
    if (sizeDecides >= DECISIVE) missing.push('size');
    if (industryDecides >= DECISIVE && !profile.kinds.some((kind) => industryKinds.has(kind))) missing.push('industry');
    const order = (a: MeasureMatch, b: MeasureMatch) => relevanceRank[a.relevance] - relevanceRank[b.relevance] || b.matchedOn.length - a.matchedOn.length;
    return { profile, matches: matches.sort(order), mayApply: mayApply.sort(order), expired: expired.sort(order), expiredCount, missing };
  }

  return {
    match,
    conditions,
    conditionsOf: async (clauseId) => (await conditions()).find((measure) => measure.clauseId === clauseId),
  };
}

const relevanceRank = { need: 0, kind: 1, general: 2 } as const;

/** The document's place against the enterprise's: same city, and same county when the document is a county's. */
export function regionFit(document: PolicyDocument, profile: EnterpriseProfile): Fit {
  const region = profile.region;
  if (!region) return 'unknown';
  const documentCity = placeKey(document.region.city);
  const documentDistrict = placeKey(document.region.district);
  if (documentCity && region.city) {
    if (placeKey(region.city) !== documentCity) return 'failed';
    if (!documentDistrict) return 'met';
    if (!region.district) return 'unknown';
    return placeKey(region.district) === documentDistrict ? 'met' : 'failed';
  }
  if (document.region.province && region.province) return document.region.province === region.province ? 'met' : 'failed';
  return 'unknown';
}

function measureValidity(document: PolicyDocument, clause: Clause, date: string): { status: ValidityStatus; note: string } {
  const base = validityOn(document, date);
  if (base.status === 'expired') return base;
  const phase = clause.period ? /(20\d\d)\s*[-—–~至]\s*(20\d\d)/.exec(clause.period) : null;
  if (phase && `${phase[2]}-12-31` < date) return { status: 'expired', note: `实施阶段为${clause.period},已结束` };
  if (phase) return { status: 'in_force', note: `实施阶段${clause.period}${base.status === 'unknown' ? `;${base.note}` : ''}` };
  return base;
}

const sizeOrder = { micro: 0, small: 1, medium: 2, large: 3 } as const;

/** Whether the profile meets one condition; 'unknown' when it does not say. */
export function conditionFit(condition: Condition, profile: EnterpriseProfile, date: string, offer?: Offer): Fit {
  switch (condition.type) {
    case 'kind':
      return condition.kind === 'micro_small' && offer?.gives.some((benefit) => benefit.kind === 'tax')
        ? smallLowProfitFit(profile)
        : kindFit(condition.kind, profile);
    case 'threshold': {
      const value =
        condition.metric === 'employees'
          ? profile.employees
          : condition.metric === 'revenue'
            ? profile.revenueWan
            : condition.metric === 'tax_paid'
              ? profile.taxPaidWan
              : condition.metric === 'investment'
                ? profile.investmentWan
                : null;
      if (value === null) return 'unknown';
      const holds =
        condition.op === '>='
          ? value >= condition.value
          : condition.op === '>'
            ? value > condition.value
            : condition.op === '<='
              ? value <= condition.value
              : value < condition.value;
      return holds ? 'met' : 'failed';
    }
    case 'first_time':
      return profile.firstTime ? 'met' : 'unknown';
    case 'within_years':
      return profile.yearsOperating === null ? 'unknown' : profile.yearsOperating <= condition.years ? 'met' : 'failed';
    case 'place': {
      const where = `${profile.region?.text ?? ''}${profile.region?.park ?? ''}`;
      return where && (where.includes(condition.place) || condition.place.includes(where)) ? 'met' : 'unknown';
    }
    case 'period':
      if (condition.until && condition.until < date) return 'failed';
      return 'met';
  }
}

/**
 * In a tax relief, 小微企业 is the tax law's 小型微利企业 (财政部 税务总局公告2023年第12号): at most 300 people and a
 * taxable income of at most 300万元 (and assets of at most 5000万元, which profiles do not say), whatever the
 * statistical size class. An enterprise that states more people or profit fails; one that states neither is
 * decided by its size as before.
 */
function smallLowProfitFit(profile: EnterpriseProfile): Fit {
  if ((profile.employees !== null && profile.employees > 300) || (profile.profitWan !== null && profile.profitWan !== undefined && profile.profitWan > 300))
    return 'failed';
  if (profile.profitWan !== null && profile.profitWan !== undefined && (profile.employees === null || profile.employees <= 300)) return 'met';
  return kindFit('micro_small', profile);
}

export function kindFit(kind: KindId, profile: EnterpriseProfile): Fit {
  const has = (id: KindId) => profile.kinds.includes(id);
  const size = profile.size === null ? null : sizeOrder[profile.size];
  const industryStated = profile.kinds.some((id) => industryKinds.has(id));
  switch (kind) {
    case 'micro_small':
      return size === null ? (has('individual') ? 'met' : 'unknown') : size <= 1 ? 'met' : 'failed';
    case 'sme':
      return size === null ? 'unknown' : size <= 2 ? 'met' : 'failed';
    case 'medium':
      return size === null ? 'unknown' : size === 2 ? 'met' : 'failed';
    case 'large':
      return size === null ? 'unknown' : size === 3 ? 'met' : 'failed';
    case 'above_scale':
      return profile.aboveScale === true ? 'met' : profile.aboveScale === false ? 'failed' : size !== null && size <= 0 ? 'failed' : 'unknown';
    case 'individual':
      return has('individual') ? 'met' : 'failed';
    case 'high_tech':
      return has('high_tech') ? 'met' : 'failed';
    case 'specialized':
      return has('specialized') ? 'met' : 'failed';
    case 'tech_sme':
      return has('tech_sme') || has('high_tech') ? 'met' : 'failed';
    case 'foreign_trade':
      return has('foreign_trade') || profile.needs.includes('export') ? 'met' : 'failed';
    case 'manufacturing':
    case 'retail_catering':
    case 'agriculture':
      return has(kind) ? 'met' : industryStated ? 'failed' : 'unknown';
    case 'startup':
      return has('startup') || (profile.yearsOperating !== null && profile.yearsOperating <= 3)
        ? 'met'
        : profile.yearsOperating !== null
          ? 'failed'
          : 'unknown';
    case 'private':
      return profile.stateOwned ? 'failed' : 'met';
    case 'small_taxpayer':
      return has('small_taxpayer') ? 'met' : 'unknown';
  }
}

/**
 * The kinds a sentence names combine as policy writing means them: the industry ("小微工业企业") and ownership
 * (民营) qualify, every other kind is an alternative ("小微企业和个体工商户", "“小升规”企业、“专精特新”企业").
 */
function kindsFit(fits: { condition: Condition; fit: Fit }[]): Fit {
  const kinds = fits.filter((entry): entry is { condition: Extract<Condition, { type: 'kind' }>; fit: Fit } => entry.condition.type === 'kind');
  if (kinds.length === 0) return 'met';
  const best = (entries: { fit: Fit }[]): Fit =>
    entries.length === 0 ? 'met' : entries.some(({ fit }) => fit === 'met') ? 'met' : entries.some(({ fit }) => fit === 'unknown') ? 'unknown' : 'failed';
  const industry = best(kinds.filter(({ condition }) => industryKinds.has(condition.kind)));
  const ownership = best(kinds.filter(({ condition }) => condition.kind === 'private'));
  const others = best(kinds.filter(({ condition }) => !industryKinds.has(condition.kind) && condition.kind !== 'private'));
  const all = [industry, ownership, others];
  return all.includes('failed') ? 'failed' : all.includes('unknown') ? 'unknown' : 'met';
}

function relevanceOf(
  measure: MeasureConditions,
  fitting: { offer: Offer; fits: { condition: Condition; fit: Fit }[] }[],
  profile: EnterpriseProfile,
): MeasureMatch['relevance'] | null {
  if (profile.needs.some((need) => measure.activities.includes(need))) return 'need';
  const concreteOffers = fitting.filter(({ offer }) => offer.gives.some((benefit) => concrete.has(benefit.kind)));
  if (concreteOffers.some(({ fits }) => fits.some(({ condition, fit }) => fit === 'met' && condition.type === 'kind' && specificKinds.has(condition.kind))))
    return 'kind';
  if (profile.needs.length === 0 && concreteOffers.length > 0) return 'general';
  return null;
}

function describe(condition: Condition): string {
  switch (condition.type) {
    case 'kind':
      return condition.text.replace(/[“”"()]/g, '') === kindLabel(condition.kind)
        ? kindLabel(condition.kind)
        : `${kindLabel(condition.kind)}(文件原文“${condition.text}”)`;
    case 'threshold':
      return `${metricLabels[condition.metric]}${condition.op.replace('>=', '≥').replace('<=', '≤')}${condition.value}${condition.unit}`;
    case 'first_time':
      return `须为“${condition.text}”`;
    case 'within_years':
      return `须在${condition.years}年内(“${condition.text}”)`;
    case 'place':
      return `须在${condition.place}`;
    case 'period':
      return condition.text;
  }
}

function toMatch(
  measure: MeasureConditions,
  clause: Clause,
  document: PolicyDocument,
  fitting: { offer: Offer; fits: { condition: Condition; fit: Fit }[] }[],
  validity: { status: ValidityStatus; note: string },
  relevance: MeasureMatch['relevance'],
  date: string,
  place: Fit,
): MeasureMatch {
  // The offers that fit best first: the most conditions met, then the most concrete.
  const ranked = [...fitting].sort(
    (a, b) =>
      b.fits.filter(({ fit }) => fit === 'met').length - a.fits.filter(({ fit }) => fit === 'met').length ||
      Number(b.offer.gives.some((benefit) => concrete.has(benefit.kind))) - Number(a.offer.gives.some((benefit) => concrete.has(benefit.kind))),
  );
  const shown = ranked.slice(0, 3);
  const gives = [
    ...new Set(
      shown.flatMap(({ offer }) =>
        offer.gives
          .filter((benefit) => benefit.kind !== 'service' || offer.gives.length === 1)
          .slice(0, 2)
          .map((benefit) => benefit.text),
      ),
    ),
  ].slice(0, 3);
  const matchedOn = [
    ...new Set(
      shown.flatMap(({ fits }) =>
        fits.filter(({ fit, condition }) => fit === 'met' && condition.type !== 'period').map(({ condition }) => describe(condition)),
      ),
    ),
  ];
  if (place === 'met') matchedOn.unshift(`地区:${[document.region.city, document.region.district].filter(Boolean).join('')}`);
  const toCheck = [...new Set(shown.flatMap(({ fits }) => fits.filter(({ fit }) => fit === 'unknown').map(({ condition }) => describe(condition))))];
  if (place === 'unknown') toCheck.unshift(`适用地区:${[document.region.city, document.region.district].filter(Boolean).join('')}`);
  const citation = { ...toCitation(clause, document, '', 1, date), quote: shown.map(({ offer }) => offer.source).join('') };
  return {
    clauseId: measure.clauseId,
    docId: measure.docId,
    topic: measure.topic,
    name: clause.title ?? clause.text.replace(/^\s*[(（]?[一二三四五六七八九十\d]+[)）、.]?/, '').slice(0, 30),
    gives,
    matchedOn,
    toCheck,
    unread: measure.unread,
    validity,
    relevance,
    citation,
  };
}
