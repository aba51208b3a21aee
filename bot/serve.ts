import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { storeChannelState } from './channels/channel-state.ts';
import type { LeaseTiming } from './channels/leased-channel.ts';
import { startChannels, type StartedChannels } from './channels/start-channels.ts';
import { chatHistoryTtlMs, createStoreChatHistory } from './chat-history.ts';
import type { Config } from './config.ts';
import { createConsoleApp } from './console/console-app.ts';
import type { CorpusView } from './console/corpus-view.ts';
import { addOfficer, seedOfficer } from './console/officers.ts';
import { createCorpusView } from './corpus-view-adapter.ts';
import { createDesk } from './desk.ts';
import { startLiveRuntime, type LiveRuntime } from './live-runtime.ts';
import { createMatchChat } from './policy-match-chat.ts';
import { corpusCities, createPolicyMatcher } from './policy-matching.ts';
import { deliverPendingPushes } from './subscription-push.ts';
import { describeStore, openStore } from './store/open-store.ts';
import type { Store } from './store.ts';

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
}

/** Expired message claims, rate events and old chat turns are swept this often (by every worker; it is idempotent). */
const HOUSEKEEPING_MS = 10 * 60_000;

/**
 * The main job: the web console, every chat channel whose credentials are configured, one store and one assistant.
 * Chat history, rate windows, message ids, sign-in attempts, sessions and hand-offs live in the store, so several
 * workers on one PostgreSQL database answer as one (and a restart forgets no conversation). A channel that fails is
 * reported and retried by itself; it never stops the rest.
 */
export async function startServer(config: Config, log: (message: string) => void = (message) => console.error(message), options: ServerOptions = {}): Promise<Server & { desk: ReturnType<typeof createDesk>; live: LiveRuntime; store: Store }> {
  mkdirSync(path.dirname(config.databasePath), { recursive: true });
  const store = await openStore(config);
  const live = await startLiveRuntime(config, { store, chatHistory: createStoreChatHistory(store), watchMs: options.corpusWatchMs, log });
  await seedOfficer(store, config.officerSeed);
  let firstOfficer: Server['firstOfficer'] = null;
  // Workers starting together on a fresh database: the one that claims it creates the first officer, once (the claim
  // lapses after five minutes, so a worker that died first does not leave the console without an officer).
  const now = new Date();
  if (!config.officerSeed && !(await store.hasOfficers()) && await store.claim('first-officer', now, new Date(now.getTime() + 5 * 60_000))) {
    // A fresh install has no officer: make one so the console can be opened, and show its password once, here only.
    firstOfficer = { name: 'admin', password: randomBytes(9).toString('base64url') };
    await addOfficer(store, firstOfficer.name, firstOfficer.password);
  }
  let started: StartedChannels | null = null;
  const today = () => new Date().toISOString().slice(0, 10);
  const matcher = createPolicyMatcher({ corpus: () => live.current.corpus, corrections: () => store.listConditionCorrections(), today });
  const matching = createMatchChat({ matcher, store, knownCities: () => corpusCities(live.current.corpus) });
  const desk = createDesk({ assistant: live.assistant, store, channels: () => started?.channels ?? [], matching });
  const app = new Hono();
  const details = (values?: object) => (values ? ` ${JSON.stringify(values)}` : '');
  const logger = { info: (message: string, values?: object) => log(`${message}${details(values)}`), warn: (message: string, values?: object) => log(`${message}${details(values)}`), error: (message: string, values?: object) => log(`${message}${details(values)}`) };
  started = await startChannels({
    config, assistant: desk, feedback: desk, app, logger, state: storeChannelState(store), leaseTiming: options.leaseTiming,
    sources: () => live.current.corpus.documents.map((document) => `《${document.title}》${document.docNumber ?? ''}`),
  });
  // Built per call from the current runtime, so the console sees a document as soon as the corpus reloads.
  const view = () => createCorpusView(live.current.corpus, live.current.retriever, today, matcher);
  const corpus: CorpusView = { documents: () => view().documents(), document: (docId) => view().document(docId), search: (query, limit) => view().search(query, limit) };
  app.route('/', createConsoleApp({
    store, desk, corpus, config,
    matching: { matcher, corpus: () => live.current.corpus, channels: () => started?.channels ?? [] },
  }));
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Pushes queued by `corpus add` (possibly in another process) go out through the running channels.
  let delivering: Promise<unknown> | null = null;
  const deliver = () => {
    delivering ??= deliverPendingPushes({ store, channels: () => started?.channels ?? [], log })
      .catch((error: unknown) => log(`pushes: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => { delivering = null; });
    return delivering;
  };
  const pushTimer = setInterval(deliver, config.pushIntervalMs);
  pushTimer.unref();
  log(`policybot: ${live.current.corpus.documents.length} documents, ${live.current.corpus.clauses.length} clauses, answers: ${live.current.mode}, store: ${describeStore(config)}`);
  const sweep = () => {
    const at = new Date();
    store.deleteExpiredState(at, new Date(at.getTime() - chatHistoryTtlMs)).catch((error: Error) => log(`housekeeping failed: ${error.message}`));
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
