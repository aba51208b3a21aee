/**
 * Conditions as data: who each measure is for, under what conditions, where, when, and what it gives, read by
 * general rules over the clause's sentences (and table cells). Every condition keeps the sentence it was read
 * from; what the rules see but cannot read ("符合条件的企业", conditions set in another document) is kept as
 * `unread`, so a matcher can say "may apply, check with the department" instead of guessing.
 */
import vocabularyFile from './measure-vocabulary.json' with { type: 'json' };
import { createHash } from 'node:crypto';
import type { Clause, PolicyDocument, Region } from './document.ts';
import { toHalfWidth, toSimplified } from './script-converter.ts';
import { sentences } from './sentences.ts';

export type KindId = keyof typeof vocabularyFile.kinds;
export type ActivityId = keyof typeof vocabularyFile.activities;
export type Topic = keyof typeof vocabularyFile.topics;
export type Metric = 'revenue' | 'tax_paid' | 'employees' | 'investment' | 'taxable_income' | 'amount_applied';

export const kindIds = Object.keys(vocabularyFile.kinds) as KindId[];
export const activityIds = Object.keys(vocabularyFile.activities) as ActivityId[];
export const topics = Object.keys(vocabularyFile.topics) as Topic[];
export const kindLabel = (kind: KindId): string => vocabularyFile.kinds[kind].label;
export const activityLabel = (activity: ActivityId): string => vocabularyFile.activities[activity].label;
export const topicLabel = (topic: Topic): string => vocabularyFile.topics[topic];
export const metricLabels: Record<Metric, string> = {
  revenue: '营业收入',
  tax_paid: '纳税额',
  employees: '员工人数',
  investment: '投资额',
  taxable_income: '应纳税所得额',
  amount_applied: '申请金额',
};

/** One condition of a measure, with the sentence it was read from (as published). */
export type Condition =
  | { type: 'kind'; kind: KindId; text: string; source: string }
  | { type: 'threshold'; metric: Metric; op: '>=' | '<=' | '>' | '<'; value: number; unit: '万元' | '人'; text: string; source: string }
  | { type: 'first_time'; text: string; source: string }
  | { type: 'within_years'; years: number; text: string; source: string }
  | { type: 'place'; place: string; text: string; source: string }
  | { type: 'period'; from: string | null; until: string | null; text: string; source: string };

/** What a measure gives: money (an amount, often a cap), a ratio, a tax relief, a loan, land, a service. */
export interface Benefit {
  kind: 'amount' | 'ratio' | 'tax' | 'money' | 'finance' | 'land' | 'service';
  /** The words that say it, e.g. "给予一次性不超过50万元补助", "按…60%返还". */
  text: string;
  /** Amount in 万元 when stated. */
  amountWan?: number;
  /** True for 最高 / 不超过 / 以内: the amount is a cap. */
  cap?: boolean;
  /** Percentage when stated. */
  percent?: number;
}

/** A sentence that gives something, with the conditions stated in it (or in the measure's heading). */
export interface Offer {
  source: string;
  gives: Benefit[];
  conditions: Condition[];
}

/** A condition the rules saw but could not read. */
export interface UnreadCondition {
  text: string;
  reason: string;
  source: string;
}

export interface MeasureConditions {
  clauseId: string;
  docId: string;
  /** Sentences that give enterprises something; empty for measures about the government's own work. */
  offers: Offer[];
  /** Place and period conditions that hold for the whole measure (the document's region, 实施阶段, validity). */
  conditions: Condition[];
  activities: ActivityId[];
  topic: Topic;
  unread: UnreadCondition[];
  /**
   * Set when an officer corrected these conditions (who and when), so the console can show it; `stale` when the
   * clause text has changed since (the correction is still applied, and shown as 原文已变更,请复核).
   */
  correctedBy?: { officer: string; time: string; note: string; stale: boolean } | null;
}

const vocabulary = {
  kinds: kindIds.map((id) => ({ id, pattern: new RegExp(vocabularyFile.kinds[id].measure, 'g') })),
  activities: activityIds.map((id) => ({ id, pattern: new RegExp(vocabularyFile.activities[id].measure, 'g') })),
};

