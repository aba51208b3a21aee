import type { ChannelName } from '../core/index.ts';
import type { OutboxRecord, Store } from '../store/index.ts';
import { describeError, type Logger } from '../logger.ts';
import { workerName } from '../store/index.ts';

/** The store calls a deliverer needs. */
export type OutboxStore = Pick<
  Store,
  'enqueueOutbox' | 'fillOutbox' | 'discardOutbox' | 'claimOutbox' | 'recordOutboxProgress' | 'settleOutbox' | 'takePassiveOutbox'
>;

/** How often and how long a failing send is tried again. */
export interface RetryPolicy {
  /** Wait before the second attempt; doubled after each failure up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first included; the entry is marked failed after the last one fails. */
  attempts: number;
}

/**
 * 8 attempts over about 3 minutes (waits 2, 4, 8, 16, 32, 60, 60 s, each ±20 % so that many entries failed by one
 * outage do not all come back in the same second). WeCom's "系统繁忙" (errcode -1), 5xx and time-outs are outages of
 * seconds to a minute; 3 minutes rides out those and a worker restart. Later than that the asker has most likely
 * given up waiting, and an officer seeing 发送失败 in the log can follow up — better than an answer arriving
 * half an hour late. With 10 % of calls failing at random, 8 failures in a row happen once in 10^8 entries.
 */
export const defaultRetryPolicy: RetryPolicy = { firstDelayMs: 2_000, maxDelayMs: 60_000, attempts: 8 };

/** A claim outlives one send call (10 s time-out) three times over, and is renewed after each message sent. */
const CLAIM_MS = 30_000;
/** Due entries are looked for this often (and at once when this process has something to send). */
const POLL_MS = 1_000;
/** Entries claimed per look: enough to keep 100 concurrent askers' answers moving, few enough to share between workers. */
const BATCH = 25;

export interface OutboxDelivererOptions {
  store: OutboxStore;
  channel: ChannelName;
  /** Sends one message of an entry to its chat; throws when it did not go out. */
  send(entry: OutboxRecord, message: string): Promise<void>;
  /**
   * Writes the answer of an entry whose worker stopped before the answer was ready (killed, or its store write
   * failed). Returns the messages and the exchange the answer was logged as.
   */
  compose(entry: OutboxRecord): Promise<{ messages: string[]; exchangeId: number | null }>;
  /** True for a failure that trying again will not cure (the platform refused the recipient): failed at once. */
  isPermanent?(error: unknown): boolean;
  /** Entries whose answer is still being written in this process: left to it, not composed again. */
  isAnsweringHere?(entryId: number): boolean;
  retry?: RetryPolicy;
  /** Names this worker in the claims (unique per process). */
  holder?: string;
  logger: Logger;
  secrets?: ReadonlyArray<string | undefined>;
  pollMs?: number;
  clock?: () => Date;
}

