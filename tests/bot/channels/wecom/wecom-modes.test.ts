import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChannel } from '../../../../bot/desk/channel.ts';
import { loadConfig } from '../../../../bot/app/config.ts';
import { startServer } from '../../../../bot/app/serve.ts';
import { RecordingChannel } from '../../../helpers.ts';
import { waitFor } from '../channel-helpers.ts';
import { FakeWeComApi } from './fake-wecom-api.ts';
import { FakeWeComServer, textMessage } from './fake-wecom-ws-server.ts';
import { callbackCredentials, callbackEnvironment, WeComCallbackClient } from './wecom-callback-client.ts';
import { silentLogger } from '../../../../bot/logger.ts';

/**
 * Both WeCom modes configured on `npm start` (issue 12): the smart bot on its socket and the self-built app's callback.
 * Each is its own channel, the exchange keeps the one it came in on, and an officer's reply goes back through it.
 */
describe('both WeCom modes on one server', () => {
  const credentials = callbackCredentials();
  const callback = new WeComCallbackClient(credentials);
  const corpSecret = 'corp-secret-for-tests';
  let api: FakeWeComApi;
  let socket: FakeWeComServer;
  let server: Awaited<ReturnType<typeof startServer>>;
  let cookie = '';

  beforeAll(async () => {
    api = await FakeWeComApi.start(credentials.corpId, corpSecret);
    socket = await FakeWeComServer.start('aib-policy', 'bot-secret');
    server = await startServer(
      loadConfig({
        POLICYBOT_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'policybot-modes-')),
        PORT: '0',
        WECOM_BOT_ID: 'aib-policy',
        WECOM_BOT_SECRET: 'bot-secret',
        WECOM_WS_URL: socket.url,
        ...callbackEnvironment(credentials, corpSecret, api.url),
      }),
      silentLogger,
      { corpusWatchMs: 0 },
    );
    await waitFor(() => socket.connected, 'the smart bot connection');
    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.firstOfficer),
    });
    cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  });
  afterAll(async () => {
    await server?.stop();
    await socket?.close();
    await api?.close();
  });

  const console = async (route: string, body?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', cookie },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json()) as { items: Array<{ id: number; question: string }> } };
  };
  const openTicket = async (question: string) => {
    const tickets = await console('/api/handoffs?status=open');
    return tickets.json.items.find((item) => item.question.includes(question));
  };
  /** The open ticket for `question`, once the desk has opened it. */
  const ticketFor = async (question: string) => {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const ticket = await openTicket(question);
      if (ticket) return ticket;
    }
    throw new Error(`no open ticket for ${question}`);
  };
  /** Frames the bot sent on its socket carrying `text` (answers, replies, pushes). */
  const socketFramesWith = (text: string) => socket.received.filter((frame) => JSON.stringify(frame.body ?? {}).includes(text));

  it("names the modes apart and answers an officer's reply through the callback mode for a callback question", async () => {
    const asked = await callback.post(server.url, '转人工 工会经费返还怎么申请', 'zhaoliu', '7700000000000000500');
    expect(asked.status).toBe(200);
    const logged = await server.store.listExchanges({ chatId: 'zhaoliu' });
    expect(logged.items.map((item) => item.channel)).toEqual(['wecom-callback']);
    const ticket = await ticketFor('工会经费返还');
    const replied = await console(`/api/handoffs/${ticket.id}/reply`, { text: '请携带营业执照到区总工会办理返还。' });
    expect(replied.status).toBe(200);
    const sent = api.sent.find((message) => message.touser === 'zhaoliu' && String(message.text?.content).includes('区总工会'));
    expect(sent).toMatchObject({ msgtype: 'text', agentid: Number(credentials.agentId) });
    expect(socketFramesWith('区总工会')).toEqual([]);
  });

  it("answers an officer's reply through the smart bot for a question asked there", async () => {
    socket.pushMessage(textMessage({ text: '转人工 残保金怎么减免', from: 'sunqi' }));
    const ticket = await ticketFor('残保金怎么减免');
    expect((await server.store.listExchanges({ chatId: 'sunqi' })).items.map((item) => item.channel)).toContain('wecom-bot');
    const sentBefore = api.sent.length;
    expect((await console(`/api/handoffs/${ticket.id}/reply`, { text: '残保金减免请向区税务局咨询。' })).status).toBe(200);
    await waitFor(() => socketFramesWith('区税务局').length > 0, 'the reply on the socket');
    expect(api.sent.slice(sentBefore).filter((message) => String(message.text?.content).includes('区税务局'))).toEqual([]);
  });
});

describe('rows stored as "wecom" before the modes were named apart', () => {
  it('go through the only WeCom mode running, or the callback mode first and then the smart bot when both run', async () => {
    const bot = new RecordingChannel('wecom-bot');
    const app = new RecordingChannel('wecom-callback');
    expect(findChannel([bot], 'wecom')).toBe(bot);
    expect(findChannel([bot, app], 'wecom-bot')).toBe(bot);
    expect(findChannel([new RecordingChannel('telegram')], 'wecom')).toBeUndefined();
    await findChannel([bot, app], 'wecom')!.deliver('lisi', '专员回复');
    expect([app.sent, bot.sent]).toEqual([[{ chatId: 'lisi', text: '专员回复' }], []]);
    // The member is not the app's (a smart bot group chat): the callback's send API refuses it, the smart bot sends.
    const refusing = Object.assign(new RecordingChannel('wecom-callback'), {
      deliver: async () => {
        throw new Error('invalid user');
      },
    });
    await findChannel([bot, refusing], 'wecom')!.deliver('wrk-group-1', '专员回复');
    expect(bot.sent).toEqual([{ chatId: 'wrk-group-1', text: '专员回复' }]);
  });
});