/** Simplified, half-width, without whitespace: the form every rule reads. */
const readable = (text: string) => toHalfWidth(toSimplified(text)).replace(/\s+/g, '');

/** A clause's sentences as published (see sentences.ts), without the bracketed department notes. */
export function sentencesOf(text: string): string[] {
  return sentences(text).filter((sentence) => !/^[(（〔【][^)）〕】]*(牵头|负责|配合|责任单位)[^)）〕】]*[)）〕】][。;；]?$/.test(sentence));
}

// Words that give something to the reader of the measure. A sentence with none of them describes the government's
// own work (领导小组, 考核, 清理文件) and offers nothing. The words after "一对一" are what the documents give
// besides money: a guarantee product or ratio, a loan kept or renewed, land price not charged, a registration
// changed in place, a permit issued directly, guidance in applying, a complaint settled within a time limit.
const giving =
  /给予|发放|补助|补贴|奖励|奖补|资助|返还|减免(?!责)|免征|减征|减半|减按|加计|抵减|退税|贴息|兑现|免费|免收|零收费|零成本|缓缴|不停供|绿色通道|专项资金|资金支持|财政资金|提供.{0,12}(服务|贷款|融资|资金|担保|场地|用地)|提供[^。;]{0,30}等服务|低成本贷款|费率.{0,6}不高于|降低.{0,8}(费率|成本|资费|门槛)|压缩(至|到|在)|预留.{0,6}份额|优先(保障|纳入|流转|办理)|放宽|免于|不予(行政)?处罚|可凭借|允许|一对一|担保(支持|产品|比例)|金融产品|信用贷|首贷|稳贷|续贷|增信|不增收|经费支持|支持范围|财政政策|直接变更|直接核发|增值服务|申报指导|办结|投向|精准支撑|拓展.{0,6}销售渠道|红利账单/;
// A sentence that only sets a target for the city ("力争…增长20%") or reports past results gives nothing.
const targetOnly = /^(\d+\.)?(力争|到20\d\d年|20\d\d年(度)?(全市|力争|完成|实现|累计|组织|支持\d|向)|全市|截至|截止|目前|自政策实施以来|我市已|累计)/;
// "不再" ends a benefit ("不再享受"), but "不再开展…审查" and "不再增收土地价款" give one.
const negated = /没有开展|未开展|不予补助$|不再(执行|实施|享受|给予|补助|补贴|支持|发放|返还)/;
// A report of what was paid out ("共发放…万元,惠及…家企业", "合计奖励企业4080万元", "发放创业担保贷款54笔合计4118万元")
// is a total of past work: it gives no enterprise reading it anything.
const reported =
  /惠及\d|惠及[一二三四五六七八九十百千万]+[家户人]|(共|合计|累计)(计)?(发放|奖励|支持|安排|兑现|下达|拨付|补助|减免)|合计[^,，。;]{0,8}\d+(\.\d+)?(亿|万)?元|\d+笔/;

const unreadPatterns: { pattern: RegExp; reason: string }[] = [
  { pattern: /符合(政策)?(条件|要求)的[^,，。;]{0,12}/, reason: '文件只写“符合条件”,未列明具体条件' },
  { pattern: /(按|依据|根据)(规定|政策|有关规定|相关规定|程序)[^,，。;]{0,10}/, reason: '条件按有关规定执行,文件未写明' },
  { pattern: /(按照|落实|根据|依据|贯彻落实)《[^》]{2,40}》/, reason: '具体条件见所引文件,本文未写明' },
  { pattern: /有条件的[^,，。;]{0,10}/, reason: '文件未写明何为“有条件”' },
  { pattern: /(结合实际|视情况|一定比例|一定的资金)[^,，。;]{0,10}/, reason: '标准由各地或部门另定,文件未写明' },
];

/**
 * Reads the conditions of every clause of a document.
 * @example conditionsOf(document).find((measure) => measure.clauseId === '001:二(五)')!.offers[0].gives
 */
export function conditionsOf(document: PolicyDocument): MeasureConditions[] {
  return document.clauses.map((clause) => measureConditions(clause, document));
}

