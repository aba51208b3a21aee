/**
 * `npm run bench:load`: WeCom callback traffic against several workers on one PostgreSQL database, one of them killed
 * mid-run, and the same traffic against one worker on SQLite for comparison. Loopback only; a benchmark, not a test.
 *
 *   BENCH_LOAD_RUNS="postgresql,sqlite"   which runs, in order
 *   BENCH_LOAD_SECONDS=120                how long the askers ask, per run
 *   BENCH_LOAD_ASKERS=100                 concurrent askers
 *   BENCH_LOAD_WORKERS=3                  workers of the PostgreSQL run (the SQLite run has one)
 *   BENCH_LOAD_SETTLE_SECONDS=240         how long the outbox is given to drain after the askers stop
 *   POLICYBOT_TEST_DATABASE_URL           a PostgreSQL server to create the run's database on; without it a throwaway
 *                                         cluster is started with .ci/start-postgres (as the tests do) and stopped
 *
 * Each asker posts an encrypted, signed text message (a question of the development set, a MsgId of its own) to a
 * worker chosen round-robin among the live ones, and the very same request at the same moment to another live worker
 * (the SQLite run: the same worker) — WeCom's retry landing elsewhere. When neither delivery is answered with HTTP 200
 * within WeCom's 5 s, the message is posted again to a live worker, twice more at most, 1 s apart (WeCom tries three
 * times). Then the asker posts its next question. Halfway through, one worker of the PostgreSQL run is killed with
 * SIGKILL and taken out of the rotation at once (a load balancer's health check would take a few seconds). Workers run
 * with production's passive window (3 s) and outbox timing; the fake message/send API always succeeds.
 *
 * Afterwards the outbox is drained, and the database is counted against what the askers sent: exchanges per MsgId,
 * answers per MsgId (the passive reply an asker received, or the messages the fake API received), latency from the
 * first post to the answer's arrival, HTTP errors, each worker's peak RSS. Writes tests/bench/load-results.json.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshPostgresDatabase } from '../helpers.ts';
import { type ServerChild, startServerChild } from '../server-child.ts';
import { benchMachine, benchQuestions, percentile, round, startWeComCallbackRig, type WeComCallbackRig } from './wecom-callback-rig.ts';

/** WeCom waits this long for the callback's HTTP answer before it retries. */
const WECOM_WAIT_MS = 5_000;
/** WeCom's attempts per message in all; the concurrent duplicate is not counted (it stands for the retry landing elsewhere). */
const WECOM_ATTEMPTS = 3;

export interface LoadRunResult {
  store: 'postgresql' | 'sqlite';
  workers: number;
  askers: number;
  seconds: number;
  /** Worker killed with SIGKILL, and when (seconds from the start), or null. */
  killed: { worker: number; atSeconds: number } | null;
  /** Distinct MsgIds posted. */
  messagesSent: number;
  /** HTTP requests posted (every message twice, plus WeCom's retries after failures). */
  deliveries: number;
  /** MsgIds of which some delivery was answered HTTP 200: WeCom stops retrying, an answer is owed. */
  acknowledged: number;
  /** MsgIds of which no delivery was answered 200 after all attempts (WeCom gives up). */
  notAcknowledged: number;
  /** Distinct MsgIds among the exchanges stored. */
  exchangesStored: number;
  /** MsgIds with more than one exchange stored. */
  exchangesDoubled: number;
  /** MsgIds sent with no exchange stored. */
  messagesWithoutExchange: number;
  /** Answered in the HTTP response (a passive reply). */
  passiveReplies: number;
  /** MsgIds answered in two HTTP responses (both deliveries answered it). */
  passiveDoubled: number;
  /** Outbox entries, and how they ended. */
  outbox: { entries: number; delivered: number; failed: number; pending: number };
  /** Acknowledged MsgIds whose answer reached the asker (passive reply or the send API). */
  answered: number;
  /** Acknowledged MsgIds whose answer never reached the asker, split by whether an exchange was stored. */
  notAnswered: { total: number; withExchange: number; withoutExchange: number };
  /** Messages the send API received beyond those the outbox entries hold (sent twice across a crash), and MsgIds affected. */
  apiDoubles: { messages: number; answers: number };
  /** First post of a message to its answer's arrival (passive reply received, or last message at the send API), seconds. */
  latencySeconds: { p50: number; p95: number; p99: number; max: number; count: number };
  /** Deliveries not answered 200, by status or failure (refused, reset, timeout). */
  httpErrors: Record<string, number>;
  /** Each worker's peak resident memory (VmHWM), MB. */
  workerPeakRssMb: number[];
  settleSeconds: number;
  messagesPerSecond: number;
}

