const WINDOW_MS = 60_000;
/** Past this many tracked users, idle ones are swept so a flood of one-off senders cannot grow memory without bound. */
const SWEEP_ABOVE_USERS = 10_000;

export interface RateLimiterOptions {
  /** Questions a user may ask in any 60-second window. */
  perMinute: number;
  /** Longest question accepted, in characters. */
  maxQuestionChars: number;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

/** Either the cleaned question to answer, or a polite reply explaining why it is not answered. */
export type QuestionCheck = { allowed: true; question: string } | { allowed: false; reply: string };

export interface RateLimiter {
  /** Checks one incoming question from `userKey`; only allowed questions count against the limit. */
  check(userKey: string, text: string): QuestionCheck;
}

/**
 * A per-user sliding-window limit and a size check, shared by the chat channels.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, maxQuestionChars: config.maxQuestionChars });
 * const check = limiter.check(`telegram:${userId}`, text);
 * if (!check.allowed) return reply(check.reply);
 */
export function createRateLimiter({ perMinute, maxQuestionChars, now = Date.now }: RateLimiterOptions): RateLimiter {
  const recent = new Map<string, number[]>();

  const sweep = (at: number) => {
    for (const [key, times] of recent) if (times.every((time) => at - time >= WINDOW_MS)) recent.delete(key);
  };

  return {
    check(userKey, text) {
      const question = text.trim();
      if (question === '') {
        return { allowed: false, reply: '请直接输入您想了解的政策问题，例如：“中小微企业失业保险稳岗返还的比例是多少？”' };
      }
      // Characters as a reader counts them (code points), not UTF-16 units.
      const length = [...question].length;
      if (length > maxQuestionChars) {
        return { allowed: false, reply: `问题太长（${length}字），请控制在${maxQuestionChars}字以内，只问一个具体问题效果更好。` };
      }
      const at = now();
      const times = (recent.get(userKey) ?? []).filter((time) => at - time < WINDOW_MS);
      if (times.length >= perMinute) {
        recent.set(userKey, times);
        const waitSeconds = Math.max(1, Math.ceil((WINDOW_MS - (at - (times[0] ?? at))) / 1000));
        return { allowed: false, reply: `提问太频繁，请约${waitSeconds}秒后再试（每分钟最多${perMinute}个问题）。` };
      }
      times.push(at);
      recent.set(userKey, times);
      if (recent.size > SWEEP_ABOVE_USERS) sweep(at);
      return { allowed: true, question };
    },
  };
}