export function measureConditions(clause: Clause, document: PolicyDocument): MeasureConditions {
  const titleKinds = kindsIn(readable(clause.title ?? ''), clause.title ?? '');
  const offers: Offer[] = [];
  const unread: UnreadCondition[] = [];
  for (const source of withHeadingsJoined(sentencesOf(clause.text))) {
    const sentence = readable(source);
    // A sentence that gives nothing as a whole (a target, a report of totals, "没有开展") has no part that gives.
    if (benefitsIn(sentence).length === 0) continue;
    const parts = offerParts(source);
    if (parts.length === 0) continue;
    // Who the sentence is for, when a part does not say: "…提供信用贷款,解决中小民营企业融资难问题".
    const sentenceKinds = kindsIn(sentence, source);
    const shared: Condition[] = [
      ...placesIn(sentence, source),
      ...deadlinesIn(sentence, source),
      ...yearBoundIn(sentence, source),
      ...citedPlanPeriodIn(sentence, source),
      ...epidemicReliefIn(sentence, source),
    ];
    for (const part of parts) {
      const text = readable(part.source);
      const ownKinds = kindsIn(text, part.source);
      const conditions: Condition[] = [
        ...(ownKinds.length ? ownKinds : sentenceKinds.length ? sentenceKinds : titleKinds),
        ...thresholdsIn(text, part.source),
        ...firstTimeIn(text, part.source),
        ...withinYearsIn(text, part.source),
        ...shared,
      ];
      offers.push({ source: part.source, gives: part.gives, conditions });
    }
    for (const { pattern, reason } of unreadPatterns) {
      const found = pattern.exec(sentence);
      if (found) unread.push({ text: found[0], reason, source });
    }
  }
  const whole = readable(`${clause.title ?? ''}${clause.text}`);
  return {
    clauseId: clause.clauseId,
    docId: document.docId,
    offers,
    conditions: [...regionConditions(document.region), ...periodConditions(clause, document)],
    activities: activitiesIn(whole),
    topic: topicOf(whole, offers),
    unread,
  };
}

/**
 * A short sentence that only names the measure ("三是落实专项资金。", "(五)实施电费水费缓缴政策。") is the heading
 * of the sentence after it, which says what, for whom and when: they are read as one, so a heading does not stand
 * as an offer of its own once the sentence it heads has lapsed.
 */
function withHeadingsJoined(sentences: string[]): string[] {
  const joined: string[] = [];
  let heading = '';
  for (const sentence of sentences) {
    const body = readable(sentence).replace(/^(\(?[一二三四五六七八九十\d]+[)、.]|[一二三四五六七八九十]+是)/, '');
    if (body.length <= 12 && /。$/.test(body)) heading += sentence;
    else {
      joined.push(heading + sentence);
      heading = '';
    }
  }
  if (heading) joined.push(heading);
  return joined;
}

/**
 * The parts of a sentence that each give something to their own beneficiaries. Policy writing lists several
 * reliefs in one sentence, each for its own kind ("增值税小规模纳税人减免增值税,小微企业减按25%计入应纳税所得额,
 * …个体工商户减半征收…"): a part between commas that gives something is an offer; a part that gives nothing joins
 * the offer after it when it leads into it ("对…的企业,给予…"), else the one before it ("…,解决…问题").
 */
function offerParts(source: string): { source: string; gives: Benefit[] }[] {
  const pieces = source.split(/(?<=[,，])/);
  const groups: { pieces: string[]; gives: Benefit[] }[] = [];
  let leading: string[] = [];
  for (const piece of pieces) {
    const gives = benefitsIn(readable(piece));
    if (gives.length > 0) {
      groups.push({ pieces: [...leading, piece], gives });
      leading = [];
    } else if (groups.length > 0 && !/^\s*(对|为|向|凡|针对)/.test(piece) && leading.length === 0) groups.at(-1)!.pieces.push(piece);
    else leading.push(piece);
  }
  if (leading.length > 0 && groups.length > 0) groups.at(-1)!.pieces.push(...leading);
  // Split only a list of reliefs for different beneficiaries (two parts or more naming their own kinds); any other
  // sentence is one offer with what the whole gives ("…按…60%返还" across a comma).
  const named = groups.filter((group) => kindsIn(readable(group.pieces.join('')), '').length > 0);
  if (groups.length <= 1 || named.length < 2) return [{ source, gives: benefitsIn(readable(source)) }];
  return groups.map((group) => ({ source: group.pieces.join(''), gives: group.gives }));
}

