/**
 * Policy matching on tests/eval/profiles.jsonl: enterprise profiles written blind from the documents, each with
 * the measures that apply and those that must not (expired, other city, wrong size, wrong industry).
 * Run by `npm run eval` (run-eval.ts) and on its own: `node --import tsx tests/eval/match-eval.ts`.
 * A matched measure is the gold one when it is in the gold document and its clause text contains the anchor
 * (traditional → simplified, whitespace removed). Each profile goes through what the chat does: its text is read,
 * and when the matcher would ask for the region, the profile's `region` field is the enterprise's reply.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCorpus, type Corpus } from '../../corpus/corpus-library.ts';
import { matchingForm } from '../../corpus/script-converter.ts';
import { readProfile } from '../../bot/matching/enterprise-profile.ts';
import { createPolicyMatcher, type MeasureMatch } from '../../bot/matching/policy-matching.ts';

interface GoldMeasure { doc: string; clause: string; anchor: string; gives?: string; why?: string }
interface ProfileCase { id: string; profile: string; region: string; applies: GoldMeasure[]; must_not: GoldMeasure[] }

export interface MatchingSummary {
  profiles: number;
  gold: number;
  mustNot: number;
  /** Measures listed as matching (the main list). */
  listed: number;
  listedRight: number;
  /** The main list plus "may apply, check with the department". */
  listedWithMayApply: number;
  listedWithMayApplyRight: number;
  precision: number;
  recall: number;
  precisionWithMayApply: number;
  recallWithMayApply: number;
  /** Share of must-not measures that were listed (main or may-apply); lower is better. */
  mustNotHitRate: number;
  mustNotHitsByReason: Record<string, { listed: number; of: number }>;
  regionReadRight: number;
  followUpsAsked: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function readProfileCases(file = path.join(here, 'profiles.jsonl')): ProfileCase[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as ProfileCase) : [];
}

/** Scores matching on the profile set; returns the figures, a Markdown report, and the per-profile rows. */
export async function evaluateMatching(corpus: Corpus, today: string, cases = readProfileCases()) {
  const matcher = createPolicyMatcher({ corpus, today: () => today });
  const cities = corpus.documents.map((document) => document.region.city).filter((city): city is string => Boolean(city));
  const isGold = (match: MeasureMatch, gold: GoldMeasure) => match.docId === gold.doc && matchingForm(match.citation.text).includes(matchingForm(gold.anchor));
  const summary: MatchingSummary = {
    profiles: cases.length, gold: 0, mustNot: 0, listed: 0, listedRight: 0, listedWithMayApply: 0, listedWithMayApplyRight: 0,
    precision: 0, recall: 0, precisionWithMayApply: 0, recallWithMayApply: 0, mustNotHitRate: 0, mustNotHitsByReason: {}, regionReadRight: 0, followUpsAsked: 0,
  };
  let goldFound = 0;
  let goldFoundWithMayApply = 0;
  let mustNotHits = 0;
  const rows: string[][] = [];
  for (const item of cases) {
    let profile = readProfile(item.profile, cities);
    const regionGold = readProfile(item.region, cities).region;
    if (profile.region && regionGold && profile.region.city === regionGold.city) summary.regionReadRight += 1;
    let result = await matcher.match(profile);
    if (result.missing.length > 0) {
      summary.followUpsAsked += 1;
      // The enterprise answers the one follow-up with its place; size and industry it has said or not.
      if (result.missing.includes('region') && !profile.region) {
        profile = { ...profile, region: readProfile(item.region, cities).region };
        result = await matcher.match(profile);
      }
    }
    const main = result.matches;
    const all = [...result.matches, ...result.mayApply];
    summary.gold += item.applies.length;
    summary.mustNot += item.must_not.length;
    summary.listed += main.length;
    summary.listedWithMayApply += all.length;
    summary.listedRight += main.filter((match) => item.applies.some((gold) => isGold(match, gold))).length;
    summary.listedWithMayApplyRight += all.filter((match) => item.applies.some((gold) => isGold(match, gold))).length;
    const found = item.applies.filter((gold) => main.some((match) => isGold(match, gold)));
    const foundWithMayApply = item.applies.filter((gold) => all.some((match) => isGold(match, gold)));
    goldFound += found.length;
    goldFoundWithMayApply += foundWithMayApply.length;
    const hits = item.must_not.filter((gold) => all.some((match) => isGold(match, gold)));
    mustNotHits += hits.length;
    for (const gold of item.must_not) {
      const entry = summary.mustNotHitsByReason[gold.why ?? '?'] ??= { listed: 0, of: 0 };
      entry.of += 1;
      if (hits.includes(gold)) entry.listed += 1;
    }
    rows.push([
      item.id, `${found.length}/${item.applies.length}`, `${foundWithMayApply.length}/${item.applies.length}`, `${main.length}+${result.mayApply.length}`,
      hits.map((gold) => `${gold.doc} ${gold.clause} (${gold.why})`).join('; ') || '—',
      item.applies.filter((gold) => !all.some((match) => isGold(match, gold))).map((gold) => `${gold.doc} ${gold.clause}`).join('; ') || '—',
    ]);
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  summary.precision = ratio(summary.listedRight, summary.listed);
  summary.recall = ratio(goldFound, summary.gold);
  summary.precisionWithMayApply = ratio(summary.listedWithMayApplyRight, summary.listedWithMayApply);
  summary.recallWithMayApply = ratio(goldFoundWithMayApply, summary.gold);
  summary.mustNotHitRate = ratio(mustNotHits, summary.mustNot);
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const markdown = [
    `## Policy matching (profiles.jsonl, ${summary.profiles} profiles, today = ${today})`, '',
    '| | matching list | with "可能适用" list |', '|---|---|---|',
    `| precision | ${percent(summary.precision)} (${summary.listedRight}/${summary.listed}) | ${percent(summary.precisionWithMayApply)} (${summary.listedWithMayApplyRight}/${summary.listedWithMayApply}) |`,
    `| recall | ${percent(summary.recall)} (${goldFound}/${summary.gold}) | ${percent(summary.recallWithMayApply)} (${goldFoundWithMayApply}/${summary.gold}) |`,
    `| must-not listed (lower is better) | | ${percent(summary.mustNotHitRate)} (${mustNotHits}/${summary.mustNot}) |`, '',
    `Must-not by reason: ${Object.entries(summary.mustNotHitsByReason).map(([why, entry]) => `${why} ${entry.listed}/${entry.of}`).join(', ')}. ` +
      `Region read from the text: ${summary.regionReadRight}/${summary.profiles}; profiles where a follow-up was asked: ${summary.followUpsAsked}.`, '',
    '| profile | gold found | with may-apply | listed (main+may) | must-not listed | gold missed |', '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`), '',
  ].join('\n');
  return { summary, markdown };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const corpus = loadCorpus(path.resolve(here, '../../corpus/documents'));
  const { markdown } = await evaluateMatching(corpus, process.env.EVAL_TODAY ?? '2026-12-01');
  console.log(markdown);
  if (process.env.MATCH_EVAL_OUT) writeFileSync(process.env.MATCH_EVAL_OUT, markdown);
}
