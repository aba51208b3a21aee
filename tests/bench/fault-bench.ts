/**
 * The fault section of `npm run bench`: WeCom callback answers under load while the server is killed and the send
 * API fails, loopback only. 100 askers (BENCH_FAULT_ASKERS) each post a question to /wecom/callback, wait for the
 * response and post the next, for BENCH_FAULT_SECONDS (120); halfway the server is killed with SIGKILL and started
 * again on the same SQLite file; the fake message/send API answers HTTP 500 to 10 % of calls (BENCH_FAULT_RATE,
 * seeded). Every answer goes through the outbox (`passiveReplyWithinMs: 0`, as a slow answer would); the retry
 * policy and the answer grace are production's. Afterwards the outbox is given up to BENCH_FAULT_SETTLE_SECONDS
 * (300) to drain, then the acknowledged questions are counted against the store and what the API received.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../bot/store/sqlite-store.ts';
import { type ServerChild, startServerChild } from '../server-child.ts';
import { prng } from './prng.ts';
import { benchQuestions, percentile, round, startWeComCallbackRig } from './wecom-callback-rig.ts';

export interface FaultBenchResult {
  seconds: number;
  askers: number;
  faultRate: number;
  posted: number;
  /** Answered "success" by the server: an answer is owed. */
  acknowledged: number;
  /** Answered with a passive reply (none expected with passiveReplyWithinMs 0). */
  passive: number;
  /** Not answered (server down, time-out): WeCom would retry these; nothing is owed. */
  notAcknowledged: number;
  /** Acknowledged and found in the outbox (recorded before the acknowledgement). */
  recorded: number;
  delivered: number;
  failed: number;
  pendingAfterSettle: number;
  /** Acknowledged but in no outbox entry: lost. */
  lost: number;
  /** Messages the API received beyond those the delivered entries hold: sent twice. */
  doubledMessages: number;
  /** Askers whose answer arrived in more messages than its entry holds. */
  doubledAnswers: number;
  sendCalls: number;
  injectedFailures: number;
  downSeconds: number;
  settleSeconds: number;
  /** Posted question to its answer's last message, for delivered answers (p50 / p95 / max, seconds). */
  deliveryLatencySeconds: { p50: number; p95: number; max: number };
  requestsPerSecond: number;
}

