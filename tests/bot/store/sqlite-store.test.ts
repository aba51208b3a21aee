import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, migrations, schemaVersion } from '../../../bot/store/migrations.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';
import { StoreFileError } from '../../../bot/store/store-file-error.ts';
import { StoreSchemaError } from '../../../bot/store/store-schema-error.ts';
import { sampleCitation } from '../../helpers.ts';
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
storeContract(
  'SqliteStore on disk',
  () => openSqliteStore(temporaryDatabase()),
  async () => {
    const file = temporaryDatabase();
    return [openSqliteStore(file), openSqliteStore(file)];
  },
);

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
    await first.saveOfficer({ name: '王芳', passwordHash: 'scrypt$x', created: time, role: 'admin' });
    const exchange = await first.recordExchange({
      time,
      channel: 'wecom',
      chatId: 'room-1',
      userId: 'u-1',
      messageId: 'm-1',
      question: '工会经费能返还吗?',
      normalizedQuestion: '工会经费能返还',
      answer: '全额返还。',
      citations: [sampleCitation()],
      decision: 'answered',
      mode: 'extractive',
      latencyMs: 30,
      answeredBy: null,
      reviewedAnswerId: null,
    });
    await first.addReview({ exchangeId: exchange.id, verdict: 'correct', note: '核对无误', correctedAnswer: null, reviewer: '王芳', time });
    await first.saveReviewedAnswer({
      normalizedQuestion: '工会经费能返还',
      question: '工会经费能返还吗?',
      answer: '全额返还。',
      citations: [sampleCitation()],
      approvedBy: '王芳',
      time,
      sourceExchangeId: exchange.id,
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
    old.database
      .prepare(`INSERT INTO exchanges (time, channel, chat_id, user_id, message_id, question, normalized_question,
      answer, citations, refused, mode, latency_ms) VALUES (?, 'telegram', 'c', 'u', NULL, '旧问题', '旧问题', '旧回答', '[]', 0, 'llm', 5)`)
      .run(time.getTime());
    expect(schemaVersion(old.database)).toBe(1);
    await old.close();

    const upgraded = openSqliteStore(file);
    expect(schemaVersion(upgraded.database)).toBe(migrations.at(-1)?.version);
    expect((await upgraded.listExchanges({})).items).toMatchObject([{ question: '旧问题', answeredBy: null, reviewedAnswerId: null }]);
    await upgraded.close();
  });

  it('upgrades a version 2 database: decisions from refusals, officers stay admins, a refusal and its 转人工 become one ticket', async () => {
    const file = temporaryDatabase();
    const old = openSqliteStore(file, { migrations: migrations.slice(0, 2) });
    const db = old.database;
    db.prepare(`INSERT INTO officers (name, password_hash, created) VALUES ('王芳', 'scrypt$x', 0)`).run();
    const insert = db.prepare(`INSERT INTO exchanges (time, channel, chat_id, user_id, message_id, question, normalized_question,
      answer, citations, refused, mode, latency_ms, answered_by) VALUES (?, 'wecom', ?, 'u', NULL, ?, ?, ?, ?, ?, ?, 5, ?)`);
    const at = (minutes: number) => time.getTime() + minutes * 60_000;
    const refused = Number(insert.run(at(0), 'room-1', '出口退税怎么办?', '出口退税怎么办', '没有找到相关规定。', '[]', 1, 'extractive', null).lastInsertRowid);
    const request = Number(insert.run(at(1), 'room-1', '转人工', '转人工', '已为您转接。', '[]', 0, 'handoff', null).lastInsertRowid);
    const answered = Number(
      insert.run(at(2), 'room-2', '稳岗返还比例?', '稳岗返还比例', '60%。', JSON.stringify([sampleCitation()]), 0, 'extractive', null).lastInsertRowid,
    );
    const openTicket = db.prepare(`INSERT INTO handoffs (exchange_id, question, time, status) VALUES (?, ?, ?, 'open')`);
    const first = Number(openTicket.run(refused, '出口退税怎么办?', at(0)).lastInsertRowid);
    const second = Number(openTicket.run(request, '出口退税怎么办?', at(1)).lastInsertRowid);
    await old.close();

    const upgraded = openSqliteStore(file);
    expect(await upgraded.getExchange(refused)).toMatchObject({ decision: 'refused', refused: true });
    expect(await upgraded.getExchange(request)).toMatchObject({ decision: 'uncertain' });
    expect(await upgraded.getExchange(answered)).toMatchObject({ decision: 'answered' });
    expect(await upgraded.findOfficer('王芳')).toMatchObject({ role: 'admin', disabled: null });
    expect(await upgraded.listHandoffs('open')).toMatchObject([
      {
        id: first,
        reason: 'refused',
        requestedAt: new Date(at(1)),
        asks: 2,
        lastExchangeId: request,
        normalizedQuestion: '出口退税怎么办',
        channel: 'wecom',
        chatId: 'room-1',
      },
    ]);
    expect(await upgraded.getHandoff(second)).toMatchObject({ status: 'closed', resolution: { by: 'policybot' } });
    // The same chat and question now joins the surviving ticket.
    const joined = await upgraded.openOrJoinHandoff({
      exchangeId: request,
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

describe('a damaged SQLite file', () => {
  /** A real database with an officer and some exchanges, then damaged as `damage` says. */
  const damagedFile = async (damage: (file: string) => void): Promise<string> => {
    const healthy = temporaryDatabase();
    const store = openSqliteStore(healthy);
    await store.saveOfficer({ name: '王芳', passwordHash: 'scrypt$x', created: new Date(), role: 'admin' });
    for (let index = 0; index < 200; index += 1) {
      await store.recordExchange({
        time: new Date(),
        channel: 'wecom-bot',
        chatId: `room-${index}`,
        userId: 'u',
        messageId: null,
        question: '工会经费能返还吗?'.repeat(20),
        normalizedQuestion: '工会经费能返还',
        answer: '全额返还。'.repeat(50),
        citations: [sampleCitation()],
        decision: 'answered',
        mode: 'extractive',
        latencyMs: 3,
        answeredBy: null,
        reviewedAnswerId: null,
      });
    }
    await store.close();
    const file = temporaryDatabase();
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(healthy, file);
    damage(file);
    return file;
  };

  it.each([
    ['truncated', (file: string) => truncateSync(file, 5000)],
    [
      'with its header overwritten',
      (file: string) => {
        const bytes = readFileSync(file);
        bytes.fill(0x55, 0, 100);
        writeFileSync(file, bytes);
      },
    ],
    ['another kind of file', (file: string) => writeFileSync(file, '这不是数据库。'.repeat(500))],
  ])('is refused when %s, naming the file and what to do, and left as it was', async (_, damage) => {
    const file = await damagedFile(damage);
    const before = readFileSync(file);
    let refused: unknown;
    try {
      openSqliteStore(file);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(StoreFileError);
    expect((refused as Error).message).toContain(`数据库文件 ${file} 已损坏`);
    expect((refused as Error).message).toContain('从备份恢复');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('stops npm start and policybot log with that message, no stack trace', async () => {
    const file = await damagedFile((damaged) => truncateSync(damaged, 5000));
    const run = (...args: string[]) =>
      new Promise<{ status: number; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['bot/app/policybot.mjs', ...args],
          { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', DATABASE_PATH: file, PORT: '0' } },
          (error, _stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stderr }),
        );
      });
    for (const result of await Promise.all([run('serve'), run('log')])) {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`数据库文件 ${file} 已损坏`);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });
});
