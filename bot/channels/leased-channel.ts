import type { Channel } from '../desk/index.ts';
import type { Store } from '../store/index.ts';
import { workerName } from '../store/index.ts';
import { describeError, type Logger } from '../logger.ts';

export interface LeaseTiming {
  /** How long a lease lasts unless renewed (default 15 s): a dead holder's connection is taken over after at most this. */
  ttlMs: number;
  /** How often the holder renews and the others try to take over (default 5 s). */
  renewMs: number;
}
export const defaultLeaseTiming: LeaseTiming = { ttlMs: 15_000, renewMs: 5_000 };

export interface LeasedChannelOptions {
  leases: Pick<Store, 'acquireLease' | 'releaseLease'>;
  /** The lease's name, one per connection: `telegram-poll`, `wecom-socket`. */
  lease: string;
  /** Names this worker in the lease; unique per process. */
  holder?: string;
  timing?: LeaseTiming;
  logger: Logger;
  label: string;
}

export interface LeasedChannel<C extends Channel> extends Channel {
  readonly inner: C;
  /** True while this worker holds the lease and so runs the connection. */
  holdsLease(): boolean;
}

/**
 * Runs a long-lived connection (Telegram's long poll, the WeCom smart-bot socket) on exactly one of the workers
 * sharing a store: the worker holding the lease starts the inner channel and renews the lease; the others try to take
 * it every `renewMs` and start the channel when they get it — on a clean stop at once (the lease is released), when
 * the holder dies after at most `ttlMs`. A holder that cannot renew stops its connection before its lease can run out,
 * so two workers never poll at once. Delivering an officer's reply goes through the inner channel on any worker.
 *
 * @example leasedChannel(createTelegramChannel({ config, assistant }), { leases: store, lease: 'telegram-poll', logger, label: 'Telegram' })
 */
export function leasedChannel<C extends Channel>(inner: C, options: LeasedChannelOptions): LeasedChannel<C> {
  const { leases, lease, logger, label } = options;
  const holder = options.holder ?? workerName();
  const { ttlMs, renewMs } = options.timing ?? defaultLeaseTiming;
  let holding = false;
  let renewedAt = 0;
  let running: Promise<void> | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  // Starting and stopping the inner channel one after another, never overlapping.
  let transition: Promise<void> = Promise.resolve();

  const startInner = () => {
    transition = transition.then(() => inner.start()).catch((error) => logger.error(`${label} failed to start`, { error: describeError(error) }));
  };
  const stopInner = () => {
    transition = transition.then(() => inner.stop()).catch((error) => logger.error(`${label} failed to stop`, { error: describeError(error) }));
  };

  const tick = async () => {
    try {
      const held = await leases.acquireLease(lease, holder, ttlMs);
      if (held) {
        renewedAt = performance.now();
        if (!holding) {
          holding = true;
          logger.info(`${label}: this worker holds the connection`, { lease, holder });
          startInner();
        }
      } else if (holding) {
        holding = false;
        logger.warn(`${label}: another worker took the connection over; stopping it here`, { lease });
        stopInner();
      }
    } catch (error) {
      logger.warn(`${label}: could not renew the connection lease`, { lease, error: describeError(error) });
      // Without a renewal we cannot know the lease is still ours: stop well before it can run out.
      if (holding && performance.now() - renewedAt > ttlMs - 2 * renewMs) {
        holding = false;
        logger.error(`${label}: stopping the connection, the lease could not be renewed`, { lease });
        stopInner();
      }
    }
  };

  const loop = async () => {
    while (!stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, renewMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (!stopping) await tick();
    }
  };

  return {
    ...inner,
    name: inner.name,
    inner,
    holdsLease: () => holding,

    async start() {
      if (running) return;
      stopping = false;
      await tick();
      if (!holding) logger.info(`${label}: another worker holds the connection; this one takes over if it stops`, { lease });
      await transition;
      running = loop();
    },

    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = undefined;
      if (holding) {
        holding = false;
        stopInner();
      }
      await transition;
      await leases
        .releaseLease(lease, holder)
        .catch((error) =>
          logger.warn(`${label}: could not release the connection lease; another worker takes over when it expires`, { error: describeError(error) }),
        );
    },

    deliver: (chatId, text, replyToMessageId) => inner.deliver(chatId, text, replyToMessageId),
  };
}