interface Worker {
  child: ServerChild;
  url: string;
  live: boolean;
  peakRssKb: number;
}

interface Sent {
  user: string;
  firstAt: number;
  acknowledged: boolean;
  passive: { count: number; at: number };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** VmHWM (peak resident set) of a live process, kB; 0 once it is gone. */
function peakRssKb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Why a delivery was not answered 200, in a word. */
function failureOf(error: unknown): string {
  if ((error as Error).name === 'TimeoutError') return 'timeout';
  const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  return code ? `reset (${code})` : 'reset';
}

/** The rows the figures come from, in the same SQL for SQLite and PostgreSQL. */
interface BenchDatabase {
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

function sqliteDatabase(file: string): BenchDatabase {
  // A second connection reads while the worker writes (WAL).
  const database = new Database(file, { fileMustExist: true });
  return { rows: async (sql) => database.prepare(sql).all() as never[], close: async () => void database.close() };
}

async function postgresDatabase(url: string): Promise<BenchDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { rows: async (sql) => (await client.query(sql)).rows, close: () => client.end() };
}

/** One run: `workerCount` workers on `environment`'s store, askers for `seconds`, one worker killed halfway when `kill`. */
async function runLoad(
  rig: WeComCallbackRig,
  options: {
    store: 'postgresql' | 'sqlite';
    environment: Record<string, string>;
    workerCount: number;
    kill: boolean;
    database: () => Promise<BenchDatabase>;
    questions: string[];
    log: (line: string) => void;
  },
): Promise<LoadRunResult> {
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 120);
  const askers = Number(process.env.BENCH_LOAD_ASKERS ?? 100);
  const settleLimit = Number(process.env.BENCH_LOAD_SETTLE_SECONDS ?? 240);
  const { client, api } = rig;
  const { questions, log } = options;
  const tag = `[load ${options.store}]`;

  // The send API's arrivals, per asker, in order: matched to the outbox entries afterwards.
  const arrivals = new Map<string, { text: string; at: number; used: boolean }[]>();
  api.sendFault = (_call, body) => {
    const user = String(body.touser);
    const list = arrivals.get(user) ?? arrivals.set(user, []).get(user)!;
    list.push({ text: String(body.text?.content ?? ''), at: Date.now(), used: false });
    return undefined;
  };

  const start = async (): Promise<Worker> => {
    const child = await startServerChild(options.environment, { corpusWatchMs: 0 });
    return { child, url: child.url, live: true, peakRssKb: 0 };
  };
  // The first builds and saves the index; the others load it, started together.
  const workers: Worker[] = [await start()];
  workers.push(...(await Promise.all(Array.from({ length: options.workerCount - 1 }, start))));
  log(`${tag} ${workers.length} worker(s) serving; ${askers} askers for ${seconds} s${options.kill ? `, SIGKILL to worker 1 at ${seconds / 2} s` : ''}`);
  const sampler = setInterval(() => {
    for (const worker of workers) if (worker.live) worker.peakRssKb = Math.max(worker.peakRssKb, peakRssKb(worker.child.process.pid));
  }, 2_000);

  const sent = new Map<string, Sent>();
  const httpErrors: Record<string, number> = {};
  let deliveries = 0;
  let rotation = 0;
  const began = Date.now();
  const endAt = began + seconds * 1000;

