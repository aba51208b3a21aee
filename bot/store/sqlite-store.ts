import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AnswerMode, ChannelName, Citation, Decision } from '../core/index.ts';
import {
  handoffReasons,
  handoffStatuses,
  type AuditInput,
  type AuditRecord,
  type DateRange,
  type ExchangeFilter,
  type ExchangeInput,
  type ExchangePage,
  type ExchangeRecord,
  type FeedbackInput,
  type FeedbackKind,
  type FeedbackRecord,
  type HandoffCounts,
  type HandoffInput,
  type HandoffQuery,
  type HandoffReason,
  type HandoffRecord,
  type HandoffResolution,
  type HandoffStatus,
  type OfficerChanges,
  type OfficerInput,
  type OfficerRecord,
  type OfficerRole,
  type OverviewCounts,
  type PageRequest,
  type PushInput,
  type PushRecord,
  type PushStatus,
  type ReviewInput,
  type ReviewRecord,
  type ReviewedAnswerChanges,
  type ReviewedAnswerInput,
  type ReviewedAnswerRecord,
  type SessionRecord,
  type SignInAttempt,
  type Store,
  type SubscriptionInput,
  type SubscriptionRecord,
  type Verdict,
  type DeliveryStatus,
  type OutboxClaim,
  type OutboxCounts,
  type OutboxInput,
  type OutboxOutcome,
  type OutboxRecord,
  type OutboxRoute,
} from './store.ts';
import type { ConditionCorrection } from '../../corpus/measures.ts';
import { applyMigrations, migrations as allMigrations, type Migration } from './migrations.ts';
import { StoreFileError, storeFileMessage } from './store-file-error.ts';

export interface SqliteStoreOptions {
  /** Schema steps to apply; tests pass a prefix to build an older database. */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) the SQLite file at `databasePath` and migrates it.
 * WAL lets the console read while a channel writes; `busy_timeout` covers two processes on one file.
 * @example const store = openSqliteStore(config.databasePath);
 */
export function openSqliteStore(databasePath: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (databasePath !== ':memory:') mkdirSync(path.dirname(databasePath), { recursive: true });
  let database: Database.Database | undefined;
  try {
    database = new Database(databasePath);
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    // Reads the schema, so a damaged file is found here, before any migration could write to it.
    database.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    applyMigrations(database, options.migrations ?? allMigrations);
    return new SqliteStore(database);
  } catch (error) {
    database?.close();
    const code = (error as { code?: unknown }).code;
    // SQLite's own errors carry a code SQLITE_*; a schema refusal (StoreSchemaError) or a bug passes through.
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) throw error;
    const file = path.resolve(databasePath);
    throw new StoreFileError(file, storeFileMessage(file, code, (error as Error).message), { cause: error });
  }
}

// The latest review of an exchange is the verdict that counts; earlier ones stay as history. Likewise the latest
// rating (👍, 👎 or its withdrawal) is the asker's standing feedback.
const latestReviewJoin = `LEFT JOIN reviews r ON r.id = (SELECT MAX(id) FROM reviews WHERE exchange_id = e.id)
  LEFT JOIN feedback fr ON fr.id = (SELECT MAX(id) FROM feedback WHERE exchange_id = e.id AND kind <> 'handoff')
  LEFT JOIN outbox o ON o.exchange_id = e.id`;
const exchangeColumns = `e.*, r.id AS r_id, r.verdict AS r_verdict, r.note AS r_note,
  r.corrected_answer AS r_corrected_answer, r.reviewer AS r_reviewer, r.time AS r_time,
  fr.kind AS f_rating, fr.time AS f_rated_at,
  EXISTS (SELECT 1 FROM feedback fh WHERE fh.exchange_id = e.id AND fh.kind = 'handoff') AS f_handoff,
  o.status AS o_status, o.route AS o_route, o.attempts AS o_attempts, o.last_error AS o_error, o.settled_at AS o_settled_at`;
// How often an approved answer was served, read with it (indexed by exchanges_by_reviewed_answer).
const reviewedAnswerColumns = `a.*, (SELECT COUNT(*) FROM exchanges s WHERE s.reviewed_answer_id = a.id) AS served,
  (SELECT MAX(s.time) FROM exchanges s WHERE s.reviewed_answer_id = a.id) AS last_served`;

export class SqliteStore implements Store {
  constructor(readonly database: Database.Database) {}

  async saveOfficer(officer: OfficerInput): Promise<'created' | 'updated'> {
    const existing = await this.findOfficer(officer.name);
    if (existing) {
      this.database.prepare('UPDATE officers SET password_hash = ? WHERE name = ?').run(officer.passwordHash, officer.name);
      return 'updated';
    }
    this.database
      .prepare('INSERT INTO officers (name, password_hash, created, role) VALUES (?, ?, ?, ?)')
      .run(officer.name, officer.passwordHash, officer.created.getTime(), officer.role);
    return 'created';
  }

  async findOfficer(name: string): Promise<OfficerRecord | undefined> {
    const row = this.database.prepare('SELECT * FROM officers WHERE name = ?').get(name) as OfficerRow | undefined;
    return row && toOfficer(row);
  }

  async listOfficers(): Promise<OfficerRecord[]> {
    return (this.database.prepare('SELECT * FROM officers ORDER BY created, name').all() as OfficerRow[]).map(toOfficer);
  }

  async updateOfficer(name: string, changes: OfficerChanges): Promise<OfficerRecord | undefined> {
    const assignments: string[] = [];
    const parameters: Record<string, string | number | null> = { name };
    if (changes.role !== undefined) {
      assignments.push('role = @role');
      parameters.role = changes.role;
    }
    if (changes.passwordHash !== undefined) {
      assignments.push('password_hash = @hash');
      parameters.hash = changes.passwordHash;
    }
    if (changes.disabled !== undefined) {
      assignments.push('disabled_by = @disabledBy', 'disabled_at = @disabledAt');
      parameters.disabledBy = changes.disabled?.by ?? null;
      parameters.disabledAt = changes.disabled?.time.getTime() ?? null;
    }
    if (assignments.length) this.database.prepare(`UPDATE officers SET ${assignments.join(', ')} WHERE name = @name`).run(parameters);
    return this.findOfficer(name);
  }

