import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { postgresMigrations, postgresSchemaVersion } from '../../../bot/store/postgres-migrations.ts';
import { openPostgresStore } from '../../../bot/store/postgres-store.ts';
import { StoreConnectionError } from '../../../bot/store/store-connection-error.ts';
import { StoreSchemaError } from '../../../bot/store/store-schema-error.ts';
import { freshPostgresDatabase, sampleCitation } from '../../helpers.ts';
import { storeContract } from './store-contract.ts';

const serverUrl = inject('postgresUrl');
if (!serverUrl) console.warn(`[postgres] SKIPPED tests/bot/store/postgres-store.test.ts: ${inject('postgresUnavailable')}`);

describe.runIf(serverUrl)('PostgresStore', () => {
  const server = serverUrl!;
  storeContract(
    'PostgresStore',
    async () => openPostgresStore(await freshPostgresDatabase(server)),
    async () => {
      const url = await freshPostgresDatabase(server);
      return [await openPostgresStore(url), await openPostgresStore(url)];
    },
  );

  const time = new Date('2025-03-03T02:00:00Z');

  it('records every migration once when several workers open the same database together', async () => {
    const url = await freshPostgresDatabase(server);
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
    const { rows } = await stores[0]!.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(postgresMigrations.map((step) => ({ version: step.version })));
    expect(await stores[1]!.saveOfficer({ name: '王芳', passwordHash: 'h', created: time, role: 'admin' })).toBe('created');
    expect(await stores[2]!.findOfficer('王芳')).toMatchObject({ passwordHash: 'h' });
    await Promise.all(stores.map((store) => store.close()));
  });

  it('upgrades a database written at schema version 1 and keeps its rows', async () => {
    const url = await freshPostgresDatabase(server);
    const old = await openPostgresStore(url, { migrations: postgresMigrations.slice(0, 1) });
    await old.pool.query(
      `INSERT INTO exchanges (time, channel, chat_id, user_id, message_id, question, normalized_question,
      answer, citations, refused, mode, latency_ms) VALUES ($1, 'telegram', 'c', 'u', NULL, '旧问题', '旧问题', '旧回答', $2, FALSE, 'llm', 5)`,
      [time.getTime(), JSON.stringify([sampleCitation()])],
    );
    expect(await postgresSchemaVersion(old.pool)).toBe(1);
    await old.close();

    const upgraded = await openPostgresStore(url);
    expect(await postgresSchemaVersion(upgraded.pool)).toBe(postgresMigrations.at(-1)?.version);
    expect((await upgraded.listExchanges({ docId: '000' })).items).toMatchObject([{ question: '旧问题', answeredBy: null, reviewedAnswerId: null }]);
    await upgraded.close();
  });

  it('upgrades a version 4 database: decisions from refusals, officers stay admins, a refusal and its 转人工 become one ticket', async () => {
    const url = await freshPostgresDatabase(server);
    const old = await openPostgresStore(url, { migrations: postgresMigrations.slice(0, 4) });
    const at = (minutes: number) => time.getTime() + minutes * 60_000;
    await old.pool.query(`INSERT INTO officers (name, password_hash, created) VALUES ('王芳', 'scrypt$x', 0)`);
    const insert = async (minutes: number, chat: string, question: string, normalized: string, refused: boolean, mode: string) =>
      Number(
        (
          await old.pool.query(
            `INSERT INTO exchanges (time, channel, chat_id, user_id, message_id, question, normalized_question,
        answer, citations, refused, mode, latency_ms) VALUES ($1, 'wecom', $2, 'u', NULL, $3, $4, 'a', '[]', $5, $6, 5) RETURNING id`,
            [at(minutes), chat, question, normalized, refused, mode],
          )
        ).rows[0].id,
      );
    const refusedId = await insert(0, 'room-1', '出口退税怎么办?', '出口退税怎么办', true, 'extractive');
    const requestId = await insert(1, 'room-1', '转人工', '转人工', false, 'handoff');
    const ticket = async (exchangeId: number, minutes: number) =>
      Number(
        (
          await old.pool.query(`INSERT INTO handoffs (exchange_id, question, time, status) VALUES ($1, '出口退税怎么办?', $2, 'open') RETURNING id`, [
            exchangeId,
            at(minutes),
          ])
        ).rows[0].id,
      );
    const first = await ticket(refusedId, 0);
    const second = await ticket(requestId, 1);
    await old.close();

    const upgraded = await openPostgresStore(url);
    expect(await upgraded.getExchange(refusedId)).toMatchObject({ decision: 'refused', refused: true });
    expect(await upgraded.getExchange(requestId)).toMatchObject({ decision: 'uncertain' });
    expect(await upgraded.findOfficer('王芳')).toMatchObject({ role: 'admin', disabled: null });
    expect(await upgraded.listHandoffs('open')).toMatchObject([
      {
        id: first,
        reason: 'refused',
        requestedAt: new Date(at(1)),
        asks: 2,
        lastExchangeId: requestId,
        normalizedQuestion: '出口退税怎么办',
      },
    ]);
    expect(await upgraded.getHandoff(second)).toMatchObject({ status: 'closed', resolution: { by: 'policybot' } });
    const joined = await upgraded.openOrJoinHandoff({
      exchangeId: requestId,
      channel: 'wecom',
      chatId: 'room-1',
      question: '出口退税怎么办?',
      normalizedQuestion: '出口退税怎么办',
      reason: 'requested',
      citations: [],
      time: new Date(at(3)),
    });
    expect(joined).toMatchObject({ joined: true, handoff: { id: first, asks: 3 } });
    await upgraded.close();
  });

  it('opens one ticket when the same chat and question arrive at two workers at once', async () => {
    const url = await freshPostgresDatabase(server);
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
    const origin = await a!.recordExchange({
      time,
      channel: 'wecom',
      chatId: 'room-1',
      userId: 'u',
      messageId: null,
      question: '转人工',
      normalizedQuestion: '转人工',
      answer: 'x',
      citations: [],
      decision: 'uncertain',
      mode: 'handoff',
      latencyMs: 1,
      answeredBy: null,
      reviewedAnswerId: null,
    });
    const input = {
      exchangeId: origin.id,
      channel: 'wecom' as const,
      chatId: 'room-1',
      question: '稳岗返还?',
      normalizedQuestion: '稳岗返还',
      reason: 'requested' as const,
      citations: [],
      time,
    };
    const results = await Promise.all([a!.openOrJoinHandoff(input), b!.openOrJoinHandoff(input), a!.openOrJoinHandoff(input)]);
    expect(new Set(results.map((result) => result.handoff.id)).size).toBe(1);
    expect(results.filter((result) => !result.joined)).toHaveLength(1);
    expect((await b!.listHandoffs('open'))[0]?.asks).toBe(3);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('refuses a database written by a newer policybot and changes nothing in it', async () => {
    const url = await freshPostgresDatabase(server);
    await (await openPostgresStore(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 0)`);
    const error = await openPostgresStore(url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreSchemaError);
    expect((error as Error).message).toMatch(/schema version 99 .*upgrade policybot or point DATABASE_URL/);
    const { rows } = await client.query('SELECT COUNT(*)::int AS n FROM schema_migrations');
    expect(rows[0]).toEqual({ n: postgresMigrations.length + 1 });
    await client.end();
  });

  it('rolls a failing step back whole and keeps the earlier ones', async () => {
    const url = await freshPostgresDatabase(server);
    const broken = [...postgresMigrations, { version: 1000, name: 'broken', sql: 'CREATE TABLE half_done (id INT); SELECT no_such_function();' }];
    await expect(openPostgresStore(url, { migrations: broken })).rejects.toThrow(/no_such_function/);
    const store = await openPostgresStore(url);
    expect(await postgresSchemaVersion(store.pool)).toBe(postgresMigrations.at(-1)?.version);
    const { rows } = await store.pool.query(`SELECT to_regclass('half_done') AS table`);
    expect(rows[0]).toEqual({ table: null });
    await store.close();
  });
});

describe('openPostgresStore', () => {
  it('says which setting to fix when nothing listens at DATABASE_URL, without the password', async () => {
    const error = await openPostgresStore('postgres://policybot:s3cret@127.0.0.1:9/policybot').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreConnectionError);
    expect((error as Error).message).toBe(
      'cannot use PostgreSQL at 127.0.0.1:9/policybot: nothing listens there: start PostgreSQL or correct the host and port in DATABASE_URL',
    );
    expect((error as Error).message).not.toContain('s3cret');
  });

  it.runIf(serverUrl)('says so when the database does not exist', async () => {
    const url = new URL(serverUrl!);
    url.pathname = '/policybot_t_missing';
    await expect(openPostgresStore(url.toString())).rejects.toThrow(/database does not exist: create it \(createdb\)/);
  });
});
