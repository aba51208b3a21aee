import type { Store } from '../store/index.ts';

export interface SignInLimit {
  /** Failed attempts allowed per name and address within the window; a successful sign-in from there starts again. */
  attempts: number;
  /** Failed attempts allowed per name from all addresses together within the window, whatever succeeded meanwhile. */
  accountAttempts: number;
  windowMinutes: number;
}

/**
 * Five wrong passwords per name and address per quarter hour: enough for typos, far too few for guessing. Twenty per
 * name from everywhere: a guesser rotating addresses (a botnet, or forged X-Forwarded-For through a misconfigured
 * proxy) gets 20 guesses a quarter hour, not 5 per address; four officers sharing a name mistyping together stay under
 * it. The price is that such a guesser can keep the account locked; it lapses 15 minutes after the last guess.
 */
export const defaultSignInLimit: SignInLimit = { attempts: 5, accountAttempts: 20, windowMinutes: 15 };

/** Why sign-in is refused for now, and for how many seconds; null when an attempt is allowed. */
export interface SignInLockout {
  /** `address`: this name from this address; `account`: this name from anywhere. */
  scope: 'address' | 'account';
  retryAfterSeconds: number;
}

/** Whether `name` may try a password from `address` now. */
export async function signInLockout(store: Store, name: string, address: string, now: Date, limit = defaultSignInLimit): Promise<SignInLockout | null> {
  const windowStart = new Date(now.getTime() - limit.windowMinutes * 60_000);
  const retryAfterSeconds = limit.windowMinutes * 60;
  if ((await store.countFailedSignInAttempts(name, address, windowStart)) >= limit.attempts) return { scope: 'address', retryAfterSeconds };
  if ((await store.countFailedSignInAttemptsForName(name, windowStart)) >= limit.accountAttempts) return { scope: 'account', retryAfterSeconds };
  return null;
}
