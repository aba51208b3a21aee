import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COLLECT_COMMAND,
  createWeComCallbackChannel,
  PASSIVE_NOTHING_WAITING,
  PASSIVE_PENDING,
  PASSIVE_STILL_WAITING,
  type WeComCallbackChannel,
} from '../../../../bot/channels/wecom/wecom-callback.ts';
import { createDesk } from '../../../../bot/desk/desk.ts';
import { parseFlatXml } from '../../../../bot/channels/wecom/wecom-xml.ts';
import { GatedAssistant, RecordingLogger, testConfig, waitFor } from '../channel-helpers.ts';
import { FakeWeComApi } from './fake-wecom-api.ts';
import { WeComCallbackClient } from './wecom-callback-client.ts';
import { openSqliteStore } from '../../../../bot/store/sqlite-store.ts';
import type { Store } from '../../../../bot/store/store.ts';
import { storeChannelState } from '../../../../bot/channels/channel-state.ts';

const TOKEN = 'QDG6eK3rMRmF';
/** A fresh EncodingAESKey: 43 characters of base64 (32 random bytes without the padding). */
const AES_KEY = randomBytes(32).toString('base64').replace(/=+$/, '');
const CORP_ID = 'wx5823bf96d3bd56c7';
const AGENT_ID = '1000002';
const CORP_SECRET = 'corp-secret-for-tests';
const LONG_ANSWER = Array.from({ length: 60 }, (_, index) => `第${index + 1}点：符合条件的企业可申请稳岗返还。`).join('\n');

let nextMsgId = 1_000_000_000_000_000;

