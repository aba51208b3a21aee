/**
 * The console under a large log (`BENCH_CONSOLE=43000 npm run bench`): `npm start` in its own process over a SQLite
 * file of N generated exchanges, WeCom callback mode on. Measures each export (CSV, XLSX) downloaded at full speed and
 * the latency of WeCom callbacks sent every 250 ms meanwhile, against the same callbacks with the server idle.
 * Loopback only; bounded: each export is abandoned after 5 minutes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, projectRoot } from '../../bot/app/config.ts';
import { callbackCredentials, WeComCallbackClient } from '../bot/channels/wecom/wecom-callback-client.ts';
import { fillLog } from '../bot/console/generated-log.ts';

export interface ConsoleBenchResult {
  exchanges: number;
  idleCallbackMs: { p50: number; max: number };
  exports: {
    format: 'csv' | 'xlsx';
    seconds: number;
    firstByteMs: number;
    megabytes: number;
    callbacks: number;
    callbackMs: { p50: number; p95: number; max: number };
  }[];
}

const EXPORT_LIMIT_MS = 5 * 60_000;

export async function runConsoleBench(exchanges: number): Promise<ConsoleBenchResult> {
  const directory = mkdtempSync(path.join(tmpdir(), 'policybot-console-bench-'));
  const credentials = callbackCredentials();
  const wecom = new WeComCallbackClient(credentials);
  const environment = {
    ...process.env,
    POLICYBOT_DATA_DIR: directory,
    PORT: '0',
    POLICYBOT_OFFICER: 'bench:bench-password-1',
    WECOM_TOKEN: credentials.token,
    WECOM_ENCODING_AES_KEY: credentials.aesKey,
    WECOM_CORP_ID: credentials.corpId,
    RATE_LIMIT_PER_MINUTE: '100000',
  };
  console.error(`[console] writing ${exchanges} exchanges…`);
  await fillLog(loadConfig(environment).databasePath, exchanges);
  const server = await startServerProcess(environment);
  try {
    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', password: 'bench-password-1' }),
    });
    const cookie = (signIn.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    let messageId = 7_703_000_000_000_000_000n;
    const callback = async (): Promise<number> => {
      const started = performance.now();
      messageId += 1n;
      const reply = await wecom.post(server.url, '稳岗返还比例是多少?', `bench-${messageId % 50n}`, String(messageId));
      if (reply.status !== 200) throw new Error(`callback answered ${reply.status}`);
      return performance.now() - started;
    };
    const idle: number[] = [];
    for (let index = 0; index < 8; index += 1) idle.push(await callback());
    const result: ConsoleBenchResult = { exchanges, idleCallbackMs: { p50: percentile(idle, 0.5), max: Math.round(Math.max(...idle)) }, exports: [] };
    for (const format of ['csv', 'xlsx'] as const) {
      console.error(`[console] export.${format} with callbacks every 250 ms…`);
      const started = performance.now();
      const response = await fetch(`${server.url}/api/export.${format}`, { headers: { cookie }, signal: AbortSignal.timeout(EXPORT_LIMIT_MS) });
      const reader = response.body!.getReader();
      let bytes = 0;
      let firstByteMs = 0;
      let done = false;
      const latencies: number[] = [];
      const probes = (async () => {
        while (!done) {
          latencies.push(await callback());
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      })();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        if (bytes === 0) firstByteMs = performance.now() - started;
        bytes += next.value.byteLength;
      }
      const seconds = (performance.now() - started) / 1000;
      done = true;
      await probes;
      result.exports.push({
        format,
        seconds: round(seconds, 1),
        firstByteMs: Math.round(firstByteMs),
        megabytes: round(bytes / 1e6, 1),
        callbacks: latencies.length,
        callbackMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: Math.round(Math.max(...latencies)) },
      });
      console.error(`[console] ${JSON.stringify(result.exports.at(-1))}`);
    }
    return result;
  } finally {
    await server.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `npm start` as a child process; resolves with its console address once it prints it. */
async function startServerProcess(environment: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, 'bot', 'policybot.mjs'), 'serve'], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /http:\/\/localhost:\d+/.exec(output);
      if (found) resolve(found[0]);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened:\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
