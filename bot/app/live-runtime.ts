import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createCorpus, loadCorpus, type Corpus } from '../../corpus/index.ts';
import { documentsNotInIndex } from '../../retrieval/index.ts';
import type { Assistant } from '../core/index.ts';
import { workerName } from '../store/index.ts';
import { createMemoryChatHistory, type ChatHistory } from '../core/index.ts';
import { projectRoot, type Config } from './config.ts';
import { type ExampleQuestionFeed, startExampleQuestionFeed } from './example-question-feed.ts';
import type { Turn } from '../core/index.ts';
import { describeError, type Logger } from '../logger.ts';
import { createEmbedder, createRuntime, loggerFor, type Runtime } from './runtime.ts';
import type { Store } from '../store/index.ts';

export interface LiveRuntimeOptions {
  /** Several workers on one store build the index one at a time (the first builds, the others load it). */
  store?: Pick<Store, 'acquireLease' | 'releaseLease'>;
  chatHistory?: ChatHistory<Turn>;
  /** How often the corpus directory is checked for added or changed documents (default 5 s; 0 turns it off). */
  watchMs?: number;
  logger?: Logger;
}

/** The runtime that answers now, replaced in place when the corpus changes on disk. */
export interface LiveRuntime {
  readonly current: Runtime;
  /** Asks whichever runtime is current: a reload never drops a question. */
  readonly assistant: Assistant;
  /** When the runtime in use was built, and the last rebuild that failed since (the previous one stayed in use). */
  readonly loadedAt: Date;
  readonly lastError: { time: Date; message: string } | null;
  /**
   * Settles once the runtime answers from every document found at start: at once, unless new documents were being
   * indexed in the background (then a failure is in `lastError` and the log; it never rejects).
   */
  readonly ready: Promise<void>;
  /** Reloads when the corpus directory changed since the last load; true when it did. */
  refresh(): Promise<boolean>;
  /**
   * Rebuilds now whatever the directory looks like (an officer's change made in this process must be answered from
   * when the request returns), after any rebuild already running; throws when the rebuild fails.
   */
  reload(): Promise<void>;
  /** With EXAMPLE_QUESTIONS=1: settles when the example questions of the runtime in use are written (or given up). */
  readonly examples?: Promise<void>;
  stop(): void;
}

/** The index lease lasts this long unless renewed; renewed at a third of it while a build runs. */
const INDEX_LEASE_MS = 60_000;
const INDEX_LEASE_POLL_MS = 250;

/**
 * Corpus → retriever → assistant, kept current: every `watchMs` the corpus directory is checked, and when a document
 * was added or changed (and the directory stayed the same for one more check, so a half-written addition is not
 * read) the runtime is rebuilt and swapped in. Workers sharing a store take the `index` lease around each build, so
 * the saved index is written by one worker at a time: the first re-embeds the changed clauses and saves, the next
 * ones find an index that matches and only load it.
 *
 * @example const live = await startLiveRuntime(config, { store, chatHistory: createStoreChatHistory(store) });
 */
