import { departmentsText, PolicyBotError } from '../../../corpus/index.ts';
import { createRuntime } from '../runtime.ts';
import type { CommandInput } from './command.ts';
import { readLines } from './terminal-input.ts';

interface SearchFlags {
  json?: boolean;
  k?: string;
  region?: string;
  doc?: string;
  'in-force'?: string;
  department?: string;
}

/** Most hits one search prints: the retriever reranks a head of 30 by coverage (retrieval/clause-retriever.ts), so more would not be ranked. */
const MAX_HITS = 30;

/** `policybot search`: the ranked clauses for a question, or for each stdin line. */
export async function searchCommand({ config, values, positionals }: CommandInput<SearchFlags>): Promise<number> {
  const k = Number(values.k ?? 5);
  if (!Number.isInteger(k) || k < 1 || k > MAX_HITS) throw new PolicyBotError('USAGE', `-k 须为 1 到 ${MAX_HITS} 的整数（收到“${values.k}”）。`);
  const inForceOn = values['in-force'];
  if (inForceOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(inForceOn))
    throw new PolicyBotError('USAGE', `--in-force 须为 YYYY-MM-DD 格式的日期，如 2025-03-01（收到“${inForceOn}”）。`);
  const runtime = await createRuntime(config);
  const options = { k, region: values.region, docId: values.doc, inForceOn, department: values.department };
  const questions = positionals.length > 0 ? [positionals.join(' ')] : await readLines();
  for (const item of questions) {
    const result = await runtime.retriever.search(item, options);
    const hits = result.hits.map((hit) => hit.citation);
    if (values.json) console.log(JSON.stringify({ question: item, hits }));
    else {
      console.log(`问：${item}`);
      hits.forEach((hit, index) =>
        console.log(`${index + 1}. [${hit.score}] 《${hit.doc_title}》${hit.clause_label}  ${departmentsText(hit)}\n   ${hit.quote.slice(0, 120)}`),
      );
    }
  }
  return 0;
}