/** The plaintext XML WeCom encrypts for a member's text message to a self-built app. */
function textMessageXml(content: string, options: { from?: string; msgId?: string } = {}): string {
  return (
    `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[${options.from ?? 'zhangsan'}]]></FromUserName>` +
    `<CreateTime>1732350000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
    `<MsgId>${options.msgId ?? String(nextMsgId++)}</MsgId><AgentID>${AGENT_ID}</AgentID></xml>`
  );
}

/** Signs like WeCom: SHA-1 over the sorted token, timestamp, nonce and ciphertext. */
function signedQuery(encrypted: string, token = TOKEN): URLSearchParams {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(6).toString('hex');
  return new URLSearchParams({ msg_signature: getSignature(token, timestamp, nonce, encrypted), timestamp, nonce });
}

describe('WeCom callback mode', () => {
  let api: FakeWeComApi;
  let channel: WeComCallbackChannel;
  const assistant = new GatedAssistant(
    (question) => question.text.includes('慢'),
    (question) => (question.text.includes('详细') ? { answer: LONG_ANSWER } : {}),
  );
  const logger = new RecordingLogger();
  const store = openSqliteStore(':memory:');

  beforeAll(async () => {
    api = await FakeWeComApi.start(CORP_ID, CORP_SECRET);
    channel = createWeComCallbackChannel({
      config: testConfig({
        WECOM_TOKEN: TOKEN,
        WECOM_ENCODING_AES_KEY: AES_KEY,
        WECOM_CORP_ID: CORP_ID,
        WECOM_AGENT_ID: AGENT_ID,
        WECOM_CORP_SECRET: CORP_SECRET,
        WECOM_API_BASE: api.url,
      }),
      assistant,
      logger,
      passiveReplyWithinMs: 50,
      outbox: store,
    });
    await channel.start();
  });

  afterAll(async () => {
    assistant.release();
    await channel.stop();
    await api.close();
    await store.close();
  });

  /** POSTs a message exactly as WeCom does: encrypted plaintext in <Encrypt>, signature over it in the query. */
  const postMessage = (plaintext: string, options: { token?: string; receiverId?: string } = {}) => {
    const encrypted = encrypt(AES_KEY, plaintext, options.receiverId ?? CORP_ID);
    const body = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${AGENT_ID}]]></AgentID></xml>`;
    return channel.routes.request(`/wecom/callback?${signedQuery(encrypted, options.token)}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/xml' },
    });
  };

  /** Opens a passive reply as WeCom would: check its signature, decrypt, check the receiver id. */
  const openReply = (xml: string) => {
    const reply = parseFlatXml(xml);
    expect(reply.MsgSignature).toBe(getSignature(TOKEN, reply.TimeStamp!, reply.Nonce!, reply.Encrypt!));
    const { message, id } = decrypt(AES_KEY, reply.Encrypt!);
    expect(id).toBe(CORP_ID);
    return parseFlatXml(message);
  };

  it('answers URL verification with exactly the decrypted echostr', async () => {
    const echo = '1616140317555161061';
    const echostr = encrypt(AES_KEY, echo, CORP_ID);
    const query = signedQuery(echostr);
    // WeCom URL-encodes echostr (it holds + / =); URLSearchParams does the same.
    query.set('echostr', echostr);
    const response = await channel.routes.request(`/wecom/callback?${query}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(echo);
  });

  it('refuses URL verification with a bad signature', async () => {
    const echostr = encrypt(AES_KEY, '42', CORP_ID);
    const query = signedQuery(echostr, 'not-the-token');
    query.set('echostr', echostr);
    expect((await channel.routes.request(`/wecom/callback?${query}`)).status).toBe(403);
  });

  it('refuses a message with a bad signature without asking the assistant', async () => {
    const asked = assistant.questions.length;
    const response = await postMessage(textMessageXml('伪造的消息'), { token: 'not-the-token' });
    expect(response.status).toBe(403);
    expect(assistant.questions).toHaveLength(asked);
  });

  it('refuses a message encrypted for another corporation', async () => {
    const asked = assistant.questions.length;
    const response = await postMessage(textMessageXml('别家企业的消息'), { receiverId: 'wxotherCorp000000' });
    expect(response.status).toBe(403);
    expect(assistant.questions).toHaveLength(asked);
  });

  it('replies passively with an encrypted text carrying the answer and its citation', async () => {
    const response = await postMessage(textMessageXml('稳岗返还比例是多少？', { from: 'lisi' }));
    expect(response.status).toBe(200);
    const reply = openReply(await response.text());
    expect(reply).toMatchObject({ ToUserName: 'lisi', FromUserName: CORP_ID, MsgType: 'text' });
    expect(reply.Content).toContain('中小微企业按60%返还');
    expect(reply.Content).toContain('《清远市关于促进民营经济高质量发展的若干意见》(清府办〔2021〕34号)');
    expect(reply.Content).toContain('牵头单位：市人力资源社会保障局');
    expect(Buffer.byteLength(reply.Content!)).toBeLessThanOrEqual(2048);
    expect(assistant.questions.at(-1)).toMatchObject({ text: '稳岗返还比例是多少？', channel: 'wecom-callback', chatId: 'lisi', userId: 'lisi' });
    // Owed while it was being answered, nothing once the reply carried it: no delivery is waiting or shown.
    expect(await store.outboxCounts()).toMatchObject({ pending: 0, delivered: 0, failed: 0 });
  });

  it("answers WeCom's retry of the same MsgId once", async () => {
    const plaintext = textMessageXml('重试的问题', { msgId: '7700000000000000001' });
    const first = await postMessage(plaintext);
    const retry = await postMessage(plaintext);
    expect(openReply(await first.text()).Content).toContain('重试的问题');
    expect(await retry.text()).toBe('success');
    expect(assistant.questions.filter((question) => question.text === '重试的问题')).toHaveLength(1);
  });

  it('acknowledges a slow answer with "success" and sends it later through message/send', async () => {
    const response = await postMessage(textMessageXml('慢问题：各区补贴对比', { from: 'wangwu' }));
    expect(await response.text()).toBe('success');
    expect(api.sent).toHaveLength(0);
    assistant.release();
    const sent = await waitFor(() => api.sent.find((message) => message.touser === 'wangwu'), 'the API send');
    expect(sent).toMatchObject({ touser: 'wangwu', msgtype: 'text', agentid: Number(AGENT_ID) });
    expect(sent.text.content).toContain('慢问题：各区补贴对比');
    expect(sent.text.content).toContain('市人力资源社会保障局');
    expect(api.tokenRequests[0]?.get('corpid')).toBe(CORP_ID);
    expect(api.tokenRequests[0]?.get('corpsecret')).toBe(CORP_SECRET);
  });

  it('sends an answer too long for one message as several messages of at most 2048 bytes', async () => {
    const response = await postMessage(textMessageXml('请详细说明', { from: 'zhaoliu' }));
    expect(await response.text()).toBe('success');
    await waitFor(() => api.sent.some((message) => message.touser === 'zhaoliu' && message.text.content.includes('市人力资源社会保障局')), 'the last part');
    const parts = api.sent.filter((message) => message.touser === 'zhaoliu').map((message) => message.text.content as string);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toContain('第60点');
    expect(api.tokenRequests).toHaveLength(1); // the access token is cached
  });

  it('acknowledges events without asking the assistant', async () => {
    const asked = assistant.questions.length;
    const event =
      `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1732350000</CreateTime>` +
      `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>${AGENT_ID}</AgentID></xml>`;
    expect(await (await postMessage(event)).text()).toBe('success');
    expect(assistant.questions).toHaveLength(asked);
  });

  it('delivers an officer reply through message/send', async () => {
    await channel.deliver('sunqi', '您好，经办部门已补充说明。');
    expect(api.sent.at(-1)).toMatchObject({ touser: 'sunqi', msgtype: 'text', text: { content: '您好，经办部门已补充说明。' } });
  });

  it('keeps question text and secrets out of the logs', () => {
    expect(logger.text()).not.toContain('稳岗返还比例是多少');
    expect(logger.text()).not.toContain(AES_KEY);
    expect(logger.text()).not.toContain(CORP_SECRET);
  });
});

