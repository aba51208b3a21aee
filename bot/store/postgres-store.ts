import pg from 'pg';
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
  type HandoffInput,
  type HandoffReason,
  type HandoffCounts,
  type HandoffQuery,
  type HandoffRecord,
  type HandoffResolution,
  type HandoffStatus,
  type OfficerChanges,
  type OfficerInput,
  type OfficerRecord,
  type OfficerRole,
  type OverviewCounts,
  type PageRequest,
  type ReviewInput,
  type ReviewRecord,
  type ReviewedAnswerChanges,
  type ReviewedAnswerInput,
  type ReviewedAnswerRecord,
  type SessionRecord,
  type SignInAttempt,
  type Store,
  type Verdict,
} from './store.ts';
import type { Migration } from './migrations.ts';
import type { ConditionCorrection } from '../../corpus/measures.ts';
import type { PushInput, PushRecord, PushStatus, SubscriptionInput, SubscriptionRecord } from './store.ts';
import type { DeliveryStatus, OutboxClaim, OutboxCounts, OutboxInput, OutboxOutcome, OutboxRecord, OutboxRoute } from './store.ts';
import { applyPostgresMigrations, postgresMigrations } from './postgres-migrations.ts';
import { StoreConnectionError } from './store-connection-error.ts';

export interface PostgresStoreOptions {
  /** Schema steps to apply; tests pass a prefix to build an older database. */
  migrations?: readonly Migration[];
  /** Connections per worker (default 10): each request holds one only for the length of a query. */
  maxConnections?: number;
}

// BIGINT (int8) and COUNT(*) arrive as strings by default; ids and epoch milliseconds fit a double exactly.
const int8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Connects to the PostgreSQL database at `url` (`postgres://user:password@host:port/database`) and migrates it.
 * Several workers share one database; each opens its own pool.
 * @example const store = await openPostgresStore(config.databaseUrl);
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle connection the server dropped (restart, failover) must not take the process down; the pool reconnects.
  pool.on('error', () => undefined);
  try {
    await applyPostgresMigrations(pool, options.migrations ?? postgresMigrations);
  } catch (error) {
    await pool.end();
    throw connectionError(error, url) ?? error;
  }
  return new PostgresStore(pool);
}