export async function startLiveRuntime(config: Config, options: LiveRuntimeOptions = {}): Promise<LiveRuntime> {
  const logger = options.logger ?? loggerFor(config);
  const log = (message: string) => logger.info(message);
  const chatHistory = options.chatHistory ?? createMemoryChatHistory<Turn>();
  const holder = workerName();
  /** A runtime over `corpus`, or over the directory as it is now. */
  const build = (corpus?: Corpus) => withIndexLease(options.store, holder, () => createRuntime(config, logger, { chatHistory, corpus }));

  let loadedFingerprint = corpusFingerprint(config.corpusDir);
  // Documents the saved index holds nothing of yet (copied into the directory, or added while the index could not be
  // updated) are embedded after start-up: the service answers from the others at once. Only when the index holds
  // none of them (first run, another embedder) does the start wait for the build, having nothing to answer from.
  const onDisk = loadCorpus(config.corpusDir);
  const unindexed = documentsNotInIndex(onDisk, createEmbedder(config).id, config.indexDir);
  const startLater = unindexed.length > 0 && unindexed.length < onDisk.documents.length ? new Set(unindexed.map((document) => document.docId)) : null;
  let current = await build(startLater ? createCorpus(onDisk.documents.filter((document) => !startLater.has(document.docId))) : onDisk);
  // With EXAMPLE_QUESTIONS=1 the model writes example questions per clause in the background (cached beside the index).
  const examples: ExampleQuestionFeed | null =
    config.openai.exampleQuestions && current.chatModel
      ? startExampleQuestionFeed({
          model: current.chatModel,
          prompt: readFileSync(path.join(projectRoot, 'prompts', 'example-questions.md'), 'utf8'),
          indexDir: config.indexDir,
          timeoutMs: config.openai.timeoutMs,
          logger: logger.child('examples'),
        })
      : null;
  examples?.attach(current);
  let loadedAt = new Date();
  let lastError: LiveRuntime['lastError'] = null;
  let seen = loadedFingerprint;
  let reloading: Promise<boolean> | undefined;
  // Rebuilds run one at a time, whether the watcher or an officer's change asked for them.
  let building: Promise<unknown> = Promise.resolve();

  const rebuild = (fingerprint: string): Promise<Runtime> => {
    const next = building
      .catch(() => undefined)
      .then(async () => {
        try {
          const built = await build();
          loadedFingerprint = fingerprint;
          current = built;
          examples?.attach(built);
          loadedAt = new Date();
          lastError = null;
          return built;
        } catch (error) {
          lastError = { time: new Date(), message: (error as Error).message };
          throw error;
        }
      });
    building = next;
    return next;
  };

  const refresh = async (): Promise<boolean> => {
    const now = corpusFingerprint(config.corpusDir);
    const settled = now === seen;
    seen = now;
    if (now === loadedFingerprint || !settled) return false;
    const before = current.corpus.documents.length;
    const next = await rebuild(now);
    const added = next.corpus.documents.length - before;
    log(`policybot：文件库已变化，现有 ${next.corpus.documents.length} 份文件（${added >= 0 ? '+' : ''}${added}）、${next.corpus.clauses.length} 条条款`);
    return true;
  };

  let ready: Promise<void> = Promise.resolve();
  if (startLater) {
    log(`policybot：${startLater.size} 份新文件（${[...startLater].join('、')}）的向量索引在后台建立，建好前暂不参与检索`);
    ready = rebuild(loadedFingerprint).then(
      (built) => log(`policybot：新文件的向量索引已建好，现有 ${built.corpus.documents.length} 份文件、${built.corpus.clauses.length} 条条款`),
      (error: Error) => log(`policybot：新文件的向量索引未能建立（${error.message}），仍按其余文件作答`),
    );
  }

  const watchMs = options.watchMs ?? 5_000;
  const timer =
    watchMs > 0
      ? setInterval(() => {
          if (reloading) return;
          reloading = refresh()
            .catch((error: Error) => {
              logger.warn(`policybot：无法重新载入文件库，仍按原来的文件库作答`, { error: describeError(error) });
              return false;
            })
            .finally(() => {
              reloading = undefined;
            });
        }, watchMs)
      : undefined;
  timer?.unref();

  return {
    get current() {
      return current;
    },
    get loadedAt() {
      return loadedAt;
    },
    get lastError() {
      return lastError;
    },
    assistant: { ask: (question, askOptions) => current.assistant.ask(question, askOptions) },
    ready,
    refresh: async () => {
      // Called directly (tests, `corpus add` in the same process): no need to wait for a second look.
      seen = corpusFingerprint(config.corpusDir);
      return refresh();
    },
    reload: async () => {
      seen = corpusFingerprint(config.corpusDir);
      await rebuild(seen);
    },
    get examples() {
      return examples?.settled;
    },
    stop: () => {
      clearInterval(timer);
      examples?.stop();
    },
  };
}

/**
 * Names, sizes and modification times of the corpus files: changes when a document is added, edited or removed, or
 * an officer's correction beside it (`NAME.corrections.json`) changes — so other workers pick corrections up too.
 */
export function corpusFingerprint(directory: string): string {
  const hash = createHash('sha256');
  let files: string[];
  try {
    files = readdirSync(directory)
      .filter((file) => file.endsWith('.txt') || file.endsWith('.meta.json') || file.endsWith('.corrections.json'))
      .sort();
  } catch {
    return 'missing';
  }
  for (const file of files) {
    try {
      const stat = statSync(path.join(directory, file));
      hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
    } catch {
      hash.update(`${file}\0gone\n`);
    }
  }
  return hash.digest('hex');
}

/** Runs `work` while holding the store's `index` lease (renewed meanwhile); without a store, at once. */
async function withIndexLease<T>(store: LiveRuntimeOptions['store'], holder: string, work: () => Promise<T>): Promise<T> {
  if (!store) return work();
  while (!(await store.acquireLease('index', holder, INDEX_LEASE_MS))) {
    await new Promise((resolve) => setTimeout(resolve, INDEX_LEASE_POLL_MS));
  }
  const renew = setInterval(() => void store.acquireLease('index', holder, INDEX_LEASE_MS).catch(() => undefined), INDEX_LEASE_MS / 3);
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await store.releaseLease('index', holder).catch(() => undefined);
  }
}
