import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../bot/app/config.ts';
import { startServer } from '../../../bot/app/serve.ts';
import { waitFor } from '../channels/channel-helpers.ts';
import { FakeWeComApi } from '../channels/wecom/fake-wecom-api.ts';
import { callbackCredentials, callbackEnvironment, WeComCallbackClient } from '../channels/wecom/wecom-callback-client.ts';
import { freshPostgresDatabase } from '../../helpers.ts';
import { silentLogger } from '../../../bot/logger.ts';

const postgresUrl = inject('postgresUrl');
if (!postgresUrl) console.warn(`[postgres] SKIPPED tests/bot/desk/outbox-workers.test.ts (two workers sending one outbox): ${inject('postgresUnavailable')}`);

type Worker = Awaited<ReturnType<typeof startServer>>;

/**
 * Two workers on one PostgreSQL database send the WeCom answers of one outbox: each entry is claimed by one worker
 * at a time, so with the send API failing a third of the calls (retries land on either worker) no answer goes out
 * twice and none is lost.
 */
describe.runIf(postgresUrl)('two workers sending one PostgreSQL outbox', () => {
  const credentials = callbackCredentials();
  const wecom = new WeComCallbackClient(credentials);
  const corpSecret = 'corp-secret-for-tests';
  let api: FakeWeComApi;
  const workers: Worker[] = [];

  beforeAll(async () => {
    api = await FakeWeComApi.start(credentials.corpId, corpSecret);
    const shared = mkdtempSync(path.join(tmpdir(), 'policybot-outbox-workers-'));
    const corpusDir = path.join(shared, 'corpus');
    mkdirSync(corpusDir);
    for (const file of readdirSync('corpus/documents')) copyFileSync(path.join('corpus/documents', file), path.join(corpusDir, file));
    const environment = {
      DATABASE_URL: await freshPostgresDatabase(postgresUrl!),
      POLICYBOT_DATA_DIR: path.join(shared, 'data'),
      CORPUS_DIR: corpusDir,
      PORT: '0',
      ...callbackEnvironment(credentials, corpSecret, api.url),
      RATE_LIMIT_PER_MINUTE: '100',
    };
    const options = { corpusWatchMs: 0, wecomCallback: { passiveReplyWithinMs: 0, retry: { firstDelayMs: 20, maxDelayMs: 100, attempts: 30 } } };
    workers.push(...(await Promise.all([1, 2].map(() => startServer(loadConfig(environment), silentLogger, options)))));
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    await api?.close();
  });

  it('sends every acknowledged answer exactly once while a third of the send calls fail', async () => {
    // Deterministic faults: every third call answers HTTP 500.
    api.sendFault = (call) => (call % 3 === 0 ? 'http-500' : undefined);
    const users = Array.from({ length: 40 }, (_, index) => `pair-${index}`);
    const replies = await Promise.all(
      users.map((user, index) => wecom.post(workers[index % 2]!.url, '稳岗返还比例是多少?', user, `77050000000000${String(index).padStart(4, '0')}`)),
    );
    expect(replies.every((reply) => reply.status === 200 && reply.reply === null)).toBe(true);
    await waitFor(() => users.every((user) => api.sentTo(user).length > 0), 'every answer', 60_000);
    await waitFor(async () => (await workers[0]!.store.outboxCounts()).pending === 0, 'the outbox settled');
    expect(users.filter((user) => api.sentTo(user).length !== 1)).toEqual([]);
    expect(await workers[1]!.store.outboxCounts()).toMatchObject({ pending: 0, failed: 0, delivered: users.length });
    expect(api.sendCalls).toBeGreaterThan(users.length); // retries happened
    api.sendFault = () => undefined;
  });
});
