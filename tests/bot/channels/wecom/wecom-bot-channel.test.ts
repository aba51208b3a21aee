import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Question } from '../../../../bot/core/answer.ts';
import type { AskOptions, Assistant } from '../../../../bot/core/assistant.ts';
import type { Channel } from '../../../../bot/desk/channel.ts';
import { createWeComBotChannel } from '../../../../bot/channels/wecom/wecom-bot-channel.ts';
import { ScriptedAssistant } from '../../../helpers.ts';
import { RecordingLogger, testConfig, waitFor } from '../channel-helpers.ts';
import { FakeWeComServer, textMessage, type Frame } from './fake-wecom-ws-server.ts';

const BOT_ID = 'aib-policy';
const SECRET = 'wecom-bot-secret-for-tests';

const finalFrame = (frames: Frame[]) => frames.find((frame) => frame.body?.stream?.finish === true);

/** Streams its answer in five growing partials, yielding to the event loop between them like a model would. */
class StreamingAssistant implements Assistant {
  private readonly scripted = new ScriptedAssistant();
  async ask(question: Question, options: AskOptions = {}): Promise<Answer> {
    const parts = ['中小微企业', '按企业及其职工', '上年度实际缴纳', '失业保险费的', '60%返还。'];
    let soFar = '';
    for (const part of parts) {
      soFar += part;
      options.onPartial?.(soFar);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.scripted.ask(question);
  }
}

async function streamedFrames(partialIntervalMs: number): Promise<Frame[]> {
  const server = await FakeWeComServer.start(BOT_ID, SECRET);
  const channel = createWeComBotChannel({
    config: testConfig({ WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: SECRET, WECOM_WS_URL: server.url }),
    assistant: new StreamingAssistant(),
    logger: new RecordingLogger(),
    partialIntervalMs,
  });
  await channel.start();
  const reqId = server.pushMessage(textMessage({ text: '稳岗返还比例' }));
  const frames = await waitFor(() => finalFrame(server.repliesTo(reqId)) && server.repliesTo(reqId), 'the final frame');
  await channel.stop();
  await server.close();
  return frames;
}

describe('WeCom smart bot channel (against a local long-connection server)', () => {
  let server: FakeWeComServer;
  let channel: Channel;
  const assistant = new ScriptedAssistant();
  const logger = new RecordingLogger();

  beforeAll(async () => {
    server = await FakeWeComServer.start(BOT_ID, SECRET);
    channel = createWeComBotChannel({
      config: testConfig({ WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: SECRET, WECOM_WS_URL: server.url }),
      assistant,
      logger,
      client: { reconnectInterval: 50, heartbeatInterval: 100 },
    });
    await channel.start();
  });

  afterAll(async () => {
    await channel.stop();
    await server.close();
  });

  it('authenticates with the bot id and secret, and keeps the connection alive with acknowledged pings', async () => {
    const subscribe = server.received.find((frame) => frame.cmd === 'aibot_subscribe');
    expect(subscribe?.body).toMatchObject({ bot_id: BOT_ID, secret: SECRET });
    await waitFor(() => server.received.filter((frame) => frame.cmd === 'ping').length >= 3, 'heartbeats');
    expect(server.authentications).toBe(1);
  });

  it('streams "正在查找…" first, then the final answer with its citation', async () => {
    const reqId = server.pushMessage(textMessage({ text: '稳岗返还比例是多少？', from: 'lisi' }));
    const frames = await waitFor(() => finalFrame(server.repliesTo(reqId)) && server.repliesTo(reqId), 'the final frame');
    expect(frames.every((frame) => frame.cmd === 'aibot_respond_msg' && frame.body?.msgtype === 'stream')).toBe(true);
    expect(frames[0]!.body!.stream).toMatchObject({ finish: false, content: '正在查找相关政策…' });
    const last = frames.at(-1)!.body!.stream;
    expect(last.finish).toBe(true);
    expect(last.content).toContain('中小微企业按60%返还');
    expect(last.content).toContain('《清远市关于促进民营经济高质量发展的若干意见》(清府办〔2021〕34号)');
    expect(last.content).toContain('牵头单位：市人力资源社会保障局');
    expect(Buffer.byteLength(last.content)).toBeLessThanOrEqual(20_480);
    expect(new Set(frames.map((frame) => frame.body!.stream.id)).size).toBe(1);
    expect(assistant.questions.at(-1)).toMatchObject({ text: '稳岗返还比例是多少？', channel: 'wecom-bot', chatId: 'lisi', userId: 'lisi' });
  });

  it('welcomes a user entering the chat, saying what it answers', async () => {
    const reqId = server.pushEvent('enter_chat', 'wangwu');
    const [welcome] = await waitFor(() => server.repliesTo(reqId).length > 0 && server.repliesTo(reqId), 'the welcome');
    expect(welcome!.cmd).toBe('aibot_respond_welcome_msg');
    expect(welcome!.body).toMatchObject({ msgtype: 'text' });
    expect(welcome!.body!.text.content).toContain('政策');
  });

  it('answers a redelivered msgid once', async () => {
    const message = textMessage({ text: '重复投递的问题', from: 'zhaoliu', msgid: 'msg-duplicate-1' });
    const first = server.pushMessage(message);
    const second = server.pushMessage(message);
    await waitFor(() => finalFrame(server.repliesTo(first)), 'the answer');
    // A later message from the same user is answered after any work the duplicate could have queued.
    const later = server.pushMessage(textMessage({ text: '之后的问题', from: 'zhaoliu' }));
    await waitFor(() => finalFrame(server.repliesTo(later)), 'the later answer');
    expect(server.repliesTo(second)).toHaveLength(0);
    expect(assistant.questions.filter((question) => question.text === '重复投递的问题')).toHaveLength(1);
  });

  it('strips the leading @BotName in a group and keys history by the group chatid', async () => {
    const reqId = server.pushMessage(textMessage({ text: '@政策助手 小微企业稳岗返还比例', from: 'sunqi', group: 'wrkSFfCgAA-group-1' }));
    await waitFor(() => finalFrame(server.repliesTo(reqId)), 'the answer');
    expect(assistant.questions.at(-1)).toMatchObject({ text: '小微企业稳岗返还比例', chatId: 'wrkSFfCgAA-group-1', userId: 'sunqi' });
  });

  it('reconnects and re-authenticates after the server drops the connection, then still answers', async () => {
    const before = server.authentications;
    server.dropConnections();
    await waitFor(() => server.authentications > before && server.connected, 'the SDK to reconnect');
    const reqId = server.pushMessage(textMessage({ text: '重连后的问题', from: 'lisi' }));
    const frames = await waitFor(() => finalFrame(server.repliesTo(reqId)) && server.repliesTo(reqId), 'the answer');
    expect(frames.at(-1)!.body!.stream.content).toContain('市人力资源社会保障局');
  });

  it('tells a user who asks too much to shorten the question, closing the stream', async () => {
    const reqId = server.pushMessage(textMessage({ text: '问'.repeat(501), from: 'qianba' }));
    const frames = await waitFor(() => finalFrame(server.repliesTo(reqId)) && server.repliesTo(reqId), 'the refusal');
    expect(frames).toHaveLength(1);
    expect(frames[0]!.body!.stream.content).toContain('请控制在500字以内');
  });

  it('delivers an officer reply as markdown through aibot_send_msg', async () => {
    await channel.deliver('lisi', '您好，经办部门已补充说明。');
    const sent = server.received.filter((frame) => frame.cmd === 'aibot_send_msg').at(-1);
    expect(sent?.body).toEqual({ chatid: 'lisi', msgtype: 'markdown', markdown: { content: '您好，经办部门已补充说明。' } });
  });

  it('keeps question text and the secret out of the logs', () => {
    expect(logger.text()).not.toContain('稳岗返还比例是多少');
    expect(logger.text()).not.toContain(SECRET);
  });
});

describe('WeCom smart bot streaming', () => {
  it('sends the partial answer as intermediate stream frames, each the whole text so far, before the final one', async () => {
    const frames = await streamedFrames(0);
    const contents = frames.map((frame) => frame.body!.stream.content as string);
    expect(contents[0]).toBe('正在查找相关政策…');
    const intermediate = contents.slice(1, -1);
    expect(intermediate.length).toBeGreaterThan(0);
    intermediate.forEach((content, index) => {
      expect(content.startsWith('中小微企业')).toBe(true);
      if (index > 0) expect(content.startsWith(intermediate[index - 1]!)).toBe(true);
    });
    expect(frames.at(-1)!.body!.stream.finish).toBe(true);
  });

  it('throttles intermediate frames to one per interval', async () => {
    const frames = await streamedFrames(60_000);
    expect(frames.length).toBeLessThanOrEqual(3); // "正在查找…", at most one partial, the final answer
    expect(frames.at(-1)!.body!.stream.content).toContain('市人力资源社会保障局');
  });
});

describe('WeCom smart bot with wrong credentials', () => {
  it('logs which variables were rejected, without the secret, and does not throw', async () => {
    const server = await FakeWeComServer.start(BOT_ID, SECRET);
    const logger = new RecordingLogger();
    const channel = createWeComBotChannel({
      config: testConfig({ WECOM_BOT_ID: BOT_ID, WECOM_BOT_SECRET: 'a-wrong-secret', WECOM_WS_URL: server.url }),
      assistant: new ScriptedAssistant(),
      logger,
      client: { reconnectInterval: 20 },
    });
    await channel.start();
    expect(server.authentications).toBe(0);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.startsWith('WECOM_BOT_ID / WECOM_BOT_SECRET 被拒绝'))).toBe(true);
    expect(logger.text()).not.toContain('a-wrong-secret');
    await channel.stop();
    await server.close();
  });
});
