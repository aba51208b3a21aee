import type Database from 'better-sqlite3';
import { StoreSchemaError } from './store-schema-error.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, one step per version. Never edit a released step: add the next one, so a database
 * written by any earlier release upgrades in place.
 * Times are epoch milliseconds (UTC); JSON columns hold the API's snake_case `Citation` objects.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'officers, sessions, exchanges, reviews, hand-offs',
    sql: `
      CREATE TABLE officers (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        officer TEXT NOT NULL REFERENCES officers(name) ON DELETE CASCADE,
        created INTEGER NOT NULL,
        expires INTEGER NOT NULL
      );
      CREATE TABLE sign_in_attempts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        time INTEGER NOT NULL,
        succeeded INTEGER NOT NULL
      );
      CREATE INDEX sign_in_attempts_by_name ON sign_in_attempts(name, address, time);

      CREATE TABLE exchanges (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        message_id TEXT,
        question TEXT NOT NULL,
        normalized_question TEXT NOT NULL,
        answer TEXT NOT NULL,
        citations TEXT NOT NULL,
        refused INTEGER NOT NULL,
        mode TEXT NOT NULL,
        latency_ms INTEGER NOT NULL
      );
      CREATE INDEX exchanges_by_time ON exchanges(time);
      CREATE INDEX exchanges_by_chat ON exchanges(channel, chat_id, time);

      CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        exchange_id INTEGER NOT NULL REFERENCES exchanges(id),
        verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'wrong', 'incomplete')),
        note TEXT NOT NULL,
        corrected_answer TEXT,
        reviewer TEXT NOT NULL,
        time INTEGER NOT NULL
      );
      CREATE INDEX reviews_by_exchange ON reviews(exchange_id, id);

      CREATE TABLE reviewed_answers (
        id INTEGER PRIMARY KEY,
        normalized_question TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        citations TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        time INTEGER NOT NULL,
        source_exchange_id INTEGER REFERENCES exchanges(id)
      );
      CREATE INDEX reviewed_answers_by_question ON reviewed_answers(normalized_question);

      CREATE TABLE handoffs (
        id INTEGER PRIMARY KEY,
        exchange_id INTEGER NOT NULL REFERENCES exchanges(id),
        question TEXT NOT NULL,
        time INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'answered')),
        reply TEXT,
        replied_by TEXT,
        replied_at INTEGER,
        reply_exchange_id INTEGER REFERENCES exchanges(id)
      );
      CREATE INDEX handoffs_by_status ON handoffs(status, time);
    `,
  },
  {
    // Officers' own replies and served approved answers are logged as exchanges; these columns say
    // who wrote the answer and which approved answer was served, so a wrong one can be retired.
    version: 2,
    name: 'answer provenance and retiring approved answers',
    sql: `
      ALTER TABLE exchanges ADD COLUMN answered_by TEXT;
      ALTER TABLE exchanges ADD COLUMN reviewed_answer_id INTEGER REFERENCES reviewed_answers(id);
      ALTER TABLE reviewed_answers ADD COLUMN retired_by TEXT;
      ALTER TABLE reviewed_answers ADD COLUMN retired_at INTEGER;
    `,
  },
  {
    // Policy matching: a chat's kept profile (deleted on 取消订阅, so nothing of it stays), the messages pushed
    // to it after new documents, and officers' corrections of measure conditions, keyed by the stable clause id.
    version: 3,
    name: 'subscriptions, pushes and condition corrections',
    sql: `
      CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        profile TEXT NOT NULL,
        profile_text TEXT NOT NULL,
        time INTEGER NOT NULL,
        UNIQUE (channel, chat_id)
      );
      CREATE TABLE pushes (
        id INTEGER PRIMARY KEY,
        subscription_id INTEGER,
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        clause_ids TEXT NOT NULL,
        text TEXT NOT NULL,
        time INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        error TEXT,
        delivered_at INTEGER
      );
      CREATE INDEX pushes_by_status ON pushes(status, time);
      CREATE TABLE condition_corrections (
        clause_id TEXT PRIMARY KEY,
        correction TEXT NOT NULL,
        officer TEXT NOT NULL,
        time INTEGER NOT NULL
      );
    `,
  },
  {
    // The chat's own controls on an answer (WeCom's 👍 / 👎 and template-card buttons, Telegram's inline keyboard)
    // come back with the reference the reply went out under; each press is kept, the latest rating counts.
    version: 4,
    name: 'asker feedback and button presses on answers',
    sql: `
      ALTER TABLE exchanges ADD COLUMN reply_ref TEXT;
      CREATE UNIQUE INDEX exchanges_by_reply_ref ON exchanges(channel, reply_ref) WHERE reply_ref IS NOT NULL;
      CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        exchange_id INTEGER NOT NULL REFERENCES exchanges(id),
        kind TEXT NOT NULL CHECK (kind IN ('helpful', 'unhelpful', 'cancelled', 'handoff')),
        user_id TEXT NOT NULL,
        comment TEXT NOT NULL,
        reasons TEXT NOT NULL,
        time INTEGER NOT NULL
      );
      CREATE INDEX feedback_by_exchange ON feedback(exchange_id, id);
    `,
  },
  {
    // What several workers must agree on: message ids already taken, per-user question times, chat history for
    // follow-ups, and which worker holds each long-lived channel connection.
    version: 5,
    name: 'claims, rate windows, chat history, leases',
    sql: `
      CREATE TABLE claims (
        key TEXT PRIMARY KEY,
        expires INTEGER NOT NULL
      );
      CREATE INDEX claims_by_expiry ON claims(expires);
      CREATE TABLE rate_events (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        time INTEGER NOT NULL
      );
      CREATE INDEX rate_events_by_key ON rate_events(key, time);
      CREATE INDEX rate_events_by_time ON rate_events(time);
      CREATE TABLE chat_turns (
        id INTEGER PRIMARY KEY,
        chat_key TEXT NOT NULL,
        time INTEGER NOT NULL,
        turn TEXT NOT NULL
      );
      CREATE INDEX chat_turns_by_chat ON chat_turns(chat_key, id);
      CREATE INDEX chat_turns_by_time ON chat_turns(time);
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires INTEGER NOT NULL
      );
    `,
  },
  {
    // The console runs the desk: an exchange keeps the assistant's decision (uncertain apart from refused);
    // one hand-off ticket per chat and question, with its reason, the measures shown, who took it and how it
    // ended; officers have roles and can be disabled; approved answers can be edited and say how close a
    // question must be; every change an officer makes is kept in an audit trail.
    version: 6,
    name: 'decisions, hand-off tickets, officer roles, approved-answer settings, audit trail',
    sql: `
      ALTER TABLE exchanges ADD COLUMN decision TEXT NOT NULL DEFAULT 'answered'
        CHECK (decision IN ('answered', 'uncertain', 'refused'));
      -- Before decisions existed a refusal was the only other outcome; a 转人工 notice is not an answer.
      UPDATE exchanges SET decision = CASE
        WHEN refused = 1 THEN 'refused'
        WHEN mode = 'handoff' AND answered_by IS NULL THEN 'uncertain'
        ELSE 'answered' END;
      CREATE INDEX exchanges_by_reviewed_answer ON exchanges(reviewed_answer_id);

      ALTER TABLE officers ADD COLUMN role TEXT NOT NULL DEFAULT 'officer' CHECK (role IN ('officer', 'admin'));
      -- Every officer could do everything before roles: they keep that.
      UPDATE officers SET role = 'admin';
      ALTER TABLE officers ADD COLUMN disabled_by TEXT;
      ALTER TABLE officers ADD COLUMN disabled_at INTEGER;

      ALTER TABLE reviewed_answers ADD COLUMN min_similarity REAL;
      ALTER TABLE reviewed_answers ADD COLUMN edited_by TEXT;
      ALTER TABLE reviewed_answers ADD COLUMN edited_at INTEGER;

      CREATE TABLE handoff_tickets (
        id INTEGER PRIMARY KEY,
        exchange_id INTEGER NOT NULL REFERENCES exchanges(id),
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        question TEXT NOT NULL,
        normalized_question TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('requested', 'uncertain', 'refused')),
        citations TEXT NOT NULL,
        time INTEGER NOT NULL,
        requested_at INTEGER,
        last_exchange_id INTEGER NOT NULL REFERENCES exchanges(id),
        asks INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed', 'dismissed')),
        assigned_to TEXT,
        assigned_at INTEGER,
        reply TEXT,
        replied_by TEXT,
        replied_at INTEGER,
        reply_exchange_id INTEGER REFERENCES exchanges(id),
        resolved_by TEXT,
        resolved_at INTEGER,
        resolution_note TEXT
      );
      -- A ticket's question key: the exchange of the same chat that asked it, else the opening message
      -- without the words asking for a person.
      INSERT INTO handoff_tickets (id, exchange_id, channel, chat_id, question, normalized_question, reason, citations,
        time, requested_at, last_exchange_id, asks, status, reply, replied_by, replied_at, reply_exchange_id)
      SELECT h.id, h.exchange_id, e.channel, e.chat_id, h.question,
        COALESCE(
          (SELECT x.normalized_question FROM exchanges x WHERE x.channel = e.channel AND x.chat_id = e.chat_id
             AND x.question = h.question AND x.answered_by IS NULL AND x.mode <> 'handoff' ORDER BY x.id DESC LIMIT 1),
          replace(replace(replace(e.normalized_question, '转人工', ''), '人工客服', ''), '人工服务', '')),
        CASE WHEN e.refused = 1 THEN 'refused' ELSE 'requested' END,
        CASE WHEN e.refused = 1 THEN e.citations ELSE '[]' END,
        h.time, CASE WHEN e.refused = 1 THEN NULL ELSE h.time END, h.exchange_id, 1, h.status,
        h.reply, h.replied_by, h.replied_at, h.reply_exchange_id
      FROM handoffs h JOIN exchanges e ON e.id = h.exchange_id;
      -- A refusal and the 转人工 after it opened two tickets; the older one stays open and keeps both asks.
      UPDATE handoff_tickets SET
        requested_at = COALESCE(requested_at, (SELECT MIN(d.time) FROM handoff_tickets d WHERE d.status = 'open'
          AND d.channel = handoff_tickets.channel AND d.chat_id = handoff_tickets.chat_id
          AND d.normalized_question = handoff_tickets.normalized_question AND d.id > handoff_tickets.id AND d.requested_at IS NOT NULL)),
        asks = asks + (SELECT COUNT(*) FROM handoff_tickets d WHERE d.status = 'open' AND d.channel = handoff_tickets.channel
          AND d.chat_id = handoff_tickets.chat_id AND d.normalized_question = handoff_tickets.normalized_question AND d.id > handoff_tickets.id)
      WHERE status = 'open' AND NOT EXISTS (SELECT 1 FROM handoff_tickets o WHERE o.status = 'open' AND o.channel = handoff_tickets.channel
        AND o.chat_id = handoff_tickets.chat_id AND o.normalized_question = handoff_tickets.normalized_question AND o.id < handoff_tickets.id);
      UPDATE handoff_tickets SET status = 'closed', resolved_by = 'policybot', resolved_at = time,
        resolution_note = '与同一会话同一问题的较早转人工重复,升级时合并'
      WHERE status = 'open' AND EXISTS (SELECT 1 FROM handoff_tickets o WHERE o.status = 'open' AND o.channel = handoff_tickets.channel
        AND o.chat_id = handoff_tickets.chat_id AND o.normalized_question = handoff_tickets.normalized_question AND o.id < handoff_tickets.id);
      UPDATE handoff_tickets SET last_exchange_id = COALESCE((SELECT MAX(d.exchange_id) FROM handoff_tickets d
        WHERE d.resolved_by = 'policybot' AND d.channel = handoff_tickets.channel AND d.chat_id = handoff_tickets.chat_id
        AND d.normalized_question = handoff_tickets.normalized_question), last_exchange_id)
      WHERE status = 'open';
      DROP TABLE handoffs;
      ALTER TABLE handoff_tickets RENAME TO handoffs;
      CREATE UNIQUE INDEX handoffs_one_open_per_chat_question ON handoffs(channel, chat_id, normalized_question) WHERE status = 'open';
      CREATE INDEX handoffs_by_status ON handoffs(status, time);

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        officer TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_log_by_time ON audit_log(time);
    `,
  },
  {
    // Answers owed to a chat, recorded before WeCom is told "success" and kept until sent or failed for good, so a
    // restart (or another worker) picks them up. claimed_by/claimed_until: the worker sending it and until when.
    version: 7,
    name: 'outbox of answers owed to chats',
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        message_id TEXT,
        question TEXT NOT NULL,
        route TEXT NOT NULL CHECK (route IN ('send', 'passive')),
        messages TEXT,
        exchange_id INTEGER REFERENCES exchanges(id),
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_parts INTEGER NOT NULL DEFAULT 0,
        due_at INTEGER NOT NULL,
        claimed_by TEXT,
        claimed_until INTEGER,
        last_error TEXT,
        time INTEGER NOT NULL,
        settled_at INTEGER
      );
      CREATE UNIQUE INDEX outbox_by_message ON outbox(channel, message_id) WHERE message_id IS NOT NULL;
      CREATE UNIQUE INDEX outbox_by_exchange ON outbox(exchange_id) WHERE exchange_id IS NOT NULL;
      CREATE INDEX outbox_due ON outbox(status, channel, due_at);
      CREATE INDEX outbox_by_chat ON outbox(channel, chat_id, status);
    `,
  },
];

/**
 * Brings the database up to the last of `steps`, each step in its own transaction, and records it in
 * `schema_migrations`. Returns the versions applied now.
 * @throws StoreSchemaError when the file was written by a newer policybot.
 */
export function applyMigrations(database: Database.Database, steps: readonly Migration[] = migrations, now = new Date()): number[] {
  database.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = schemaVersion(database);
  const known = steps.at(-1)?.version ?? 0;
  if (current > known) {
    throw new StoreSchemaError(
      `${database.name} has schema version ${current} but this policybot knows up to ${known}: upgrade policybot or point DATABASE_PATH at another file`,
    );
  }
  const applied: number[] = [];
  const record = database.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const step of steps) {
    if (step.version <= current) continue;
    database.transaction(() => {
      database.exec(step.sql);
      record.run(step.version, step.name, now.getTime());
    })();
    applied.push(step.version);
  }
  return applied;
}

export function schemaVersion(database: Database.Database): number {
  const row = database.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}
