import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { startChannels, type StartedChannels } from './channels/start-channels.ts';
import type { Config } from './config.ts';
import { createConsoleApp } from './console/console-app.ts';
import { addOfficer, seedOfficer } from './console/officers.ts';
import { createCorpusView } from './corpus-view-adapter.ts';
import { createDesk } from './desk.ts';
import { createRuntime } from './runtime.ts';
import { createMatchChat } from './policy-match-chat.ts';
import { corpusCities, createPolicyMatcher } from './policy-matching.ts';
import { deliverPendingPushes } from './subscription-push.ts';
import { describeStore, openStore } from './store/open-store.ts';

export interface Server {
  url: string;
  firstOfficer: { name: string; password: string } | null;
  stop(): Promise<void>;
}

/**
 * The main job: the web console, every chat channel whose credentials are configured, one shared SQLite
 * store and one assistant. A channel that fails is reported and retried by itself; it never stops the rest.
 */
export async function startServer(config: Config, log: (message: string) => void = (message) => console.error(message)): Promise<Server & { desk: ReturnType<typeof createDesk> }> {
  mkdirSync(path.dirname(config.databasePath), { recursive: true });
  const runtime = await createRuntime(config, log);
  const store = await openStore(config);
  await seedOfficer(store, config.officerSeed);
  let firstOfficer: Server['firstOfficer'] = null;
  if (!config.officerSeed && !(await store.hasOfficers())) {
    // A fresh install has no officer: make one so the console can be opened, and show its password once, here only.
    firstOfficer = { name: 'admin', password: randomBytes(9).toString('base64url') };
    await addOfficer(store, firstOfficer.name, firstOfficer.password);
  }
  let started: StartedChannels | null = null;
  const today = () => new Date().toISOString().slice(0, 10);
  const matcher = createPolicyMatcher({ corpus: runtime.corpus, corrections: () => store.listConditionCorrections(), today });
  const matching = createMatchChat({ matcher, store, knownCities: () => corpusCities(runtime.corpus) });
  const desk = createDesk({ assistant: runtime.assistant, store, channels: () => started?.channels ?? [], matching });
  const app = new Hono();
  const details = (values?: object) => (values ? ` ${JSON.stringify(values)}` : '');
  const logger = { info: (message: string, values?: object) => log(`${message}${details(values)}`), warn: (message: string, values?: object) => log(`${message}${details(values)}`), error: (message: string, values?: object) => log(`${message}${details(values)}`) };
  started = await startChannels({ config, assistant: desk, feedback: desk, app, logger, sources: () => runtime.corpus.documents.map((document) => `《${document.title}》${document.docNumber ?? ''}`) });
  app.route('/', createConsoleApp({
    store, desk, corpus: createCorpusView(runtime.corpus, runtime.retriever, today, matcher), config,
    matching: { matcher, corpus: () => runtime.corpus, channels: () => started?.channels ?? [] },
  }));
  const server = serve({ fetch: app.fetch, port: config.port, hostname: '127.0.0.1' });
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
  log(`policybot: ${runtime.corpus.documents.length} documents, ${runtime.corpus.clauses.length} clauses, answers: ${runtime.mode}, store: ${describeStore(config)}`);
  return {
    url: `http://localhost:${port}`,
    firstOfficer,
    desk,
    stop: async () => {
      clearInterval(pushTimer);
      await delivering;
      await started?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
