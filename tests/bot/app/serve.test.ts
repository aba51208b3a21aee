import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../bot/app/config.ts';
import { startServer } from '../../../bot/app/serve.ts';
import { freshPostgresDatabase } from '../../helpers.ts';
import { createLogger } from '../../../bot/logger.ts';

const postgresUrl = inject('postgresUrl');
if (!postgresUrl) console.warn(`[postgres] SKIPPED npm start on PostgreSQL: ${inject('postgresUnavailable')}`);
const stores = [
  { store: 'a SQLite file', database: async () => ({}) },
  ...(postgresUrl ? [{ store: 'PostgreSQL (DATABASE_URL)', database: async () => ({ DATABASE_URL: await freshPostgresDatabase(postgresUrl) }) }] : []),
];

/** The main job as `npm start` runs it, offline on built-in defaults: real corpus, real store, real HTTP. */
describe.each(stores)('npm start (the main job) on $store', ({ store, database }) => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let cookie = '';
  const messages: string[] = [];

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-serve-'));
    server = await startServer(
      loadConfig({ POLICYBOT_DATA_DIR: dataDir, PORT: '0', ...(await database()) }),
      createLogger({ write: (line) => messages.push(line) }),
    );
  });

  it('says which store it uses, without a password', () => {
    expect(messages.join('\n')).toContain(store.startsWith('PostgreSQL') ? '存储：PostgreSQL 127.0.0.1:' : '存储：SQLite ');
  });
  afterAll(async () => server?.stop());

  const api = async (route: string, body?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', cookie },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
  };

  it('says which variables would enable each chat channel', () => {
    expect(messages.join('\n')).toMatch(/TELEGRAM_BOT_TOKEN/);
    expect(messages.join('\n')).toMatch(/WECOM_BOT_ID/);
  });

  it('serves the console: signed out gets 401, the first officer signs in and asks', async () => {
    expect((await api('/api/exchanges')).status).toBe(401);
    expect(server.firstOfficer?.name).toBe('admin');
    const signIn = await api('/api/session', server.firstOfficer);
    expect(signIn.status).toBe(200);
    cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const asked = await api('/api/ask', { question: '我们公司25个员工,稳岗返还比例是多少?找哪个部门?' });
    expect(asked.status).toBe(200);
    expect(asked.json.answer.refused).toBe(false);
    expect(asked.json.answer.answer).toContain('市人力资源社会保障局');
    expect(asked.json.answer.answer).toContain('60%');
    expect(asked.json.answer.citations[0]).toMatchObject({ doc_number: '清府办〔2021〕34号', clause_label: '(二)', validity_status: 'expired' });
  });

  it('records the exchange for the officers', async () => {
    const log = await api('/api/exchanges');
    expect(log.status).toBe(200);
    expect(JSON.stringify(log.json)).toContain('稳岗返还');
  });
});
