import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createConsoleApp } from '../../../bot/console/console-app.ts';
import { addOfficer } from '../../../bot/console/officers.ts';
import { createDesk, type Desk } from '../../../bot/desk/desk.ts';
import { openSqliteStore, type SqliteStore } from '../../../bot/store/sqlite-store.ts';
import { RecordingChannel, ScriptedAssistant } from '../../helpers.ts';
import { FixtureCorpus } from './fixture-corpus.ts';

export const officerName = '王芳';
export const officerPassword = 'correct horse battery';

export interface ConsoleServer {
  url: string;
  store: SqliteStore;
  desk: Desk;
  assistant: ScriptedAssistant;
  wecom: RecordingChannel;
  app: ReturnType<typeof createConsoleApp>;
  /** The clock every part reads; tests move it. */
  now: { value: Date };
  close(): Promise<void>;
}

/**
 * The console on a real loopback port over an in-memory store, with a scripted assistant that refuses
 * questions containing "天气", and one officer, an admin (as the first officer of an install is).
 */
export async function startConsoleServer(
  options: { officerSeed?: { name: string; password: string }; trustedProxies?: string[] } = {},
): Promise<ConsoleServer> {
  const now = { value: new Date('2025-03-03T02:00:00Z') };
  const clock = () => now.value;
  const store = openSqliteStore(':memory:');
  const assistant = new ScriptedAssistant((question) =>
    question.text.includes('天气') ? { refused: true, answer: '现有政策文件中没有找到相关规定。', citations: [] } : {},
  );
  const wecom = new RecordingChannel('wecom-bot');
  const desk = createDesk({ assistant, store, channels: () => [wecom], clock });
  await addOfficer(store, officerName, officerPassword, { role: 'admin' });
  const app = createConsoleApp({
    store,
    desk,
    corpus: new FixtureCorpus(),
    clock,
    config: { sessionHours: 12, officerSeed: options.officerSeed, maxQuestionChars: 500, debug: false, trustedProxies: options.trustedProxies ?? [] },
  });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    desk,
    assistant,
    wecom,
    app,
    now,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
