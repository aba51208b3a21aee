export interface RetryAfterOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** A longer `retry_after` is not waited for: the error is thrown instead. */
  maxWaitSeconds: number;
  sleep?: (milliseconds: number) => Promise<void>;
}

const defaultSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/**
 * Runs a Bot API call, waiting and retrying when Telegram answers 429 with `parameters.retry_after`.
 * telegraf does not retry sendMessage on 429 (docs/im-protocols.md); limits are ~1 message/s per chat
 * and 20/min per group, so bursts of long, split answers can hit them.
 */
export async function withRetryAfter<T>(operation: () => Promise<T>, options: RetryAfterOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const retryAfter = retryAfterSeconds(error);
      if (retryAfter === undefined || attempt >= options.maxAttempts || retryAfter > options.maxWaitSeconds) throw error;
      await sleep(retryAfter * 1000);
    }
  }
}

/** The `retry_after` of a telegraf `TelegramError` with code 429, read structurally. */
function retryAfterSeconds(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, parameters } = error as { code?: unknown; parameters?: { retry_after?: unknown } };
  if (code !== 429) return undefined;
  const retryAfter = parameters?.retry_after;
  return typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : 1;
}