/** A clear error for a server that cannot be reached or refuses us, naming the server but never the password. */
function connectionError(error: unknown, url: string): StoreConnectionError | undefined {
  const code = (error as { code?: string }).code;
  let where = 'the PostgreSQL server in DATABASE_URL';
  try {
    const parsed = new URL(url);
    where = `PostgreSQL at ${parsed.hostname || 'localhost'}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    /* an unparsable URL: pg's own message says what is wrong */
  }
  const fixes: Record<string, string> = {
    ECONNREFUSED: 'nothing listens there: start PostgreSQL or correct the host and port in DATABASE_URL',
    ENOTFOUND: 'the host name does not resolve: correct DATABASE_URL',
    ETIMEDOUT: 'the server does not answer: check the network or DATABASE_URL',
    '28P01': 'the password was refused: correct the user and password in DATABASE_URL',
    '28000': 'the server refused this user or address: check pg_hba.conf and DATABASE_URL',
    '3D000': 'the database does not exist: create it (createdb) or correct DATABASE_URL',
  };
  const fix = code ? fixes[code] : undefined;
  return fix ? new StoreConnectionError(`cannot use ${where}: ${fix}`, { cause: error }) : undefined;
}

// The latest review of an exchange is the verdict that counts; earlier ones stay as history. Likewise the latest
// rating (👍, 👎 or its withdrawal) is the asker's standing feedback.
const latestReviewJoin = `LEFT JOIN LATERAL (SELECT * FROM reviews WHERE exchange_id = e.id ORDER BY id DESC LIMIT 1) r ON TRUE
  LEFT JOIN LATERAL (SELECT kind, time FROM feedback WHERE exchange_id = e.id AND kind <> 'handoff' ORDER BY id DESC LIMIT 1) fr ON TRUE
  LEFT JOIN outbox o ON o.exchange_id = e.id`;
const exchangeColumns = `e.*, r.id AS r_id, r.verdict AS r_verdict, r.note AS r_note,
  r.corrected_answer AS r_corrected_answer, r.reviewer AS r_reviewer, r.time AS r_time,
  fr.kind AS f_rating, fr.time AS f_rated_at,
  EXISTS (SELECT 1 FROM feedback fh WHERE fh.exchange_id = e.id AND fh.kind = 'handoff') AS f_handoff,
  o.status AS o_status, o.route AS o_route, o.attempts AS o_attempts, o.last_error AS o_error, o.settled_at AS o_settled_at`;
// How often an approved answer was served, read with it (indexed by exchanges_by_reviewed_answer).
const reviewedAnswerColumns = `a.*, (SELECT COUNT(*)::int FROM exchanges s WHERE s.reviewed_answer_id = a.id) AS served,
  (SELECT MAX(s.time) FROM exchanges s WHERE s.reviewed_answer_id = a.id) AS last_served`;

export class PostgresStore implements Store {
  constructor(readonly pool: pg.Pool) {}

  async saveSubscription(subscription: SubscriptionInput): Promise<SubscriptionRecord> {
    const row = await this.row<{ id: string | number }>(
      `INSERT INTO subscriptions (channel, chat_id, user_id, profile, profile_text, time)
      VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, chat_id) DO UPDATE SET user_id = EXCLUDED.user_id,
      profile = EXCLUDED.profile, profile_text = EXCLUDED.profile_text, time = EXCLUDED.time RETURNING id`,
      [
        subscription.channel,
        subscription.chatId,
        subscription.userId,
        JSON.stringify(subscription.profile),
        subscription.profileText,
        subscription.time.getTime(),
      ],
    );
    return { ...subscription, id: Number(row!.id) };
  }

  async cancelSubscription(channel: ChannelName, chatId: string, _time: Date): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM subscriptions WHERE channel = $1 AND chat_id = $2', [channel, chatId])).rowCount ?? 0) > 0;
  }

  async listSubscriptions(page?: PageRequest): Promise<SubscriptionRecord[]> {
    const rows = await this.rows<{ id: string; channel: ChannelName; chat_id: string; user_id: string; profile: unknown; profile_text: string; time: string }>(
      page ? 'SELECT * FROM subscriptions ORDER BY time, id LIMIT $1 OFFSET $2' : 'SELECT * FROM subscriptions ORDER BY time, id',
      page ? [page.limit, page.offset] : [],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      channel: row.channel,
      chatId: row.chat_id,
      userId: row.user_id,
      profile: row.profile,
      profileText: row.profile_text,
      time: new Date(Number(row.time)),
    }));
  }

  async recordPush(push: PushInput): Promise<PushRecord> {
    const row = await this.row<{ id: string }>(
      `INSERT INTO pushes (subscription_id, channel, chat_id, doc_id, clause_ids, text, time, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id`,
      [push.subscriptionId, push.channel, push.chatId, push.docId, JSON.stringify(push.clauseIds), push.text, push.time.getTime()],
    );
    return { ...push, id: Number(row!.id), status: 'pending', error: null, deliveredAt: null };
  }

  async markPush(id: number, outcome: { status: 'sent' | 'failed'; error: string | null; time: Date }): Promise<void> {
    await this.pool.query('UPDATE pushes SET status = $1, error = $2, delivered_at = $3 WHERE id = $4', [
      outcome.status,
      outcome.error,
      outcome.status === 'sent' ? outcome.time.getTime() : null,
      id,
    ]);
  }

  async listPushes(status?: PushStatus, page?: PageRequest): Promise<PushRecord[]> {
    const rows = await this.rows<{
      id: string;
      subscription_id: string;
      channel: ChannelName;
      chat_id: string;
      doc_id: string;
      clause_ids: string[];
      text: string;
      time: string;
      status: PushStatus;
      error: string | null;
      delivered_at: string | null;
    }>(
      `SELECT * FROM pushes WHERE ($1::text IS NULL OR status = $1) ORDER BY time DESC, id DESC${page ? ' LIMIT $2 OFFSET $3' : ''}`,
      page ? [status ?? null, page.limit, page.offset] : [status ?? null],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      subscriptionId: Number(row.subscription_id),
      channel: row.channel,
      chatId: row.chat_id,
      docId: row.doc_id,
      clauseIds: row.clause_ids,
      text: row.text,
      time: new Date(Number(row.time)),
      status: row.status,
      error: row.error,
      deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)),
    }));
  }

  async saveConditionCorrection(correction: ConditionCorrection): Promise<void> {
    await this.pool.query(
      `INSERT INTO condition_corrections (clause_id, correction, officer, time) VALUES ($1, $2, $3, $4)
      ON CONFLICT (clause_id) DO UPDATE SET correction = EXCLUDED.correction, officer = EXCLUDED.officer, time = EXCLUDED.time`,
      [correction.clauseId, JSON.stringify({ ...correction, time: correction.time.getTime() }), correction.officer, correction.time.getTime()],
    );
  }

  async deleteConditionCorrection(clauseId: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM condition_corrections WHERE clause_id = $1', [clauseId])).rowCount ?? 0) > 0;
  }

  async listConditionCorrections(): Promise<ConditionCorrection[]> {
    const rows = await this.rows<{ correction: ConditionCorrection & { time: number } }>('SELECT correction FROM condition_corrections ORDER BY time');
    return rows.map((row) => ({ ...row.correction, time: new Date(row.correction.time) }));
  }

  private async rows<Row extends pg.QueryResultRow>(sql: string, parameters: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, parameters)).rows;
  }

  private async row<Row extends pg.QueryResultRow>(sql: string, parameters: unknown[] = []): Promise<Row | undefined> {
    return (await this.rows<Row>(sql, parameters))[0];
  }

  async saveOfficer(officer: OfficerInput): Promise<'created' | 'updated'> {
    // xmax = 0 only on a freshly inserted row: one statement, so two workers adding the same officer cannot both insert.
    const row = await this.row<{ inserted: boolean }>(
      `INSERT INTO officers (name, password_hash, created, role) VALUES ($1, $2, $3, $4)
      ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING (xmax = 0) AS inserted`,
      [officer.name, officer.passwordHash, officer.created.getTime(), officer.role],
    );
    return row?.inserted ? 'created' : 'updated';
  }

  async findOfficer(name: string): Promise<OfficerRecord | undefined> {
    const row = await this.row<OfficerRow>('SELECT * FROM officers WHERE name = $1', [name]);
    return row && toOfficer(row);
  }

  async listOfficers(): Promise<OfficerRecord[]> {
    return (await this.rows<OfficerRow>('SELECT * FROM officers ORDER BY created, name COLLATE "C"')).map(toOfficer);
  }

  async updateOfficer(name: string, changes: OfficerChanges): Promise<OfficerRecord | undefined> {
    const assignments: string[] = [];
    const parameters: unknown[] = [name];
    const parameter = (value: unknown) => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (changes.role !== undefined) assignments.push(`role = ${parameter(changes.role)}`);
    if (changes.passwordHash !== undefined) assignments.push(`password_hash = ${parameter(changes.passwordHash)}`);
    if (changes.disabled !== undefined) {
      assignments.push(`disabled_by = ${parameter(changes.disabled?.by ?? null)}`, `disabled_at = ${parameter(changes.disabled?.time.getTime() ?? null)}`);
    }
    if (assignments.length) await this.pool.query(`UPDATE officers SET ${assignments.join(', ')} WHERE name = $1`, parameters);
    return this.findOfficer(name);
  }

  async deleteSessionsOf(officer: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE officer = $1', [officer]);
  }

  async hasOfficers(): Promise<boolean> {
    return (await this.row('SELECT 1 FROM officers LIMIT 1')) !== undefined;
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.pool.query('INSERT INTO sessions (token_hash, officer, created, expires) VALUES ($1, $2, $3, $4)', [
      session.tokenHash,
      session.officer,
      session.created.getTime(),
      session.expires.getTime(),
    ]);
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.row<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
    return row && { tokenHash: row.token_hash, officer: row.officer, created: new Date(row.created), expires: new Date(row.expires) };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteExpiredSessions(now: Date): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE expires <= $1', [now.getTime()]);
  }

  async recordSignInAttempt(attempt: SignInAttempt): Promise<void> {
    await this.pool.query('INSERT INTO sign_in_attempts (name, address, time, succeeded) VALUES ($1, $2, $3, $4)', [
      attempt.name,
      attempt.address,
      attempt.time.getTime(),
      attempt.succeeded,
    ]);
  }

  async countFailedSignInAttempts(name: string, address: string, since: Date): Promise<number> {
    // Ids, not times, order the attempts: two can share a millisecond.
    const row = await this.row<{ n: number }>(
      `SELECT COUNT(*) AS n FROM sign_in_attempts
      WHERE name = $1 AND address = $2 AND time >= $3 AND NOT succeeded
        AND id > COALESCE((SELECT MAX(id) FROM sign_in_attempts WHERE name = $1 AND address = $2 AND succeeded), 0)`,
      [name, address, since.getTime()],
    );
    return row?.n ?? 0;
  }

  async countFailedSignInAttemptsForName(name: string, since: Date): Promise<number> {
    const row = await this.row<{ n: number }>('SELECT COUNT(*) AS n FROM sign_in_attempts WHERE name = $1 AND time >= $2 AND NOT succeeded', [
      name,
      since.getTime(),
    ]);
    return row?.n ?? 0;
  }

  async recordExchange(exchange: ExchangeInput): Promise<ExchangeRecord> {
    const row = await this.row<{ id: number }>(
      `INSERT INTO exchanges
      (time, channel, chat_id, user_id, message_id, question, normalized_question, answer, citations, decision, refused, mode,
       latency_ms, answered_by, reviewed_answer_id, reply_ref)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
      [
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
        exchange.decision === 'refused',
        exchange.mode,
        Math.round(exchange.latencyMs),
        exchange.answeredBy,
        exchange.reviewedAnswerId,
        exchange.replyRef ?? null,
      ],
    );
    return {
      ...exchange,
      refused: exchange.decision === 'refused',
      id: row!.id,
      replyRef: exchange.replyRef ?? null,
      latestReview: null,
      feedback: { rating: null, ratedAt: null, handoffRequested: false },
      delivery: null,
    };
  }

  async getExchange(id: number): Promise<ExchangeRecord | undefined> {
    const row = await this.row<ExchangeRow>(`SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin} WHERE e.id = $1`, [id]);
    return row && toExchange(row);
  }

  async listExchanges(filter: ExchangeFilter, page?: PageRequest): Promise<ExchangePage> {
    const { where, parameters } = exchangeWhere(filter);
    const total = (await this.row<{ n: number }>(`SELECT COUNT(*) AS n FROM exchanges e ${latestReviewJoin} ${where}`, parameters))?.n ?? 0;
    const limit = page ? `LIMIT ${Math.max(0, Math.floor(page.limit))} OFFSET ${Math.max(0, Math.floor(page.offset))}` : '';
    const order = filter.unhelpfulFirst ? "(fr.kind IS NOT DISTINCT FROM 'unhelpful') DESC, e.time DESC, e.id DESC" : 'e.time DESC, e.id DESC';
    const rows = await this.rows<ExchangeRow>(`SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin} ${where} ORDER BY ${order} ${limit}`, parameters);
    return { total, items: rows.map(toExchange) };
  }

  async *exchangePages(filter: ExchangeFilter, pageSize: number): AsyncIterable<ExchangeRecord[]> {
    const { where, parameters } = exchangeWhere(filter);
    const limit = Math.max(1, Math.floor(pageSize));
    // Row comparison (time, id) < (t, i) continues after the last row in the log's order; a query per page holds no
    // connection between pages.
    const after = `(e.time, e.id) < ($${parameters.length + 1}, $${parameters.length + 2})`;
    const sql = `SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin} ${where ? `${where} AND` : 'WHERE'} ${after}
      ORDER BY e.time DESC, e.id DESC LIMIT ${limit}`;
    let cursor: [number, number] = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    for (;;) {
      const rows = await this.rows<ExchangeRow>(sql, [...parameters, ...cursor]);
      if (rows.length === 0) return;
      yield rows.map(toExchange);
      if (rows.length < limit) return;
      const last = rows[rows.length - 1]!;
      cursor = [Number(last.time), last.id];
    }
  }

  async findExchangeByReplyRef(channel: ChannelName, replyRef: string): Promise<ExchangeRecord | undefined> {
    const row = await this.row<ExchangeRow>(`SELECT ${exchangeColumns} FROM exchanges e ${latestReviewJoin} WHERE e.channel = $1 AND e.reply_ref = $2`, [
      channel,
      replyRef,
    ]);
    return row && toExchange(row);
  }

  async recordFeedback(feedback: FeedbackInput): Promise<FeedbackRecord> {
    const row = await this.row<{ id: number }>(
      'INSERT INTO feedback (exchange_id, kind, user_id, comment, reasons, time) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [feedback.exchangeId, feedback.kind, feedback.userId, feedback.comment, JSON.stringify(feedback.reasons), feedback.time.getTime()],
    );
    return { ...feedback, id: row!.id };
  }

  async feedbackOf(exchangeId: number): Promise<FeedbackRecord[]> {
    const rows = await this.rows<FeedbackRow>('SELECT * FROM feedback WHERE exchange_id = $1 ORDER BY id DESC', [exchangeId]);
    return rows.map((row) => ({
      id: row.id,
      exchangeId: row.exchange_id,
      kind: row.kind,
      userId: row.user_id,
      comment: row.comment,
      reasons: row.reasons,
      time: new Date(row.time),
    }));
  }

  async addReview(review: ReviewInput): Promise<ReviewRecord> {
    const row = await this.row<{ id: number }>(
      'INSERT INTO reviews (exchange_id, verdict, note, corrected_answer, reviewer, time) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [review.exchangeId, review.verdict, review.note, review.correctedAnswer, review.reviewer, review.time.getTime()],
    );
    return { ...review, id: row!.id };
  }

  async reviewsOf(exchangeId: number): Promise<ReviewRecord[]> {
    const rows = await this.rows<ReviewRow>('SELECT * FROM reviews WHERE exchange_id = $1 ORDER BY id DESC', [exchangeId]);
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
    const row = await this.row<{ id: number }>(
      `INSERT INTO reviewed_answers
      (normalized_question, question, answer, citations, approved_by, time, source_exchange_id, min_similarity)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        answer.normalizedQuestion,
        answer.question,
        answer.answer,
        JSON.stringify(answer.citations),
        answer.approvedBy,
        answer.time.getTime(),
        answer.sourceExchangeId,
        answer.minSimilarity ?? null,
      ],
    );
    return {
      ...answer,
      minSimilarity: answer.minSimilarity ?? null,
      id: row!.id,
      retired: null,
      edited: null,
      served: 0,
      lastServed: null,
    };
  }

  async getReviewedAnswer(id: number): Promise<ReviewedAnswerRecord | undefined> {
    const row = await this.row<ReviewedAnswerRow>(`SELECT ${reviewedAnswerColumns} FROM reviewed_answers a WHERE a.id = $1`, [id]);
    return row && toReviewedAnswer(row);
  }

  async listReviewedAnswers(
    options: { includeRetired?: boolean; retiredOnly?: boolean; text?: string; page?: PageRequest } = {},
  ): Promise<ReviewedAnswerRecord[]> {
    const conditions = options.retiredOnly ? ['a.retired_at IS NOT NULL'] : options.includeRetired ? [] : ['a.retired_at IS NULL'];
    const parameters: unknown[] = [];
    if (options.text) {
      parameters.push(options.text.toLowerCase());
      conditions.push('(strpos(lower(a.question), $1) > 0 OR strpos(lower(a.answer), $1) > 0)');
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const limit = options.page ? ` LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}` : '';
    if (options.page) parameters.push(options.page.limit, options.page.offset);
    const rows = await this.rows<ReviewedAnswerRow>(
      `SELECT ${reviewedAnswerColumns} FROM reviewed_answers a ${where} ORDER BY a.time DESC, a.id DESC${limit}`,
      parameters,
    );
    return rows.map(toReviewedAnswer);
  }

  async updateReviewedAnswer(id: number, changes: ReviewedAnswerChanges): Promise<ReviewedAnswerRecord | undefined> {
    const parameters: unknown[] = [id, changes.editedBy, changes.time.getTime()];
    const assignments = ['edited_by = $2', 'edited_at = $3'];
    if (changes.answer !== undefined) {
      parameters.push(changes.answer);
      assignments.push(`answer = $${parameters.length}`);
    }
    if (changes.minSimilarity !== undefined) {
      parameters.push(changes.minSimilarity);
      assignments.push(`min_similarity = $${parameters.length}`);
    }
    await this.pool.query(`UPDATE reviewed_answers SET ${assignments.join(', ')} WHERE id = $1`, parameters);
    return this.getReviewedAnswer(id);
  }

  async restoreReviewedAnswer(id: number): Promise<void> {
    await this.pool.query('UPDATE reviewed_answers SET retired_by = NULL, retired_at = NULL WHERE id = $1', [id]);
  }

  async retireReviewedAnswer(id: number, retiredBy: string, time: Date): Promise<void> {
    await this.pool.query('UPDATE reviewed_answers SET retired_by = $1, retired_at = $2 WHERE id = $3 AND retired_at IS NULL', [retiredBy, time.getTime(), id]);
  }

  async openOrJoinHandoff(handoff: HandoffInput): Promise<{ handoff: HandoffRecord; joined: boolean }> {
    // One statement against the partial unique index: two workers taking the same chat's messages cannot both open.
    const row = await this.row<HandoffRow & { inserted: boolean }>(
      `INSERT INTO handoffs (exchange_id, channel, chat_id, question,
        normalized_question, reason, citations, time, requested_at, last_exchange_id, asks, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $1, 1, 'open')
      ON CONFLICT (channel, chat_id, normalized_question) WHERE status = 'open' DO UPDATE SET
        asks = handoffs.asks + 1, last_exchange_id = EXCLUDED.exchange_id,
        requested_at = COALESCE(handoffs.requested_at, EXCLUDED.requested_at),
        citations = CASE WHEN EXCLUDED.citations = '[]'::jsonb THEN handoffs.citations ELSE EXCLUDED.citations END
      RETURNING *, (xmax = 0) AS inserted`,
      [
        handoff.exchangeId,
        handoff.channel,
        handoff.chatId,
        handoff.question,
        handoff.normalizedQuestion,
        handoff.reason,
        JSON.stringify(handoff.citations),
        handoff.time.getTime(),
        handoff.reason === 'requested' ? handoff.time.getTime() : null,
      ],
    );
    return { handoff: toHandoff(row!), joined: !row!.inserted };
  }

  async assignHandoff(id: number, officer: string, time: Date): Promise<HandoffRecord | undefined> {
    await this.pool.query(`UPDATE handoffs SET assigned_to = $1, assigned_at = $2 WHERE id = $3 AND status = 'open'`, [officer, time.getTime(), id]);
    return this.getHandoff(id);
  }

  async resolveHandoff(id: number, resolution: HandoffResolution): Promise<HandoffRecord | undefined> {
    await this.pool.query(
      `UPDATE handoffs SET status = $1, resolved_by = $2, resolved_at = $3, resolution_note = $4
      WHERE id = $5 AND status = 'open'`,
      [resolution.status, resolution.by, resolution.time.getTime(), resolution.note, id],
    );
    return this.getHandoff(id);
  }

  async recordAudit(entry: AuditInput): Promise<AuditRecord> {
    const row = await this.row<{ id: number }>('INSERT INTO audit_log (time, officer, action, target, details) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
      entry.time.getTime(),
      entry.officer,
      entry.action,
      entry.target,
      JSON.stringify(entry.details),
    ]);
    return { ...entry, id: row!.id };
  }

  async listAudit(page: PageRequest): Promise<{ total: number; items: AuditRecord[] }> {
    const total = (await this.row<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))?.n ?? 0;
    const rows = await this.rows<{ id: number; time: number; officer: string; action: string; target: string; details: Record<string, unknown> }>(
      'SELECT * FROM audit_log ORDER BY time DESC, id DESC LIMIT $1 OFFSET $2',
      [Math.max(0, Math.floor(page.limit)), Math.max(0, Math.floor(page.offset))],
    );
    return {
      total,
      items: rows.map((row) => ({ id: row.id, time: new Date(row.time), officer: row.officer, action: row.action, target: row.target, details: row.details })),
    };
  }

  async getHandoff(id: number): Promise<HandoffRecord | undefined> {
    const row = await this.row<HandoffRow>('SELECT * FROM handoffs WHERE id = $1', [id]);
    return row && toHandoff(row);
  }

  async listHandoffs(query: HandoffStatus | HandoffQuery = {}): Promise<HandoffRecord[]> {
    const { statuses, assignedTo, newestFirst, page } = typeof query === 'string' ? ({ statuses: [query] } as HandoffQuery) : query;
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (statuses) {
      parameters.push([...statuses]);
      conditions.push(`status = ANY($${parameters.length}::text[])`);
    }
    if (assignedTo !== undefined) {
      parameters.push(assignedTo);
      conditions.push(`assigned_to = $${parameters.length}`);
    }
    const direction = newestFirst ? 'DESC' : 'ASC';
    const limit = page ? `LIMIT ${Math.max(0, Math.floor(page.limit))} OFFSET ${Math.max(0, Math.floor(page.offset))}` : '';
    const rows = await this.rows<HandoffRow>(
      `SELECT * FROM handoffs ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY time ${direction}, id ${direction} ${limit}`,
      parameters,
    );
    return rows.map(toHandoff);
  }

  async countHandoffs(officer?: string): Promise<HandoffCounts> {
    const byStatus = Object.fromEntries(handoffStatuses.map((status) => [status, 0])) as Record<HandoffStatus, number>;
    const rows = await this.rows<{ status: HandoffStatus; n: number; mine: number; oldest: string | number }>(
      `SELECT status, COUNT(*)::int AS n,
      (COUNT(*) FILTER (WHERE assigned_to = $1))::int AS mine, MIN(time) AS oldest FROM handoffs GROUP BY status`,
      [officer ?? null],
    );
    for (const row of rows) byStatus[row.status] = row.n;
    const open = rows.find((row) => row.status === 'open');
    return { byStatus, mine: open?.mine ?? 0, oldestOpen: open ? new Date(Number(open.oldest)) : null };
  }

  async answerHandoff(id: number, reply: { text: string; repliedBy: string; time: Date; replyExchangeId: number }): Promise<HandoffRecord> {
    const row = await this.row<HandoffRow>(
      `UPDATE handoffs SET status = 'answered', reply = $1, replied_by = $2, replied_at = $3,
      reply_exchange_id = $4 WHERE id = $5 RETURNING *`,
      [reply.text, reply.repliedBy, reply.time.getTime(), reply.replyExchangeId, id],
    );
    if (!row) throw new RangeError(`hand-off ${id} does not exist`);
    return toHandoff(row);
  }

  async overview(range: DateRange, utcOffsetMinutes: number): Promise<OverviewCounts> {
    const rangeParameters: unknown[] = [];
    // Placeholders start after `first` parameters the query itself uses.
    const inRange = (first: number) => {
      const parts: string[] = [];
      if (range.from) parts.push(`e.time >= $${first + parts.length + 1}`);
      if (range.to) parts.push(`e.time < $${first + parts.length + 1}`);
      return parts.length ? `AND ${parts.join(' AND ')}` : '';
    };
    if (range.from) rangeParameters.push(range.from.getTime());
    if (range.to) rangeParameters.push(range.to.getTime());
    // The local day of an epoch-millisecond time: shifted by the offset, read as a UTC date. Text sorts bytewise
    // (COLLATE "C"), as SQLite does, whatever the database's locale.
    const offset = Math.round(utcOffsetMinutes * 60_000);
    // Officers' hand-off replies and the asker's 转人工 are logged as exchanges too, but they are not questions
    // (转人工 requests are counted with the hand-offs).
    const perDay = await this.rows<OverviewCounts['perDay'][number]>(
      `
      SELECT to_char(to_timestamp((e.time + $1) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, e.channel COLLATE "C" AS channel,
             COUNT(*)::int AS questions, (COUNT(*) FILTER (WHERE e.decision = 'refused'))::int AS refused,
             (COUNT(*) FILTER (WHERE e.decision = 'uncertain'))::int AS uncertain
      FROM exchanges e WHERE e.answered_by IS NULL AND e.mode <> 'handoff' ${inRange(1)}
      GROUP BY 1, 2 ORDER BY 1, 2`,
      [offset, ...rangeParameters],
    );
    const totals = await this.row<OverviewCounts['totals']>(
      `
      SELECT COUNT(*)::int AS questions, (COUNT(*) FILTER (WHERE e.decision = 'refused'))::int AS refused,
             (COUNT(*) FILTER (WHERE e.decision = 'uncertain'))::int AS uncertain
      FROM exchanges e WHERE e.answered_by IS NULL AND e.mode <> 'handoff' ${inRange(0)}`,
      rangeParameters,
    );
    const reviewed = `FROM exchanges e JOIN LATERAL (SELECT * FROM reviews WHERE exchange_id = e.id ORDER BY id DESC LIMIT 1) r ON TRUE
      CROSS JOIN LATERAL jsonb_array_elements(e.citations) c(value)`;
    const verdictsByDocument = await this.rows<OverviewCounts['verdictsByDocument'][number]>(
      `
      SELECT (c.value->>'doc_id') COLLATE "C" AS "docId", MAX(c.value->>'doc_title') AS "docTitle", r.verdict AS verdict,
             COUNT(DISTINCT e.id)::int AS exchanges
      ${reviewed} WHERE TRUE ${inRange(0)}
      GROUP BY 1, r.verdict ORDER BY 1, r.verdict`,
      rangeParameters,
    );
    const verdictsByDepartment = await this.rows<OverviewCounts['verdictsByDepartment'][number]>(
      `
      SELECT d.value COLLATE "C" AS department, (c.value->>'doc_id') COLLATE "C" AS "docId", r.verdict AS verdict,
             COUNT(DISTINCT e.id)::int AS exchanges
      ${reviewed} CROSS JOIN LATERAL jsonb_array_elements_text(c.value->'lead_departments') d(value)
      WHERE TRUE ${inRange(0)}
      GROUP BY 1, 2, r.verdict ORDER BY 1, 2, r.verdict`,
      rangeParameters,
    );
    return {
      perDay,
      totals: totals ?? { questions: 0, refused: 0, uncertain: 0 },
      verdictsByDocument,
      verdictsByDepartment,
      handoffs: await this.handoffCounts(range),
    };
  }

  private async handoffCounts(range: DateRange): Promise<OverviewCounts['handoffs']> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (range.from) {
      parameters.push(range.from.getTime());
      conditions.push(`time >= $${parameters.length}`);
    }
    if (range.to) {
      parameters.push(range.to.getTime());
      conditions.push(`time < $${parameters.length}`);
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const byStatus = Object.fromEntries(handoffStatuses.map((status) => [status, 0])) as Record<HandoffStatus, number>;
    const byReason = Object.fromEntries(handoffReasons.map((reason) => [reason, 0])) as Record<HandoffReason, number>;
    const rows = await this.rows<{ status: HandoffStatus; reason: HandoffReason; n: number }>(
      `SELECT status, reason, COUNT(*)::int AS n FROM handoffs ${where} GROUP BY status, reason`,
      parameters,
    );
    for (const row of rows) {
      byStatus[row.status] += row.n;
      byReason[row.reason] += row.n;
    }
    const waits = await this.rows<{ waited: number }>(
      `SELECT COALESCE(replied_at, resolved_at) - time AS waited FROM handoffs
      ${where ? `${where} AND` : 'WHERE'} status <> 'open' ORDER BY waited`,
      parameters,
    );
    const open = await this.rows<{ time: number }>(`SELECT time FROM handoffs WHERE status = 'open' ORDER BY time`);
    return { byStatus, byReason, resolvedWaitsMs: waits.map((row) => row.waited), openSince: open.map((row) => new Date(row.time)) };
  }

  async claim(key: string, now: Date, expires: Date): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO claims (key, expires) VALUES ($1, $2)
      ON CONFLICT (key) DO UPDATE SET expires = EXCLUDED.expires WHERE claims.expires <= $3`,
      [key, expires.getTime(), now.getTime()],
    );
    return result.rowCount === 1;
  }

  async releaseClaim(key: string): Promise<void> {
    await this.pool.query('DELETE FROM claims WHERE key = $1', [key]);
  }

  async countInWindow(key: string, now: Date, windowMs: number, limit: number): Promise<{ counted: boolean; oldest: Date | null }> {
    return this.transaction(async (client) => {
      // Serialises the workers counting the same key (and only them) until this transaction ends.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`rate:${key}`]);
      const { rows } = await client.query<{ n: number; oldest: number | null }>(
        'SELECT COUNT(*) AS n, MIN(time) AS oldest FROM rate_events WHERE key = $1 AND time > $2',
        [key, now.getTime() - windowMs],
      );
      const row = rows[0] ?? { n: 0, oldest: null };
      const counted = row.n < limit;
      if (counted) await client.query('INSERT INTO rate_events (key, time) VALUES ($1, $2)', [key, now.getTime()]);
      const oldest = row.oldest ?? (counted ? now.getTime() : null);
      return { counted, oldest: oldest === null ? null : new Date(oldest) };
    });
  }

  async appendChatTurn(chatKey: string, turn: unknown, keep: number, now: Date): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`chat:${chatKey}`]);
      await client.query('INSERT INTO chat_turns (chat_key, time, turn) VALUES ($1, $2, $3)', [chatKey, now.getTime(), JSON.stringify(turn)]);
      await client.query(
        `DELETE FROM chat_turns WHERE chat_key = $1 AND id NOT IN
        (SELECT id FROM chat_turns WHERE chat_key = $1 ORDER BY id DESC LIMIT $2)`,
        [chatKey, Math.max(0, keep)],
      );
    });
  }

  async recentChatTurns(chatKey: string, limit: number, since: Date): Promise<unknown[]> {
    const rows = await this.rows<{ turn: unknown }>(
      `SELECT turn FROM (SELECT id, turn FROM chat_turns WHERE chat_key = $1 AND time >= $2
      ORDER BY id DESC LIMIT $3) recent ORDER BY id`,
      [chatKey, since.getTime(), Math.max(0, limit)],
    );
    return rows.map((row) => row.turn);
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    // The database's clock, not the worker's: workers on different machines may disagree by seconds.
    const result = await this.pool.query(
      `WITH now AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms)
      INSERT INTO leases (name, holder, expires) SELECT $1, $2, now.ms + $3 FROM now
      ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
      WHERE leases.holder = EXCLUDED.holder OR leases.expires <= (SELECT ms FROM now)`,
      [name, holder, Math.round(ttlMs)],
    );
    return result.rowCount === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async leaseHolder(name: string): Promise<string | undefined> {
    const row = await this.row<{ holder: string }>(
      'SELECT holder FROM leases WHERE name = $1 AND expires > (extract(epoch FROM clock_timestamp()) * 1000)::bigint',
      [name],
    );
    return row?.holder;
  }

  async deleteExpiredState(now: Date, chatTurnsBefore: Date): Promise<void> {
    await this.pool.query('DELETE FROM claims WHERE expires <= $1', [now.getTime()]);
    await this.pool.query('DELETE FROM rate_events WHERE time <= $1', [now.getTime() - dayMs]);
    await this.pool.query('DELETE FROM chat_turns WHERE time < $1', [chatTurnsBefore.getTime()]);
  }

  async enqueueOutbox(entry: OutboxInput): Promise<{ entry: OutboxRecord; created: boolean }> {
    const inserted = await this.row<OutboxRow>(
      `INSERT INTO outbox
      (channel, chat_id, user_id, message_id, question, route, messages, exchange_id, status, due_at, time)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10)
      ON CONFLICT (channel, message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING *`,
      [
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
      ],
    );
    if (inserted) return { entry: toOutbox(inserted), created: true };
    const existing = await this.row<OutboxRow>('SELECT * FROM outbox WHERE channel = $1 AND message_id = $2', [entry.channel, entry.messageId]);
    // Gone between the two statements: the entry it conflicted with was answered passively and discarded. This
    // delivery records its own (and the MsgId claim then finds the message answered).
    return existing ? { entry: toOutbox(existing), created: false } : this.enqueueOutbox(entry);
  }

  async fillOutbox(id: number, content: { messages: string[]; exchangeId: number | null }, dueAt: Date): Promise<void> {
    await this.pool.query(
      `UPDATE outbox SET messages = $1, exchange_id = COALESCE($2, exchange_id), due_at = $3
      WHERE id = $4 AND status = 'pending'`,
      [JSON.stringify(content.messages), content.exchangeId, dueAt.getTime(), id],
    );
  }

  async discardOutbox(id: number): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM outbox WHERE id = $1 AND status = 'pending' AND claimed_by IS NULL`, [id]);
    return result.rowCount === 1;
  }

  async claimOutbox(request: OutboxClaim): Promise<OutboxRecord[]> {
    // SKIP LOCKED: a worker claiming at the same moment passes over the rows this statement is taking, instead of
    // waiting for them and then taking them again.
    const rows = await this.rows<OutboxRow>(
      `UPDATE outbox SET claimed_by = $1, claimed_until = $2
      WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND route = 'send' AND channel = $3 AND due_at <= $4
        AND (claimed_until IS NULL OR claimed_until <= $4) ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
      [request.holder, request.claimedUntil.getTime(), request.channel, request.now.getTime(), Math.max(0, Math.floor(request.limit))],
    );
    return rows.map(toOutbox).sort((a, b) => a.id - b.id);
  }

  async recordOutboxProgress(id: number, holder: string, sentParts: number, claimedUntil: Date): Promise<boolean> {
    const result = await this.pool.query(`UPDATE outbox SET sent_parts = $1, claimed_until = $2 WHERE id = $3 AND claimed_by = $4 AND status = 'pending'`, [
      sentParts,
      claimedUntil.getTime(),
      id,
      holder,
    ]);
    return result.rowCount === 1;
  }

  async settleOutbox(id: number, holder: string, outcome: OutboxOutcome, now: Date): Promise<boolean> {
    const result =
      outcome.status === 'pending'
        ? await this.pool.query(
            `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, due_at = $3, last_error = COALESCE($4, last_error),
          attempts = attempts + $5 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`,
            [id, holder, outcome.dueAt.getTime(), outcome.error, outcome.attempted ? 1 : 0],
          )
        : await this.pool.query(
            `UPDATE outbox SET status = $3, settled_at = $4, claimed_until = NULL, last_error = COALESCE($5, last_error),
          attempts = attempts + $6 WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`,
            [id, holder, outcome.status, now.getTime(), outcome.status === 'failed' ? outcome.error : null, outcome.status === 'failed' ? 1 : 0],
          );
    return result.rowCount === 1;
  }

  async takePassiveOutbox(channel: ChannelName, chatId: string, now: Date): Promise<{ ready: OutboxRecord[]; waiting: number }> {
    const rows = await this.rows<OutboxRow>(
      `UPDATE outbox SET status = 'delivered', settled_at = $1, sent_parts = jsonb_array_length(messages)
      WHERE channel = $2 AND chat_id = $3 AND route = 'passive' AND status = 'pending' AND messages IS NOT NULL RETURNING *`,
      [now.getTime(), channel, chatId],
    );
    const waiting = await this.row<{ n: number }>(
      `SELECT COUNT(*) AS n FROM outbox WHERE channel = $1 AND chat_id = $2 AND route = 'passive'
      AND status = 'pending'`,
      [channel, chatId],
    );
    return { ready: rows.map(toOutbox).sort((a, b) => a.id - b.id), waiting: waiting?.n ?? 0 };
  }

  async getOutbox(id: number): Promise<OutboxRecord | undefined> {
    const row = await this.row<OutboxRow>('SELECT * FROM outbox WHERE id = $1', [id]);
    return row && toOutbox(row);
  }

  async outboxCounts(): Promise<OutboxCounts> {
    const rows = await this.rows<{ status: DeliveryStatus; n: number; oldest: number }>(
      'SELECT status, COUNT(*) AS n, MIN(time) AS oldest FROM outbox GROUP BY status',
    );
    const of = (status: DeliveryStatus) => rows.find((row) => row.status === status);
    const oldest = of('pending')?.oldest;
    return {
      pending: of('pending')?.n ?? 0,
      failed: of('failed')?.n ?? 0,
      delivered: of('delivered')?.n ?? 0,
      oldestPending: oldest === undefined ? null : new Date(oldest),
    };
  }

  /** Runs `work` in one transaction on one connection, rolled back if it throws. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** No rate window is longer than a day, so older events can go. */
