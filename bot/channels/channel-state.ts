import type { Store } from '../store/index.ts';
import { memoryRateWindow, storeRateWindow, type RateWindow } from './rate-limiter.ts';
import type { OutboxStore } from '../desk/index.ts';
import { RecentIds, StoreSeenMessages, type SeenMessages } from './recent-ids.ts';

/**
 * What the channels remember between messages: per-user question times, message ids already answered, and (with a
 * store) which worker holds each long-lived connection. In memory for one process; in the store when several
 * workers share one database, so that a retry landing on another worker is answered once and a user's limit holds
 * everywhere.
 */
export interface ChannelState {
  rateWindow: RateWindow;
  /** Message ids of one channel (`scope`), kept `ttlMs`. */
  seenMessages(scope: string, ttlMs: number): SeenMessages;
  /** Leases on long-lived connections (Telegram long poll, WeCom socket); absent means this process holds them all. */
  leases?: Pick<Store, 'acquireLease' | 'releaseLease' | 'leaseHolder'>;
  /**
   * Answers owed to askers after the platform was told the question arrived (the WeCom callback's "success"); only
   * in a store, since an outbox in memory is what lost them. A channel that needs it refuses to start without it.
   */
  outbox?: OutboxStore;
}

/** One process on its own. */
export function memoryChannelState(): ChannelState {
  return { rateWindow: memoryRateWindow(), seenMessages: (_scope, ttlMs) => new RecentIds(ttlMs) };
}

/** State shared through the store by every worker on the same database. */
export function storeChannelState(store: Store): ChannelState {
  return {
    rateWindow: storeRateWindow(store),
    seenMessages: (scope, ttlMs) => new StoreSeenMessages(store, scope, ttlMs),
    leases: store,
    outbox: store,
  };
}
