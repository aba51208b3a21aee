/**
 * Runs answering work outside the platform's event handlers: tasks with the same key run one after another
 * (answers to one asker arrive in order), different keys run concurrently (one slow answer never holds up
 * another chat). Telegram's next getUpdates waits for every handler of a batch (docs/im-protocols.md),
 * which is why handlers only enqueue here and return.
 */
export class ChatWorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  /** `onUnhandled` receives what a task threw; tasks should handle their own errors, this is the last resort. */
  constructor(private readonly onUnhandled: (error: unknown) => void) {}

  /** Schedules `task` after the earlier tasks of `key` and returns at once. */
  push(key: string, task: () => Promise<void>): void {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(task).catch(this.onUnhandled);
    this.tails.set(key, run);
    this.running.add(run);
    void run.finally(() => {
      this.running.delete(run);
      if (this.tails.get(key) === run) this.tails.delete(key);
    });
  }

  /** Number of tasks queued or running. */
  get size(): number {
    return this.running.size;
  }

  /** Waits for queued work to finish, at most `timeoutMs`, so a stop does not cut answers off mid-send. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
  }
}