function kindsIn(sentence: string, source: string): Condition[] {
  const found: Condition[] = [];
  for (const { id, pattern } of vocabulary.kinds) {
    pattern.lastIndex = 0;
    const match = pattern.exec(sentence);
    // "小巨人" is read as 专精特新 only; "小微" inside "中小微" is the 中小企业 kind, not a separate one.
    if (match && !(id === 'micro_small' && /中小微/.test(sentence) && !/(^|[^中])小微/.test(sentence))) {
      found.push({ type: 'kind', kind: id, text: match[0], source });
    }
  }
  return found;
}

const metricWords: { metric: Metric; pattern: RegExp }[] = [
  { metric: 'taxable_income', pattern: /应纳税所得额/ },
  { metric: 'revenue', pattern: /营业收入|主营业务收入|营收|销售收入|年产值|产值/ },
  { metric: 'tax_paid', pattern: /纳税|缴纳税款|税收贡献/ },
  { metric: 'investment', pattern: /投资额|固定资产投资|设备投资|总投资|投资/ },
  { metric: 'employees', pattern: /职工|员工|从业人员|参保人数|用工/ },
  { metric: 'amount_applied', pattern: /担保金额|贷款金额|票据/ },
];

/** "参保职工30人(含)以下的企业", "年应纳税所得额不超过200万元", "营业收入2000万元以上". */
function thresholdsIn(sentence: string, source: string): Condition[] {
  const found: Condition[] = [];
  const pattern = /(不超过|不低于|不少于|超过|达到|低于|高于)?(\d+(?:\.\d+)?)(亿|万)?(元|人)(\(含\))?(及以上|以上|及以下|以下|以内)?/g;
  for (const match of sentence.matchAll(pattern)) {
    const [text, before, number, scale, unit, inclusive, after] = match;
    if (!before && !after) continue;
    const preceding = sentence.slice(Math.max(0, match.index - 14), match.index);
    const metric = metricWords.find((word) => word.pattern.test(preceding))?.metric ?? (unit === '人' ? 'employees' : undefined);
    if (!metric) continue;
    // Amounts given ("补助不超过50万元") are benefits, not thresholds: a threshold is about the enterprise.
    if (/(补助|奖励|补贴|给予|资助)$/.test(preceding) || /^(补助|奖励|补贴)/.test(sentence.slice(match.index + text.length))) continue;
    const upper = before === '不超过' || before === '低于' || /以下|以内/.test(after ?? '');
    const strict = before === '超过' || before === '低于' || before === '高于' || (after === '以上' && !inclusive && metric === 'employees');
    const value = (Number(number) * (scale === '亿' ? 10_000 : 1)) / (unit === '元' && !scale ? 10_000 : 1);
    found.push({
      type: 'threshold',
      metric,
      op: upper ? (strict && before === '低于' ? '<' : '<=') : strict ? '>' : '>=',
      value,
      unit: unit === '人' ? '人' : '万元',
      text: `${preceding.replace(/^.*[,，、]/, '')}${text}`,
      source,
    });
  }
  return found;
}

/** 首次 / 新认定 / 新评定 / 新建投产纳规 / 当年度首次. */
function firstTimeIn(sentence: string, source: string): Condition[] {
  const match = /(当年度)?首次[\u4e00-\u9fff]{1,8}|新(认定|评定|评为|获评|入选|获批|建投产)[\u4e00-\u9fff]{0,8}/.exec(sentence);
  return match ? [{ type: 'first_time', text: match[0], source }] : [];
}

const chineseDigits: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** "成立不满3年", "注册3年内", "近三年". */
function withinYearsIn(sentence: string, source: string): Condition[] {
  const match = /(成立|注册|设立|创办|开办|认定)(不满|不超过|未满)?(\d+|[一二两三四五六七八九十])年(以内|内)?|近(\d+|[一二两三四五])年/.exec(sentence);
  if (!match) return [];
  if (!match[2] && !match[4] && !match[5]) return [];
  const raw = match[3] ?? match[5]!;
  return [{ type: 'within_years', years: Number(raw) || chineseDigits[raw] || 0, text: match[0], source }];
}

