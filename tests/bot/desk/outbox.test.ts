import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/app/config.ts';
import { startServer } from '../../../bot/app/serve.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';
import { waitFor } from '../channels/channel-helpers.ts';
import { FakeWeComApi } from '../channels/wecom/fake-wecom-api.ts';
import { callbackCredentials, callbackEnvironment, WeComCallbackClient } from '../channels/wecom/wecom-callback-client.ts';
import { signedIn } from '../console/console-client.ts';
import { startServerChild, type ServerChild } from '../../server-child.ts';
import { silentLogger } from '../../../bot/logger.ts';

/**
 * WeCom callback answers acknowledged with "success" reach the asker through the store's outbox, whatever happens to
 * the server in between: killed, stopped, or the send API failing. `passiveReplyWithinMs: 0` sends every answer
 * through the API, as a slow answer would be (the offline answers here come in milliseconds).
 */
describe('the outbox of answers acknowledged to WeCom', () => {
  const credentials = callbackCredentials();
  const wecom = new WeComCallbackClient(credentials);
  const corpSecret = 'corp-secret-for-tests';
  let api: FakeWeComApi;
  const children: ServerChild[] = [];

  beforeAll(async () => {
    api = await FakeWeComApi.start(credentials.corpId, corpSecret);
  });
  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await api.close();
  });

  const environment = (dataDir: string) => ({
    POLICYBOT_DATA_DIR: dataDir,
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '100',
    ...callbackEnvironment(credentials, corpSecret, api.url),
  });
  const child = async (dataDir: string) => {
    const started = await startServerChild(environment(dataDir), {
      corpusWatchMs: 0,
      wecomCallback: { passiveReplyWithinMs: 0, retry: { firstDelayMs: 200, maxDelayMs: 500, attempts: 100 } },
    });
    children.push(started);
    return started;
  };
  const askers = (prefix: string) => Array.from({ length: 5 }, (_, index) => `${prefix}${index}`);
  const ask = (url: string, users: string[], msgIdPrefix: string) =>
    Promise.all(users.map((user, index) => wecom.post(url, '稳岗返还比例是多少?', user, `${msgIdPrefix}${index}`)));

  it('delivers every acknowledged answer, once, after the server is killed with SIGKILL and started again on the same store', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-outbox-kill-'));
    const users = askers('kill-');
    const tried = new Map<string, number>();
    api.sendFault = (_call, body) => {
      tried.set(body.touser, (tried.get(body.touser) ?? 0) + 1);
      return 'http-500';
    };
    const first = await child(dataDir);
    const replies = await ask(first.url, users, '770200000000000000');
    expect(replies.map((reply) => reply.reply)).toEqual(users.map(() => null)); // "success": acknowledged, to be sent
    // Every answer was written and tried (and refused by the API) before the kill.
    await waitFor(() => users.every((user) => (tried.get(user) ?? 0) >= 2), 'two refused attempts of each');
    expect(users.map((user) => api.sentTo(user))).toEqual(users.map(() => []));
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    api.sendFault = () => undefined;
    const second = await child(dataDir);
    await waitFor(() => users.every((user) => api.sentTo(user).length > 0), 'every answer after the restart', 60_000);
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    for (const user of users) {
      expect(api.sentTo(user)).toHaveLength(1);
      expect(api.sentTo(user)[0]).toContain('60%');
    }
    const store = openSqliteStore(path.join(dataDir, 'policybot.sqlite'));
    expect(await store.outboxCounts()).toMatchObject({ pending: 0, failed: 0, delivered: users.length });
    const logged = await store.listExchanges({ channel: 'wecom-callback' });
    expect(logged.items.map((exchange) => exchange.delivery?.status)).toEqual(users.map(() => 'delivered'));
    await store.close();
  }, 180_000);

  it('answers a message whose server was killed inside the passive window, when WeCom retries it after the restart', async () => {
    // The chat model never answers, so the first server is still waiting for the answer when it is killed: the
    // MsgId is taken, and WeCom, which heard nothing, retries — here to the restarted server.
    const modelRequests: string[] = [];
    const model = createServer((request) => void modelRequests.push(request.url ?? ''));
    await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-outbox-window-'));
    const llm = { OPENAI_BASE_URL: `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`, OPENAI_API_KEY: 'sk-test-window', CHAT_MODEL: 'test-model' };
    // Production's passive window (3 s); the grace before another start answers an unfinished entry shortened to 1 s.
    const options = { corpusWatchMs: 0, wecomCallback: { answerGraceMs: 1_000 } };
    const msgId = '7705000000000000001';
    try {
      const first = await startServerChild({ ...environment(dataDir), ...llm }, options);
      children.push(first);
      const attempt = wecom.post(first.url, '稳岗返还比例是多少?', 'window', msgId).catch((error: unknown) => error);
      await waitFor(() => modelRequests.length > 0, 'the question at the chat model');
      first.process.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      expect(await attempt).toBeInstanceOf(Error); // WeCom got no answer, so it retries

      const second = await startServerChild(environment(dataDir), options);
      children.push(second);
      expect(await wecom.post(second.url, '稳岗返还比例是多少?', 'window', msgId)).toEqual({ status: 200, reply: null });
      await waitFor(() => api.sentTo('window').length > 0, 'the answer after the restart', 30_000);
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(api.sentTo('window')).toHaveLength(1);
      expect(api.sentTo('window')[0]).toContain('60%');
      const store = openSqliteStore(path.join(dataDir, 'policybot.sqlite'));
      const logged = await store.listExchanges({ channel: 'wecom-callback', chatId: 'window' });
      expect(logged.items.map((exchange) => [exchange.messageId, exchange.delivery?.status])).toEqual([[msgId, 'delivered']]);
      await store.close();
    } finally {
      model.closeAllConnections();
      model.close();
    }
  }, 180_000);

  it('sends what is pending on SIGTERM before exiting, within the 8 s bound', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-outbox-term-'));
    const users = askers('term-');
    const server = await child(dataDir);
    // The API refuses each answer's first two attempts: at the signal they are all still pending.
    const refused = new Map<string, number>();
    api.sendFault = (_call, body) => {
      if (!users.includes(body.touser)) return undefined;
      refused.set(body.touser, (refused.get(body.touser) ?? 0) + 1);
      return refused.get(body.touser)! <= 2 ? 'http-500' : undefined;
    };
    await ask(server.url, users, '770300000000000000');
    await waitFor(() => users.every((user) => refused.get(user) === 1), 'the first attempts');
    const signalled = Date.now();
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    for (const user of users) expect(api.sentTo(user)).toHaveLength(1);
    expect(server.log()).toContain('收到 SIGTERM');
    api.sendFault = () => undefined;
  }, 180_000);

  it('marks an answer failed after its last attempt and shows it in the console log and status panel', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-outbox-failed-'));
    const server = await startServer(loadConfig({ ...environment(dataDir), POLICYBOT_OFFICER: 'wangfang:officer-password' }), silentLogger, {
      corpusWatchMs: 0,
      wecomCallback: { passiveReplyWithinMs: 0, retry: { firstDelayMs: 20, maxDelayMs: 50, attempts: 3 } },
    });
    try {
      api.sendFault = (_call, body) => (body.touser === 'offline' ? 'http-500' : undefined);
      expect((await wecom.post(server.url, '稳岗返还比例是多少?', 'offline', '7704000000000000001')).reply).toBeNull();
      expect((await wecom.post(server.url, '稳岗返还比例是多少?', 'online', '7704000000000000002')).reply).toBeNull();
      const officer = await signedIn(server.url, 'wangfang', 'officer-password');
      const failed = await waitFor(async () => {
        const page = await officer.get('/api/exchanges?delivery=failed');
        return page.body.total > 0 && page.body;
      }, 'the failure in the log');
      expect(failed.items).toMatchObject([{ chat_id: 'offline', delivery: { status: 'failed', attempts: 3, last_error: 'WeCom API answered HTTP 500' } }]);
      await waitFor(() => api.sentTo('online').length > 0, 'the other answer');
      const undelivered = await officer.get('/api/exchanges?delivery=undelivered');
      expect(undelivered.body.items.map((item: { chat_id: string }) => item.chat_id)).toEqual(['offline']);
      expect((await officer.get('/api/exchanges?delivery=delivered')).body.items).toMatchObject([{ chat_id: 'online', delivery: { status: 'delivered' } }]);
      expect((await officer.get('/api/status')).body.outbox).toMatchObject({ pending: 0, failed: 1, delivered: 1 });
      expect((await officer.get('/api/exchanges?delivery=lost')).status).toBe(400);
    } finally {
      api.sendFault = () => undefined;
      await server.stop();
    }
  });
});
