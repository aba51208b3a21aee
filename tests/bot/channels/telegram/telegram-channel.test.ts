import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../../../../bot/channels/telegram/telegram-channel.ts';
import { ScriptedAssistant } from '../../../helpers.ts';
import { GatedAssistant, RecordingLogger, testConfig, waitFor } from '../channel-helpers.ts';
import { commandEntity, FAKE_BOT, FakeTelegramApi, textUpdate } from './fake-telegram-api.ts';

const TOKEN = '123456789:AAHfakeTokenForLoopbackTests_0123456';
const GROUP = { id: -1_001_234_567_890, type: 'supergroup' as const, title: '园区企业服务群' };
const LONG_ANSWER = Array.from(
  { length: 120 },
  (_, index) => `第${index + 1}点：符合条件的中小微企业可按规定申请失业保险稳岗返还，具体以人社部门公布为准。`,
).join('\n');

const textOf = (message: Record<string, unknown> | undefined) => String(message?.text ?? '');

describe('Telegram channel (long polling against a local Bot API server)', () => {
  let api: FakeTelegramApi;
  let channel: TelegramChannel;
  let assistant: GatedAssistant;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    api = await FakeTelegramApi.start(TOKEN);
    assistant = new GatedAssistant(
      (question) => question.text.includes('慢'),
      (question) => {
        if (question.text.includes('出错')) throw new Error('model endpoint unavailable');
        return question.text.includes('长篇') ? { answer: LONG_ANSWER } : {};
      },
    );
    channel = createTelegramChannel({
      config: testConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.url, RATE_LIMIT_PER_MINUTE: '3' }),
      assistant,
      logger,
      sources: async () => ['清远市关于促进民营经济高质量发展的若干意见（清府办〔2021〕34号）', '广东省促进中小企业发展条例'],
    });
    await channel.start();
  });

  afterAll(async () => {
    await channel.stop();
    await api.close();
  });

  it('answers a private question with the citation and its lead department, showing "typing" meanwhile', async () => {
    api.push(textUpdate({ text: '稳岗返还比例是多少？', userId: 1001 }));
    const [reply] = await waitFor(() => api.sent(1001).length > 0 && api.sent(1001), 'the answer');
    expect(reply!.parse_mode).toBe('HTML');
    expect(textOf(reply)).toContain('中小微企业按60%返还');
    expect(textOf(reply)).toContain('《清远市关于促进民营经济高质量发展的若干意见》(清府办〔2021〕34号)');
    expect(textOf(reply)).toContain('牵头单位：市人力资源社会保障局');
    expect(textOf(reply)).toContain('配合单位：市税务局');
    expect(textOf(reply)).toContain('已于2025年1月31日届满');
    expect(reply!.reply_parameters).toBeUndefined();
    expect(api.calls.some((call) => call.method === 'sendChatAction' && call.body.chat_id === 1001 && call.body.action === 'typing')).toBe(true);
    expect(assistant.questions.find((question) => question.userId === '1001')).toMatchObject({
      text: '稳岗返还比例是多少？',
      channel: 'telegram',
      chatId: '1001',
    });
  });

  it('stays silent in a group unless addressed, and answers /ask@botname as a reply to that message', async () => {
    api.push(textUpdate({ text: '大家好，今天开会吗', userId: 1002, chat: GROUP }));
    api.push(textUpdate({ text: '/ask@other_bot 别的机器人的问题', userId: 1002, chat: GROUP, entities: [commandEntity('/ask@other_bot')] }));
    const ask = api.push(
      textUpdate({
        text: '/ask@policy_helper_bot 稳岗返还比例',
        userId: 1002,
        chat: GROUP,
        entities: [commandEntity('/ask@policy_helper_bot')],
      }),
    ) as { message: { message_id: number } };

    const replies = await waitFor(() => api.sent(GROUP.id).length > 0 && api.sent(GROUP.id), 'the /ask answer');
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('市人力资源社会保障局');
    expect(replies[0]!.reply_parameters).toEqual({ message_id: ask.message.message_id, allow_sending_without_reply: true });
    const asked = assistant.questions.filter((question) => question.userId === '1002').map((question) => question.text);
    expect(asked).toEqual(['稳岗返还比例']);
  });

  it('answers a group message that mentions the bot (any case), without the mention', async () => {
    const mention = '@Policy_Helper_Bot';
    api.push(
      textUpdate({
        text: `请问 ${mention} 稳岗返还怎么申请`,
        userId: 1003,
        chat: GROUP,
        entities: [{ type: 'mention', offset: 3, length: mention.length }],
      }),
    );
    await waitFor(() => assistant.questions.find((question) => question.userId === '1003'), 'the question');
    expect(assistant.questions.find((question) => question.userId === '1003')!.text).toBe('请问 稳岗返还怎么申请');
    const reply = await waitFor(() => api.sent(GROUP.id).find((message) => textOf(message).includes('稳岗返还怎么申请')), 'the answer');
    expect(textOf(reply)).toContain('市人力资源社会保障局');
  });

  it('answers a reply to one of its own messages in a group', async () => {
    const botMessage = { message_id: 4321, from: FAKE_BOT, chat: GROUP, date: 1_732_350_000, text: '关于「稳岗返还」…' };
    api.push(textUpdate({ text: '那配合部门是谁？', userId: 1004, chat: GROUP, replyTo: botMessage }));
    const reply = await waitFor(() => api.sent(GROUP.id).find((message) => textOf(message).includes('那配合部门是谁')), 'the answer');
    expect(textOf(reply)).toContain('配合单位：市税务局');
  });

  it('waits out a 429 retry_after and still delivers the answer', async () => {
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    api.push(textUpdate({ text: '小微企业有哪些补贴？', userId: 1005 }));
    const attempts = await waitFor(() => api.sent(1005).length >= 2 && api.sent(1005), 'the retried send');
    expect(attempts).toHaveLength(2);
    expect(textOf(attempts[1])).toBe(textOf(attempts[0]));
    expect(textOf(attempts[1])).toContain('市人力资源社会保障局');
  });

  it('escapes HTML in the question it quotes back', async () => {
    api.push(textUpdate({ text: '<b>补贴</b> & 税 <script>', userId: 1006 }));
    const [reply] = await waitFor(() => api.sent(1006).length > 0 && api.sent(1006), 'the answer');
    // The fake server rejects bad markup as Telegram does, so arriving at all means it parsed.
    expect(textOf(reply)).toContain('&lt;b&gt;补贴&lt;/b&gt; &amp; 税 &lt;script&gt;');
    expect(textOf(reply)).not.toContain('<script>');
  });

  it('splits a long answer over several messages, each within 4096 characters, citation last', async () => {
    api.push(textUpdate({ text: '请给出长篇说明', userId: 1007 }));
    await waitFor(() => api.sent(1007).some((message) => textOf(message).includes('市人力资源社会保障局')), 'the last part');
    const parts = api.sent(1007).map(textOf);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toContain('第1点');
    expect(parts.join('\n')).toContain('第120点');
    expect(parts.at(-1)).toContain('《清远市关于促进民营经济高质量发展的若干意见》');
  });

  it('lists the documents on /sources and explains itself on /start', async () => {
    api.push(textUpdate({ text: '/sources', userId: 1008, entities: [commandEntity('/sources')] }));
    api.push(textUpdate({ text: '/start', userId: 1009, entities: [commandEntity('/start')] }));
    const [sources] = await waitFor(() => api.sent(1008).length > 0 && api.sent(1008), '/sources');
    expect(textOf(sources)).toContain('广东省促进中小企业发展条例');
    expect(textOf(sources)).toContain('清府办〔2021〕34号');
    const [start] = await waitFor(() => api.sent(1009).length > 0 && api.sent(1009), '/start');
    expect(textOf(start)).toContain('政策问答助手');
    expect(textOf(start)).toContain('牵头和配合部门');
  });

  it('tells a user who asks too often to slow down, and one who asks too much to shorten it', async () => {
    for (const text of ['问题一', '问题二', '问题三', '问题四']) api.push(textUpdate({ text, userId: 1010 }));
    const replies = await waitFor(() => api.sent(1010).length >= 4 && api.sent(1010), 'four replies');
    expect(textOf(replies[3])).toContain('提问太频繁');
    expect(assistant.questions.filter((question) => question.userId === '1010')).toHaveLength(3);

    api.push(textUpdate({ text: '长'.repeat(501), userId: 1011 }));
    const [tooLong] = await waitFor(() => api.sent(1011).length > 0 && api.sent(1011), 'the size reply');
    expect(textOf(tooLong)).toContain('问题太长');
    expect(textOf(tooLong)).toContain('请控制在500字以内');
  });

  it('keeps answering other chats while one answer is slow', async () => {
    api.push(textUpdate({ text: '慢问题：请详细比较各区政策', userId: 1012 }));
    await waitFor(() => assistant.held === 1, 'the slow question to be held');
    api.push(textUpdate({ text: '快问题：稳岗返还比例', userId: 1013 }));
    await waitFor(() => api.sent(1013).length > 0, 'the other chat to be answered');
    expect(api.sent(1012)).toHaveLength(0);
    assistant.release();
    const [slow] = await waitFor(() => api.sent(1012).length > 0 && api.sent(1012), 'the slow answer');
    expect(textOf(slow)).toContain('请详细比较各区政策');
  });

  it('apologises when answering fails, logging neither the question nor the token', async () => {
    api.push(textUpdate({ text: '这个问题会出错：本公司营业额1234万元', userId: 1014 }));
    const [reply] = await waitFor(() => api.sent(1014).length > 0 && api.sent(1014), 'the apology');
    expect(textOf(reply)).toContain('抱歉');
    expect(logger.text()).toContain('model endpoint unavailable');
    expect(logger.text()).not.toContain('1234万元');
    expect(logger.text()).not.toContain(TOKEN);
  });

  it('delivers an officer reply threaded to the original message', async () => {
    await channel.deliver('-1001234567890', '您好，<附件>已补充 & 请查收', '42');
    const reply = api.calls.filter((call) => call.method === 'sendMessage' && call.body.chat_id === '-1001234567890').at(-1)!.body;
    expect(textOf(reply)).toBe('您好，&lt;附件&gt;已补充 &amp; 请查收');
    expect(reply.reply_parameters).toEqual({ message_id: 42, allow_sending_without_reply: true });
  });
});