/** A named district or park the measure is limited to ("入驻…产业园的企业"). */
function placesIn(sentence: string, source: string): Condition[] {
  const match = /(入驻|进驻|落户|位于)([\u4e00-\u9fff]{2,14}?(高新区|产业园|工业园区|经济开发区|开发区|合作区|园区|孵化基地|双创基地|孵化器|众创空间))/.exec(
    sentence,
  );
  return match ? [{ type: 'place', place: match[2]!, text: match[0], source }] : [];
}

const isoDate = (year: string, month = '12', day?: string) => {
  const m = Number(month);
  const last = day ? Number(day) : new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return `${year}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
};

/** "期限至2022年12月31日", "延续执行至2027年底", "自2023年1月1日至2027年12月31日", "2023年2月1日至7月31日". */
function deadlinesIn(sentence: string, source: string): Condition[] {
  const range = /自?(20\d\d)年(\d{1,2})月(\d{1,2})日(起)?至((20\d\d)年)?(\d{1,2})月(\d{1,2})日/.exec(sentence);
  if (range) {
    return [
      { type: 'period', from: isoDate(range[1]!, range[2], range[3]), until: isoDate(range[6] ?? range[1]!, range[7], range[8]), text: range[0], source },
    ];
  }
  const until = /(期限|执行|延续执行|实施|有效期)至(20\d\d)年((\d{1,2})月((\d{1,2})日)?|底)?/.exec(sentence);
  if (until) return [{ type: 'period', from: null, until: isoDate(until[2]!, until[4] ?? '12', until[6]), text: until[0], source }];
  return [];
}

/**
 * A payout or action dated to one year ("兑现2022年…专项资金", "2023年省、市财政共安排…", "2021年我市兑现…") is that
 * year's: it lapses at the year's end. A year that starts something ("2022年5月1日起…") or dates when a policy was
 * issued ("2022年省出台政策,向…发放…") sets no end.
 */
function yearBoundIn(sentence: string, source: string): Condition[] {
  const dated =
    /(兑现|下达|拨付)(20\d\d)年/.exec(sentence) ??
    /^(\(?[一二三四五六七八九十\d]+[)、.]|[一二三四五六七八九十]+是)?(20\d\d)年(度)?(省|市|全市|我市|我局|省、市)?[^,，。;]{0,16}?(兑现|下达|安排|发放|奖励|资助|补助|支持了|共)/.exec(
      sentence,
    );
  if (!dated) return [];
  const year = dated[2]!;
  const after = sentence.slice(dated.index + dated[0].length - 2, dated.index + dated[0].length + 12);
  if (/^[^,，。;]{0,10}起/.test(sentence.slice(sentence.indexOf(`${year}年`) + 5)) || /出台|印发|制定|修订/.test(after)) return [];
  return [{ type: 'period', from: null, until: `${year}-12-31`, text: `${year}年度事项`, source }];
}

/**
 * An offer that carries out a plan with its years in its name ("出台《…三年行动计划(2022-2024年)》,为…提供租金补贴",
 * "落实《…行动方案(2023-2025年)》") ends with that plan, whatever the row's 实施阶段 says.
 */
function citedPlanPeriodIn(sentence: string, source: string): Condition[] {
  const plan = /(《[^》]*|(计划|方案|规划|行动))\((20\d\d)\s*[-—–~至]\s*(20\d\d)年?\)/.exec(sentence);
  return plan
    ? [
        {
          type: 'period',
          from: `${plan[3]}-01-01`,
          until: `${plan[4]}-12-31`,
          text: `所依据的${plan[1]!.startsWith('《') ? '文件' : plan[2]}期限${plan[3]}-${plan[4]}年`,
          source,
        },
      ]
    : [];
}

/**
 * Reliefs for enterprises "受疫情影响" belong to the epidemic: they ended with the epidemic measures (class B
 * management from 2023-01-08; the deferrals declared then ran into 2023 at the latest).
 */
function epidemicReliefIn(sentence: string, source: string): Condition[] {
  return /受(新冠)?(肺炎)?疫情影响/.test(sentence) ? [{ type: 'period', from: null, until: '2023-12-31', text: '疫情期间的纾困措施', source }] : [];
}

function regionConditions(region: Region): Condition[] {
  const place = [region.province, region.city, region.district].filter(Boolean).join('');
  return place ? [{ type: 'place', place, text: place, source: '文件发文地区' }] : [];
}

/** The document's validity and the clause's 实施阶段 ("2023-2027年"; "长期实施" has no end). */
function periodConditions(clause: Clause, document: PolicyDocument): Condition[] {
  const conditions: Condition[] = [];
  const { effectiveFrom, effectiveUntil, statement } = document.validity;
  if (effectiveFrom || effectiveUntil) {
    conditions.push({ type: 'period', from: effectiveFrom, until: effectiveUntil, text: '文件有效期', source: statement ?? '文件有效期' });
  }
  const phase = clause.period ? /(20\d\d)\s*[-—–~至]\s*(20\d\d)年?/.exec(toHalfWidth(clause.period)) : null;
  if (phase)
    conditions.push({
      type: 'period',
      from: `${phase[1]}-01-01`,
      until: `${phase[2]}-12-31`,
      text: `实施阶段${clause.period}`,
      source: `实施阶段:${clause.period}`,
    });
  return conditions;
}

/** What one sentence gives; empty when it gives nothing (a target, a report, the government's own work). */
function benefitsIn(sentence: string): Benefit[] {
  const body = sentence.replace(/^(\(?[一二三四五六七八九十\d]+[)、.]|[一二三四五六七八九十]+是)/, '');
  if (!giving.test(body) || targetOnly.test(body) || negated.test(body) || reported.test(body)) return [];
  const gives: Benefit[] = [];
  for (const match of body.matchAll(
    /((一次性|最高|分\d年)?(给予|奖励|补助|补贴|资助)?[^,，。;]{0,10}?(最高|不超过|不高于)?(\d+(?:\.\d+)?)(亿|万)元[^,，。;]{0,8})/g,
  )) {
    const phrase = match[0];
    if (!/给予|奖励|补助|补贴|资助|补|奖/.test(phrase + body.slice(match.index + phrase.length, match.index + phrase.length + 6))) continue;
    const amount = Number(match[5]) * (match[6] === '亿' ? 10_000 : 1);
    gives.push({ kind: 'amount', text: phrase, amountWan: amount, cap: Boolean(match[4] || /最高|不超过|以内/.test(phrase)) });
  }
  for (const match of body.matchAll(/[^,，。;]{0,16}?(\d+(?:\.\d+)?)%[^,，。;]{0,10}/g)) {
    if (/返还|补贴|减按|加计|抵减|费率|贴息|扣除|减免|奖励/.test(match[0])) gives.push({ kind: 'ratio', text: match[0], percent: Number(match[1]) });
  }
  const kindOf: [Benefit['kind'], RegExp][] = [
    ['tax', /免征|减征|减免(?!责)|减半征收|减按|加计扣除|加计|抵减|退税|留抵|减税|税费优惠|缓缴|返还/],
    ['finance', /贷款|融资|担保|转贷|授信|贴息|再贴现|信用贷|首贷|稳贷|续贷|增信|金融产品|投向/],
    ['land', /用地|供地|厂房|租金补贴|土地|不增收/],
    ['money', /补助|补贴|奖励|奖补|资助|专项资金|资金支持|财政资金|兑现|经费支持|财政政策/],
    [
      'service',
      /绿色通道|免费|免收|零收费|零成本|一对一|服务|压缩|优先|放宽|免于|不予|允许|可凭借|预留|不停供|降低|直接变更|直接核发|申报指导|办结|精准支撑|销售渠道|红利账单/,
    ],
  ];
  for (const [kind, pattern] of kindOf) {
    if (gives.some((benefit) => benefit.kind === kind)) continue;
    if (gives.some((benefit) => benefit.kind === 'amount' || benefit.kind === 'ratio') && kind === 'money') continue;
    const match = pattern.exec(body);
    if (match) gives.push({ kind, text: phraseAround(body, match.index, match[0].length) });
  }
  return gives;
}

/** The clause-like stretch of a sentence around a match, between commas. */
function phraseAround(sentence: string, index: number, length: number): string {
  const start = Math.max(sentence.lastIndexOf(',', index), sentence.lastIndexOf(',', index), sentence.lastIndexOf(';', index)) + 1;
  const stops = [',', ',', ';', '。'].map((stop) => sentence.indexOf(stop, index + length)).filter((at) => at >= 0);
  const end = stops.length ? Math.min(...stops) : sentence.length;
  return sentence.slice(start, end).slice(0, 60);
}

function activitiesIn(text: string): ActivityId[] {
  return vocabulary.activities
    .filter(({ pattern }) => {
      pattern.lastIndex = 0;
      return pattern.test(text);
    })
    .map(({ id }) => id);
}

/** The heading an answer groups the measure under: the activity named most, else the kind of benefit. */
function topicOf(text: string, offers: Offer[]): Topic {
  const counts = new Map<Topic, number>();
  for (const { id, pattern } of vocabulary.activities) {
    const hits = text.match(pattern)?.length ?? 0;
    if (hits) counts.set(vocabularyFile.activities[id].topic as Topic, (counts.get(vocabularyFile.activities[id].topic as Topic) ?? 0) + hits);
  }
  const benefits = offers.flatMap((offer) => offer.gives.map((benefit) => benefit.kind));
  if (benefits.includes('tax') && (counts.get('tax') ?? 0) > 0) return 'tax';
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (best) return best[0];
  if (benefits.includes('amount') || benefits.includes('money')) return 'money';
  if (benefits.includes('finance')) return 'finance';
  return 'services';
}

/**
 * An officer's correction of a measure's conditions, kept by clause id (stable across re-parses) with a hash of
 * the clause text it was made on, so a correction whose text has since changed is flagged for review.
 */
export interface ConditionCorrection {
  clauseId: string;
  /** False: the measure offers enterprises nothing (the government's own work). */
  offered: boolean;
  kinds: KindId[];
  thresholds: { metric: Metric; op: '>=' | '<=' | '>' | '<'; value: number }[];
  firstTime: boolean;
  /** What it gives, in the officer's words; empty keeps what the rules read. */
  gives: string;
  /** The officer checked the conditions: nothing is left unread. */
  verified: boolean;
  note: string;
  officer: string;
  time: Date;
  /** SHA-256 of the clause text the officer corrected. */
  textHash: string;
}

export const correctionMetrics = Object.keys(metricLabels) as Metric[];

/** The measure's conditions as the officer set them. */
export function applyCorrection(measure: MeasureConditions, correction: ConditionCorrection, clause: Clause): MeasureConditions {
  const source = '政策服务专员核定';
  const stale = correction.textHash !== clauseTextHash(clause);
  const conditions: Condition[] = [
    ...correction.kinds.map((kind): Condition => ({ type: 'kind', kind, text: kindLabel(kind), source })),
    ...correction.thresholds.map(
      (threshold): Condition => ({
        type: 'threshold',
        ...threshold,
        unit: threshold.metric === 'employees' ? '人' : '万元',
        text: `${metricLabels[threshold.metric]}${threshold.op}${threshold.value}`,
        source,
      }),
    ),
    ...(correction.firstTime ? [{ type: 'first_time', text: '首次/新认定', source } as Condition] : []),
  ];
  const read = measure.offers.flatMap((offer) => offer.gives);
  const gives: Benefit[] = correction.gives.trim()
    ? [
        {
          kind: benefitsIn(readable(correction.gives))[0]?.kind ?? (/\d+(\.\d+)?万元/.test(correction.gives) ? 'amount' : 'service'),
          text: correction.gives.trim(),
        },
      ]
    : read.slice(0, 3);
  return {
    ...measure,
    offers: correction.offered
      ? [
          {
            source,
            gives: gives.length ? gives : [{ kind: 'service', text: '见原文' }],
            conditions: [...conditions, ...measure.offers.flatMap((offer) => offer.conditions.filter((condition) => condition.type === 'period'))],
          },
        ]
      : [],
    unread: correction.verified ? [] : measure.unread,
    correctedBy: { officer: correction.officer, time: correction.time.toISOString(), note: correction.note, stale },
  };
}

/** The hash a correction is pinned to. */
export function clauseTextHash(clause: Clause): string {
  return createHash('sha256').update(clause.text).digest('hex');
}
