/**
 * Policy matching on two sets of enterprise profiles written blind from the documents, each profile with the
 * measures that apply and those that must not (expired, other city, wrong size, wrong industry), scored apart:
 * tests/eval/profiles-dev.jsonl (development: its errors are studied) and tests/eval/profiles.jsonl (blind: only its
 * totals are reported, so the rules are not fitted to it).
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

interface GoldMeasure {
  doc: string;
  clause: string;
  anchor: string;
  gives?: string;
  why?: string;
}
interface ProfileCase {
  id: string;
  profile: string;
  region: string;
  applies: GoldMeasure[];
  must_not: GoldMeasure[];
}

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
  goldFound: number;
  goldFoundWithMayApply: number;
  mustNotListed: number;
  regionReadRight: number;
  followUpsAsked: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function readProfileCases(file = path.join(here, 'profiles.jsonl')): ProfileCase[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as ProfileCase)
    : [];
}

/** Scores matching on one profile set; returns the figures and the per-profile rows. */
export async function evaluateMatching(corpus: Corpus, today: string, cases = readProfileCases()) {
  const matcher = createPolicyMatcher({ corpus, today: () => today });
  const cities = corpus.documents.map((document) => document.region.city).filter((city): city is string => Boolean(city));
  const isGold = (match: MeasureMatch, gold: GoldMeasure) => match.docId === gold.doc && matchingForm(match.citation.text).includes(matchingForm(gold.anchor));
  const summary: MatchingSummary = {
    profiles: cases.length,
    gold: 0,
    mustNot: 0,
    listed: 0,
    listedRight: 0,
    listedWithMayApply: 0,
    listedWithMayApplyRight: 0,
    precision: 0,
    recall: 0,
    precisionWithMayApply: 0,
    recallWithMayApply: 0,
    mustNotHitRate: 0,
    mustNotHitsByReason: {},
    goldFound: 0,
    goldFoundWithMayApply: 0,
    mustNotListed: 0,
    regionReadRight: 0,
    followUpsAsked: 0,
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
      const entry = (summary.mustNotHitsByReason[gold.why ?? '?'] ??= { listed: 0, of: 0 });
      entry.of += 1;
      if (hits.includes(gold)) entry.listed += 1;
    }
    rows.push([
      item.id,
      `${found.length}/${item.applies.length}`,
      `${foundWithMayApply.length}/${item.applies.length}`,
      `${main.length}+${result.mayApply.length}`,
      hits.map((gold) => `${gold.doc} ${gold.clause} (${gold.why})`).join('; ') || '—',
      item.applies
        .filter((gold) => !all.some((match) => isGold(match, gold)))
        .map((gold) => `${gold.doc} ${gold.clause}`)
        .join('; ') || '—',
    ]);
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  summary.precision = ratio(summary.listedRight, summary.listed);
  summary.recall = ratio(goldFound, summary.gold);
  summary.precisionWithMayApply = ratio(summary.listedWithMayApplyRight, summary.listedWithMayApply);
  summary.recallWithMayApply = ratio(goldFoundWithMayApply, summary.gold);
  summary.mustNotHitRate = ratio(mustNotHits, summary.mustNot);
  summary.goldFound = goldFound;
  summary.goldFoundWithMayApply = goldFoundWithMayApply;
  summary.mustNotListed = mustNotHits;
  return { summary, rows };
}

/** The profile sets, scored apart: development (its errors may be studied) and blind (only its totals are reported). */
export const profileSets = [
  { file: 'profiles-dev.jsonl', title: 'development', perProfile: true },
  { file: 'profiles.jsonl', title: 'blind', perProfile: false },
] as const;

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/**
 * Scores every profile set apart and renders one table with a column per set. Per-profile rows are printed for
 * the development set only: the blind set's single profiles and results are not to be looked at.
 */
export async function evaluateMatchingSets(corpus: Corpus, today: string, sets: readonly { file: string; title: string; perProfile: boolean }[] = profileSets) {
  const scored: { file: string; title: string; perProfile: boolean; summary: MatchingSummary; rows: string[][] }[] = [];
  for (const set of sets) {
    const cases = readProfileCases(path.join(here, set.file));
    if (cases.length === 0) continue;
    scored.push({ ...set, ...(await evaluateMatching(corpus, today, cases)) });
  }
  const cell = (summary: MatchingSummary, key: 'main' | 'all' | 'recall' | 'recallAll' | 'mustNot') => {
    switch (key) {
      case 'main':
        return `${percent(summary.precision)} (${summary.listedRight}/${summary.listed})`;
      case 'all':
        return `${percent(summary.precisionWithMayApply)} (${summary.listedWithMayApplyRight}/${summary.listedWithMayApply})`;
      case 'recall':
        return `${percent(summary.recall)} (${summary.goldFound}/${summary.gold})`;
      case 'recallAll':
        return `${percent(summary.recallWithMayApply)} (${summary.goldFoundWithMayApply}/${summary.gold})`;
      case 'mustNot':
        return `${percent(summary.mustNotHitRate)} (${summary.mustNotListed}/${summary.mustNot})`;
    }
  };
  const line = (label: string, key: Parameters<typeof cell>[1]) => `| ${label} | ${scored.map((set) => cell(set.summary, key)).join(' | ')} |`;
  const markdown = [
    `## Policy matching (today = ${today})`,
    '',
    `| | ${scored.map((set) => `${set.title} (${set.file}, ${set.summary.profiles} profiles)`).join(' | ')} |`,
    `|---|${scored.map(() => '---|').join('')}`,
    line('precision, matching list', 'main'),
    line('recall, matching list', 'recall'),
    line('precision with "可能适用" list', 'all'),
    line('recall with "可能适用" list', 'recallAll'),
    line('must-not listed (lower is better)', 'mustNot'),
    `| must-not by reason | ${scored
      .map((set) =>
        Object.entries(set.summary.mustNotHitsByReason)
          .map(([why, entry]) => `${why} ${entry.listed}/${entry.of}`)
          .join(', '),
      )
      .join(' | ')} |`,
    `| region read from the text | ${scored.map((set) => `${set.summary.regionReadRight}/${set.summary.profiles}`).join(' | ')} |`,
    `| profiles where a follow-up was asked | ${scored.map((set) => `${set.summary.followUpsAsked}`).join(' | ')} |`,
    '',
    ...scored
      .filter((set) => set.perProfile)
      .flatMap((set) => [
        `### Per profile, ${set.title} (${set.file})`,
        '',
        '| profile | gold found | with may-apply | listed (main+may) | must-not listed | gold missed |',
        '|---|---|---|---|---|---|',
        ...set.rows.map((row) => `| ${row.join(' | ')} |`),
        '',
      ]),
  ].join('\n');
  return { sets: scored.map(({ file, title, summary }) => ({ file, title, summary })), markdown };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const corpus = loadCorpus(path.resolve(here, '../../corpus/documents'));
  const { markdown } = await evaluateMatchingSets(corpus, process.env.EVAL_TODAY ?? '2026-12-01');
  console.log(markdown);
  if (process.env.MATCH_EVAL_OUT) writeFileSync(process.env.MATCH_EVAL_OUT, markdown);
}