  /** One POST of a captured message; true when answered 200 (a passive reply is noted on the message). */
  const deliver = async (worker: Worker, captured: ReturnType<typeof client.capture>, message: Sent): Promise<boolean> => {
    deliveries += 1;
    try {
      const response = await client.send(worker.url, captured, AbortSignal.timeout(WECOM_WAIT_MS));
      if (response.status !== 200) {
        httpErrors[String(response.status)] = (httpErrors[String(response.status)] ?? 0) + 1;
        return false;
      }
      if (response.reply !== null) {
        message.passive.count += 1;
        if (message.passive.count === 1) message.passive.at = Date.now();
      }
      return true;
    } catch (error) {
      const failure = failureOf(error);
      httpErrors[failure] = (httpErrors[failure] ?? 0) + 1;
      return false;
    }
  };

  const asker = async (index: number) => {
    const user = `load-${index}`;
    for (let turn = 0; Date.now() < endAt; turn += 1) {
      const msgId = `${index}-${turn}`;
      const captured = client.capture(questions[(index * 7 + turn) % questions.length]!, user, msgId);
      const message: Sent = { user, firstAt: Date.now(), acknowledged: false, passive: { count: 0, at: 0 } };
      sent.set(msgId, message);
      const live = workers.filter((worker) => worker.live);
      const first = live[rotation++ % live.length]!;
      const other = live.length > 1 ? live[(live.indexOf(first) + 1) % live.length]! : first;
      const [a, b] = await Promise.all([deliver(first, captured, message), deliver(other, captured, message)]);
      message.acknowledged = a || b;
      for (let attempt = 1; !message.acknowledged && attempt < WECOM_ATTEMPTS; attempt += 1) {
        await sleep(1_000);
        const candidates = workers.filter((worker) => worker.live);
        // WeCom signs each attempt when it sends it: a fresh timestamp and nonce, the same message.
        const retry = client.capture(questions[(index * 7 + turn) % questions.length]!, user, msgId);
        message.acknowledged = await deliver(candidates[rotation++ % candidates.length]!, retry, message);
      }
    }
  };

  let killed: LoadRunResult['killed'] = null;
  const killer = (async () => {
    if (!options.kill) return;
    await sleep((seconds / 2) * 1000);
    const victim = workers[0]!;
    victim.peakRssKb = Math.max(victim.peakRssKb, peakRssKb(victim.child.process.pid));
    victim.live = false;
    victim.child.process.kill('SIGKILL');
    killed = { worker: 1, atSeconds: round((Date.now() - began) / 1000) };
    await victim.child.exited;
    log(`${tag} worker 1 killed at ${killed.atSeconds} s`);
  })();
  await Promise.all([...Array.from({ length: askers }, (_, index) => asker(index)), killer]);
  const ranSeconds = (Date.now() - began) / 1000;
  log(`${tag} ${sent.size} messages in ${round(ranSeconds)} s (${deliveries} deliveries); letting the outbox drain`);

