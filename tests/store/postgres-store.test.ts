import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { postgresMigrations, postgresSchemaVersion } from '../../bot/store/postgres-migrations.ts';
import { openPostgresStore } from '../../bot/store/postgres-store.ts';
import { StoreConnectionError } from '../../bot/store/store-connection-error.ts';
import { StoreSchemaError } from '../../bot/store/store-schema-error.ts';
import { freshPostgresDatabase, sampleCitation } from '../helpers.ts';
import { storeContract } from './store-contract.ts';

const serverUrl = inject('postgresUrl');
if (!serverUrl) console.warn(`[postgres] SKIPPED tests/store/postgres-store.test.ts: ${inject('postgresUnavailable')}`);

describe.runIf(serverUrl)('PostgresStore', () => {
  const server = serverUrl!;
  storeContract('PostgresStore', async () => openPostgresStore(await freshPostgresDatabase(server)), async () => {
    const url = await freshPostgresDatabase(server);
    return [await openPostgresStore(url), await openPostgresStore(url)];
  });

  const time = new Date('2025-03-03T02:00:00Z');

  it('records every migration once when several workers open the same database together', async () => {
    const url = await freshPostgresDatabase(server);
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
    const { rows } = await stores[0]!.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(postgresMigrations.map((step) => ({ version: step.version })));
    expect(await stores[1]!.saveOfficer({ name: '王芳', passwordHash: 'h', created: time })).toBe('created');
    expect(await stores[2]!.findOfficer('王芳')).toMatchObject({ passwordHash: 'h' });
    await Promise.all(stores.map((store) => store.close()));
  });

  it('upgrades a database written at schema version 1 and keeps its rows', async () => {
    const url = await freshPostgresDatabase(server);
    const old = await openPostgresStore(url, { migrations: postgresMigrations.slice(0, 1) });
    await old.pool.query(`INSERT INTO exchanges (time, channel, chat_id, user_id, message_id, question, normalized_question,
      answer, citations, refused, mode, latency_ms) VALUES ($1, 'telegram', 'c', 'u', NULL, '旧问题', '旧问题', '旧回答', $2, FALSE, 'llm', 5)`,
    [time.getTime(), JSON.stringify([sampleCitation()])]);
    expect(await postgresSchemaVersion(old.pool)).toBe(1);
    await old.close();

    const upgraded = await openPostgresStore(url);
    expect(await postgresSchemaVersion(upgraded.pool)).toBe(postgresMigrations.at(-1)?.version);
    expect((await upgraded.listExchanges({ docId: '000' })).items).toMatchObject([{ question: '旧问题', answeredBy: null, reviewedAnswerId: null }]);
    await upgraded.close();
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
    expect((error as Error).message).toBe('cannot use PostgreSQL at 127.0.0.1:9/policybot: nothing listens there: start PostgreSQL or correct the host and port in DATABASE_URL');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it.runIf(serverUrl)('says so when the database does not exist', async () => {
    const url = new URL(serverUrl!);
    url.pathname = '/policybot_t_missing';
    await expect(openPostgresStore(url.toString())).rejects.toThrow(/database does not exist: create it \(createdb\)/);
  });
});
