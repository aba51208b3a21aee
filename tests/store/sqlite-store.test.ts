import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, migrations, schemaVersion } from '../../bot/store/migrations.ts';
import { openSqliteStore } from '../../bot/store/sqlite-store.ts';
import { StoreSchemaError } from '../../bot/store/store-schema-error.ts';
import { sampleCitation } from '../helpers.ts';
import { storeContract } from './store-contract.ts';

const directories: string[] = [];
function temporaryDatabase(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'policybot-store-'));
  directories.push(directory);
  return path.join(directory, 'nested', 'policybot.sqlite');
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

storeContract('SqliteStore in memory', () => openSqliteStore(':memory:'));
storeContract('SqliteStore on disk', () => openSqliteStore(temporaryDatabase()), async () => {
  const file = temporaryDatabase();
  return [openSqliteStore(file), openSqliteStore(file)];
});

describe('SqliteStore file', () => {
  const time = new Date('2025-03-03T02:00:00Z');

  it('creates the file in WAL mode with every migration recorded', async () => {
    const file = temporaryDatabase();
    const store = openSqliteStore(file);
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = store.database.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(migrations.map((step) => ({ version: step.version })));
    await store.close();
  });

  it('keeps officers, exchanges, reviews and approved answers across a reopen, without re-running migrations', async () => {
    const file = temporaryDatabase();
    const first = openSqliteStore(file);
    await first.saveOfficer({ name: '王芳', passwordHash: 'scrypt$x', created: time });
    const exchange = await first.recordExchange({
      time, channel: 'wecom', chatId: 'room-1', userId: 'u-1', messageId: 'm-1', question: '工会经费能返还吗?',
      normalizedQuestion: '工会经费能返还', answer: '全额返还。', citations: [sampleCitation()], refused: false,
      mode: 'extractive', latencyMs: 30, answeredBy: null, reviewedAnswerId: null,
    });
    await first.addReview({ exchangeId: exchange.id, verdict: 'correct', note: '核对无误', correctedAnswer: null, reviewer: '王芳', time });
    await first.saveReviewedAnswer({
      normalizedQuestion: '工会经费能返还', question: '工会经费能返还吗?', answer: '全额返还。', citations: [sampleCitation()],
      approvedBy: '王芳', time, sourceExchangeId: exchange.id,
    });
    await first.close();

    const second = openSqliteStore(file);
    expect((await second.findOfficer('王芳'))?.passwordHash).toBe('scrypt$x');
    expect(await second.getExchange(exchange.id)).toMatchObject({ question: '工会经费能返还吗?', latestReview: { verdict: 'correct', note: '核对无误' } });
    expect((await second.listReviewedAnswers())[0]?.citations[0]?.clause_label).toBe('(二)');
    const applied = second.database.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number };
    expect(applied.n).toBe(migrations.length);
    await second.close();
  });

  it('upgrades a database written at schema version 1 and keeps its rows', async () => {
    const file = temporaryDatabase();
    const old = openSqliteStore(file, { migrations: migrations.slice(0, 1) });
    old.database.prepare(`INSERT INTO exchanges (time, channel, chat_id, user_id, message_id, question, normalized_question,
      answer, citations, refused, mode, latency_ms) VALUES (?, 'telegram', 'c', 'u', NULL, '旧问题', '旧问题', '旧回答', '[]', 0, 'llm', 5)`)
      .run(time.getTime());
    expect(schemaVersion(old.database)).toBe(1);
    await old.close();

    const upgraded = openSqliteStore(file);
    expect(schemaVersion(upgraded.database)).toBe(migrations.at(-1)?.version);
    expect((await upgraded.listExchanges({})).items).toMatchObject([{ question: '旧问题', answeredBy: null, reviewedAnswerId: null }]);
    await upgraded.close();
  });

  it('refuses a database written by a newer policybot', async () => {
    const file = temporaryDatabase();
    openSqliteStore(file).close();
    const database = new Database(file);
    database.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)').run('from the future');
    database.close();
    expect(() => openSqliteStore(file)).toThrow(StoreSchemaError);
    const again = new Database(file);
    expect(() => applyMigrations(again)).toThrow(/schema version 99.*upgrade policybot/);
    again.close();
  });
});
