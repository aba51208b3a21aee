import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { openPostgresStore } from '../../../bot/store/postgres-store.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';
import type { ExchangeInput, Store } from '../../../bot/store/store.ts';
import { freshPostgresDatabase, sampleCitation } from '../../helpers.ts';

const postgresUrl = inject('postgresUrl');
if (!postgresUrl) console.warn(`[postgres] SKIPPED policybot log on PostgreSQL: ${inject('postgresUnavailable')}`);

const stores: { store: string; open: () => Promise<{ env: Record<string, string>; store: Store }> }[] = [
  {
    store: 'SQLite',
    open: async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-log-'));
      return { env: { POLICYBOT_DATA_DIR: dataDir }, store: openSqliteStore(path.join(dataDir, 'policybot.sqlite')) };
    },
  },
  ...(postgresUrl
    ? [
        {
          store: 'PostgreSQL',
          open: async () => {
            const url = await freshPostgresDatabase(postgresUrl);
            return { env: { DATABASE_URL: url, POLICYBOT_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'policybot-log-')) }, store: await openPostgresStore(url) };
          },
        },
      ]
    : []),
];

const exchange = (time: string, question: string, overrides: Partial<ExchangeInput> = {}): ExchangeInput => ({
  time: new Date(time),
  channel: 'wecom',
  chatId: 'lisi',
  userId: 'lisi',
  messageId: null,
  question,
  normalizedQuestion: question,
  answer: '中小微企业按60%返还。',
  citations: [sampleCitation()],
  decision: 'answered',
  mode: 'extractive',
  latencyMs: 12,
  answeredBy: null,
  reviewedAnswerId: null,
  ...overrides,
});

describe.each(stores)('policybot log on $store', ({ open }) => {
  // Asynchronous, so the test worker keeps answering vitest while the command runs.
  const run = (env: Record<string, string>, ...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bot/app/policybot.mjs', 'log', ...args],
        { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', ...env } },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('prints the exchanges oldest first, as JSON lines or text, from a day in China time or an instant', async () => {
    const { env, store } = await open();
    await store.recordExchange(exchange('2025-02-28T15:30:00Z', '稳岗返还比例是多少?'));
    await store.recordExchange(exchange('2025-02-28T16:30:00Z', '那这个找哪个部门?'));
    await store.recordExchange(exchange('2025-03-01T02:00:00Z', '转人工', { answeredBy: '王芳', mode: 'handoff', citations: [] }));
    await store.close();

    const all = await run(env, '--json');
    expect(all.status).toBe(0);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { question: string; citations: { clause_label: string }[] });
    expect(lines.map((line) => line.question)).toEqual(['稳岗返还比例是多少?', '那这个找哪个部门?', '转人工']);
    expect(lines[0]!.citations[0]!.clause_label).toBe('(二)');

    // 2025-03-01 in China starts at 2025-02-28T16:00Z.
    const since = await run(env, '--json', '--since', '2025-03-01');
    expect(
      since.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).question),
    ).toEqual(['那这个找哪个部门?', '转人工']);
    expect((await run(env, '--json', '--since', '2025-03-01T09:00:00+08:00')).stdout.trim().split('\n')).toHaveLength(1);

    const text = (await run(env)).stdout.trim().split('\n');
    expect(text[0]).toMatch(/^#\d+ 2025-02-28 23:30:00 wecom lisi \[extractive\] 稳岗返还比例是多少\? → 000 \(二\)$/);
    expect(text[2]).toContain('[专员 王芳] 转人工 → —');
  });

  it('refuses a date it cannot read, saying what it wants', async () => {
    const { env, store } = await open();
    await store.close();
    const result = await run(env, '--since', '2025-02-30');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--since“2025-02-30”不是日期：请给 YYYY-MM-DD（北京时间的一天）');
  });
});
