import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Channel } from '../../../bot/desk/channel.ts';
import { leasedChannel } from '../../../bot/channels/leased-channel.ts';
import { openPostgresStore } from '../../../bot/store/postgres-store.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';
import type { Store } from '../../../bot/store/store.ts';
import { freshPostgresDatabase } from '../../helpers.ts';
import { RecordingLogger, waitFor } from './channel-helpers.ts';

/**
 * The most connections that ever ran at once, counted at every start (a sampling timer missed short runs on a loaded
 * machine and read 0). The test fails if two ever ran together.
 */
class Overlap {
  most = 0;
  constructor(private readonly inners: ConnectionChannel[] = []) {}
  watch(inner: ConnectionChannel): ConnectionChannel {
    this.inners.push(inner);
    inner.overlap = this;
    return inner;
  }
  started() {
    this.most = Math.max(this.most, this.inners.filter((inner) => inner.running).length);
  }
}

/** A long-lived connection that only says whether it is running, and delivers from anywhere. */
class ConnectionChannel implements Channel {
  readonly name = 'telegram' as const;
  running = false;
  starts = 0;
  overlap?: Overlap;
  readonly delivered: string[] = [];
  async start() {
    this.running = true;
    this.starts += 1;
    this.overlap?.started();
  }
  async stop() {
    this.running = false;
  }
  async deliver(chatId: string, text: string) {
    this.delivered.push(`${chatId}:${text}`);
  }
}

const timing = { ttlMs: 900, renewMs: 100 };

const postgresUrl = inject('postgresUrl');
if (!postgresUrl) console.warn(`[postgres] SKIPPED the PostgreSQL lease tests: ${inject('postgresUnavailable')}`);
const databases: [string, () => Promise<[Store, Store, Store]>][] = [
  [
    'one SQLite file',
    async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'policybot-lease-')), 'policybot.sqlite');
      return [openSqliteStore(file), openSqliteStore(file), openSqliteStore(file)];
    },
  ],
  ...(postgresUrl
    ? [
        [
          'one PostgreSQL database',
          async () => {
            const url = await freshPostgresDatabase(postgresUrl);
            return Promise.all([openPostgresStore(url), openPostgresStore(url), openPostgresStore(url)]);
          },
        ] as [string, () => Promise<[Store, Store, Store]>],
      ]
    : []),
];

describe.each(databases)('a leased connection on %s', (_name, open) => {
  it('runs on exactly one worker; another takes it over when the holder stops, and delivery works everywhere', async () => {
    const [storeA, storeB, storeC] = await open();
    const logger = new RecordingLogger();
    const overlap = new Overlap();
    const inners = [0, 1, 2].map(() => overlap.watch(new ConnectionChannel()));
    const workers = [storeA, storeB, storeC].map((store, index) =>
      leasedChannel(inners[index]!, { leases: store, lease: 'telegram-poll', holder: `worker-${index}`, timing, logger, label: 'Telegram long polling' }),
    );
    for (const worker of workers) await worker.start();
    expect(inners.filter((inner) => inner.running)).toHaveLength(1);
    expect(inners[0]!.running).toBe(true);

    await workers[1]!.deliver('42', '专员回复');
    expect(inners[1]!.delivered).toEqual(['42:专员回复']);

    await workers[0]!.stop();
    expect(inners[0]!.running).toBe(false);
    await waitFor(() => inners.some((inner) => inner.running), 'a surviving worker to take the connection over');
    expect(inners.filter((inner) => inner.running)).toHaveLength(1);
    expect(logger.text()).toContain('this worker holds the connection');

    for (const worker of workers.slice(1)) await worker.stop();
    expect(inners.filter((inner) => inner.running)).toHaveLength(0);
    expect(overlap.most).toBe(1);
    for (const store of [storeA, storeB, storeC]) await store.close();
  });

  it('is taken over when the holder dies without releasing it, and a holder cut off from the store stops its connection', async () => {
    const [storeA, storeB, storeC] = await open();
    const logger = new RecordingLogger();
    const overlap = new Overlap();
    const dying = overlap.watch(new ConnectionChannel());
    const survivor = overlap.watch(new ConnectionChannel());
    const holder = leasedChannel(dying, { leases: storeA, lease: 'wecom-socket', holder: 'worker-a', timing, logger, label: 'WeCom smart bot' });
    await holder.start();
    const other = leasedChannel(survivor, { leases: storeB, lease: 'wecom-socket', holder: 'worker-b', timing, logger, label: 'WeCom smart bot' });
    await other.start();
    expect([dying.running, survivor.running]).toEqual([true, false]);

    // The holder loses its database (a crash, a network cut): it cannot renew, so it stops before its lease runs out,
    // and the survivor takes over once the lease has expired.
    await storeA.close();
    await waitFor(() => !dying.running, 'the cut-off holder to stop its connection');
    await waitFor(() => survivor.running, 'the survivor to take over the expired lease');
    expect(await storeC.leaseHolder('wecom-socket')).toBe('worker-b');
    expect(logger.text()).toContain('stopping the connection, the lease could not be renewed');
    expect(overlap.most).toBe(1);

    await other.stop();
    await holder.stop();
    await storeB.close();
    await storeC.close();
  });
});
