import type { Store } from '../store/index.ts';

/**
 * Message ids already taken, to answer a platform's redelivery once (WeCom retries a callback up to three times
 * with the same MsgId, possibly to another worker; a reconnect can replay a msgid).
 */
export interface SeenMessages {
  /** True the first time `id` is seen within the time-to-live; false for a repeat, on any worker sharing the store. */
  firstSeen(id: string): Promise<boolean>;
  /** Forgets `id`, so a redelivery is processed again (used when handling failed before anything was answered). */
  forget(id: string): Promise<void>;
}

/** Remembers message ids for a while in this process's memory. */
export class RecentIds implements SeenMessages {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async firstSeen(id: string): Promise<boolean> {
    const at = this.now();
    // Map iteration is in insertion order, so expired ids sit at the front.
    for (const [key, time] of this.seenAt) {
      if (at - time < this.ttlMs) break;
      this.seenAt.delete(key);
    }
    if (this.seenAt.has(id)) return false;
    this.seenAt.set(id, at);
    return true;
  }

  async forget(id: string): Promise<void> {
    this.seenAt.delete(id);
  }
}

/**
 * Message ids claimed in the store under a unique key (`scope:id`): of two workers receiving the same retry, exactly
 * one answers it.
 */
export class StoreSeenMessages implements SeenMessages {
  constructor(
    private readonly store: Pick<Store, 'claim' | 'releaseClaim'>,
    private readonly scope: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async firstSeen(id: string): Promise<boolean> {
    const at = this.now();
    return this.store.claim(`${this.scope}:${id}`, new Date(at), new Date(at + this.ttlMs));
  }

  async forget(id: string): Promise<void> {
    await this.store.releaseClaim(`${this.scope}:${id}`);
  }
}