const dayMs = 86_400_000;

function exchangeWhere(filter: ExchangeFilter): { where: string; parameters: unknown[] } {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const parameter = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  if (filter.channel) conditions.push(`e.channel = ${parameter(filter.channel)}`);
  if (filter.chatId) conditions.push(`e.chat_id = ${parameter(filter.chatId)}`);
  if (filter.upToId !== undefined) conditions.push(`e.id <= ${parameter(filter.upToId)}`);
  if (filter.from) conditions.push(`e.time >= ${parameter(filter.from.getTime())}`);
  if (filter.to) conditions.push(`e.time < ${parameter(filter.to.getTime())}`);
  if (filter.refusedOnly) conditions.push(`e.decision = 'refused'`);
  if (filter.decision) conditions.push(`e.decision = ${parameter(filter.decision)}`);
  if (filter.rating) conditions.push(`fr.kind = ${parameter(filter.rating)}`);
  if (filter.delivery === 'undelivered') conditions.push(`o.status IN ('pending', 'failed')`);
  else if (filter.delivery) conditions.push(`o.status = ${parameter(filter.delivery)}`);
  if (filter.verdict === 'unreviewed') conditions.push('r.id IS NULL');
  else if (filter.verdict) conditions.push(`r.verdict = ${parameter(filter.verdict)}`);
  if (filter.docId) conditions.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(e.citations) c WHERE c->>'doc_id' = ${parameter(filter.docId)})`);
  if (filter.department) {
    // ?| : any of the spellings is an element of the array.
    const names = parameter(filter.department.names);
    const inDocuments = filter.department.docIds ? `c->>'doc_id' = ANY(${parameter(filter.department.docIds)}::text[]) AND` : '';
    conditions.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(e.citations) c WHERE ${inDocuments}
      (c->'lead_departments' ?| ${names}::text[] OR c->'support_departments' ?| ${names}::text[]))`);
  }
  if (filter.text) {
    // strpos, not LIKE: officers search for text that may contain % or _. What the asker typed, not the answer.
    conditions.push(`strpos(lower(e.question), ${parameter(filter.text.toLowerCase())}) > 0`);
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}

interface OfficerRow {
  name: string;
  password_hash: string;
  created: number;
  role: OfficerRole;
  disabled_by: string | null;
  disabled_at: number | null;
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
  citations: Citation[];
  decision: Decision;
  refused: boolean;
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
  f_handoff: boolean;
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
  messages: string[] | null;
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
  reasons: number[];
  time: number;
}
interface ReviewedAnswerRow {
  id: number;
  normalized_question: string;
  question: string;
  answer: string;
  citations: Citation[];
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
  citations: Citation[];
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
    citations: row.citations,
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
      handoffRequested: row.f_handoff,
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
    citations: row.citations,
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
    citations: row.citations,
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
    messages: row.messages,
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
