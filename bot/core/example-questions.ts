import { describeError, type Logger } from '../logger.ts';
import type { ChatModel } from './chat-model.ts';

/**
 * Example questions a model writes for each clause, in the words enterprises use, so that retrieval finds the
 * measure when the asker does not say it the documents' way (the understanding issue's doc2query step). Only with
 * a model configured; cached by the clause's content hash, so a clause's questions are asked for once per text.
 */

/** One clause as the model is shown it. */
export interface ExampleClause {
  clauseId: string;
  /** The clause's content hash: the cache key (a changed text gets new questions). */
  hash: string;
  document: string;
  label: string;
  text: string;
}

/** Questions written so far, by content hash. */
export type ExampleQuestionCache = Map<string, string[]>;

/** How many questions are asked per clause: enough for a few ways of asking, few enough to stay on the clause. */
export const QUESTIONS_PER_CLAUSE = 5;
/** A written question longer than this is not a question an enterprise types (the prompt asks for ≤ 40). */
const MAX_QUESTION_CHARS = 80;
/** The clause text shown to the model is cut here (the longest clause of the five documents has 1 900 characters). */
const MAX_CLAUSE_CHARS = 2000;

/**
 * The questions in a model's reply: the first JSON array of strings in it, each trimmed, 4–80 characters, at most
 * QUESTIONS_PER_CLAUSE + 3; null when the reply holds no such array (prose, a refusal, garbage) — then nothing is
 * cached and the clause is asked again at the next start.
 */
export function readExampleQuestions(reply: string): string[] | null {
  const start = reply.indexOf('[');
  const end = reply.lastIndexOf(']');
  if (start < 0 || end <= start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const questions = [
    ...new Set(
      parsed
        .filter((item): item is string => typeof item === 'string')
        .map((item) => item.trim())
        .filter((item) => [...item].length >= 4 && [...item].length <= MAX_QUESTION_CHARS),
    ),
  ];
  return questions.length > 0 ? questions.slice(0, QUESTIONS_PER_CLAUSE + 3) : null;
}

export interface ExampleQuestionRun {
  model: ChatModel;
  /** The prompt template (prompts/example-questions.md): {{count}}, {{document}}, {{label}}, {{text}}. */
  prompt: string;
  clauses: ExampleClause[];
  cache: ExampleQuestionCache;
  /** Called for every clause with questions, cached or new. */
  onQuestions: (clause: ExampleClause, questions: string[]) => void;
  /** Called after each new clause's questions are in the cache (to save it now and then). */
  onWritten?: (written: number) => void;
  timeoutMs: number;
  /** Requests at once. */
  concurrency?: number;
  logger: Logger;
  signal?: AbortSignal;
}

export interface ExampleQuestionTally {
  cached: number;
  written: number;
  failed: number;
}

/**
 * Gives every clause its questions: from the cache, else from the model (a few requests at a time). A failed
 * request or an unreadable reply is logged and skipped — the clause is searched without examples, as offline.
 * After two clauses in a row fail because the endpoint is down, the rest are left for the next start.
 */
export async function writeExampleQuestions(run: ExampleQuestionRun): Promise<ExampleQuestionTally> {
  const tally: ExampleQuestionTally = { cached: 0, written: 0, failed: 0 };
  const pending: ExampleClause[] = [];
  for (const clause of run.clauses) {
    const cached = run.cache.get(clause.hash);
    if (cached) {
      tally.cached += 1;
      run.onQuestions(clause, cached);
    } else pending.push(clause);
  }
  let unreachable = 0;
  let next = 0;
  const worker = async () => {
    while (next < pending.length && unreachable < 2 && !run.signal?.aborted) {
      const clause = pending[next++]!;
      const outcome = await ask(run, clause);
      if (outcome.kind === 'questions') {
        unreachable = 0;
        tally.written += 1;
        run.cache.set(clause.hash, outcome.questions);
        run.onQuestions(clause, outcome.questions);
        run.onWritten?.(tally.written);
      } else {
        tally.failed += 1;
        unreachable = outcome.kind === 'unreachable' ? unreachable + 1 : 0;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, run.concurrency ?? 2) }, worker));
  if (unreachable >= 2) run.logger.warn(`大模型 ${run.model.name} 连续无法访问，其余 ${pending.length - next} 条措施的示例问题下次启动时再写。`);
  return tally;
}

async function ask(
  run: ExampleQuestionRun,
  clause: ExampleClause,
): Promise<{ kind: 'questions'; questions: string[] } | { kind: 'unreadable' | 'unreachable' }> {
  const values: Record<string, string> = {
    count: String(QUESTIONS_PER_CLAUSE),
    document: clause.document,
    label: clause.label,
    text: clause.text.slice(0, MAX_CLAUSE_CHARS).replace(/>>>|<<</g, ''),
  };
  // A replacer function: a replacement string would expand `$&` and the like written in a clause.
  const content = run.prompt.replace(/\{\{(count|document|label|text)\}\}/g, (placeholder, name: string) => values[name] ?? placeholder);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), run.timeoutMs);
  const stop = () => controller.abort();
  run.signal?.addEventListener('abort', stop);
  try {
    const reply = await run.model.complete([{ role: 'user', content }], { signal: controller.signal });
    const questions = readExampleQuestions(reply);
    if (questions) return { kind: 'questions', questions };
    run.logger.warn(`大模型为 ${clause.clauseId} 写的示例问题无法读取（不是问题的 JSON 数组），跳过。`);
    return { kind: 'unreadable' };
  } catch (error) {
    run.logger.warn(`大模型 ${run.model.name} 写 ${clause.clauseId} 的示例问题失败，跳过。`, { error: describeError(error) });
    return { kind: 'unreachable' };
  } finally {
    clearTimeout(timer);
    run.signal?.removeEventListener('abort', stop);
  }
}