  const database = await options.database();
  const settleStart = Date.now();
  const pending = async () => Number((await database.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'`))[0]?.n ?? 0);
  while ((await pending()) > 0 && Date.now() - settleStart < settleLimit * 1000) await sleep(1_000);
  const settleSeconds = round((Date.now() - settleStart) / 1000);
  clearInterval(sampler);
  for (const worker of workers.filter((each) => each.live)) {
    worker.peakRssKb = Math.max(worker.peakRssKb, peakRssKb(worker.child.process.pid));
    worker.child.process.kill('SIGTERM');
    await worker.child.exited;
  }

  const exchangeRows = await database.rows<{ message_id: string; n: number | string }>(
    `SELECT message_id, COUNT(*) AS n FROM exchanges WHERE channel = 'wecom-callback' GROUP BY message_id`,
  );
  const exchangesPer = new Map(exchangeRows.map((row) => [row.message_id, Number(row.n)]));
  const outboxRows = (
    await database.rows<{ message_id: string; chat_id: string; status: string; messages: string | string[] | null; sent_parts: number }>(
      `SELECT message_id, chat_id, status, messages, sent_parts FROM outbox WHERE channel = 'wecom-callback' ORDER BY id`,
    )
  ).map((row) => ({ ...row, messages: typeof row.messages === 'string' ? (JSON.parse(row.messages) as string[]) : (row.messages ?? []) }));
  await database.close();

  // Each entry's messages are matched, in order, to the first unused arrivals of the same text for that asker.
  const deliveredAt = new Map<string, number>();
  for (const row of outboxRows) {
    const message = sent.get(row.message_id);
    const list = arrivals.get(row.chat_id) ?? [];
    const parts = row.status === 'delivered' ? row.messages.length : row.sent_parts;
    let last = 0;
    for (const text of row.messages.slice(0, parts)) {
      const arrival = list.find((each) => !each.used && each.text === text && each.at >= (message?.firstAt ?? 0));
      if (!arrival) continue;
      arrival.used = true;
      last = Math.max(last, arrival.at);
    }
    if (row.status === 'delivered' && last) deliveredAt.set(row.message_id, last);
  }
  const doubled = new Set<string>();
  let doubledMessages = 0;
  for (const [user, list] of arrivals) {
    for (const arrival of list.filter((each) => !each.used)) {
      doubledMessages += 1;
      doubled.add(`${user}\n${arrival.text}`);
    }
  }

  const latencies: number[] = [];
  const notAnswered = { total: 0, withExchange: 0, withoutExchange: 0 };
  let answered = 0;
  let acknowledged = 0;
  for (const [msgId, message] of sent) {
    if (!message.acknowledged) continue;
    acknowledged += 1;
    const at = message.passive.count > 0 ? message.passive.at : deliveredAt.get(msgId);
    if (at !== undefined) {
      answered += 1;
      latencies.push((at - message.firstAt) / 1000);
    } else {
      notAnswered.total += 1;
      if (exchangesPer.has(msgId)) notAnswered.withExchange += 1;
      else notAnswered.withoutExchange += 1;
    }
  }
  const count = (status: string) => outboxRows.filter((row) => row.status === status).length;
  return {
    store: options.store,
    workers: workers.length,
    askers,
    seconds: round(ranSeconds),
    killed,
    messagesSent: sent.size,
    deliveries,
    acknowledged,
    notAcknowledged: sent.size - acknowledged,
    exchangesStored: [...sent.keys()].filter((msgId) => exchangesPer.has(msgId)).length,
    exchangesDoubled: [...exchangesPer.values()].filter((n) => n > 1).length,
    messagesWithoutExchange: [...sent.keys()].filter((msgId) => !exchangesPer.has(msgId)).length,
    passiveReplies: [...sent.values()].filter((message) => message.passive.count > 0).length,
    passiveDoubled: [...sent.values()].filter((message) => message.passive.count > 1).length,
    outbox: { entries: outboxRows.length, delivered: count('delivered'), failed: count('failed'), pending: count('pending') },
    answered,
    notAnswered,
    apiDoubles: { messages: doubledMessages, answers: doubled.size },
    latencySeconds: {
      p50: round(percentile(latencies, 50), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(Math.max(0, ...latencies), 2),
      count: latencies.length,
    },
    httpErrors,
    workerPeakRssMb: workers.map((worker) => Math.round(worker.peakRssKb / 1024)),
    settleSeconds,
    messagesPerSecond: round(sent.size / ranSeconds),
  };
}

/** A PostgreSQL server URL and how to stop it: the one given, or a throwaway cluster started as the tests start one. */
async function postgresServer(root: string, log: (line: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.POLICYBOT_TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined };
  const run = promisify(execFile);
  const script = path.join(root, '.ci/start-postgres');
  const directory = mkdtempSync(path.join(os.tmpdir(), 'policybot-load-pg-'));
  const { stdout } = await run(script, [directory], { timeout: 120_000 });
  log(`[load] PostgreSQL cluster started in ${directory}`);
  return {
    url: stdout.trim(),
    stop: async () => {
      await run(script, ['--stop', directory], { timeout: 60_000 }).catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function table(results: LoadRunResult[]): string {
  const rows = [
    ['run', ...results.map((result) => `${result.store}, ${result.workers} worker(s)${result.killed ? `, 1 killed at ${result.killed.atSeconds} s` : ''}`)],
    ['messages sent (distinct MsgIds)', ...results.map((result) => `${result.messagesSent} (${result.messagesPerSecond}/s)`)],
    ['deliveries (HTTP posts)', ...results.map((result) => String(result.deliveries))],
    ['acknowledged / not', ...results.map((result) => `${result.acknowledged} / ${result.notAcknowledged}`)],
    ['exchanges stored (MsgIds)', ...results.map((result) => String(result.exchangesStored))],
    ['MsgIds with 2+ exchanges', ...results.map((result) => String(result.exchangesDoubled))],
    ['messages without exchange', ...results.map((result) => String(result.messagesWithoutExchange))],
    ['answered: passive / send API', ...results.map((result) => `${result.passiveReplies} / ${result.outbox.delivered}`)],
    [
      'not answered (with / without exchange)',
      ...results.map((result) => `${result.notAnswered.total} (${result.notAnswered.withExchange} / ${result.notAnswered.withoutExchange})`),
    ],
    ['answered twice (passive / API messages)', ...results.map((result) => `${result.passiveDoubled} / ${result.apiDoubles.messages}`)],
    ['outbox failed / pending', ...results.map((result) => `${result.outbox.failed} / ${result.outbox.pending}`)],
    ['latency p50 / p95 / p99 / max (s)', ...results.map(({ latencySeconds: l }) => `${l.p50} / ${l.p95} / ${l.p99} / ${l.max}`)],
    [
      'HTTP errors',
      ...results.map(
        (result) =>
          Object.entries(result.httpErrors)
            .map(([kind, n]) => `${kind} ${n}`)
            .join(', ') || '0',
      ),
    ],
    ['peak RSS per worker (MB)', ...results.map((result) => result.workerPeakRssMb.join(', '))],
    ['outbox drained in (s)', ...results.map((result) => String(result.settleSeconds))],
  ];
  return rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const log = (line: string) => console.error(line);
const runs = (process.env.BENCH_LOAD_RUNS ?? 'postgresql,sqlite').split(',').map((run) => run.trim());
const unknown = runs.filter((run) => run !== 'postgresql' && run !== 'sqlite');
if (unknown.length) throw new Error(`BENCH_LOAD_RUNS: unknown run ${unknown.join(', ')}; use postgresql and/or sqlite`);
// The development set's questions (D…), as the enterprises asked them.
const questions = benchQuestions(root, 'D');
const results: LoadRunResult[] = [];
const loadBefore = os.loadavg();
for (const run of runs) {
  const rig = await startWeComCallbackRig(root);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `policybot-load-${run}-`));
  try {
    if (run === 'postgresql') {
      const server = await postgresServer(root, log);
      try {
        const url = await freshPostgresDatabase(server.url);
        const workerCount = Number(process.env.BENCH_LOAD_WORKERS ?? 3);
        results.push(
          await runLoad(rig, {
            store: 'postgresql',
            environment: rig.environment({ POLICYBOT_DATA_DIR: dataDir, DATABASE_URL: url }),
            workerCount,
            kill: workerCount > 1,
            database: () => postgresDatabase(url),
            questions,
            log,
          }),
        );
      } finally {
        await server.stop();
      }
    } else {
      results.push(
        await runLoad(rig, {
          store: 'sqlite',
          environment: rig.environment({ POLICYBOT_DATA_DIR: dataDir }),
          workerCount: 1,
          kill: false,
          database: async () => sqliteDatabase(path.join(dataDir, 'policybot.sqlite')),
          questions,
          log,
        }),
      );
    }
  } finally {
    await rig.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
const machine = { ...benchMachine(), loadBefore: loadBefore.map((value) => round(value)), cpuModel: os.cpus()[0]?.model ?? '?' };
const output = table(results);
writeFileSync(path.join(here, 'load-results.json'), `${JSON.stringify({ ...machine, results, table: output }, null, 2)}\n`);
console.log(output);
console.log(
  `load average before ${machine.loadBefore.join(' ')}, after ${machine.load.join(' ')}; ${machine.cpus} CPU(s) ${machine.cpuModel}, node ${machine.node}`,
);
