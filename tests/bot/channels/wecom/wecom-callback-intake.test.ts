import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WECOM_TIMESTAMP_WINDOW_SECONDS } from '../../../../bot/channels/wecom/wecom-callback.ts';
import { loadConfig } from '../../../../bot/app/config.ts';
import { startServer } from '../../../../bot/app/serve.ts';
import { callbackCredentials, WeComCallbackClient } from './wecom-callback-client.ts';
import { silentLogger } from '../../../../bot/logger.ts';

type Server = Awaited<ReturnType<typeof startServer>>;

/**
 * Hostile and replayed input on `npm start`'s real HTTP server with the callback mode configured (issue 12): a
 * crafted body is turned away before it costs anything, the rest of the server keeps answering, and a captured
 * request is answered once — not again by a second server on the same store, nor after a restart.
 */
describe('WeCom callback intake on the running server', () => {
  const credentials = callbackCredentials();
  const wecom = new WeComCallbackClient(credentials);
  let environment: Record<string, string>;
  const servers: Server[] = [];
  const start = async () => {
    const server = await startServer(loadConfig(environment), silentLogger, { corpusWatchMs: 0 });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    environment = {
      POLICYBOT_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'policybot-intake-')),
      PORT: '0',
      RATE_LIMIT_PER_MINUTE: '100',
      WECOM_TOKEN: credentials.token,
      WECOM_ENCODING_AES_KEY: credentials.aesKey,
      WECOM_CORP_ID: credentials.corpId,
    };
    await start();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop().catch(() => undefined);
  });

  /** Streams `size` bytes of `chunk` as a chunked body (no Content-Length), the way an attacker would trickle it. */
  const postChunked = (url: string, chunk: string, size: number) =>
    new Promise<{ status: number; ms: number }>((resolve, reject) => {
      const started = performance.now();
      const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'text/xml' } }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, ms: performance.now() - started });
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      const piece = chunk.repeat(Math.ceil(16_384 / chunk.length));
      let sent = 0;
      const write = () => {
        while (sent < size) {
          sent += piece.length;
          if (!outgoing.write(piece)) return void outgoing.once('drain', write);
        }
        outgoing.end();
      };
      write();
    });

  /** A body of the kind the regular-expression reader took 18–47 s over: a megabyte of CDATA fields never closed. */
  const crafted = `<xml>${'<E><![CDATA['.repeat(90_000)}</xml>`;

  it('turns a crafted 1 MB body away at once while the console and a real message are served', async () => {
    const url = servers[0]!.url;
    const timed = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      return { result, ms: performance.now() - started };
    };
    const [unsigned, forged, forgedChunked, console, message] = await Promise.all([
      timed(() =>
        fetch(`${url}/wecom/callback`, { method: 'POST', body: crafted, headers: { 'content-type': 'text/xml' } }).then((response) => response.status),
      ),
      timed(() =>
        fetch(`${url}/wecom/callback?msg_signature=0&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`, { method: 'POST', body: crafted }).then(
          (response) => response.status,
        ),
      ),
      postChunked(`${url}/wecom/callback?msg_signature=0&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`, '<Encrypt><![CDATA[', 1_048_576),
      timed(() => fetch(`${url}/api/exchanges`).then((response) => response.status)),
      timed(() => wecom.post(url, '稳岗返还比例是多少？', 'zhangsan', '7700000000000000100')),
    ]);
    expect(crafted.length).toBeGreaterThan(1_000_000);
    expect(unsigned.result).toBe(400); // no signature: refused before the body is read
    expect(forged.result).toBe(413); // a signature, but a body no WeCom message has
    expect(forgedChunked.status).toBe(413);
    expect(console.result).toBe(401); // the console answers (signed out)
    expect(message.result.status).toBe(200);
    expect(message.result.reply).toContain('市人力资源社会保障局');
    // Seconds, not the 18–47 s of the old reader; the bound is loose for a loaded 2-core machine.
    for (const ms of [unsigned.ms, forged.ms, forgedChunked.ms, console.ms, message.ms]) expect(ms).toBeLessThan(5_000);
  });

  it('refuses a signed request whose timestamp is outside the window, recording nothing', async () => {
    const url = servers[0]!.url;
    const before = (await servers[0]!.store.listExchanges({})).total;
    const old = wecom.capture('过期的请求', 'lisi', '7700000000000000200', { secondsAgo: WECOM_TIMESTAMP_WINDOW_SECONDS + 60 });
    const future = wecom.capture('未来的请求', 'lisi', '7700000000000000201', { secondsAgo: -(WECOM_TIMESTAMP_WINDOW_SECONDS + 60) });
    expect((await wecom.send(url, old)).status).toBe(403);
    expect((await wecom.send(url, future)).status).toBe(403);
    expect((await servers[0]!.store.listExchanges({})).total).toBe(before);
  });

  it('answers a captured request once: not again on a second server on the same store, nor after a restart', async () => {
    const captured = wecom.capture('稳岗返还找哪个部门？', 'wangwu', '7700000000000000300');
    const first = await wecom.send(servers[0]!.url, captured);
    expect(first.reply).toContain('市人力资源社会保障局');
    const second = await start();
    expect(await wecom.send(second.url, captured)).toEqual({ status: 200, reply: null }); // "success": WeCom stops retrying
    await servers[0]!.stop();
    await second.stop();
    const restarted = await start();
    expect(await wecom.send(restarted.url, captured)).toEqual({ status: 200, reply: null });
    const recorded = await restarted.store.listExchanges({ text: '稳岗返还找哪个部门' });
    expect(recorded.items).toHaveLength(1);
    // A new message from the same member is still answered after the restart.
    expect((await wecom.post(restarted.url, '稳岗返还比例是多少？', 'wangwu', '7700000000000000301')).reply).toContain('60%');
  });
});
