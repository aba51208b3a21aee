/**
 * An enterprise's profile read from what it writes ("我们是清远一家28人的小微制造企业，去年营收3000万") or from
 * JSON: place, size, headcount, revenue, kinds (高新技术企业, 专精特新, 个体工商户…), industry, and what it is
 * doing or needs (招用毕业生, 技术改造, 融资…). Only what the text says is set; the rest stays unknown.
 */
import vocabularyFile from '../../corpus/measure-vocabulary.json' with { type: 'json' };
import { activityIds, kindIds, type ActivityId, type KindId } from '../../corpus/measures.ts';
import { placesIn } from '../../corpus/measures.ts';
import { toHalfWidth, toSimplified } from '../../corpus/index.ts';
import { PolicyBotError } from '../../corpus/index.ts';

export type SizeClass = 'micro' | 'small' | 'medium' | 'large';

export interface EnterpriseProfile {
  /** Where the enterprise is; null when the text names no place. */
  region: { province: string | null; city: string | null; district: string | null; park: string | null; text: string } | null;
  /** Size as stated (小微 → small) or derived from headcount and revenue (国统字〔2017〕213号, industry thresholds). */
  size: SizeClass | null;
  sizeStated: boolean;
  employees: number | null;
  /** Last year's revenue in 万元. */
  revenueWan: number | null;
  taxPaidWan: number | null;
  /** Last year's profit (利润, 应纳税所得额) in 万元: what 小型微利企业 is decided on. */
  profitWan: number | null;
  investmentWan: number | null;
  /** 规模以上: true when stated, false when the enterprise says it is not (yet), null otherwise. */
  aboveScale: boolean | null;
  /** Kinds and industries the text says the enterprise is. */
  kinds: KindId[];
  /** What it is doing or asks about. */
  needs: ActivityId[];
  /** 新认定 / 刚获批 / 今年首次: the enterprise says something happened for the first time. */
  firstTime: boolean;
  /** Years since it was founded, when said ("成立两年", "去年成立"). */
  yearsOperating: number | null;
  stateOwned: boolean;
}

const pattern = (source: string) => new RegExp(source);
const kindPatterns = kindIds.map((id) => ({ id, pattern: pattern(vocabularyFile.kinds[id].enterprise) }));
const needPatterns = activityIds.map((id) => ({ id, pattern: pattern(vocabularyFile.activities[id].enterprise) }));

const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const units: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** "3000", "1.2", "二十", "一千", "两百五" → number. */
export function parseNumber(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  let total = 0;
  let current = 0;
  let lastUnit = 1;
  for (const char of text) {
    if (char in digits) current = digits[char]!;
    else if (char in units) {
      total += (current || 1) * units[char]!;
      lastUnit = units[char]!;
      current = 0;
    } else return null;
  }
  // "两百五" means 250: a trailing digit after a unit counts in the next lower unit.
  return total + (current && lastUnit > 1 ? current * (lastUnit / 10) : current);
}

const numberForm = '(\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百千]+)';

function amountWan(number: string, scale: string | undefined): number | null {
  const value = parseNumber(number);
  if (value === null) return null;
  if (scale === '亿') return value * 10_000;
  if (scale === '千万') return value * 1000;
  if (scale === '万') return value;
  // A bare figure after 营收 is read as 万元 only when it is plausibly so ("营收3000"); otherwise yuan.
  return value >= 100_000 ? value / 10_000 : value;
}

function firstAmount(text: string, subject: string): number | null {
  const match = new RegExp(`(?:${subject})[^,，。;；!?？]{0,8}?${numberForm}(多|来|余|几)?(千万|亿|万)`).exec(text);
  return match ? amountWan(match[1]!, match[3]) : null;
}

/** Reads a profile from the enterprise's own words. */
export function readProfile(raw: string, knownCities: string[] = []): EnterpriseProfile {
  const text = toHalfWidth(toSimplified(raw)).replace(/\s+/g, '');
  const place = placesIn(text, knownCities)[0];
  const employeesMatch =
    new RegExp(`${numberForm}(多|来|余|几)?(个)?(人|名员工|名职工|个员工|名工人|个工人|号人)`).exec(text) ??
    new RegExp(`(?:员工|职工|工人|从业人员)(?:有|约|大概)?${numberForm}(多|来|余)?`).exec(text);
  const employees = employeesMatch ? parseNumber(employeesMatch[1]!) : null;
  const revenueWan = firstAmount(text, '营收|营业收入|营业额|销售额|销售收入|主营业务收入|年产值|产值|年收入|收入|流水');
  const kinds = kindPatterns.filter(({ pattern: kind }) => kind.test(text)).map(({ id }) => id);
  // "想冲规上", "还不是规上", "准备升规": the enterprise is below the 规模以上 line and wants to cross it.
  const wantsScale = /(冲|争取|准备|想|打算|计划|希望|还不是|还没|未|尚未|没有)[^,，。]{0,4}(规上|规模以上|升规|纳规|上规)/.test(text);
  const aboveScale = wantsScale ? false : kinds.includes('above_scale') ? true : null;
  const stated = statedSize(text);
  const manufacturing = kinds.includes('manufacturing');
  const size = stated ?? derivedSize(employees, revenueWan, manufacturing);
  // Saying what it pays ("交税一百来万") or that it is a 小规模纳税人 is a fact about the enterprise, not a question about tax;
  // what it does not mean to do ("暂时不打算转公司") is no need.
  const askedText = text
    .replace(new RegExp(`(交税|纳税|缴税|税收)(大概|大约|约|一年)?${numberForm}(多|来|余|几)?(千万|亿|万)?`, 'g'), '')
    .replace(/(小规模|一般)?纳税人/g, '')
    .replace(/(不打算|不想|暂时不|暂不|没打算|不准备|不需要)[^,，。;；]{0,8}/g, '');
  const needs = needPatterns.filter(({ pattern: need }) => need.test(askedText)).map(({ id }) => id);
  // Hiring graduates or hard-to-employ people is hiring: the measures for hiring in general apply too.
  if ((needs.includes('hire_graduates') || needs.includes('hire_hard_to_employ')) && !needs.includes('hiring')) needs.push('hiring');
  if (wantsScale && !needs.includes('upscale')) needs.push('upscale');
  const founded = /成立(了)?(\d+|[一二两三四五六七八九十])年|(去年|今年|前年)(刚)?(成立|注册|开业)/.exec(text);
  const yearsOperating = founded ? (founded[2] ? parseNumber(founded[2]) : founded[3] === '今年' ? 0 : founded[3] === '去年' ? 1 : 2) : null;
  return {
    region: place ? { province: place.province, city: place.city, district: place.district, park: place.park, text: place.park ?? place.text } : null,
    size,
    sizeStated: stated !== null,
    employees,
    revenueWan,
    taxPaidWan: firstAmount(text, '纳税|缴税|交税|税收'),
    profitWan: firstAmount(text, '利润|净利|盈利|应纳税所得额'),
    investmentWan: firstAmount(text, '投资|投入'),
    aboveScale,
    kinds: kinds.filter((kind) => !(kind === 'above_scale' && aboveScale === false)),
    needs,
    firstTime: /新认定|刚认定|首次|第一次|刚获批|刚评上|刚被认定|今年(被)?(认定|评为|获批|获评)|新评定/.test(text),
    yearsOperating,
    stateOwned: /国企|国有企业|国有控股/.test(text),
  };
}

