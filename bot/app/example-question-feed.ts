import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clauseContentHash } from '../../retrieval/index.ts';
import { type ChatModel, type ExampleClause, type ExampleQuestionCache, writeExampleQuestions } from '../core/index.ts';
import { describeError, type Logger } from '../logger.ts';
import type { Runtime } from './runtime.ts';

/** The cache beside the saved index: written questions by clause content hash. */
export const EXAMPLE_QUESTIONS_FILE = 'example-questions.json';
/** The cache is saved after this many new clauses (and at the end): a crash loses at most this many model calls. */
const SAVE_EVERY = 20;

interface CacheFile {
  version: 1;
  questions: Record<string, string[]>;
}

/**
 * Keeps the current runtime's retriever supplied with model-written example questions: cached ones at once,
 * the missing ones written in the background, one run at a time (a runtime rebuilt meanwhile gets the cache and
 * the questions still being written). Questions a changed clause had before stay in the file under their hash.
 */
export interface ExampleQuestionFeed {
  attach(runtime: Runtime): void;
  /** Settles when the latest run has finished (tests, and `stop`). */
  readonly settled: Promise<void>;
  stop(): void;
}

export function startExampleQuestionFeed(options: {
  model: ChatModel;
  prompt: string;
  indexDir: string;
  timeoutMs: number;
  logger: Logger;
}): ExampleQuestionFeed {
  const file = path.join(options.indexDir, EXAMPLE_QUESTIONS_FILE);
  const cache = readCache(file, options.logger);
  const controller = new AbortController();
  let current: Runtime | null = null;
  let settled: Promise<void> = Promise.resolve();
  const save = () => {
    try {
      mkdirSync(options.indexDir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ version: 1, questions: Object.fromEntries(cache) } satisfies CacheFile)}\n`);
      renameSync(temporary, file);
    } catch (error) {
      options.logger.warn(`示例问题无法保存到 ${file}，下次启动时重写。`, { error: describeError(error) });
    }
  };
  return {
    attach(runtime) {
      current = runtime;
      const clauses: ExampleClause[] = runtime.corpus.clauses.map((clause) => ({
        clauseId: clause.clauseId,
        hash: clauseContentHash(clause.text),
        document: runtime.corpus.document(clause.docId)?.title ?? clause.docId,
        label: clause.citeLabel,
        text: clause.text,
      }));
      settled = settled.then(async () => {
        if (current !== runtime || controller.signal.aborted) return;
        const tally = await writeExampleQuestions({
          model: options.model,
          prompt: options.prompt,
          clauses,
          cache,
          timeoutMs: options.timeoutMs,
          logger: options.logger,
          signal: controller.signal,
          // Whichever runtime answers now gets them: a rebuild during a long run does not lose its questions.
          onQuestions: (clause, questions) => current?.retriever.addExampleQuestions(clause.clauseId, questions),
          onWritten: (written) => written % SAVE_EVERY === 0 && save(),
        });
        if (tally.written > 0) save();
        options.logger.info(`示例问题：${clauses.length} 条措施中 ${tally.cached} 条取自缓存，新写 ${tally.written} 条，${tally.failed} 条未写成`);
      });
    },
    get settled() {
      return settled;
    },
    stop: () => controller.abort(),
  };
}

/**
 * Gives a runtime the questions already cached, without asking the model (`policybot ask` and `chat` answer as the
 * server does); returns how many clauses got some.
 */
export function applyCachedExampleQuestions(runtime: Runtime, indexDir: string, logger: Logger): number {
  const cache = readCache(path.join(indexDir, EXAMPLE_QUESTIONS_FILE), logger);
  if (cache.size === 0) return 0;
  let given = 0;
  for (const clause of runtime.corpus.clauses) {
    const questions = cache.get(clauseContentHash(clause.text));
    if (questions && runtime.retriever.addExampleQuestions(clause.clauseId, questions)) given += 1;
  }
  return given;
}

function readCache(file: string, logger: Logger): ExampleQuestionCache {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return new Map();
  }
  try {
    const parsed = JSON.parse(text) as CacheFile;
    if (parsed?.version !== 1 || typeof parsed.questions !== 'object' || parsed.questions === null) throw new Error('not a version 1 cache');
    const entries = Object.entries(parsed.questions).filter(
      (entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].every((question) => typeof question === 'string'),
    );
    return new Map(entries);
  } catch (error) {
    logger.warn(`示例问题缓存 ${file} 已损坏，将重新写（${(error as Error).message}）。`);
    return new Map();
  }
}
