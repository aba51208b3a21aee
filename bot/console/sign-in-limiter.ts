import type { Store } from '../store.ts';

export interface SignInLimit {
  /** Failed attempts allowed per name and address within the window. */
  attempts: number;
  windowMinutes: number;
}

/** Five wrong passwords per name and address per quarter hour: enough for typos, far too few for guessing. */
export const defaultSignInLimit: SignInLimit = { attempts: 5, windowMinutes: 15 };

/** Seconds until another attempt is allowed, or 0 when one is allowed now. */
export async function signInRetryAfter(store: Store, name: string, address: string, now: Date, limit = defaultSignInLimit): Promise<number> {
  const windowStart = new Date(now.getTime() - limit.windowMinutes * 60_000);
  return await store.countFailedSignInAttempts(name, address, windowStart) >= limit.attempts ? limit.windowMinutes * 60 : 0;
}
