import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../bot/desk/channel.ts';
import { createTelegramChannel } from '../../../bot/channels/telegram/telegram-channel.ts';
import { createWeComBotChannel } from '../../../bot/channels/wecom/wecom-bot-channel.ts';
import { createWeComCallbackChannel, type WeComCallbackChannel } from '../../../bot/channels/wecom/wecom-callback.ts';
import { parseFlatXml } from '../../../bot/channels/wecom/wecom-xml.ts';
import { logCsvStream } from '../../../bot/console/log-export.ts';
import { createDesk, type Desk } from '../../../bot/desk/desk.ts';
import { createRuntime } from '../../../bot/app/runtime.ts';
import { openSqliteStore, type SqliteStore } from '../../../bot/store/sqlite-store.ts';
import { RecordingLogger, testConfig, waitFor } from './channel-helpers.ts';
import { FakeTelegramApi, textUpdate } from './telegram/fake-telegram-api.ts';
import { FakeWeComApi } from './wecom/fake-wecom-api.ts';
import { FakeWeComServer, textMessage, type Frame } from './wecom/fake-wecom-ws-server.ts';
import { silentLogger } from '../../../bot/logger.ts';

/**
 * Real answers from the five documents (the offline assistant behind the desk), as each surface delivers them:
 * every message lists its sources once, and the plain-text surfaces (WeCom app text, the log, the CSV) carry no
 * Markdown or HTML markers.
 */
const QUESTIONS = {
  answered: '稳岗返还比例是多少？',
  comparison: '清远和乐清对工业用地各有什么支持？',
  refused: '东莞企业被认定为专精特新小巨人，市里奖励多少钱？',
};

const BOT_ID = 'aib-policy';
const BOT_SECRET = 'wecom-bot-secret-for-tests';
const TELEGRAM_TOKEN = '123456789:AAHfakeTokenForLoopbackTests_0123456';
const TOKEN = 'QDG6eK3rMRmF';
const AES_KEY = randomBytes(32).toString('base64').replace(/=+$/, '');
const CORP_ID = 'wx5823bf96d3bd56c7';

const count = (text: string, pattern: string | RegExp) => text.split(pattern).length - 1;
/** Markers of a rich form leaking into plain text. */
const MARKUP = /\*\*|^>|^#|<\/?(b|i|blockquote)>/m;

