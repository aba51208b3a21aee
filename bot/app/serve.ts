import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { storeChannelState } from '../channels/index.ts';
import type { LeaseTiming } from '../channels/index.ts';
import { startChannels, type StartChannelsOptions, type StartedChannels } from './start-channels.ts';
import { OUTBOX_DRAIN_MS } from '../channels/wecom/index.ts';
import { chatHistoryTtlMs, createStoreChatHistory } from '../core/index.ts';
import type { Config } from './config.ts';
import { createConsoleApp } from '../console/index.ts';
import { addOfficer, seedOfficer } from '../console/index.ts';
import { createCorpusAdmin } from './corpus-admin-adapter.ts';
import { createCorpusView } from './corpus-view-adapter.ts';
import { createDesk } from '../desk/index.ts';
import { startLiveRuntime, type LiveRuntime } from './live-runtime.ts';
import { createLogger, describeError, type Logger } from '../logger.ts';
import { createEmbedder, loggerFor } from './runtime.ts';
import { createMatchChat } from '../matching/index.ts';
import { corpusCities, createPolicyMatcher } from '../matching/index.ts';
import { deliverPendingPushes, queuePushes } from '../desk/index.ts';
import { describeStore, openStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';

export interface Server {
  url: string;
  firstOfficer: { name: string; password: string } | null;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** How long a worker holds the Telegram long poll or the WeCom socket unless it renews (tests shorten it). */
  leaseTiming?: LeaseTiming;
  /** How often the corpus directory is checked for new or changed documents (default 5 s). */
  corpusWatchMs?: number;
  /** The WeCom callback's passive window and outbox retry timing (tests and the fault benchmark shorten them). */
  wecomCallback?: StartChannelsOptions<never>['wecomCallback'];
}

/** Expired message claims, rate events and old chat turns are swept this often (by every worker; it is idempotent). */
const HOUSEKEEPING_MS = 10 * 60_000;

/**
 * The main job: the web console, every chat channel whose credentials are configured, one store and one assistant.
 * Chat history, rate windows, message ids, sign-in attempts, sessions and hand-offs live in the store, so several
 * workers on one PostgreSQL database answer as one (and a restart forgets no conversation). A channel that fails is
 * reported and retried by itself; it never stops the rest.
 */
export async function startServer(
  config: Config,
  logger: Logger = loggerFor(config),
  options: ServerOptions = {},
): Promise<Server & { desk: ReturnType<typeof createDesk>; live: LiveRuntime; store: Store }> {
  mkdirSync(path.dirname(config.databasePath), { recursive: true });
  const store = await openStore(config);
  const log = (message: string) => logger.info(message);
  const live = await startLiveRuntime(config, { store, chatHistory: createStoreChatHistory(store), watchMs: options.corpusWatchMs, logger });
  await seedOfficer(store, config.officerSeed);
  let firstOfficer: Server['firstOfficer'] = null;
  // Workers starting together on a fresh database: the one that claims it creates the first officer, once (the claim
  // lapses after five minutes, so a worker that died first does not leave the console without an officer).
  const now = new Date();
  if (!config.officerSeed && !(await store.hasOfficers()) && (await store.claim('first-officer', now, new Date(now.getTime() + 5 * 60_000)))) {
    // A fresh install has no officer: make one so the console can be opened, and show its password once, here only.
    firstOfficer = { name: 'admin', password: randomBytes(9).toString('base64url') };
    await addOfficer(store, firstOfficer.name, firstOfficer.password, { role: 'admin' });
  }
  let started: StartedChannels | null = null;
  const today = () => new Date().toISOString().slice(0, 10);
  const matcher = createPolicyMatcher({ corpus: () => live.current.corpus, corrections: () => store.listConditionCorrections(), today });
  const matching = createMatchChat({ matcher, store, knownCities: () => corpusCities(live.current.corpus) });
  const desk = createDesk({ assistant: live.assistant, store, channels: () => started?.channels ?? [], matching });
  const app = new Hono();
  started = await startChannels({
    config,
    assistant: desk,
    feedback: desk,
    app,
    logger,
    state: storeChannelState(store),
    leaseTiming: options.leaseTiming,
    wecomCallback: options.wecomCallback,
    sources: () => live.current.corpus.documents.map((document) => `《${document.title}》${document.docNumber ?? ''}`),
  });
  // Uploads from the console take the corpus add path, pushes to subscribers included; every change reloads the
  // live runtime here, and the other workers pick it up from the directory.
  const corpusAdmin = createCorpusAdmin(
    { live, corpusDir: config.corpusDir, indexDirectory: config.indexDir, embedderId: createEmbedder(config).id },
    today,
    async (document) => {
      await queuePushes({ store, matcher, document });
    },
  );
  const startedAt = new Date();
  const status = () => ({
    started_at: startedAt.toISOString(),
    answers: live.current.mode,
    channels: (started?.status() ?? []).map((channel) => ({
      label: channel.label,
      state: channel.state,
      since: channel.since?.toISOString() ?? null,
      missing: channel.missing,
      last_problem: channel.lastProblem && { ...channel.lastProblem, time: channel.lastProblem.time.toISOString() },
    })),
    corpus: corpusAdmin.state(),
  });
  const source = {
    get corpus() {
      return live.current.corpus;
    },
    get retriever() {
      return live.current.retriever;
    },
  };
  app.route(
    '/',
    createConsoleApp({
      logger: logger.child('console'),
      store,
      desk,
      corpus: createCorpusView(source, today, matcher),
      corpusAdmin,
      status,
      config,
      matching: { matcher, corpus: () => live.current.corpus, channels: () => started?.channels ?? [] },
    }),
  );
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Pushes queued by `corpus add` (possibly in another process) go out through the running channels.
  let delivering: Promise<unknown> | null = null;
  const deliver = () => {
    delivering ??= deliverPendingPushes({ store, channels: () => started?.channels ?? [], logger: logger.child('push') })
      .catch((error: unknown) => logger.error('新政策提醒发送出错', { error: describeError(error) }))
      .finally(() => {
        delivering = null;
      });
    return delivering;
  };
  const pushTimer = setInterval(deliver, config.pushIntervalMs);
  pushTimer.unref();
  log(
    `policybot：已载入 ${live.current.corpus.documents.length} 份文件、${live.current.corpus.clauses.length} 条条款；回答方式：${live.current.mode === 'llm' ? '大模型依据检索到的条款撰写' : '摘录原文（离线）'}；存储：${describeStore(config)}`,
  );
  const sweep = () => {
    const at = new Date();
    store
      .deleteExpiredState(at, new Date(at.getTime() - chatHistoryTtlMs))
      .catch((error: Error) => logger.error('定期清理失败', { error: describeError(error) }));
  };
  const housekeeping = setInterval(sweep, HOUSEKEEPING_MS);
  housekeeping.unref();
  return {
    url: `http://localhost:${port}`,
    firstOfficer,
    desk,
    live,
    store,
    stop: async () => {
      clearInterval(housekeeping);
      clearInterval(pushTimer);
      live.stop();
      await delivering;
      await started?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/**
 * Stops the server on SIGTERM or SIGINT and exits: the WeCom outbox sends what is due for at most OUTBOX_DRAIN_MS
 * (8 s), the rest stays pending in the store for the next start or another worker. Should stopping hang past
 * `OUTBOX_DRAIN_MS` + 2 s (a store that no longer answers), the process exits anyway, inside `docker stop`'s 10 s.
 */
export function stopOnSignals(server: Pick<Server, 'stop'>, logger: Logger = createLogger()): void {
  const stop = async (signal: string) => {
    logger.info(`policybot：收到 ${signal}，正在发送待发答复（最多 ${OUTBOX_DRAIN_MS / 1000} 秒）后退出`);
    setTimeout(() => process.exit(1), OUTBOX_DRAIN_MS + 2_000).unref();
    await server.stop().catch((error: Error) => logger.error('policybot：停止时出错', { error: describeError(error) }));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