function statedSize(text: string): SizeClass | null {
  if (/小微|微型|小型微利|小企业|小型企业/.test(text)) return /微型/.test(text) && !/小微/.test(text) ? 'micro' : 'small';
  if (/中型企业|中型/.test(text)) return 'medium';
  if (/大型企业|大型/.test(text)) return 'large';
  return null;
}

/**
 * Size from headcount and revenue, by the national classification (国统字〔2017〕213号): for industry, large is
 * ≥1000 people and ≥4亿, medium ≥300 and ≥2000万, small ≥20 and ≥300万, micro below; other sectors are read with
 * the same thresholds, which only matters where a measure names a size.
 */
function derivedSize(employees: number | null, revenueWan: number | null, _manufacturing: boolean): SizeClass | null {
  if (employees === null && revenueWan === null) return null;
  const levels: [SizeClass, number, number][] = [
    ['large', 1000, 40_000],
    ['medium', 300, 2000],
    ['small', 20, 300],
  ];
  for (const [size, people, revenue] of levels) {
    if ((employees === null || employees >= people) && (revenueWan === null || revenueWan >= revenue)) return size;
  }
  return 'micro';
}

/** What `policybot match --json` and the console form accept: a profile as fields (snake_case), or as text. */
export interface ProfileInput {
  text?: string;
  region?: string;
  size?: string;
  employees?: number;
  revenue_wan?: number;
  tax_paid_wan?: number;
  kinds?: string[];
  needs?: string[];
}

/**
 * A profile from JSON fields, each overriding what `text` says. Kinds and needs are given by id ("high_tech") or
 * by label ("高新技术企业"). Throws a clear error on fields it does not know.
 */
export function profileFromInput(input: ProfileInput, knownCities: string[] = []): EnterpriseProfile {
  const known = new Set(['text', 'region', 'size', 'employees', 'revenue_wan', 'tax_paid_wan', 'kinds', 'needs']);
  const unknown = Object.keys(input).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new PolicyBotError('BAD_PROFILE', `未知的字段:${unknown.join('、')}。可用字段:${[...known].join('、')}`);
  }
  const base = readProfile([input.text, input.region, input.size].filter(Boolean).join(','), knownCities);
  const number = (value: unknown, name: string) => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new PolicyBotError('BAD_PROFILE', `${name} 须为非负数字`);
    return value;
  };
  const ids = <T extends string>(values: unknown, all: readonly T[], labels: (id: T) => string, name: string): T[] | undefined => {
    if (values === undefined) return undefined;
    if (!Array.isArray(values)) throw new PolicyBotError('BAD_PROFILE', `${name} 须为数组`);
    return values.map((value) => {
      const id = all.find((candidate) => candidate === value || labels(candidate) === value);
      if (!id) throw new PolicyBotError('BAD_PROFILE', `${name} 中的“${String(value)}”不认识。可用:${all.map(labels).join('、')}`);
      return id;
    });
  };
  const employees = number(input.employees, 'employees') ?? base.employees;
  const revenueWan = number(input.revenue_wan, 'revenue_wan') ?? base.revenueWan;
  const kinds = ids(input.kinds, kindIds, (id) => vocabularyFile.kinds[id].label, 'kinds');
  const needs = ids(input.needs, activityIds, (id) => vocabularyFile.activities[id].label, 'needs');
  const allKinds = [...new Set([...base.kinds, ...(kinds ?? [])])];
  return {
    ...base,
    employees,
    revenueWan,
    taxPaidWan: number(input.tax_paid_wan, 'tax_paid_wan') ?? base.taxPaidWan,
    kinds: allKinds,
    needs: [...new Set([...base.needs, ...(needs ?? [])])],
    size: base.sizeStated ? base.size : derivedSize(employees, revenueWan, allKinds.includes('manufacturing')),
  };
}