export async function runFaultBench(root: string, log: (line: string) => void): Promise<FaultBenchResult> {
  const seconds = Number(process.env.BENCH_FAULT_SECONDS ?? 120);
  const askers = Number(process.env.BENCH_FAULT_ASKERS ?? 100);
  const faultRate = Number(process.env.BENCH_FAULT_RATE ?? 0.1);
  const settleLimit = Number(process.env.BENCH_FAULT_SETTLE_SECONDS ?? 300);
  const questions = benchQuestions(root);
  const rig = await startWeComCallbackRig(root);
  const { client, api } = rig;
  const random = prng(20261202);
  let injectedFailures = 0;
  api.sendFault = () => {
    if (random() >= faultRate) return undefined;
    injectedFailures += 1;
    return 'http-500';
  };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'policybot-fault-bench-'));
  const environment = rig.environment({ POLICYBOT_DATA_DIR: dataDir });
  const start = () => startServerChild(environment, { corpusWatchMs: 0, wecomCallback: { passiveReplyWithinMs: 0 } });

  let server: ServerChild = await start();
  let url: string | null = server.url;
  const asked = new Map<string, { user: string; at: number }>();
  const acknowledged: string[] = [];
  let posted = 0;
  let passive = 0;
  let notAcknowledged = 0;
  const began = Date.now();
  const endAt = began + seconds * 1000;
  log(`[fault] ${askers} askers for ${seconds} s, send API failing ${faultRate * 100} % of calls, SIGKILL at ${seconds / 2} s`);

  const asker = async (index: number) => {
    const user = `bench-${index}`;
    for (let turn = 0; Date.now() < endAt; turn += 1) {
      const target = url;
      if (!target) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const msgId = `${index}-${turn}`;
      posted += 1;
      asked.set(msgId, { user, at: Date.now() });
      try {
        const response = await client.post(target, questions[(index * 7 + turn) % questions.length]!, user, msgId, AbortSignal.timeout(10_000));
        if (response.status === 200 && response.reply === null) acknowledged.push(msgId);
        else if (response.status === 200) passive += 1;
        else notAcknowledged += 1;
      } catch {
        notAcknowledged += 1; // refused while the server was down, or timed out
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  let downSeconds = 0;
  const killer = (async () => {
    await new Promise((resolve) => setTimeout(resolve, (seconds / 2) * 1000));
    url = null;
    const killedAt = Date.now();
    server.process.kill('SIGKILL');
    await server.exited;
    log(`[fault] killed at ${round((killedAt - began) / 1000)} s; restarting on the same store`);
    server = await start();
    url = server.url;
    downSeconds = round((Date.now() - killedAt) / 1000);
    log(`[fault] serving again after ${downSeconds} s`);
  })();
  await Promise.all([...Array.from({ length: askers }, (_, index) => asker(index)), killer]);
  const ranSeconds = (Date.now() - began) / 1000;
  log(`[fault] ${posted} posted, ${acknowledged.length} acknowledged in ${round(ranSeconds)} s; letting the outbox drain`);

  // Read the store the server writes (WAL: a second connection reads while it writes).
  const store = openSqliteStore(path.join(dataDir, 'policybot.sqlite'));
  const settleStart = Date.now();
  while ((await store.outboxCounts()).pending > 0 && Date.now() - settleStart < settleLimit * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const settleSeconds = round((Date.now() - settleStart) / 1000);
  server.process.kill('SIGTERM');
  await server.exited;

  const rows = store.database
    .prepare(`SELECT message_id, chat_id, status, messages, sent_parts, settled_at FROM outbox WHERE channel = 'wecom-callback'`)
    .all() as { message_id: string; chat_id: string; status: string; messages: string | null; sent_parts: number; settled_at: number | null }[];
  const byMessage = new Map(rows.map((row) => [row.message_id, row]));
  const outcome = { recorded: 0, delivered: 0, failed: 0, pending: 0, lost: 0 };
  const latencies: number[] = [];
  for (const msgId of acknowledged) {
    const row = byMessage.get(msgId);
    if (!row) {
      outcome.lost += 1;
      continue;
    }
    outcome.recorded += 1;
    if (row.status === 'delivered') {
      outcome.delivered += 1;
      if (row.settled_at) latencies.push((row.settled_at - asked.get(msgId)!.at) / 1000);
    } else if (row.status === 'failed') outcome.failed += 1;
    else outcome.pending += 1;
  }
  // Per asker: messages received against those its entries hold (all of a delivered one, the parts sent of the others).
  const expected = new Map<string, number>();
  for (const row of rows) {
    const parts = row.status === 'delivered' && row.messages ? (JSON.parse(row.messages) as string[]).length : row.sent_parts;
    expected.set(row.chat_id, (expected.get(row.chat_id) ?? 0) + parts);
  }
  let doubledMessages = 0;
  let doubledAnswers = 0;
  for (let index = 0; index < askers; index += 1) {
    const user = `bench-${index}`;
    const extra = api.sentTo(user).length - (expected.get(user) ?? 0);
    if (extra > 0) {
      doubledMessages += extra;
      doubledAnswers += 1;
    }
  }
  await store.close();
  await rig.close();
  return {
    seconds: round(ranSeconds),
    askers,
    faultRate,
    posted,
    acknowledged: acknowledged.length,
    passive,
    notAcknowledged,
    recorded: outcome.recorded,
    delivered: outcome.delivered,
    failed: outcome.failed,
    pendingAfterSettle: outcome.pending,
    lost: outcome.lost,
    doubledMessages,
    doubledAnswers,
    sendCalls: api.sendCalls,
    injectedFailures,
    downSeconds,
    settleSeconds,
    deliveryLatencySeconds: { p50: round(percentile(latencies, 50), 2), p95: round(percentile(latencies, 95), 2), max: round(Math.max(0, ...latencies), 2) },
    requestsPerSecond: round(posted / ranSeconds),
  };
}
