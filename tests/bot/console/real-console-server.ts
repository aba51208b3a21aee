import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { loadConfig, projectRoot } from '../../../bot/app/config.ts';
import { createConsoleApp } from '../../../bot/console/console-app.ts';
import { addOfficer } from '../../../bot/console/officers.ts';
import { createCorpusAdmin } from '../../../bot/app/corpus-admin-adapter.ts';
import { createCorpusView } from '../../../bot/app/corpus-view-adapter.ts';
import { createDesk, type Desk } from '../../../bot/desk/desk.ts';
import { startLiveRuntime, type LiveRuntime } from '../../../bot/app/live-runtime.ts';
import { createEmbedder } from '../../../bot/app/runtime.ts';
import { openSqliteStore, type SqliteStore } from '../../../bot/store/sqlite-store.ts';
import { RecordingChannel } from '../../helpers.ts';
import { silentLogger } from '../../../bot/logger.ts';

export const adminName = '王芳';
export const adminPassword = 'correct horse battery';

export interface RealConsoleServer {
  url: string;
  store: SqliteStore;
  desk: Desk;
  /** The runtime as `npm start` keeps it: rebuilt when the corpus changes (here only on a console change). */
  live: LiveRuntime;
  wecom: RecordingChannel;
  /** A copy of corpus/documents the test may change. */
  corpusDir: string;
  now: { value: Date };
  close(): Promise<void>;
}

/**
 * The console as `npm start` assembles it — the real corpus (a copy), retriever, assistant, desk and corpus
 * management — on a loopback port with an in-memory store, an admin, and a recording WeCom channel.
 */
export async function startRealConsoleServer(): Promise<RealConsoleServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'policybot-console-'));
  const corpusDir = path.join(directory, 'corpus');
  cpSync(path.join(projectRoot, 'corpus', 'documents'), corpusDir, { recursive: true });
  const config = loadConfig({ POLICYBOT_DATA_DIR: path.join(directory, 'data'), CORPUS_DIR: corpusDir });
  const live = await startLiveRuntime(config, { watchMs: 0, logger: silentLogger });
  const now = { value: new Date('2025-03-03T02:00:00Z') };
  const clock = () => now.value;
  const store = openSqliteStore(':memory:');
  const wecom = new RecordingChannel('wecom-bot');
  const desk = createDesk({ assistant: live.assistant, store, channels: () => [wecom], clock });
  await addOfficer(store, adminName, adminPassword, { role: 'admin' });
  const today = () => new Date().toISOString().slice(0, 10);
  const corpusAdmin = createCorpusAdmin({ live, corpusDir, indexDirectory: config.indexDir, embedderId: createEmbedder(config).id }, today);
  const source = {
    get corpus() {
      return live.current.corpus;
    },
    get retriever() {
      return live.current.retriever;
    },
  };
  const app = createConsoleApp({
    store,
    desk,
    corpus: createCorpusView(source, today),
    corpusAdmin,
    clock,
    status: () => ({
      started_at: now.value.toISOString(),
      answers: live.current.mode,
      corpus: corpusAdmin.state(),
      channels: [
        { label: 'WeCom smart bot', state: 'running', since: now.value.toISOString(), missing: [], last_problem: null },
        { label: 'Telegram', state: 'off', since: null, missing: ['TELEGRAM_BOT_TOKEN'], last_problem: null },
      ],
    }),
    config: { sessionHours: 12, officerSeed: undefined, maxQuestionChars: 500, debug: false },
  });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    desk,
    live,
    wecom,
    corpusDir,
    now,
    close: async () => {
      live.stop();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
