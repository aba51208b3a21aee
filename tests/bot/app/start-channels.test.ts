import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { encrypt, getSignature } from '@wecom/crypto';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { storeChannelState } from '../../../bot/channels/channel-state.ts';
import { startChannels } from '../../../bot/app/start-channels.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';
import { ScriptedAssistant } from '../../helpers.ts';
import { RecordingLogger, testConfig } from '../channels/channel-helpers.ts';
import { FakeTelegramApi } from '../channels/telegram/fake-telegram-api.ts';
import { FakeWeComServer } from '../channels/wecom/fake-wecom-ws-server.ts';

/** A loopback URL nothing listens on: a "network down" for the channel using it. */
async function deadTelegramRoot(): Promise<string> {
  const api = await FakeTelegramApi.start('1:x');
  const url = api.url;
  await api.close();
  return url;
}

describe('startChannels', () => {
  // The WeCom callback keeps the answers it owes in the store.
  const store = openSqliteStore(':memory:');
  it('starts nothing without credentials and names the variables that would enable each channel', async () => {
    const started = await startChannels({ config: testConfig({}), assistant: new ScriptedAssistant(), app: new Hono(), logger: new RecordingLogger() });
    expect(started.channels).toHaveLength(0);
    expect(started.disabled).toEqual([
      '企业微信智能机器人未启用：在 .env 中设置 WECOM_BOT_ID、WECOM_BOT_SECRET 即可启用',
      '企业微信自建应用（回调）未启用：在 .env 中设置 WECOM_TOKEN、WECOM_ENCODING_AES_KEY、WECOM_CORP_ID 即可启用',
      'Telegram 机器人未启用：在 .env 中设置 TELEGRAM_BOT_TOKEN 即可启用',
    ]);
    await started.stop();
  });

  it('names only the missing variable of a half-configured channel', async () => {
    const started = await startChannels({
      config: testConfig({ WECOM_BOT_ID: 'aib-policy' }),
      assistant: new ScriptedAssistant(),
      app: new Hono(),
      logger: new RecordingLogger(),
    });
    expect(started.disabled[0]).toBe('企业微信智能机器人未启用：在 .env 中设置 WECOM_BOT_SECRET 即可启用');
  });

  it('starts every configured channel, mounts the WeCom callback on the app, and survives unreachable platforms', async () => {
    const wecom = await FakeWeComServer.start('aib-policy', 'bot-secret');
    const token = 'callbacktoken';
    const aesKey = randomBytes(32).toString('base64').replace(/=+$/, '');
    const app = new Hono();
    const logger = new RecordingLogger();
    const started = await startChannels({
      config: testConfig({
        WECOM_BOT_ID: 'aib-policy',
        WECOM_BOT_SECRET: 'bot-secret',
        WECOM_WS_URL: wecom.url,
        WECOM_TOKEN: token,
        WECOM_ENCODING_AES_KEY: aesKey,
        WECOM_CORP_ID: 'wxcorp',
        TELEGRAM_BOT_TOKEN: '123:token',
        TELEGRAM_API_ROOT: await deadTelegramRoot(),
      }),
      assistant: new ScriptedAssistant(),
      app,
      logger,
      state: storeChannelState(store),
    });
    expect(started.channels.map((channel) => channel.name)).toEqual(['wecom-bot', 'wecom-callback', 'telegram']);
    expect(started.disabled).toEqual([]);
    expect(wecom.authentications).toBe(1);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('Telegram Bot API 无法连接'))).toBe(true);

    const echostr = encrypt(aesKey, 'echo-123', 'wxcorp');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const query = new URLSearchParams({ msg_signature: getSignature(token, timestamp, 'n1', echostr), timestamp, nonce: 'n1', echostr });
    const verification = await app.request(`/wecom/callback?${query}`);
    expect(await verification.text()).toBe('echo-123');

    await started.stop();
    await wecom.close();
  });

  it('mounts the Telegram webhook the channel brings, which answers on the shared server and checks the secret', async () => {
    const api = await FakeTelegramApi.start('123:token');
    const app = new Hono();
    const started = await startChannels({
      config: testConfig({
        TELEGRAM_BOT_TOKEN: '123:token',
        TELEGRAM_API_ROOT: api.url,
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.cn/hooks/telegram',
        TELEGRAM_WEBHOOK_SECRET: 'hook-secret_123',
      }),
      assistant: new ScriptedAssistant(),
      app,
      logger: new RecordingLogger(),
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/telegram`;
    const post = (secret: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: '{"update_id":1}' });
    expect(api.calls.find((call) => call.method === 'setWebhook')?.body).toMatchObject({ url: 'https://bot.example.gov.cn/hooks/telegram' });
    expect((await post('wrong-secret')).status).toBe(403);
    expect((await post('hook-secret_123')).status).toBe(200);
    expect((await app.request('/telegram/webhook', { method: 'POST' })).status).toBe(404);
    await started.stop();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
  });

  it('reports a channel that cannot be created without stopping the others', async () => {
    const config = testConfig({
      WECOM_TOKEN: 'callbacktoken',
      WECOM_ENCODING_AES_KEY: randomBytes(32).toString('base64').replace(/=+$/, ''),
      WECOM_CORP_ID: 'wxcorp',
      TELEGRAM_BOT_TOKEN: '123:token',
    });
    // loadConfig refuses a malformed URL at start (tests/bot/app/config.test.ts); set one past it to make Telegram's creation fail.
    config.telegram.webhookUrl = 'not a url';
    const started = await startChannels({
      config,
      assistant: new ScriptedAssistant(),
      app: new Hono(),
      logger: new RecordingLogger(),
      state: storeChannelState(store),
    });
    expect(started.channels.map((channel) => channel.name)).toEqual(['wecom-callback']);
    expect(started.disabled.at(-1)).toMatch(/^Telegram 机器人启动失败：.*Invalid URL/);
    await started.stop();
  });
});
