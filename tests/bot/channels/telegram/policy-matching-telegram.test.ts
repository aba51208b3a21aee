import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../bot/app/cli.ts';
import { loadConfig } from '../../../../bot/app/config.ts';
import { startServer } from '../../../../bot/app/serve.ts';
import { NEW_QINGYUAN_MEASURES } from '../../../helpers.ts';
import { waitFor } from '../channel-helpers.ts';
import { FakeTelegramApi, textUpdate } from './fake-telegram-api.ts';
import { silentLogger } from '../../../../bot/logger.ts';

const TOKEN = '123456789:AAHfakeTokenForMatchingTests_01234567';
const textOf = (message: Record<string, unknown> | undefined) => String(message?.text ?? '');
// Replies go to the numeric chat id of the update; pushes to the id kept as text. Telegram takes either.
const sentTo = (api: FakeTelegramApi, chatId: number) =>
  api.calls.filter((call) => call.method === 'sendMessage' && String(call.body.chat_id) === String(chatId)).map((call) => call.body);

/**
 * Policy matching end to end: the real server (real corpus, SQLite file, desk) with Telegram long polling against
 * the loopback Bot API server; a profile asked in the chat, the one follow-up, 订阅, a document added with
 * `policybot corpus add` and the push it causes, 取消订阅.
 */
describe('policy matching through Telegram', () => {
  let api: FakeTelegramApi;
  let server: Awaited<ReturnType<typeof startServer>>;
  const environment: Record<string, string> = {};
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    api = await FakeTelegramApi.start(TOKEN);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-matching-'));
    const corpusDir = path.join(dataDir, 'documents');
    cpSync(path.resolve('corpus/documents'), corpusDir, { recursive: true });
    Object.assign(environment, {
      POLICYBOT_DATA_DIR: dataDir,
      CORPUS_DIR: corpusDir,
      PORT: '0',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.url,
      PUSH_INTERVAL_MS: '50',
      RATE_LIMIT_PER_MINUTE: '100',
    });
    server = await startServer(loadConfig(environment), silentLogger);
  });

  afterAll(async () => {
    await server?.stop();
    await api?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  const ask = async (userId: number, text: string) => {
    const before = api.sent(userId).length;
    api.push(textUpdate({ text, userId }));
    const replies = await waitFor(() => api.sent(userId).length > before && api.sent(userId), `the reply to ${text}`);
    return textOf(replies.at(-1));
  };

  it('answers a profile with matching measures grouped by topic, each with what it gives, the condition, validity and citation', async () => {
    const reply = await ask(2001, '我们是清远一家28人的小微制造企业，去年营收3000万，能享受哪些政策？');
    expect(reply).toContain('清远市|小微企业');
    expect(reply).toContain('研发、技改与转型');
    expect(reply).toContain('深入推进绿色制造体系建设');
    expect(reply).toContain('《清远市工业企业绿色发展专项资金管理实施细则》');
    expect(reply).toContain('制造业/工业企业(文件原文“工业企业”)');
    // "兑现2022年…上规模发展专项资金" was 2022's payout: counted with the expired ones, not listed.
    expect(reply).not.toContain('推动小微工业企业上规模发展');
    expect(reply).toContain('有效期');
    expect(reply).toContain('可能适用,请向责任部门确认');
    // 清远's 2021 opinions expired on 2025-01-31: counted, not listed; 普洱's measures are for another city.
    expect(reply).toMatch(/另有\d+项相符的措施所在文件或实施阶段已过有效期/);
    expect(reply).not.toContain('工会经费');
    expect(reply).not.toContain('普洱');
    expect(reply).toContain('《清远市工业和信息化局关于对市八届政协二次会议第20230425号提案答复的函》');
  });

  it('asks one short follow-up when the place is missing, then answers with the reply merged in', async () => {
    const question = await ask(2002, '我们是一家做五金的小微企业，想贷款，能享受哪些政策？');
    expect(question).toContain('请补充:所在地区');
    expect(question.length).toBeLessThan(80);
    const answer = await ask(2002, '清远清城区');
    expect(answer).toContain('清远市清城区');
    expect(answer).toContain('为有资金需求的企业发放创业担保贷款');
  });

  it('keeps the profile on 订阅, pushes one message after corpus add, and forgets it on 取消订阅', async () => {
    const subscribed = await ask(2001, '订阅');
    expect(subscribed).toContain('已订阅');
    expect(subscribed).toContain('回复“取消订阅”即删除');

    const file = path.join(environment.POLICYBOT_DATA_DIR!, NEW_QINGYUAN_MEASURES.name);
    writeFileSync(file, NEW_QINGYUAN_MEASURES.text);
    for (const [key, value] of Object.entries(environment)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    expect(await main(['corpus', 'add', file, '--region', '广东省清远市'])).toBe(0);

    const pushed = await waitFor(() => sentTo(api, 2001).find((message) => textOf(message).includes('【新政策提醒】')), 'the push');
    expect(textOf(pushed)).toContain('《清远市支持小微工业企业稳定发展的若干措施》');
    expect(textOf(pushed)).toContain('10万元奖励');
    expect(textOf(pushed)).toContain('市工业和信息化局');
    expect(textOf(pushed)).not.toContain('贷款贴息');
    // The chat that never subscribed gets nothing.
    expect(sentTo(api, 2002).some((message) => textOf(message).includes('【新政策提醒】'))).toBe(false);

    const cancelled = await ask(2001, '取消订阅');
    expect(cancelled).toContain('已取消订阅');
    expect(await ask(2001, '取消订阅')).toContain('本会话没有订阅');
  });

  it('shows officers the subscriptions and what was pushed', async () => {
    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.firstOfficer),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const listed = (await (await fetch(`${server.url}/api/subscriptions`, { headers: { cookie } })).json()) as {
      items: unknown[];
      pushes: { status: string; chat_id: string; text: string }[];
    };
    expect(listed.items).toEqual([]);
    expect(listed.pushes).toEqual([expect.objectContaining({ status: 'sent', chat_id: '2001' })]);
  });
});
