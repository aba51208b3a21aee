/**
 * Remembers message ids for a while, to answer a platform's redelivery once
 * (WeCom retries a callback up to three times with the same MsgId; a reconnect can replay a msgid).
 */
export class RecentIds {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `id` is seen within the time-to-live; false for a repeat. */
  firstSeen(id: string): boolean {
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

  /** Forgets `id`, so a redelivery is processed again (used when handling failed before anything was answered). */
  forget(id: string): void {
    this.seenAt.delete(id);
  }
}