/** The answers WeCom was told "success" for: kept in the store's outbox until they reach the asker or visibly fail. */
describe('WeCom callback outbox', () => {
  let api: FakeWeComApi;
  const store = openSqliteStore(':memory:');
  const gated = new GatedAssistant((question) => question.text.includes('慢'));
  const desk = createDesk({ assistant: gated, store });
  const logger = new RecordingLogger();
  const channels: WeComCallbackChannel[] = [];
  // Short waits so the test runs in a second; the figures of `defaultRetryPolicy` are for WeCom.
  const retry = { firstDelayMs: 30, maxDelayMs: 100, attempts: 4 };
  const client = new WeComCallbackClient({ token: TOKEN, aesKey: AES_KEY, corpId: CORP_ID, agentId: AGENT_ID });

  const open = (env: Record<string, string>) => {
    const channel = createWeComCallbackChannel({
      config: testConfig({ WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: AES_KEY, WECOM_CORP_ID: CORP_ID, ...env }),
      assistant: desk,
      logger,
      outbox: store,
      retry,
      passiveReplyWithinMs: 0,
    });
    channels.push(channel);
    return channel;
  };
  const post = async (channel: WeComCallbackChannel, content: string, from: string) => {
    const encrypted = encrypt(AES_KEY, textMessageXml(content, { from }), CORP_ID);
    const body = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${AGENT_ID}]]></AgentID></xml>`;
    const response = await channel.routes.request(`/wecom/callback?${signedQuery(encrypted)}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/xml' },
    });
    const text = await response.text();
    return text === 'success' ? 'success' : client.open(text);
  };
  const exchangeOf = async (user: string) => (await store.listExchanges({ channel: 'wecom-callback', chatId: user })).items[0];

  beforeAll(async () => {
    api = await FakeWeComApi.start(CORP_ID, CORP_SECRET);
  });
  afterAll(async () => {
    for (const channel of channels) await channel.stop();
    await api.close();
    await store.close();
  });

  const sending = () => open({ WECOM_AGENT_ID: AGENT_ID, WECOM_CORP_SECRET: CORP_SECRET, WECOM_API_BASE: api.url });

  it('tries again a send that WeCom answers with HTTP 500 and delivers it once', async () => {
    const channel = sending();
    await channel.start();
    api.sendFault = (_call, body) => (body.touser === 'qianba' && api.sendCalls <= 2 ? 'http-500' : undefined);
    expect(await post(channel, '稳岗返还比例是多少？', 'qianba')).toBe('success');
    await waitFor(() => api.sentTo('qianba').length > 0, 'the answer after two HTTP 500s');
    expect(api.sentTo('qianba')).toHaveLength(1);
    expect(api.sentTo('qianba')[0]).toContain('中小微企业按60%返还');
    await waitFor(async () => (await exchangeOf('qianba'))?.delivery?.status === 'delivered', 'the delivery recorded');
    expect((await exchangeOf('qianba'))?.delivery).toMatchObject({ status: 'delivered', attempts: 2, lastError: 'WeCom API answered HTTP 500' });
  });

  it('marks failed, without retrying, a send WeCom refuses for good, and after the last attempt one that keeps failing', async () => {
    const channel = channels[0]!;
    const before = api.sendCalls;
    api.sendFault = (_call, body) =>
      body.touser === 'ghost' ? { errcode: 60111, errmsg: 'userid not found' } : body.touser === 'down' ? 'http-500' : undefined;
    expect(await post(channel, '稳岗返还比例是多少？', 'ghost')).toBe('success');
    expect(await post(channel, '稳岗返还比例是多少？', 'down')).toBe('success');
    await waitFor(
      async () => (await exchangeOf('ghost'))?.delivery?.status === 'failed' && (await exchangeOf('down'))?.delivery?.status === 'failed',
      'both marked failed',
    );
    expect((await exchangeOf('ghost'))?.delivery).toMatchObject({ attempts: 1, lastError: expect.stringContaining('60111') });
    expect((await exchangeOf('down'))?.delivery).toMatchObject({ attempts: retry.attempts, lastError: 'WeCom API answered HTTP 500' });
    expect(api.sendCalls - before).toBe(1 + retry.attempts);
    expect((await store.listExchanges({ delivery: 'failed' })).items.map((exchange) => exchange.chatId).sort()).toEqual(['down', 'ghost']);
    api.sendFault = () => undefined;
  });

  it('answers a message whose worker died right after its first write to the store, when the retry lands on another worker', async () => {
    /** The dying worker's view of the shared store: its first call goes through, then nothing more (the process is gone). */
    const dying = (target: Store): Store => {
      let calls = 0;
      return new Proxy(target, {
        get(object, key, receiver) {
          const value = Reflect.get(object, key, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => (calls++ === 0 ? value.apply(object, args) : new Promise(() => undefined));
        },
      });
    };
    const config = testConfig({
      WECOM_TOKEN: TOKEN,
      WECOM_ENCODING_AES_KEY: AES_KEY,
      WECOM_CORP_ID: CORP_ID,
      WECOM_AGENT_ID: AGENT_ID,
      WECOM_CORP_SECRET: CORP_SECRET,
      WECOM_API_BASE: api.url,
    });
    // Production's passive window; another worker answers an unfinished entry after 200 ms instead of a minute.
    const worker = (shared: Store) =>
      createWeComCallbackChannel({ config, assistant: desk, logger, state: storeChannelState(shared), retry, answerGraceMs: 200 });
    const first = worker(dying(store));
    const second = worker(store);
    channels.push(second);
    await second.start();
    const plaintext = textMessageXml('稳岗返还比例是多少？', { from: 'zhouba', msgId: '7706000000000000001' });
    const request = (channel: WeComCallbackChannel) => {
      const encrypted = encrypt(AES_KEY, plaintext, CORP_ID);
      const body = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${AGENT_ID}]]></AgentID></xml>`;
      return channel.routes.request(`/wecom/callback?${signedQuery(encrypted)}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    };
    void request(first); // never answered: WeCom retries, and the load balancer sends the retry to the other worker
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await (await request(second)).text()).toBe('success');
    await waitFor(() => api.sentTo('zhouba').length > 0, 'the answer from the other worker');
    expect(api.sentTo('zhouba')).toHaveLength(1);
    expect(api.sentTo('zhouba')[0]).toContain('中小微企业按60%返还');
    // Marked delivered once the send API has answered: after the message arrives there, not before.
    const delivered = async () => {
      const { items } = await store.listExchanges({ channel: 'wecom-callback', chatId: 'zhouba' });
      return items.length === 1 && items[0]?.delivery?.status === 'delivered' && items;
    };
    expect(await waitFor(delivered, 'the delivery recorded')).toMatchObject([{ messageId: '7706000000000000001', delivery: { status: 'delivered' } }]);
    expect(api.sentTo('zhouba')).toHaveLength(1);
  });

  it('without send credentials, says the answer will follow and hands it over when the asker sends 查看答复', async () => {
    const channel = open({});
    await channel.start();
    expect(logger.text()).toContain('只能被动回复：未设置 WECOM_AGENT_ID、WECOM_CORP_SECRET');
    expect(await post(channel, '慢问题：各区补贴对比', 'sunqi')).toBe(PASSIVE_PENDING);
    expect(await post(channel, COLLECT_COMMAND, 'sunqi')).toBe(PASSIVE_STILL_WAITING);
    gated.release();
    await waitFor(async () => (await exchangeOf('sunqi'))?.delivery?.status === 'pending', 'the answer written');
    expect((await exchangeOf('sunqi'))?.delivery).toMatchObject({ route: 'passive' });
    const collected = await post(channel, COLLECT_COMMAND, 'sunqi');
    expect(collected).toContain('慢问题：各区补贴对比');
    expect(collected).toContain('市人力资源社会保障局');
    expect((await exchangeOf('sunqi'))?.delivery).toMatchObject({ status: 'delivered' });
    expect(await post(channel, COLLECT_COMMAND, 'sunqi')).toBe(PASSIVE_NOTHING_WAITING);
  });
});
