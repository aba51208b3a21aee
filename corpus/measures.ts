/**
 * The corpus's second entry: who and what each measure is for (conditions, offers, kinds, topics) and the places
 * documents and enterprises name. What matching, the store and the console's corrections read. Apart from
 * `corpus/index.ts` because the place gazetteer (every county of China, @vant/area-data) takes about 90 ms to load
 * on this machine, which `policybot corpus list` (0.5 s budget) does not need.
 */
export {
  activityIds,
  activityLabel,
  applyCorrection,
  clauseTextHash,
  correctionMetrics,
  kindIds,
  kindLabel,
  measureConditions,
  metricLabels,
  topicLabel,
  topics,
} from './measure-conditions.ts';
export type { ActivityId, Condition, ConditionCorrection, KindId, MeasureConditions, Metric, Offer, Topic, UnreadCondition } from './measure-conditions.ts';
export { corpusCities, placeForms, placeKey, placesIn } from './place-gazetteer.ts';