describe('one sources block per message, and no Markdown on plain-text surfaces (real answers)', () => {
  let store: SqliteStore;
  let desk: Desk;
  let wecomServer: FakeWeComServer;
  let wecomApi: FakeWeComApi;
  let telegramApi: FakeTelegramApi;
  const channels: Channel[] = [];
  let callback: WeComCallbackChannel;

  beforeAll(async () => {
    const config = testConfig({ POLICYBOT_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'policybot-surfaces-')) });
    const runtime = await createRuntime(config, silentLogger);
    store = openSqliteStore(':memory:');
    desk = createDesk({ assistant: runtime.assistant, store, channels: () => channels });
    wecomServer = await FakeWeComServer.start(BOT_ID, BOT_SECRET);
    wecomApi = await FakeWeComApi.start(CORP_ID, 'corp-secret-for-tests');
    telegramApi = await FakeTelegramApi.start(TELEGRAM_TOKEN);
    const logger = new RecordingLogger();
    channels.push(
      createWeComBotChannel({
        config: testConfig({ WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: BOT_SECRET, WECOM_WS_URL: wecomServer.url }),
        assistant: desk,
        feedback: desk,
        logger,
      }),
      createTelegramChannel({
        config: testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: telegramApi.url }),
        assistant: desk,
        feedback: desk,
        logger,
      }),
    );
    callback = createWeComCallbackChannel({
      config: testConfig({
        WECOM_TOKEN: TOKEN,
        WECOM_ENCODING_AES_KEY: AES_KEY,
        WECOM_CORP_ID: CORP_ID,
        WECOM_AGENT_ID: '1000002',
        WECOM_CORP_SECRET: 'corp-secret-for-tests',
        WECOM_API_BASE: wecomApi.url,
      }),
      assistant: desk,
      logger,
      passiveReplyWithinMs: 30_000,
      outbox: store,
    });
    await Promise.all([...channels, callback].map((channel) => channel.start()));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...channels, callback].map((channel) => channel.stop()));
    await Promise.all([wecomServer.close(), wecomApi.close(), telegramApi.close()]);
    await store.close();
  });

  it('WeCom smart bot: one Markdown message per answer, its sources listed once', async () => {
    for (const [kind, question] of Object.entries(QUESTIONS)) {
      const reqId = wecomServer.pushMessage(textMessage({ text: question, from: `bot-${kind}` }));
      const final = await waitFor(() => wecomServer.repliesTo(reqId).find((frame: Frame) => frame.body?.stream?.finish), `the ${kind} answer`, 60_000);
      const content = String(final.body!.stream.content);
      expect(count(content, '**出处**') + count(content, '**相关规定**')).toBe(kind === 'refused' ? 0 : 1);
      expect(content).not.toContain('依据');
      if (kind === 'comparison') {
        expect(content).toContain('**清远**');
        expect(content).toContain('**乐清**');
      }
    }
  }, 180_000);

  it('Telegram: the sources of an answer once over all its messages, in HTML, with no Markdown', async () => {
    let userId = 5100;
    for (const [kind, question] of Object.entries(QUESTIONS)) {
      userId += 1;
      telegramApi.push(textUpdate({ text: question, userId }));
      const messages = await waitFor(
        () => telegramApi.sent(userId).some((message) => message.reply_markup) && telegramApi.sent(userId),
        `the ${kind} answer`,
        60_000,
      );
      const text = messages.map((message) => String(message.text)).join('\n');
      expect(count(text, '<b>出处</b>') + count(text, '<b>相关规定</b>')).toBe(kind === 'refused' ? 0 : 1);
      expect(text).not.toContain('**');
      expect(text).not.toContain('依据');
    }
  }, 180_000);

  it('WeCom self-built app: plain text, sources once, no Markdown or HTML markers', async () => {
    for (const [kind, question] of Object.entries(QUESTIONS)) {
      const text = await askCallback(callback, wecomApi, question, `app-${kind}`);
      expect(count(text, '出处：') + count(text, '相关规定：')).toBe(kind === 'refused' ? 0 : 1);
      expect(text).not.toMatch(MARKUP);
      if (kind === 'comparison') expect(text).toContain('【清远】');
    }
  }, 180_000);

  it('the log and its CSV keep the plain-text answer: sources once, no markers', async () => {
    const { items } = await store.listExchanges({});
    const answers = items.filter((item) => item.answeredBy === null && item.question !== '转人工');
    expect(answers.length).toBeGreaterThanOrEqual(9);
    for (const exchange of answers) {
      expect(count(exchange.answer, '出处：') + count(exchange.answer, '相关规定：')).toBeLessThanOrEqual(1);
      expect(exchange.answer).not.toMatch(MARKUP);
    }
    const comparison = answers.find((item) => item.question === QUESTIONS.comparison)!;
    expect(comparison.answer).toContain('【乐清】');
    const csv = await new Response(
      logCsvStream(
        (async function* () {
          yield answers;
        })(),
      ),
    ).text();
    expect(csv).not.toContain('**');
    expect(count(csv, '出处：') + count(csv, '相关规定：')).toBe(answers.filter((item) => item.citations.length > 0).length);
  });
});

/** Posts a member's message to the self-built app as WeCom does and opens the passive reply. */
/**
 * The app's answer as the asker reads it: the passive reply, or — for an answer longer than one message (2048 bytes)
 * — the messages sent through message/send after WeCom was told "success", all of them.
 */
async function askCallback(channel: WeComCallbackChannel, api: FakeWeComApi, question: string, from: string): Promise<string> {
  const plaintext =
    `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>1732350000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${question}]]></Content>` +
    `<MsgId>${BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000))}</MsgId><AgentID>1000002</AgentID></xml>`;
  const encrypted = encrypt(AES_KEY, plaintext, CORP_ID);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(6).toString('hex');
  const query = new URLSearchParams({ msg_signature: getSignature(TOKEN, timestamp, nonce, encrypted), timestamp, nonce });
  const body = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
  const response = await channel.routes.request(`/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  const raw = await response.text();
  if (raw === 'success') {
    const sent = () => api.sent.filter((message) => message.touser === from);
    // Sent in order, each of at most 2048 bytes; the answer is whole once the last (holding the sources) is out.
    await waitFor(() => sent().some((message) => /出处：|相关规定：/.test(String(message.text?.content))), `the sent answer to ${from}`, 60_000);
    return sent()
      .map((message) => String(message.text?.content))
      .join('\n');
  }
  const reply = parseFlatXml(raw);
  return parseFlatXml(decrypt(AES_KEY, reply.Encrypt!).message).Content ?? '';
}
