import { loadCorpus } from '../../../corpus/index.ts';
import { PolicyBotError } from '../../../corpus/index.ts';
import { profileFromInput, readProfile, type EnterpriseProfile, type ProfileInput } from '../../matching/index.ts';
import { composeMatchAnswer, profileSummary } from '../../matching/index.ts';
import { corpusCities, createPolicyMatcher, type MeasureMatch } from '../../matching/index.ts';
import { openStore } from '../../store/index.ts';
import type { CommandInput } from './command.ts';
import { readLines } from './terminal-input.ts';

/** `policybot match`: the measures an enterprise's situation matches, for the argument or each stdin line. */
export async function matchCommand({ config, values, positionals }: CommandInput<{ json?: boolean; 'include-expired'?: boolean }>): Promise<number> {
  const corpus = loadCorpus(config.corpusDir);
  const store = await openStore(config);
  try {
    const matcher = createPolicyMatcher({ corpus, corrections: () => store.listConditionCorrections() });
    const inputs = positionals.length > 0 ? [positionals.join(' ')] : await readLines();
    if (inputs.length === 0)
      throw new PolicyBotError('USAGE', 'match 需要企业情况：文字如“清远一家28人的小微制造企业”，或 JSON 如 {"text":"…","employees":28}。');
    for (const input of inputs) {
      const profile = profileFromLine(input, corpusCities(corpus));
      const result = await matcher.match(profile, { includeExpired: Boolean(values['include-expired']) });
      const answer = composeMatchAnswer(input, result);
      if (values.json) {
        const entry = (match: MeasureMatch) => ({
          clause_id: match.clauseId,
          doc_id: match.docId,
          topic: match.topic,
          name: match.name,
          gives: match.gives,
          matched_on: match.matchedOn,
          to_check: match.toCheck,
          unread: match.unread,
          validity: match.validity,
          relevance: match.relevance,
          lead_departments: match.citation.lead_departments,
          support_departments: match.citation.support_departments,
          citation: match.citation,
        });
        console.log(
          JSON.stringify({
            input,
            profile,
            summary: profileSummary(profile),
            missing: result.missing,
            matches: result.matches.map(entry),
            may_apply: result.mayApply.map(entry),
            expired: result.expired.map(entry),
            expired_count: result.expiredCount,
            answer: answer.answer,
          }),
        );
      } else console.log(`${answer.answer}\n`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** A profile line: a JSON object of fields, or the enterprise's own words. */
function profileFromLine(line: string, cities: string[]): EnterpriseProfile {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return readProfile(trimmed, cities);
  let fields: unknown;
  try {
    fields = JSON.parse(trimmed);
  } catch (cause) {
    throw new PolicyBotError('BAD_PROFILE', `企业情况不是有效的 JSON：${(cause as Error).message}`, { cause });
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new PolicyBotError('BAD_PROFILE', '企业情况 JSON 须为对象');
  return profileFromInput(fields as ProfileInput, cities);
}