  async hasOfficers(): Promise<boolean> {
    return this.database.prepare('SELECT 1 FROM officers LIMIT 1').get() !== undefined;
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.database
      .prepare('INSERT INTO sessions (token_hash, officer, created, expires) VALUES (?, ?, ?, ?)')
      .run(session.tokenHash, session.officer, session.created.getTime(), session.expires.getTime());
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = this.database.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
    return row && { tokenHash: row.token_hash, officer: row.officer, created: new Date(row.created), expires: new Date(row.expires) };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.database.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteSessionsOf(officer: string): Promise<void> {
    this.database.prepare('DELETE FROM sessions WHERE officer = ?').run(officer);
  }

  async deleteExpiredSessions(now: Date): Promise<void> {
    this.database.prepare('DELETE FROM sessions WHERE expires <= ?').run(now.getTime());
  }

  async recordSignInAttempt(attempt: SignInAttempt): Promise<void> {
    this.database
      .prepare('INSERT INTO sign_in_attempts (name, address, time, succeeded) VALUES (?, ?, ?, ?)')
      .run(attempt.name, attempt.address, attempt.time.getTime(), attempt.succeeded ? 1 : 0);
  }

  async countFailedSignInAttempts(name: string, address: string, since: Date): Promise<number> {
    // Ids, not times, order the attempts: two can share a millisecond.
    const row = this.database
      .prepare(`SELECT COUNT(*) AS n FROM sign_in_attempts
      WHERE name = ? AND address = ? AND time >= ? AND succeeded = 0
        AND id > COALESCE((SELECT MAX(id) FROM sign_in_attempts WHERE name = ? AND address = ? AND succeeded = 1), 0)`)
      .get(name, address, since.getTime(), name, address) as { n: number };
    return row.n;
  }

  async countFailedSignInAttemptsForName(name: string, since: Date): Promise<number> {
    const row = this.database
      .prepare('SELECT COUNT(*) AS n FROM sign_in_attempts WHERE name = ? AND time >= ? AND succeeded = 0')
      .get(name, since.getTime()) as { n: number };
    return row.n;
  }

  async recordExchange(exchange: ExchangeInput): Promise<ExchangeRecord> {
    const result = this.database
      .prepare(`INSERT INTO exchanges
      (time, channel, chat_id, user_id, message_id, question, normalized_question, answer, citations, decision, refused, mode,
       latency_ms, answered_by, reviewed_answer_id, reply_ref)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        exchange.time.getTime(),
        exchange.channel,
        exchange.chatId,
        exchange.userId,
        exchange.messageId,
        exchange.question,
        exchange.normalizedQuestion,
        exchange.answer,
        JSON.stringify(exchange.citations),
        exchange.decision,
        exchange.decision === 'refused' ? 1 : 0,
        exchange.mode,
        Math.round(exchange.latencyMs),
        exchange.answeredBy,
        exchange.reviewedAnswerId,
        exchange.replyRef ?? null,
      );
    return {
      ...exchange,
      refused: exchange.decision === 'refused',
      id: Number(result.lastInsertRowid),
      replyRef: exchange.replyRef ?? null,
      latestReview: null,
      feedback: { rating: null, ratedAt: null, handoffRequested: false },
      delivery: null,
    };
  }

  async getExchange(id: number): Promise<ExchangeRecord | undefined> {
    const row = this.database.prepare(`SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin} WHERE e.id = ?`).get(id) as ExchangeRow | undefined;
    return row && toExchange(row);
  }

  async listExchanges(filter: ExchangeFilter, page?: PageRequest): Promise<ExchangePage> {
    const { where, parameters } = exchangeWhere(filter);
    const total = (this.database.prepare(`SELECT COUNT(*) AS n FROM exchanges e ${latestReviewJoin} ${where}`).get(parameters) as { n: number }).n;
    const limit = page ? `LIMIT ${Math.max(0, Math.floor(page.limit))} OFFSET ${Math.max(0, Math.floor(page.offset))}` : '';
    const order = filter.unhelpfulFirst ? "COALESCE(fr.kind = 'unhelpful', 0) DESC, e.time DESC, e.id DESC" : 'e.time DESC, e.id DESC';
    const rows = this.database
      .prepare(`SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin} ${where} ORDER BY ${order} ${limit}`)
      .all(parameters) as ExchangeRow[];
    return { total, items: rows.map(toExchange) };
  }

  async *exchangePages(filter: ExchangeFilter, pageSize: number): AsyncIterable<ExchangeRecord[]> {
    const { where, parameters } = exchangeWhere(filter);
    const after = '(e.time < @afterTime OR (e.time = @afterTime AND e.id < @afterId))';
    const limit = Math.max(1, Math.floor(pageSize));
    const statement = this.database.prepare(`SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin}
      ${where ? `${where} AND` : 'WHERE'} ${after} ORDER BY e.time DESC, e.id DESC LIMIT ${limit}`);
    let cursor = { afterTime: Number.MAX_SAFE_INTEGER, afterId: Number.MAX_SAFE_INTEGER };
    for (;;) {
      const rows = statement.all({ ...parameters, ...cursor }) as ExchangeRow[];
      if (rows.length === 0) return;
      yield rows.map(toExchange);
      if (rows.length < limit) return;
      const last = rows[rows.length - 1]!;
      cursor = { afterTime: last.time, afterId: last.id };
    }
  }

  async findExchangeByReplyRef(channel: ChannelName, replyRef: string): Promise<ExchangeRecord | undefined> {
    const row = this.database
      .prepare(`SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin} WHERE e.channel = ? AND e.reply_ref = ?`)
      .get(channel, replyRef) as ExchangeRow | undefined;
    return row && toExchange(row);
  }

  async recordFeedback(feedback: FeedbackInput): Promise<FeedbackRecord> {
    const result = this.database
      .prepare('INSERT INTO feedback (exchange_id, kind, user_id, comment, reasons, time) VALUES (?, ?, ?, ?, ?, ?)')
      .run(feedback.exchangeId, feedback.kind, feedback.userId, feedback.comment, JSON.stringify(feedback.reasons), feedback.time.getTime());
    return { ...feedback, id: Number(result.lastInsertRowid) };
  }

  async feedbackOf(exchangeId: number): Promise<FeedbackRecord[]> {
    const rows = this.database.prepare('SELECT * FROM feedback WHERE exchange_id = ? ORDER BY id DESC').all(exchangeId) as FeedbackRow[];
    return rows.map((row) => ({
      id: row.id,
      exchangeId: row.exchange_id,
      kind: row.kind,
      userId: row.user_id,
      comment: row.comment,
      reasons: JSON.parse(row.reasons) as number[],
      time: new Date(row.time),
    }));
  }

  async addReview(review: ReviewInput): Promise<ReviewRecord> {
    const result = this.database
      .prepare('INSERT INTO reviews (exchange_id, verdict, note, corrected_answer, reviewer, time) VALUES (?, ?, ?, ?, ?, ?)')
      .run(review.exchangeId, review.verdict, review.note, review.correctedAnswer, review.reviewer, review.time.getTime());
    return { ...review, id: Number(result.lastInsertRowid) };
  }

  async reviewsOf(exchangeId: number): Promise<ReviewRecord[]> {
    const rows = this.database.prepare('SELECT * FROM reviews WHERE exchange_id = ? ORDER BY id DESC').all(exchangeId) as ReviewRow[];
    return rows.map((row) => ({
      id: row.id,
      exchangeId: row.exchange_id,
      verdict: row.verdict,
      note: row.note,
      correctedAnswer: row.corrected_answer,
      reviewer: row.reviewer,
      time: new Date(row.time),
    }));
  }

  async saveReviewedAnswer(answer: ReviewedAnswerInput): Promise<ReviewedAnswerRecord> {
    const result = this.database
      .prepare(`INSERT INTO reviewed_answers
      (normalized_question, question, answer, citations, approved_by, time, source_exchange_id, min_similarity)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        answer.normalizedQuestion,
        answer.question,
        answer.answer,
        JSON.stringify(answer.citations),
        answer.approvedBy,
        answer.time.getTime(),
        answer.sourceExchangeId,
        answer.minSimilarity ?? null,
      );
    return {
      ...answer,
      minSimilarity: answer.minSimilarity ?? null,
      id: Number(result.lastInsertRowid),
      retired: null,
      edited: null,
      served: 0,
      lastServed: null,
    };
  }

  async getReviewedAnswer(id: number): Promise<ReviewedAnswerRecord | undefined> {
    const row = this.database.prepare(`SELECT ${reviewedAnswerColumns} FROM reviewed_answers a WHERE a.id = ?`).get(id) as ReviewedAnswerRow | undefined;
    return row && toReviewedAnswer(row);
  }

  async listReviewedAnswers(
    options: { includeRetired?: boolean; retiredOnly?: boolean; text?: string; page?: PageRequest } = {},
  ): Promise<ReviewedAnswerRecord[]> {
    const conditions = options.retiredOnly ? ['a.retired_at IS NOT NULL'] : options.includeRetired ? [] : ['a.retired_at IS NULL'];
    const parameters: Record<string, string | number> = {};
    if (options.text) {
      conditions.push('(instr(lower(a.question), @text) > 0 OR instr(lower(a.answer), @text) > 0)');
      parameters.text = options.text.toLowerCase();
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    if (options.page) Object.assign(parameters, { limit: options.page.limit, offset: options.page.offset });
    const rows = this.database
      .prepare(
        `SELECT ${reviewedAnswerColumns} FROM reviewed_answers a ${where} ORDER BY a.time DESC, a.id DESC${options.page ? ' LIMIT @limit OFFSET @offset' : ''}`,
      )
      .all(parameters) as ReviewedAnswerRow[];
    return rows.map(toReviewedAnswer);
  }

  async updateReviewedAnswer(id: number, changes: ReviewedAnswerChanges): Promise<ReviewedAnswerRecord | undefined> {
    const assignments = ['edited_by = @editedBy', 'edited_at = @editedAt'];
    const parameters: Record<string, string | number | null> = { id, editedBy: changes.editedBy, editedAt: changes.time.getTime() };
    if (changes.answer !== undefined) {
      assignments.push('answer = @answer');
      parameters.answer = changes.answer;
    }
    if (changes.minSimilarity !== undefined) {
      assignments.push('min_similarity = @minSimilarity');
      parameters.minSimilarity = changes.minSimilarity;
    }
    this.database.prepare(`UPDATE reviewed_answers SET ${assignments.join(', ')} WHERE id = @id`).run(parameters);
    return this.getReviewedAnswer(id);
  }

  async restoreReviewedAnswer(id: number): Promise<void> {
    this.database.prepare('UPDATE reviewed_answers SET retired_by = NULL, retired_at = NULL WHERE id = ?').run(id);
  }

  async retireReviewedAnswer(id: number, retiredBy: string, time: Date): Promise<void> {
    this.database.prepare('UPDATE reviewed_answers SET retired_by = ?, retired_at = ? WHERE id = ? AND retired_at IS NULL').run(retiredBy, time.getTime(), id);
  }

  async openOrJoinHandoff(handoff: HandoffInput): Promise<{ handoff: HandoffRecord; joined: boolean }> {
    // One transaction: SQLite runs it without interleaving, and the partial unique index backs it up.
    const openOrJoin = this.database.transaction((): { id: number; joined: boolean } => {
      const open = this.database
        .prepare(`SELECT id FROM handoffs WHERE status = 'open' AND channel = ? AND chat_id = ?
        AND normalized_question = ?`)
        .get(handoff.channel, handoff.chatId, handoff.normalizedQuestion) as { id: number } | undefined;
      const requested = handoff.reason === 'requested' ? handoff.time.getTime() : null;
      if (open) {
        // The measures shown last are the ones the asker has in front of them.
        this.database
          .prepare(`UPDATE handoffs SET asks = asks + 1, last_exchange_id = @exchangeId,
          requested_at = COALESCE(requested_at, @requested),
          citations = CASE WHEN @citations = '[]' THEN citations ELSE @citations END WHERE id = @id`)
          .run({ id: open.id, exchangeId: handoff.exchangeId, requested, citations: JSON.stringify(handoff.citations) });
        return { id: open.id, joined: true };
      }
      const result = this.database
        .prepare(`INSERT INTO handoffs (exchange_id, channel, chat_id, question, normalized_question,
        reason, citations, time, requested_at, last_exchange_id, asks, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'open')`)
        .run(
          handoff.exchangeId,
          handoff.channel,
          handoff.chatId,
          handoff.question,
          handoff.normalizedQuestion,
          handoff.reason,
          JSON.stringify(handoff.citations),
          handoff.time.getTime(),
          requested,
          handoff.exchangeId,
        );
      return { id: Number(result.lastInsertRowid), joined: false };
    });
    const { id, joined } = openOrJoin.immediate();
    return { handoff: (await this.getHandoff(id))!, joined };
  }

  async getHandoff(id: number): Promise<HandoffRecord | undefined> {
    const row = this.database.prepare('SELECT * FROM handoffs WHERE id = ?').get(id) as HandoffRow | undefined;
    return row && toHandoff(row);
  }

  async assignHandoff(id: number, officer: string, time: Date): Promise<HandoffRecord | undefined> {
    this.database.prepare(`UPDATE handoffs SET assigned_to = ?, assigned_at = ? WHERE id = ? AND status = 'open'`).run(officer, time.getTime(), id);
    return this.getHandoff(id);
  }

  async resolveHandoff(id: number, resolution: HandoffResolution): Promise<HandoffRecord | undefined> {
    this.database
      .prepare(`UPDATE handoffs SET status = ?, resolved_by = ?, resolved_at = ?, resolution_note = ?
      WHERE id = ? AND status = 'open'`)
      .run(resolution.status, resolution.by, resolution.time.getTime(), resolution.note, id);
    return this.getHandoff(id);
  }

  async listHandoffs(query: HandoffStatus | HandoffQuery = {}): Promise<HandoffRecord[]> {
    const { statuses, assignedTo, newestFirst, page } = typeof query === 'string' ? ({ statuses: [query] } as HandoffQuery) : query;
    const conditions: string[] = [];
    const parameters: Record<string, string> = {};
    if (statuses) {
      conditions.push('status IN (SELECT value FROM json_each(@statuses))');
      parameters.statuses = JSON.stringify(statuses);
    }
    if (assignedTo !== undefined) {
      conditions.push('assigned_to = @assignedTo');
      parameters.assignedTo = assignedTo;
    }
    const direction = newestFirst ? 'DESC' : 'ASC';
    const limit = page ? `LIMIT ${Math.max(0, Math.floor(page.limit))} OFFSET ${Math.max(0, Math.floor(page.offset))}` : '';
    const rows = this.database
      .prepare(`SELECT * FROM handoffs ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY time ${direction}, id ${direction} ${limit}`)
      .all(parameters) as HandoffRow[];
    return rows.map(toHandoff);
  }

  async countHandoffs(officer?: string): Promise<HandoffCounts> {
    const byStatus = Object.fromEntries(handoffStatuses.map((status) => [status, 0])) as Record<HandoffStatus, number>;
    const rows = this.database
      .prepare(`SELECT status, COUNT(*) AS n, SUM(assigned_to IS @officer) AS mine, MIN(time) AS oldest
      FROM handoffs GROUP BY status`)
      .all({ officer: officer ?? null }) as { status: HandoffStatus; n: number; mine: number; oldest: number }[];
    for (const row of rows) byStatus[row.status] = row.n;
    const open = rows.find((row) => row.status === 'open');
    return { byStatus, mine: officer === undefined ? 0 : (open?.mine ?? 0), oldestOpen: open ? new Date(open.oldest) : null };
  }

  async answerHandoff(id: number, reply: { text: string; repliedBy: string; time: Date; replyExchangeId: number }): Promise<HandoffRecord> {
    this.database
      .prepare(`UPDATE handoffs SET status = 'answered', reply = ?, replied_by = ?, replied_at = ?, reply_exchange_id = ?
      WHERE id = ?`)
      .run(reply.text, reply.repliedBy, reply.time.getTime(), reply.replyExchangeId, id);
    const handoff = await this.getHandoff(id);
    if (!handoff) throw new RangeError(`hand-off ${id} does not exist`);
    return handoff;
  }

  async saveSubscription(subscription: SubscriptionInput): Promise<SubscriptionRecord> {
    const row = this.database
      .prepare(`INSERT INTO subscriptions (channel, chat_id, user_id, profile, profile_text, time)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET user_id = excluded.user_id,
      profile = excluded.profile, profile_text = excluded.profile_text, time = excluded.time RETURNING id`)
      .get(
        subscription.channel,
        subscription.chatId,
        subscription.userId,
        JSON.stringify(subscription.profile),
        subscription.profileText,
        subscription.time.getTime(),
      ) as { id: number };
    return { ...subscription, id: row.id };
  }

  async cancelSubscription(channel: ChannelName, chatId: string, _time: Date): Promise<boolean> {
    return this.database.prepare('DELETE FROM subscriptions WHERE channel = ? AND chat_id = ?').run(channel, chatId).changes > 0;
  }

  async listSubscriptions(page?: PageRequest): Promise<SubscriptionRecord[]> {
    const rows = (
      page
        ? this.database.prepare('SELECT * FROM subscriptions ORDER BY time, id LIMIT ? OFFSET ?').all(page.limit, page.offset)
        : this.database.prepare('SELECT * FROM subscriptions ORDER BY time, id').all()
    ) as SubscriptionRow[];
    return rows.map((row) => ({
      id: row.id,
      channel: row.channel,
      chatId: row.chat_id,
      userId: row.user_id,
      profile: JSON.parse(row.profile),
      profileText: row.profile_text,
      time: new Date(row.time),
    }));
  }

  async recordPush(push: PushInput): Promise<PushRecord> {
    const result = this.database
      .prepare(`INSERT INTO pushes (subscription_id, channel, chat_id, doc_id, clause_ids, text, time, status)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`)
      .run(push.subscriptionId, push.channel, push.chatId, push.docId, JSON.stringify(push.clauseIds), push.text, push.time.getTime());
    return { ...push, id: Number(result.lastInsertRowid), status: 'pending', error: null, deliveredAt: null };
  }

  async markPush(id: number, outcome: { status: 'sent' | 'failed'; error: string | null; time: Date }): Promise<void> {
    this.database
      .prepare('UPDATE pushes SET status = ?, error = ?, delivered_at = ? WHERE id = ?')
      .run(outcome.status, outcome.error, outcome.status === 'sent' ? outcome.time.getTime() : null, id);
  }

  async listPushes(status?: PushStatus, page?: PageRequest): Promise<PushRecord[]> {
    const limit = page ? ' LIMIT @limit OFFSET @offset' : '';
    const parameters = { status: status ?? null, limit: page?.limit ?? -1, offset: page?.offset ?? 0 };
    const rows = this.database
      .prepare(`SELECT * FROM pushes WHERE (@status IS NULL OR status = @status) ORDER BY time DESC, id DESC${limit}`)
      .all(parameters) as PushRow[];
    return rows.map((row) => ({
      id: row.id,
      subscriptionId: row.subscription_id,
      channel: row.channel,
      chatId: row.chat_id,
      docId: row.doc_id,
      clauseIds: JSON.parse(row.clause_ids) as string[],
      text: row.text,
      time: new Date(row.time),
      status: row.status,
      error: row.error,
      deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at),
    }));
  }

  async saveConditionCorrection(correction: ConditionCorrection): Promise<void> {
    this.database
      .prepare(`INSERT INTO condition_corrections (clause_id, correction, officer, time) VALUES (?, ?, ?, ?)
      ON CONFLICT (clause_id) DO UPDATE SET correction = excluded.correction, officer = excluded.officer, time = excluded.time`)
      .run(correction.clauseId, JSON.stringify({ ...correction, time: correction.time.getTime() }), correction.officer, correction.time.getTime());
  }

  async deleteConditionCorrection(clauseId: string): Promise<boolean> {
    return this.database.prepare('DELETE FROM condition_corrections WHERE clause_id = ?').run(clauseId).changes > 0;
  }

  async listConditionCorrections(): Promise<ConditionCorrection[]> {
    const rows = this.database.prepare('SELECT correction FROM condition_corrections ORDER BY time').all() as { correction: string }[];
    return rows.map((row) => {
      const stored = JSON.parse(row.correction) as ConditionCorrection & { time: number };
      return { ...stored, time: new Date(stored.time) };
    });
  }

  async overview(range: DateRange, utcOffsetMinutes: number): Promise<OverviewCounts> {
    const conditions: string[] = [];
    const parameters: Record<string, number> = { offset: Math.round(utcOffsetMinutes * 60) };
    if (range.from) {
      conditions.push('e.time >= @from');
      parameters.from = range.from.getTime();
    }
    if (range.to) {
      conditions.push('e.time < @to');
      parameters.to = range.to.getTime();
    }
    const inRange = conditions.length ? `AND ${conditions.join(' AND ')}` : '';
    // Officers' hand-off replies and the asker's 转人工 are logged as exchanges too, but they are not questions
    // (转人工 requests are counted with the hand-offs).
    const perDay = this.database
      .prepare(`
      SELECT strftime('%Y-%m-%d', e.time / 1000 + @offset, 'unixepoch') AS day, e.channel AS channel,
             COUNT(*) AS questions, SUM(e.decision = 'refused') AS refused, SUM(e.decision = 'uncertain') AS uncertain
      FROM exchanges e WHERE e.answered_by IS NULL AND e.mode <> 'handoff' ${inRange}
      GROUP BY day, e.channel ORDER BY day, e.channel`)
      .all(parameters) as OverviewCounts['perDay'];
    const totals = this.database
      .prepare(`
      SELECT COUNT(*) AS questions, COALESCE(SUM(e.decision = 'refused'), 0) AS refused,
             COALESCE(SUM(e.decision = 'uncertain'), 0) AS uncertain
      FROM exchanges e WHERE e.answered_by IS NULL AND e.mode <> 'handoff' ${inRange}`)
      .get(parameters) as OverviewCounts['totals'];
    const reviewed = `FROM exchanges e JOIN reviews r ON r.id = (SELECT MAX(id) FROM reviews WHERE exchange_id = e.id)
      JOIN json_each(e.citations) c`;
    const verdictsByDocument = this.database
      .prepare(`
      SELECT json_extract(c.value, '$.doc_id') AS docId, MAX(json_extract(c.value, '$.doc_title')) AS docTitle,
             r.verdict AS verdict, COUNT(DISTINCT e.id) AS exchanges
      ${reviewed} WHERE 1 ${inRange}
      GROUP BY docId, r.verdict ORDER BY docId, r.verdict`)
      .all(parameters) as OverviewCounts['verdictsByDocument'];
    const verdictsByDepartment = this.database
      .prepare(`
      SELECT d.value AS department, json_extract(c.value, '$.doc_id') AS docId, r.verdict AS verdict, COUNT(DISTINCT e.id) AS exchanges
      ${reviewed} JOIN json_each(c.value, '$.lead_departments') d WHERE 1 ${inRange}
      GROUP BY d.value, docId, r.verdict ORDER BY d.value, docId, r.verdict`)
      .all(parameters) as OverviewCounts['verdictsByDepartment'];
    return { perDay, totals, verdictsByDocument, verdictsByDepartment, handoffs: this.handoffCounts(range) };
  }

  private handoffCounts(range: DateRange): OverviewCounts['handoffs'] {
    const conditions: string[] = [];
    const parameters: Record<string, number> = {};
    if (range.from) {
      conditions.push('time >= @from');
      parameters.from = range.from.getTime();
    }
    if (range.to) {
      conditions.push('time < @to');
      parameters.to = range.to.getTime();
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const byStatus = Object.fromEntries(handoffStatuses.map((status) => [status, 0])) as Record<HandoffStatus, number>;
    const byReason = Object.fromEntries(handoffReasons.map((reason) => [reason, 0])) as Record<HandoffReason, number>;
    const rows = this.database.prepare(`SELECT status, reason, COUNT(*) AS n FROM handoffs ${where} GROUP BY status, reason`).all(parameters) as {
      status: HandoffStatus;
      reason: HandoffReason;
      n: number;
    }[];
    for (const row of rows) {
      byStatus[row.status] += row.n;
      byReason[row.reason] += row.n;
    }
    const waits = this.database
      .prepare(`SELECT COALESCE(replied_at, resolved_at) - time AS waited FROM handoffs
      ${where ? `${where} AND` : 'WHERE'} status <> 'open' ORDER BY waited`)
      .all(parameters) as { waited: number }[];
    const open = this.database.prepare(`SELECT time FROM handoffs WHERE status = 'open' ORDER BY time`).all() as { time: number }[];
    return { byStatus, byReason, resolvedWaitsMs: waits.map((row) => row.waited), openSince: open.map((row) => new Date(row.time)) };
  }

  async recordAudit(entry: AuditInput): Promise<AuditRecord> {
    const result = this.database
      .prepare('INSERT INTO audit_log (time, officer, action, target, details) VALUES (?, ?, ?, ?, ?)')
      .run(entry.time.getTime(), entry.officer, entry.action, entry.target, JSON.stringify(entry.details));
    return { ...entry, id: Number(result.lastInsertRowid) };
  }

  async listAudit(page: PageRequest): Promise<{ total: number; items: AuditRecord[] }> {
    const total = (this.database.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    const rows = this.database
      .prepare('SELECT * FROM audit_log ORDER BY time DESC, id DESC LIMIT ? OFFSET ?')
      .all(Math.max(0, Math.floor(page.limit)), Math.max(0, Math.floor(page.offset))) as AuditRow[];
    return {
      total,
      items: rows.map((row) => ({
        id: row.id,
        time: new Date(row.time),
        officer: row.officer,
        action: row.action,
        target: row.target,
        details: JSON.parse(row.details) as Record<string, unknown>,
      })),
    };
  }

  async claim(key: string, now: Date, expires: Date): Promise<boolean> {
    const result = this.database
      .prepare(`INSERT INTO claims (key, expires) VALUES (?, ?)
      ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= ?`)
      .run(key, expires.getTime(), now.getTime());
    return result.changes === 1;
  }

  async releaseClaim(key: string): Promise<void> {
    this.database.prepare('DELETE FROM claims WHERE key = ?').run(key);
  }

  async countInWindow(key: string, now: Date, windowMs: number, limit: number): Promise<{ counted: boolean; oldest: Date | null }> {
    // IMMEDIATE takes the write lock first, so a second process on the same file cannot count in between.
    return this.database
      .transaction(() => {
        const start = now.getTime() - windowMs;
        const row = this.database.prepare('SELECT COUNT(*) AS n, MIN(time) AS oldest FROM rate_events WHERE key = ? AND time > ?').get(key, start) as {
          n: number;
          oldest: number | null;
        };
        const counted = row.n < limit;
        if (counted) this.database.prepare('INSERT INTO rate_events (key, time) VALUES (?, ?)').run(key, now.getTime());
        const oldest = row.oldest ?? (counted ? now.getTime() : null);
        return { counted, oldest: oldest === null ? null : new Date(oldest) };
      })
      .immediate();
  }

  async appendChatTurn(chatKey: string, turn: unknown, keep: number, now: Date): Promise<void> {
    this.database
      .transaction(() => {
        this.database.prepare('INSERT INTO chat_turns (chat_key, time, turn) VALUES (?, ?, ?)').run(chatKey, now.getTime(), JSON.stringify(turn));
        this.database
          .prepare(`DELETE FROM chat_turns WHERE chat_key = ? AND id NOT IN
        (SELECT id FROM chat_turns WHERE chat_key = ? ORDER BY id DESC LIMIT ?)`)
          .run(chatKey, chatKey, Math.max(0, keep));
      })
      .immediate();
  }

  async recentChatTurns(chatKey: string, limit: number, since: Date): Promise<unknown[]> {
    const rows = this.database
      .prepare(`SELECT turn FROM (SELECT id, turn FROM chat_turns WHERE chat_key = ? AND time >= ?
      ORDER BY id DESC LIMIT ?) ORDER BY id`)
      .all(chatKey, since.getTime(), Math.max(0, limit)) as { turn: string }[];
    return rows.map((row) => JSON.parse(row.turn) as unknown);
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    // One file means one machine and so one clock: the process clock is the database's.
    const now = Date.now();
    const result = this.database
      .prepare(`INSERT INTO leases (name, holder, expires) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
      WHERE leases.holder = excluded.holder OR leases.expires <= ?`)
      .run(name, holder, now + ttlMs, now);
    return result.changes === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.database.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
  }

  async leaseHolder(name: string): Promise<string | undefined> {
    const row = this.database.prepare('SELECT holder FROM leases WHERE name = ? AND expires > ?').get(name, Date.now()) as { holder: string } | undefined;
    return row?.holder;
  }

  async deleteExpiredState(now: Date, chatTurnsBefore: Date): Promise<void> {
    this.database.transaction(() => {
      this.database.prepare('DELETE FROM claims WHERE expires <= ?').run(now.getTime());
      this.database.prepare('DELETE FROM rate_events WHERE time <= ?').run(now.getTime() - dayMs);
      this.database.prepare('DELETE FROM chat_turns WHERE time < ?').run(chatTurnsBefore.getTime());
    })();
  }

  async enqueueOutbox(entry: OutboxInput): Promise<{ entry: OutboxRecord; created: boolean }> {
    const result = this.database
      .prepare(`INSERT INTO outbox
      (channel, chat_id, user_id, message_id, question, route, messages, exchange_id, status, due_at, time)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
      ON CONFLICT (channel, message_id) WHERE message_id IS NOT NULL DO NOTHING`)
      .run(
        entry.channel,
        entry.chatId,
        entry.userId,
        entry.messageId,
        entry.question,
        entry.route,
        entry.messages === null ? null : JSON.stringify(entry.messages),
        entry.exchangeId,
        entry.dueAt.getTime(),
        entry.time.getTime(),
      );
    if (result.changes === 1) return { entry: (await this.getOutbox(Number(result.lastInsertRowid)))!, created: true };
    const row = this.database.prepare('SELECT * FROM outbox WHERE channel = ? AND message_id = ?').get(entry.channel, entry.messageId) as OutboxRow | undefined;
    // Gone between the two statements (another process discarded the entry it conflicted with, answered passively):
    // this delivery records its own, and the MsgId claim then finds the message answered.
    return row ? { entry: toOutbox(row), created: false } : this.enqueueOutbox(entry);
  }

  async fillOutbox(id: number, content: { messages: string[]; exchangeId: number | null }, dueAt: Date): Promise<void> {
    this.database
      .prepare(`UPDATE outbox SET messages = ?, exchange_id = COALESCE(?, exchange_id), due_at = ?
      WHERE id = ? AND status = 'pending'`)
      .run(JSON.stringify(content.messages), content.exchangeId, dueAt.getTime(), id);
  }

  async discardOutbox(id: number): Promise<boolean> {
    return this.database.prepare(`DELETE FROM outbox WHERE id = ? AND status = 'pending' AND claimed_by IS NULL`).run(id).changes === 1;
  }

  async claimOutbox(request: OutboxClaim): Promise<OutboxRecord[]> {
    // One statement: SQLite runs it under the write lock, so two processes on one file cannot take the same row.
    const rows = this.database
      .prepare(`UPDATE outbox SET claimed_by = @holder, claimed_until = @until
      WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND route = 'send' AND channel = @channel AND due_at <= @now
        AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY id LIMIT @limit)
      RETURNING *`)
      .all({
        holder: request.holder,
        until: request.claimedUntil.getTime(),
        channel: request.channel,
        now: request.now.getTime(),
        limit: Math.max(0, Math.floor(request.limit)),
      }) as OutboxRow[];
    return rows.map(toOutbox).sort((a, b) => a.id - b.id);
  }

  async recordOutboxProgress(id: number, holder: string, sentParts: number, claimedUntil: Date): Promise<boolean> {
    return (
      this.database
        .prepare(`UPDATE outbox SET sent_parts = ?, claimed_until = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'`)
        .run(sentParts, claimedUntil.getTime(), id, holder).changes === 1
    );
  }

  async settleOutbox(id: number, holder: string, outcome: OutboxOutcome, now: Date): Promise<boolean> {
    const held = "WHERE id = @id AND claimed_by = @holder AND status = 'pending'";
    const parameters = { id, holder, now: now.getTime() };
    if (outcome.status === 'pending') {
      return (
        this.database
          .prepare(`UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, due_at = @due, last_error = COALESCE(@error, last_error),
        attempts = attempts + @attempted ${held}`)
          .run({ ...parameters, due: outcome.dueAt.getTime(), error: outcome.error, attempted: outcome.attempted ? 1 : 0 }).changes === 1
      );
    }
    const error = outcome.status === 'failed' ? outcome.error : null;
    return (
      this.database
        .prepare(`UPDATE outbox SET status = @status, settled_at = @now, claimed_until = NULL,
      last_error = COALESCE(@error, last_error), attempts = attempts + @failed ${held}`)
        .run({ ...parameters, status: outcome.status, error, failed: outcome.status === 'failed' ? 1 : 0 }).changes === 1
    );
  }

  async takePassiveOutbox(channel: ChannelName, chatId: string, now: Date): Promise<{ ready: OutboxRecord[]; waiting: number }> {
    const rows = this.database
      .prepare(`UPDATE outbox SET status = 'delivered', settled_at = ?, sent_parts = json_array_length(messages)
      WHERE channel = ? AND chat_id = ? AND route = 'passive' AND status = 'pending' AND messages IS NOT NULL RETURNING *`)
      .all(now.getTime(), channel, chatId) as OutboxRow[];
    const waiting = (
      this.database
        .prepare(`SELECT COUNT(*) AS n FROM outbox WHERE channel = ? AND chat_id = ? AND route = 'passive'
      AND status = 'pending'`)
        .get(channel, chatId) as { n: number }
    ).n;
    return { ready: rows.map(toOutbox).sort((a, b) => a.id - b.id), waiting };
  }

  async getOutbox(id: number): Promise<OutboxRecord | undefined> {
    const row = this.database.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row && toOutbox(row);
  }

  async outboxCounts(): Promise<OutboxCounts> {
    const rows = this.database.prepare('SELECT status, COUNT(*) AS n, MIN(time) AS oldest FROM outbox GROUP BY status').all() as {
      status: DeliveryStatus;
      n: number;
      oldest: number;
    }[];
    const of = (status: DeliveryStatus) => rows.find((row) => row.status === status);
    const oldest = of('pending')?.oldest;
    return {
      pending: of('pending')?.n ?? 0,
      failed: of('failed')?.n ?? 0,
      delivered: of('delivered')?.n ?? 0,
      oldestPending: oldest === undefined ? null : new Date(oldest),
    };
  }

  async close(): Promise<void> {
    this.database.close();
  }
}

/** No rate window is longer than a day, so older events can go. */
const dayMs = 86_400_000;

function exchangeWhere(filter: ExchangeFilter): { where: string; parameters: Record<string, string | number> } {
  const conditions: string[] = [];
  const parameters: Record<string, string | number> = {};
  if (filter.channel) {
    conditions.push('e.channel = @channel');
    parameters.channel = filter.channel;
  }
  if (filter.chatId) {
    conditions.push('e.chat_id = @chatId');
    parameters.chatId = filter.chatId;
  }
  if (filter.upToId !== undefined) {
    conditions.push('e.id <= @upToId');
    parameters.upToId = filter.upToId;
  }
  if (filter.from) {
    conditions.push('e.time >= @from');
    parameters.from = filter.from.getTime();
  }
  if (filter.to) {
    conditions.push('e.time < @to');
    parameters.to = filter.to.getTime();
  }
  if (filter.refusedOnly) conditions.push(`e.decision = 'refused'`);
  if (filter.decision) {
    conditions.push('e.decision = @decision');
    parameters.decision = filter.decision;
  }
  if (filter.rating) {
    conditions.push('fr.kind = @rating');
    parameters.rating = filter.rating;
  }
  if (filter.delivery === 'undelivered') conditions.push(`o.status IN ('pending', 'failed')`);
  else if (filter.delivery) {
    conditions.push('o.status = @delivery');
    parameters.delivery = filter.delivery;
  }
  if (filter.verdict === 'unreviewed') conditions.push('r.id IS NULL');
  else if (filter.verdict) {
    conditions.push('r.verdict = @verdict');
    parameters.verdict = filter.verdict;
  }
  if (filter.docId) {
    conditions.push(`EXISTS (SELECT 1 FROM json_each(e.citations) c WHERE json_extract(c.value, '$.doc_id') = @docId)`);
    parameters.docId = filter.docId;
  }
  if (filter.department) {
    // The names and documents go in as JSON arrays, so any number of spellings is one parameter each.
    const inDocuments = filter.department.docIds ? `json_extract(c.value, '$.doc_id') IN (SELECT value FROM json_each(@departmentDocs)) AND` : '';
    conditions.push(`EXISTS (SELECT 1 FROM json_each(e.citations) c WHERE ${inDocuments} (
      EXISTS (SELECT 1 FROM json_each(c.value, '$.lead_departments') d WHERE d.value IN (SELECT value FROM json_each(@departmentNames))) OR
      EXISTS (SELECT 1 FROM json_each(c.value, '$.support_departments') d WHERE d.value IN (SELECT value FROM json_each(@departmentNames)))))`);
    parameters.departmentNames = JSON.stringify(filter.department.names);
    if (filter.department.docIds) parameters.departmentDocs = JSON.stringify(filter.department.docIds);
  }
  if (filter.text) {
    // instr, not LIKE: officers search for text that may contain % or _.
    conditions.push('instr(lower(e.question), @text) > 0');
    parameters.text = filter.text.toLowerCase();
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}

interface SubscriptionRow {
  id: number;
  channel: ChannelName;
  chat_id: string;
  user_id: string;
  profile: string;
  profile_text: string;
  time: number;
}
interface PushRow {
  id: number;
  subscription_id: number;
  channel: ChannelName;
  chat_id: string;
  doc_id: string;
  clause_ids: string;
  text: string;
  time: number;
  status: PushStatus;
  error: string | null;
  delivered_at: number | null;
}
interface OfficerRow {
  name: string;
  password_hash: string;
  created: number;
  role: OfficerRole;
  disabled_by: string | null;
  disabled_at: number | null;
}
interface AuditRow {
  id: number;
  time: number;
  officer: string;
  action: string;
  target: string;
  details: string;
}
interface SessionRow {
  token_hash: string;
  officer: string;
  created: number;
  expires: number;
}
interface ReviewRow {
  id: number;
  exchange_id: number;
  verdict: Verdict;
  note: string;
  corrected_answer: string | null;
  reviewer: string;
  time: number;
}
interface ExchangeRow {
  id: number;
  time: number;
  channel: ChannelName;
  chat_id: string;
  user_id: string;
  message_id: string | null;
  question: string;
  normalized_question: string;
  answer: string;
  citations: string;
  decision: Decision;
  refused: number;
  mode: AnswerMode;
  latency_ms: number;
  answered_by: string | null;
  reviewed_answer_id: number | null;
  reply_ref: string | null;
  r_id: number | null;
  r_verdict: Verdict | null;
  r_note: string | null;
  r_corrected_answer: string | null;
  r_reviewer: string | null;
  r_time: number | null;
  f_rating: FeedbackKind | null;
  f_rated_at: number | null;
  f_handoff: number;
  o_status: DeliveryStatus | null;
  o_route: OutboxRoute | null;
  o_attempts: number | null;
  o_error: string | null;
  o_settled_at: number | null;
}
interface OutboxRow {
  id: number;
  channel: ChannelName;
  chat_id: string;
  user_id: string;
  message_id: string | null;
  question: string;
  route: OutboxRoute;
  messages: string | null;
  exchange_id: number | null;
  status: DeliveryStatus;
  attempts: number;
  sent_parts: number;
  due_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_error: string | null;
  time: number;
  settled_at: number | null;
}
interface FeedbackRow {
  id: number;
  exchange_id: number;
  kind: FeedbackKind;
  user_id: string;
  comment: string;
  reasons: string;
  time: number;
}
interface ReviewedAnswerRow {
  id: number;
  normalized_question: string;
  question: string;
  answer: string;
  citations: string;
  approved_by: string;
  time: number;
  source_exchange_id: number | null;
  retired_by: string | null;
  retired_at: number | null;
  min_similarity: number | null;
  edited_by: string | null;
  edited_at: number | null;
  served: number;
  last_served: number | null;
}
interface HandoffRow {
  id: number;
  exchange_id: number;
  channel: ChannelName;
  chat_id: string;
  question: string;
  normalized_question: string;
  reason: HandoffReason;
  citations: string;
  time: number;
  requested_at: number | null;
  last_exchange_id: number;
  asks: number;
  status: HandoffStatus;
  assigned_to: string | null;
  assigned_at: number | null;
  reply: string | null;
  replied_by: string | null;
  replied_at: number | null;
  reply_exchange_id: number | null;
  resolved_by: string | null;
  resolved_at: number | null;
  resolution_note: string | null;
}

function toOfficer(row: OfficerRow): OfficerRecord {
  return {
    name: row.name,
    passwordHash: row.password_hash,
    created: new Date(row.created),
    role: row.role,
    disabled: row.disabled_at === null ? null : { by: row.disabled_by ?? '', time: new Date(row.disabled_at) },
  };
}

function toExchange(row: ExchangeRow): ExchangeRecord {
  return {
    id: row.id,
    time: new Date(row.time),
    channel: row.channel,
    chatId: row.chat_id,
    userId: row.user_id,
    messageId: row.message_id,
    question: row.question,
    normalizedQuestion: row.normalized_question,
    answer: row.answer,
    citations: JSON.parse(row.citations) as Citation[],
    decision: row.decision,
    refused: row.decision === 'refused',
    mode: row.mode,
    latencyMs: row.latency_ms,
    answeredBy: row.answered_by,
    reviewedAnswerId: row.reviewed_answer_id,
    replyRef: row.reply_ref,
    feedback: {
      rating: row.f_rating === 'helpful' || row.f_rating === 'unhelpful' ? row.f_rating : null,
      ratedAt: row.f_rating === 'helpful' || row.f_rating === 'unhelpful' ? new Date(row.f_rated_at ?? 0) : null,
      handoffRequested: row.f_handoff === 1,
    },
    delivery:
      row.o_status === null
        ? null
        : {
            status: row.o_status,
            route: row.o_route ?? 'send',
            attempts: row.o_attempts ?? 0,
            lastError: row.o_error,
            settledAt: row.o_settled_at === null ? null : new Date(row.o_settled_at),
          },
    latestReview:
      row.r_id === null
        ? null
        : {
            id: row.r_id,
            exchangeId: row.id,
            verdict: row.r_verdict as Verdict,
            note: row.r_note ?? '',
            correctedAnswer: row.r_corrected_answer,
            reviewer: row.r_reviewer ?? '',
            time: new Date(row.r_time ?? 0),
          },
  };
}

function toReviewedAnswer(row: ReviewedAnswerRow): ReviewedAnswerRecord {
  return {
    id: row.id,
    normalizedQuestion: row.normalized_question,
    question: row.question,
    answer: row.answer,
    citations: JSON.parse(row.citations) as Citation[],
    approvedBy: row.approved_by,
    time: new Date(row.time),
    sourceExchangeId: row.source_exchange_id,
    minSimilarity: row.min_similarity,
    retired: row.retired_at === null ? null : { by: row.retired_by ?? '', time: new Date(row.retired_at) },
    edited: row.edited_at === null ? null : { by: row.edited_by ?? '', time: new Date(row.edited_at) },
    served: row.served,
    lastServed: row.last_served === null ? null : new Date(row.last_served),
  };
}

function toHandoff(row: HandoffRow): HandoffRecord {
  return {
    id: row.id,
    exchangeId: row.exchange_id,
    channel: row.channel,
    chatId: row.chat_id,
    question: row.question,
    normalizedQuestion: row.normalized_question,
    reason: row.reason,
    citations: JSON.parse(row.citations) as Citation[],
    time: new Date(row.time),
    requestedAt: row.requested_at === null ? null : new Date(row.requested_at),
    lastExchangeId: row.last_exchange_id,
    asks: row.asks,
    status: row.status,
    assigned: row.assigned_to === null ? null : { officer: row.assigned_to, time: new Date(row.assigned_at ?? 0) },
    reply:
      row.reply === null
        ? null
        : {
            text: row.reply,
            repliedBy: row.replied_by ?? '',
            time: new Date(row.replied_at ?? 0),
            replyExchangeId: row.reply_exchange_id ?? 0,
          },
    resolution: row.resolved_at === null ? null : { by: row.resolved_by ?? '', time: new Date(row.resolved_at), note: row.resolution_note ?? '' },
  };
}

function toOutbox(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    channel: row.channel,
    chatId: row.chat_id,
    userId: row.user_id,
    messageId: row.message_id,
    question: row.question,
    route: row.route,
    messages: row.messages === null ? null : (JSON.parse(row.messages) as string[]),
    exchangeId: row.exchange_id,
    status: row.status,
    attempts: row.attempts,
    sentParts: row.sent_parts,
    dueAt: new Date(row.due_at),
    claimedBy: row.claimed_by,
    claimedUntil: row.claimed_until === null ? null : new Date(row.claimed_until),
    lastError: row.last_error,
    time: new Date(row.time),
    settledAt: row.settled_at === null ? null : new Date(row.settled_at),
  };
}
