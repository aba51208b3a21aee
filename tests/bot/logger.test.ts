import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/app/config.ts';
import { configSecrets, createLogger, describeError } from '../../bot/logger.ts';
import { createRuntime } from '../../bot/app/runtime.ts';

const API_KEY = 'sk-policybot-test-4f9a1c2e7b3d5a6f8e0c';

/**
 * A misbehaving OpenAI-compatible endpoint on loopback: every request is refused with 401 and an error body that
 * quotes the Authorization header it was sent — the key in full — as some proxies do.
 */
async function startEchoingEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${request.headers.authorization}`, type: 'invalid_request_error' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the logger', () => {
  it('drops lines below its level and names each child', () => {
    const lines: string[] = [];
    const root = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    const wecom = root.child('wecom');
    root.info('不应出现');
    wecom.debug('也不应出现');
    wecom.warn('企业微信连接断开', { reason: 'timeout' });
    wecom.child('sdk').error('重连失败');
    root.error('存储出错');
    expect(lines).toEqual(['WARN [wecom] 企业微信连接断开 {"reason":"timeout"}', 'ERROR [wecom/sdk] 重连失败', 'ERROR 存储出错']);
    const verbose: string[] = [];
    createLogger({ level: 'debug', write: (line) => verbose.push(line), name: 'telegram' }).debug('调试');
    expect(verbose).toEqual(['DEBUG [telegram] 调试']);
  });

  it('replaces configured secrets and key shapes anywhere in a line, nested causes included', () => {
    const lines: string[] = [];
    const config = loadConfig({
      POLICYBOT_DATA_DIR: '/tmp/policybot-logger',
      OPENAI_API_KEY: 'plain-configured-key-123',
      TELEGRAM_BOT_TOKEN: '7700000001:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra',
      WECOM_CORP_SECRET: 'corp-secret-value-xyz',
      DATABASE_URL: 'postgres://policybot:db-pass-word@127.0.0.1:5432/policybot',
    });
    const logger = createLogger({ secrets: configSecrets(config), write: (line) => lines.push(line) });
    const cause = new Error('upstream said: corpsecret=corp-secret-value-xyz rejected');
    const error = new Error('request to https://api.telegram.org/bot7700000001:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra/getMe failed', { cause });
    logger.error('Telegram 出错 plain-configured-key-123', {
      error: describeError(error),
      raw: new Error(`Bearer ${API_KEY} refused`),
      nested: { deeper: ['postgres://policybot:db-pass-word@127.0.0.1/x', '{"api_key":"unlisted-key-value"}', 'https://h/x?access_token=abc123&x=1'] },
    });
    const line = lines.join('\n');
    for (const secret of [
      'plain-configured-key-123',
      'AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra',
      'corp-secret-value-xyz',
      'db-pass-word',
      API_KEY,
      'unlisted-key-value',
      'abc123',
    ]) {
      expect(line).not.toContain(secret);
    }
    // What is needed to act stays: who failed, how, and the cause.
    expect(line).toContain('Telegram 出错');
    expect(line).toContain('"cause":{"name":"Error","message":"upstream said: corpsecret=[REDACTED] rejected"}');
    expect(line).toContain('https://h/x?access_token=[REDACTED]&x=1');
    expect(line).toContain('Bearer [REDACTED] refused');
  });
});

describe('errors from an endpoint that echoes the API key', () => {
  let endpoint: Awaited<ReturnType<typeof startEchoingEndpoint>>;
  let dataDir: string;
  beforeAll(async () => {
    endpoint = await startEchoingEndpoint();
    dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-echo-'));
  });
  afterAll(async () => {
    await endpoint.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the LLM failure and falls back to the quoted answer, without the key', async () => {
    const lines: string[] = [];
    const config = loadConfig({
      POLICYBOT_DATA_DIR: dataDir,
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: endpoint.url,
      CHAT_MODEL: 'test-model',
      LLM_TIMEOUT_MS: '10000',
    });
    const runtime = await createRuntime(config, createLogger({ secrets: configSecrets(config), write: (line) => lines.push(line) }));
    const answer = await runtime.assistant.ask({ text: '稳岗返还比例是多少?', channel: 'cli', chatId: 'echo', userId: 'tester' });
    expect(answer.citations.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    expect(logged).toContain('test-model 调用失败');
    expect(logged).toContain('[REDACTED]');
    expect(logged).not.toContain(API_KEY);
    expect(logged).not.toContain(API_KEY.slice(3, 20));
  });

  it('prints the embedding endpoint failure on the command line without the key', async () => {
    const child = spawn(process.execPath, ['bot/app/policybot.mjs', 'search', '稳岗返还'], {
      env: { ...process.env, POLICYBOT_DATA_DIR: dataDir, OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: endpoint.url, EMBEDDING_MODEL: 'test-embedding' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(output).toContain('Embedding endpoint');
    expect(output).toContain('[REDACTED]');
    expect(output).not.toContain(API_KEY);
  }, 60_000);
});
