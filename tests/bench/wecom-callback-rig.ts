/**
 * What the WeCom callback benchmarks (fault-bench, load-bench) share: the questions they ask, WeCom's side of the
 * callback (credentials, the signing and encrypting client, the fake message/send API on loopback), the environment
 * a worker is started with, and the figures' arithmetic.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeWeComApi } from '../bot/channels/wecom/fake-wecom-api.ts';
import { type CallbackCredentials, callbackCredentials, callbackEnvironment, WeComCallbackClient } from '../bot/channels/wecom/wecom-callback-client.ts';

export interface WeComCallbackRig {
  credentials: CallbackCredentials;
  client: WeComCallbackClient;
  api: FakeWeComApi;
  /** A worker's environment in callback mode, sending through `api`; `extra` adds or overrides (DATABASE_URL, …). */
  environment(extra: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/** Fresh credentials, a fake message/send API on 127.0.0.1, and the environment that points a worker at both. */
export async function startWeComCallbackRig(root: string): Promise<WeComCallbackRig> {
  const credentials = callbackCredentials();
  const corpSecret = 'bench-corp-secret';
  const api = await FakeWeComApi.start(credentials.corpId, corpSecret);
  return {
    credentials,
    client: new WeComCallbackClient(credentials),
    api,
    environment: (extra) => ({
      PORT: '0',
      // The highest allowed: an asker here sends about one question a second, so none is refused by the per-user limit.
      RATE_LIMIT_PER_MINUTE: '1000',
      CORPUS_DIR: path.join(root, 'corpus/documents'),
      ...callbackEnvironment(credentials, corpSecret, api.url),
      ...extra,
    }),
    close: () => api.close(),
  };
}

/** The questions of tests/eval/questions.jsonl, or only those whose id starts with `idPrefix` ("D": the development set). */
export function benchQuestions(root: string, idPrefix = ''): string[] {
  return readFileSync(path.join(root, 'tests/eval/questions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { id: string; question: string })
    .filter((item) => item.id.startsWith(idPrefix))
    .map((item) => item.question);
}

/** The nearest-rank percentile (p in 0–100) of `values`; 0 for none. */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
};

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** What the results files record about the machine a run was measured on. */
export function benchMachine(): { date: string; cpus: number; load: number[]; node: string } {
  return {
    date: new Date().toISOString().slice(0, 10),
    cpus: os.cpus().length,
    load: os.loadavg().map((value) => round(value)),
    node: process.version,
  };
}
