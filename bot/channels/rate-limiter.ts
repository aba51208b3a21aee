import { questionTooLong } from '../core/index.ts';
import type { Store } from '../store/index.ts';

const WINDOW_MS = 60_000;
/** Past this many tracked users, idle ones are swept so a flood of one-off senders cannot grow memory without bound. */
const SWEEP_ABOVE_USERS = 10_000;

/**
 * Where question times are counted: this process's memory, or the store, so that a user's limit holds across all
 * workers behind a load balancer.
 */
export interface RateWindow {
  /** Counts a question of `key` at `at` unless `limit` are already in the window; `oldest` is the earliest still in it. */
  take(key: string, at: number, windowMs: number, limit: number): Promise<{ counted: boolean; oldest: number }>;
}

export interface RateLimiterOptions {
  /** Questions a user may ask in any 60-second window. */
  perMinute: number;
  /** Longest question accepted, in characters. */
  maxQuestionChars: number;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
  /** Where question times are counted; this process's memory by default. */
  window?: RateWindow;
}

/** Either the cleaned question to answer, or a polite reply explaining why it is not answered. */
export type QuestionCheck = { allowed: true; question: string } | { allowed: false; reply: string };

export interface RateLimiter {
  /** Checks one incoming question from `userKey`; only allowed questions count against the limit. */
  check(userKey: string, text: string): Promise<QuestionCheck>;
}

/**
 * A per-user sliding-window limit and a size check, shared by the chat channels.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, maxQuestionChars: config.maxQuestionChars });
 * const check = await limiter.check(`telegram:${userId}`, text);
 * if (!check.allowed) return reply(check.reply);
 */
export function createRateLimiter({ perMinute, maxQuestionChars, now = Date.now, window = memoryRateWindow() }: RateLimiterOptions): RateLimiter {
  return {
    async check(userKey, text) {
      const question = text.trim();
      if (question === '') {
        return { allowed: false, reply: '请直接输入您想了解的政策问题，例如：“中小微企业失业保险稳岗返还的比例是多少？”' };
      }
      const tooLong = questionTooLong(question, maxQuestionChars);
      if (tooLong) return { allowed: false, reply: tooLong };
      const at = now();
      const { counted, oldest } = await window.take(userKey, at, WINDOW_MS, perMinute);
      if (!counted) {
        const waitSeconds = Math.max(1, Math.ceil((WINDOW_MS - (at - oldest)) / 1000));
        return { allowed: false, reply: `提问太频繁，请约${waitSeconds}秒后再试（每分钟最多${perMinute}个问题）。` };
      }
      return { allowed: true, question };
    },
  };
}

/** Question times in this process's memory. */
export function memoryRateWindow(): RateWindow {
  const recent = new Map<string, number[]>();
  const sweep = (at: number, windowMs: number) => {
    for (const [key, times] of recent) if (times.every((time) => at - time >= windowMs)) recent.delete(key);
  };
  return {
    async take(key, at, windowMs, limit) {
      const times = (recent.get(key) ?? []).filter((time) => at - time < windowMs);
      const counted = times.length < limit;
      if (counted) times.push(at);
      recent.set(key, times);
      if (recent.size > SWEEP_ABOVE_USERS) sweep(at, windowMs);
      return { counted, oldest: times[0] ?? at };
    },
  };
}

/** Question times in the store: one limit per user whichever worker the question reaches. */
export function storeRateWindow(store: Pick<Store, 'countInWindow'>): RateWindow {
  return {
    async take(key, at, windowMs, limit) {
      const { counted, oldest } = await store.countInWindow(key, new Date(at), windowMs, limit);
      return { counted, oldest: oldest?.getTime() ?? at };
    },
  };
}