export interface OutboxDeliverer {
  /** Starts looking for due entries: on start-up this picks up whatever an earlier process left pending. */
  start(): void;
  /** Something was just recorded or filled here: look now instead of at the next poll. */
  kick(): void;
  /**
   * Stops after sending what is due, for at most `timeoutMs`; what is left stays pending in the store (given back at
   * once, so another worker or the next start takes it without waiting for the claim to run out).
   */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Sends the outbox entries of one channel with retries and exponential backoff, on whichever worker claims them
 * first. An entry is settled delivered after its last message went out, failed when the platform refused it for
 * good or the retries are spent; in between it stays pending in the store, so a crash loses nothing. A crash
 * between a message going out and its being recorded sends that message again after the claim runs out (at least
 * once: WeCom's message/send takes no idempotency key).
 */
export function createOutboxDeliverer(options: OutboxDelivererOptions): OutboxDeliverer {
  const { store, channel, logger } = options;
  const retry = options.retry ?? defaultRetryPolicy;
  const holder = options.holder ?? workerName();
  const clock = options.clock ?? (() => new Date());
  const later = (milliseconds: number) => new Date(clock().getTime() + milliseconds);
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopping = false;
  let deadline = Number.POSITIVE_INFINITY;
  /** Entries this worker gave back to retry, and when they are due: a stop waits for those due within its bound. */
  const retrying = new Map<number, number>();

  const backoff = (failures: number) => {
    const base = Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** Math.max(0, failures - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  };

  const giveBack = (entry: OutboxRecord, error: string | null, attempted: boolean, dueAt = clock()) =>
    store.settleOutbox(entry.id, holder, { status: 'pending', error, dueAt, attempted }, clock());

  const failed = async (entry: OutboxRecord, error: unknown) => {
    const message = String(describeError(error, options.secrets).message ?? error);
    const failures = entry.attempts + 1;
    if (options.isPermanent?.(error) || failures >= retry.attempts) {
      await store.settleOutbox(entry.id, holder, { status: 'failed', error: message }, clock());
      logger.error('答复发送失败，已标记为发送失败', { channel, entry: entry.id, attempts: failures, error: describeError(error, options.secrets) });
    } else {
      const delay = backoff(failures);
      await giveBack(entry, message, true, later(delay));
      retrying.set(entry.id, Date.now() + delay);
      // Come back when it is due rather than at the next poll after it.
      setTimeout(() => {
        if (!stopping) void run();
      }, delay).unref();
      logger.warn('答复发送失败，稍后重试', { channel, entry: entry.id, attempts: failures, error: describeError(error, options.secrets) });
    }
  };

  const deliver = async (entry: OutboxRecord) => {
    retrying.delete(entry.id);
    let messages = entry.messages;
    if (!messages) {
      if (options.isAnsweringHere?.(entry.id)) {
        await giveBack(entry, null, false, later(POLL_MS));
        return;
      }
      try {
        const composed = await options.compose(entry);
        await store.fillOutbox(entry.id, composed, clock());
        messages = composed.messages;
      } catch (error) {
        await failed(entry, error);
        return;
      }
    }
    for (let part = entry.sentParts; part < messages.length; part += 1) {
      if (stopping && Date.now() >= deadline) {
        await giveBack(entry, null, false);
        return;
      }
      try {
        await options.send(entry, messages[part]!);
      } catch (error) {
        await failed({ ...entry, sentParts: part }, error);
        return;
      }
      // Lost the claim (this worker stalled past it and another took over): that worker resumes from the parts recorded.
      if (!(await store.recordOutboxProgress(entry.id, holder, part + 1, later(CLAIM_MS)))) return;
    }
    await store.settleOutbox(entry.id, holder, { status: 'delivered' }, clock());
  };

  /** Answers to one chat go out in the order they were recorded; different chats at once. */
  const deliverBatch = async (entries: OutboxRecord[]) => {
    const byChat = new Map<string, OutboxRecord[]>();
    for (const entry of entries) byChat.set(entry.chatId, [...(byChat.get(entry.chatId) ?? []), entry]);
    await Promise.all(
      [...byChat.values()].map(async (chat) => {
        for (const entry of chat) {
          await deliver(entry).catch((error: unknown) =>
            logger.error('发件箱处理出错', { channel, entry: entry.id, error: describeError(error, options.secrets) }),
          );
        }
      }),
    );
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        for (;;) {
          if (stopping && Date.now() >= deadline) return;
          const now = clock();
          const claimed = await store.claimOutbox({ channel, holder, now, claimedUntil: new Date(now.getTime() + CLAIM_MS), limit: BATCH });
          if (claimed.length === 0) break;
          await deliverBatch(claimed);
        }
      } while (again);
    })()
      .catch((error: unknown) => {
        logger.error('发件箱读取失败，稍后重试', { channel, error: describeError(error, options.secrets) });
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  return {
    start() {
      timer ??= setInterval(() => void run(), options.pollMs ?? POLL_MS);
      timer.unref();
      void run();
    },
    kick() {
      if (!stopping) void run();
    },
    async stop(timeoutMs) {
      clearInterval(timer);
      timer = undefined;
      stopping = true;
      deadline = Date.now() + timeoutMs;
      let wait: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        wait = setTimeout(resolve, timeoutMs);
      });
      // What is running, what is due, and the retries of this worker that come due within the bound.
      const drain = async () => {
        for (;;) {
          await running;
          await run();
          const next = Math.min(...retrying.values());
          if (!Number.isFinite(next) || next >= deadline) return;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
        }
      };
      await Promise.race([drain(), timeout]);
      clearTimeout(wait);
    },
  };
}