describe('Telegram channel in webhook mode (mounted on the Hono app)', () => {
  let api: FakeTelegramApi;
  let channel: TelegramChannel;
  let server: ServerType;
  let baseUrl: string;
  const assistant = new ScriptedAssistant();

  beforeAll(async () => {
    api = await FakeTelegramApi.start(TOKEN);
    channel = createTelegramChannel({
      config: testConfig({
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: api.url,
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook',
        TELEGRAM_WEBHOOK_SECRET: 'hook-secret_123',
      }),
      assistant,
      logger: new RecordingLogger(),
    });
    const app = new Hono();
    // The channel brings its webhook route; the composition root mounts it as here (bot/app/start-channels.ts).
    if (channel.routes) app.route('/', channel.routes);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await channel.start();
  });

  afterAll(async () => {
    await channel.stop();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
  });

  const post = (update: unknown, secret: string) =>
    fetch(`${baseUrl}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });

  it('registers the webhook with its secret and does not poll', () => {
    const setWebhook = api.calls.find((call) => call.method === 'setWebhook');
    expect(setWebhook?.body).toMatchObject({ url: 'https://bot.example.com/telegram/webhook', secret_token: 'hook-secret_123' });
    expect(api.count('getUpdates')).toBe(0);
  });

  it('refuses an update with the wrong secret token', async () => {
    const response = await post({ update_id: 1, ...textUpdate({ text: '伪造的更新', userId: 2001 }) }, 'wrong-secret');
    expect(response.status).toBe(403);
    expect(assistant.questions).toHaveLength(0);
  });

  it('refuses a body larger than any update (413) and keeps answering', async () => {
    const response = await post({ update_id: 3, ...textUpdate({ text: '大'.repeat(200_000), userId: 2003 }) }, 'hook-secret_123');
    expect(response.status).toBe(413);
    expect(assistant.questions).toHaveLength(0);
  });

  it('answers an update posted with the right secret token', async () => {
    const response = await post({ update_id: 2, ...textUpdate({ text: '稳岗返还比例是多少？', userId: 2002 }) }, 'hook-secret_123');
    expect(response.status).toBe(200);
    const [reply] = await waitFor(() => api.sent(2002).length > 0 && api.sent(2002), 'the answer');
    expect(textOf(reply)).toContain('市人力资源社会保障局');
  });
});

describe('Telegram channel start failures', () => {
  it('logs a rejected token clearly, keeps retrying, and never throws', async () => {
    const api = await FakeTelegramApi.start(TOKEN);
    const logger = new RecordingLogger();
    const channel = createTelegramChannel({
      config: testConfig({ TELEGRAM_BOT_TOKEN: '987654:revoked-token', TELEGRAM_API_ROOT: api.url }),
      assistant: new ScriptedAssistant(),
      logger,
      restartBackoff: { initialMs: 20, maxMs: 40 },
    });
    await channel.start();
    await waitFor(() => api.count('getMe') >= 3, 'repeated start attempts');
    await channel.stop();
    expect(logger.lines.some((line) => line.level === 'error' && line.message === 'TELEGRAM_BOT_TOKEN 被拒绝：请在 BotFather 中核对')).toBe(true);
    expect(logger.text()).not.toContain('revoked-token');
    await api.close();
  });

  it('logs an unreachable API and carries on', async () => {
    const closed = await FakeTelegramApi.start(TOKEN);
    const url = closed.url;
    await closed.close();
    const logger = new RecordingLogger();
    const channel = createTelegramChannel({
      config: testConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: url }),
      assistant: new ScriptedAssistant(),
      logger,
      restartBackoff: { initialMs: 20, maxMs: 40 },
    });
    await channel.start();
    await channel.stop();
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('无法连接'))).toBe(true);
    expect(logger.text()).not.toContain(TOKEN);
  });
});
