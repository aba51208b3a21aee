import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../bot/app/config.ts';
import { startServer } from '../../../bot/app/serve.ts';
import { waitFor } from '../channels/channel-helpers.ts';
import { FakeTelegramApi, textUpdate } from '../channels/telegram/fake-telegram-api.ts';
import { FakeWeComApi } from '../channels/wecom/fake-wecom-api.ts';
import { callbackCredentials, callbackEnvironment, WeComCallbackClient } from '../channels/wecom/wecom-callback-client.ts';
import { freshPostgresDatabase } from '../../helpers.ts';
import { createLogger } from '../../../bot/logger.ts';

const postgresUrl = inject('postgresUrl');
if (!postgresUrl) console.warn(`[postgres] SKIPPED tests/bot/app/workers.test.ts (two workers on one PostgreSQL): ${inject('postgresUnavailable')}`);

type Worker = Awaited<ReturnType<typeof startServer>>;

/**
 * Two `npm start` workers on one real PostgreSQL database, one corpus directory and one saved index, as behind a load
 * balancer: WeCom's callback retries land on either, follow-ups cross workers, the Telegram long poll runs on one.
 */
describe.runIf(postgresUrl)('two workers on one PostgreSQL database', () => {
  const credentials = callbackCredentials();
  const wecom = new WeComCallbackClient(credentials);
  const corpSecret = 'corp-secret-for-tests';
  const telegramToken = '7700000001:worker-test-token';
  let wecomApi: FakeWeComApi;
  let telegram: FakeTelegramApi;
  let corpusDir: string;
  let environment: Record<string, string>;
  const workers: { server: Worker; log: string[] }[] = [];

  const start = async () => {
    const log: string[] = [];
    const server = await startServer(loadConfig(environment), createLogger({ write: (line) => log.push(line) }), {
      leaseTiming: { ttlMs: 1_500, renewMs: 150 },
      corpusWatchMs: 0,
    });
    workers.push({ server, log });
    return { server, log };
  };

  beforeAll(async () => {
    wecomApi = await FakeWeComApi.start(credentials.corpId, corpSecret);
    telegram = await FakeTelegramApi.start(telegramToken);
    const shared = mkdtempSync(path.join(tmpdir(), 'policybot-workers-'));
    corpusDir = path.join(shared, 'corpus');
    mkdirSync(corpusDir);
    for (const file of readdirSync('corpus/documents')) copyFileSync(path.join('corpus/documents', file), path.join(corpusDir, file));
    environment = {
      DATABASE_URL: await freshPostgresDatabase(postgresUrl!),
      POLICYBOT_DATA_DIR: path.join(shared, 'data'),
      CORPUS_DIR: corpusDir,
      PORT: '0',
      ...callbackEnvironment(credentials, corpSecret, wecomApi.url),
      TELEGRAM_BOT_TOKEN: telegramToken,
      TELEGRAM_API_ROOT: telegram.url,
      // Generous, so a retry on a busy machine is not refused by the shared per-user limit.
      RATE_LIMIT_PER_MINUTE: '100',
    };
    // Started together, as a deployment does: one builds the index, the other loads it.
    await Promise.all([start(), start()]);
  });

  afterAll(async () => {
    for (const { server } of workers) await server.stop().catch(() => undefined);
    await telegram?.close();
    await wecomApi?.close();
  });

  const [first, second] = [() => workers[0]!, () => workers[1]!];

  it('builds the index once: the second worker to take the index lease loads what the first saved', () => {
    const lines = workers.flatMap(({ log }) => log);
    expect(lines.filter((line) => line.includes('首次运行：正在为'))).toHaveLength(1);
    expect(workers.every(({ log }) => log.some((line) => /policybot：已载入 5 份文件、\d+ 条条款；.*存储：PostgreSQL/.test(line)))).toBe(true);
  });

  it('answers and records once a WeCom message delivered to both workers (a retry landing on the other)', async () => {
    const msgId = '7701000000000000001';
    const replies = await Promise.all([first(), second()].map(({ server }) => wecom.post(server.url, '稳岗返还比例是多少?', 'lisi', msgId)));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    // The answer went out once: either as the passive reply of one worker or through the send-message API.
    const passive = replies.filter((reply) => reply.reply !== null);
    await waitFor(() => passive.length + wecomApi.sent.filter((message) => message.touser === 'lisi').length >= 1, 'the answer');
    expect(passive.length + wecomApi.sent.filter((message) => message.touser === 'lisi').length).toBe(1);
    const answer = passive[0]?.reply ?? (wecomApi.sent.find((message) => message.touser === 'lisi')!.text.content as string);
    expect(answer).toContain('60%');
    const logged = await first().server.store.listExchanges({ channel: 'wecom-callback', chatId: 'lisi' });
    expect(logged.items.map((exchange) => exchange.messageId)).toEqual([msgId]);

    // A third delivery, later, to the worker that did not answer: still nothing more.
    const retry = await wecom.post(second().server.url, '稳岗返还比例是多少?', 'lisi', msgId);
    expect(retry.reply).toBeNull();
    expect((await second().server.store.listExchanges({ channel: 'wecom-callback', chatId: 'lisi' })).total).toBe(1);
  });

  it("answers a follow-up on the second worker from the first worker's answer", async () => {
    const asked = await wecom.post(first().server.url, '中小微企业失业保险稳岗返还比例是多少?', 'wangwu', '7701000000000000002');
    const followUp = await wecom.post(second().server.url, '那这个找哪个部门?', 'wangwu', '7701000000000000003');
    const texts = [asked, followUp].map((reply, index) => reply.reply ?? wecomApi.sent.filter((message) => message.touser === 'wangwu')[index]?.text.content);
    expect(texts[1]).toContain('市人力资源社会保障局');
    const log = (await second().server.store.listExchanges({ channel: 'wecom-callback', chatId: 'wangwu' })).items.reverse();
    expect(log.map((exchange) => exchange.question)).toEqual(['中小微企业失业保险稳岗返还比例是多少?', '那这个找哪个部门?']);
    expect(log[1]!.citations[0]?.clause_id).toBe(log[0]!.citations[0]?.clause_id);
    expect(log[1]!.citations[0]?.lead_departments).toEqual(['市人力资源社会保障局']);
  });

  it('moves the Telegram long poll to the surviving worker when its holder stops', async () => {
    const holderName = await first().server.store.leaseHolder('telegram-poll');
    expect(holderName).toBeDefined();
    const holding = workers.filter(({ log }) => log.some((line) => line.includes('Telegram long polling: this worker holds the connection')));
    expect(holding).toHaveLength(1);
    const holder = holding[0]!;
    const survivor = workers.find((worker) => worker !== holder)!;

    telegram.push(textUpdate({ text: '稳岗返还比例是多少?', userId: 3001 }));
    await waitFor(() => telegram.sent(3001).length > 0, 'the holder to answer on Telegram');

    await holder.server.stop();
    workers.splice(workers.indexOf(holder), 1);
    await waitFor(
      () => survivor.log.some((line) => line.includes('Telegram long polling: this worker holds the connection')),
      'the survivor to take the long poll over',
    );
    telegram.push(textUpdate({ text: '那这个找哪个部门?', userId: 3001 }));
    await waitFor(() => telegram.sent(3001).length > 1, 'the survivor to answer on Telegram');
    expect(String(telegram.sent(3001)[1]!.text)).toContain('市人力资源社会保障局');
    const log = await survivor.server.store.listExchanges({ channel: 'telegram', chatId: '3001' });
    expect(log.total).toBe(2);
  });

  it('picks up a document added to the shared corpus on the surviving worker without a restart', async () => {
    const [worker] = workers;
    writeFileSync(
      path.join(corpusDir, '900_test_measures.txt'),
      '某区促进消费若干措施\n一、发放数字消费券。对参与活动的商户按核销金额的5%给予补贴。(区商务局牵头,区财政局配合)\n二、支持夜间经济。(区商务局负责)\n',
    );
    expect(await worker!.server.live.refresh()).toBe(true);
    const answer = await worker!.server.desk.ask({ text: '发放数字消费券的措施由哪个部门牵头?', channel: 'console', chatId: 'officer:test', userId: 'test' });
    expect(answer.citations[0]).toMatchObject({ clause_label: '一', lead_departments: ['区商务局'] });
  });
});
