import {
  correctionMetrics,
  kindIds,
  kindLabel,
  metricLabels,
  type Condition,
  type ConditionCorrection,
  type KindId,
  type MeasureConditions,
  type Metric,
} from '../../corpus/measures.ts';
import { ConsoleRequestError } from './console-request-error.ts';

/** A measure's conditions as the console shows them under the clause: each item with the sentence it came from. */
export interface ConditionsView {
  offered: boolean;
  who: ConditionItem[];
  thresholds: ConditionItem[];
  first_time: ConditionItem[];
  within_years: ConditionItem[];
  places: ConditionItem[];
  periods: ConditionItem[];
  gives: { text: string; source: string }[];
  unread: { text: string; reason: string; source: string }[];
  /** Who corrected these conditions and when; `stale` when the clause text changed since (原文已变更,请复核). */
  corrected_by: { officer: string; time: string; note: string; stale: boolean } | null;
}
interface ConditionItem {
  text: string;
  source: string;
}

const item = (condition: Condition): ConditionItem => {
  if (condition.type === 'kind') return { text: kindLabel(condition.kind), source: condition.source };
  if (condition.type === 'threshold')
    return {
      text: `${metricLabels[condition.metric]}${condition.op.replace('>=', '≥').replace('<=', '≤')}${condition.value}${condition.unit}`,
      source: condition.source,
    };
  return { text: condition.text, source: condition.source };
};

export function conditionsView(measure: MeasureConditions): ConditionsView {
  const all = [...measure.conditions, ...measure.offers.flatMap((offer) => offer.conditions)];
  const unique = (items: ConditionItem[]) => items.filter((entry, index) => items.findIndex((other) => other.text === entry.text) === index);
  const of = (type: Condition['type']) => unique(all.filter((condition) => condition.type === type).map(item));
  return {
    offered: measure.offers.length > 0,
    who: of('kind'),
    thresholds: of('threshold'),
    first_time: of('first_time'),
    within_years: of('within_years'),
    places: of('place'),
    periods: of('period'),
    gives: measure.offers.flatMap((offer) => offer.gives.map((benefit) => ({ text: benefit.text, source: offer.source }))),
    unread: measure.unread,
    corrected_by: measure.correctedBy ?? null,
  };
}

/**
 * An officer's correction from the console form: `kinds` as labels or ids, `thresholds` as "营业收入>=2000;员工人数<=30"
 * (万元 or 人). Bad input is refused with a message naming the field.
 */
export function correctionFrom(body: Record<string, unknown>, clauseId: string, officer: string, time: Date, textHash: string): ConditionCorrection {
  const kinds = (Array.isArray(body.kinds) ? body.kinds : typeof body.kinds === 'string' ? body.kinds.split(/[,，、\s]+/) : [])
    .map((value) => String(value).trim())
    .filter(Boolean)
    .map((value): KindId => {
      const id = kindIds.find((kind) => kind === value || kindLabel(kind) === value);
      if (!id) throw new ConsoleRequestError(400, 'BAD_KIND', `不认识的企业类型“${value}”,可选:${kindIds.map(kindLabel).join('、')}`);
      return id;
    });
  const thresholds = (typeof body.thresholds === 'string' ? body.thresholds : '')
    .split(/[;；\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(.+?)(>=|<=|>|<|≥|≤)\s*(\d+(?:\.\d+)?)\s*(万元|万|人)?$/.exec(part.replace(/\s+/g, ''));
      const metric = match ? correctionMetrics.find((candidate) => metricLabels[candidate] === match[1] || candidate === match[1]) : undefined;
      if (!match || !metric)
        throw new ConsoleRequestError(400, 'BAD_THRESHOLD', `门槛“${part}”无法识别,格式如“营业收入>=2000”,指标可选:${Object.values(metricLabels).join('、')}`);
      const op = match[2] === '≥' ? '>=' : match[2] === '≤' ? '<=' : (match[2] as '>=' | '<=' | '>' | '<');
      return { metric: metric as Metric, op, value: Number(match[3]) };
    });
  const text = (value: unknown, max: number) => {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw new ConsoleRequestError(400, 'BAD_REQUEST', '字段须为文本');
    if ([...value].length > max) throw new ConsoleRequestError(400, 'TOO_LONG', `内容不能超过 ${max} 字`);
    return value.trim();
  };
  return {
    clauseId,
    offered: body.offered !== false,
    kinds,
    thresholds,
    firstTime: body.first_time === true,
    gives: text(body.gives, 300),
    verified: body.verified === true,
    note: text(body.note, 500),
    officer,
    time,
    textHash,
  };
}
