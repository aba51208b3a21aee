import type { Answer, ChannelName, Decision } from '../core/index.ts';
import type { Citation } from '../../retrieval/index.ts';
import type { ClauseContext } from './clause-context.ts';
import type { DocumentSummary } from './corpus-view.ts';
import type { DepartmentGroup } from './department-index.ts';
import type { HandoffReason, HandoffStatus, OfficerRole, Verdict } from '../store/index.ts';
import type { AuditRecord, ExchangeRecord, FeedbackRecord, HandoffRecord, OfficerRecord, ReviewRecord, ReviewedAnswerRecord } from '../store/index.ts';

// `/api/` speaks snake_case like `Citation` (see answer.ts); the store's records are camelCase TypeScript.

export function exchangeJson(exchange: ExchangeRecord) {
  return {
    id: exchange.id,
    time: exchange.time.toISOString(),
    channel: exchange.channel,
    chat_id: exchange.chatId,
    user_id: exchange.userId,
    message_id: exchange.messageId,
    question: exchange.question,
    answer: exchange.answer,
    citations: exchange.citations,
    decision: exchange.decision,
    refused: exchange.refused,
    mode: exchange.mode,
    latency_ms: exchange.latencyMs,
    answered_by: exchange.answeredBy,
    reviewed_answer_id: exchange.reviewedAnswerId,
    verdict: exchange.latestReview?.verdict ?? null,
    latest_review: exchange.latestReview && reviewJson(exchange.latestReview),
    // The asker's 👍 / 👎 (latest, not taken back) and whether they pressed 转人工 on this answer.
    asker_feedback: {
      rating: exchange.feedback.rating,
      rated_at: exchange.feedback.ratedAt?.toISOString() ?? null,
      handoff_requested: exchange.feedback.handoffRequested,
    },
    // Sent after the platform was told the question arrived (the outbox): pending, delivered or failed; null when the
    // answer went out in the platform's own response.
    delivery: exchange.delivery && {
      status: exchange.delivery.status,
      route: exchange.delivery.route,
      attempts: exchange.delivery.attempts,
      last_error: exchange.delivery.lastError,
      settled_at: exchange.delivery.settledAt?.toISOString() ?? null,
    },
  };
}

export function feedbackJson(feedback: FeedbackRecord) {
  return {
    id: feedback.id,
    exchange_id: feedback.exchangeId,
    kind: feedback.kind,
    user_id: feedback.userId,
    comment: feedback.comment,
    reasons: feedback.reasons,
    time: feedback.time.toISOString(),
  };
}

export function reviewJson(review: ReviewRecord) {
  return {
    id: review.id,
    exchange_id: review.exchangeId,
    verdict: review.verdict,
    note: review.note,
    corrected_answer: review.correctedAnswer,
    reviewer: review.reviewer,
    time: review.time.toISOString(),
  };
}

export function reviewedAnswerJson(answer: ReviewedAnswerRecord) {
  return {
    id: answer.id,
    question: answer.question,
    answer: answer.answer,
    citations: answer.citations,
    approved_by: answer.approvedBy,
    time: answer.time.toISOString(),
    source_exchange_id: answer.sourceExchangeId,
    min_similarity: answer.minSimilarity,
    served: answer.served,
    last_served: answer.lastServed?.toISOString() ?? null,
    edited: answer.edited && { by: answer.edited.by, time: answer.edited.time.toISOString() },
    retired: answer.retired && { by: answer.retired.by, time: answer.retired.time.toISOString() },
  };
}

/** A ticket with how long the asker has waited (open) or waited (until the reply, close or dismissal). */
export function handoffJson(handoff: HandoffRecord, now: Date) {
  const ended = handoff.reply?.time ?? handoff.resolution?.time ?? null;
  return {
    id: handoff.id,
    exchange_id: handoff.exchangeId,
    last_exchange_id: handoff.lastExchangeId,
    channel: handoff.channel,
    chat_id: handoff.chatId,
    question: handoff.question,
    time: handoff.time.toISOString(),
    status: handoff.status,
    reason: handoff.reason,
    requested_at: handoff.requestedAt?.toISOString() ?? null,
    asks: handoff.asks,
    citations: handoff.citations,
    waited_ms: Math.max(0, (ended ?? now).getTime() - handoff.time.getTime()),
    assigned: handoff.assigned && { officer: handoff.assigned.officer, time: handoff.assigned.time.toISOString() },
    reply: handoff.reply && {
      text: handoff.reply.text,
      replied_by: handoff.reply.repliedBy,
      time: handoff.reply.time.toISOString(),
      reply_exchange_id: handoff.reply.replyExchangeId,
    },
    resolution: handoff.resolution && { by: handoff.resolution.by, time: handoff.resolution.time.toISOString(), note: handoff.resolution.note },
  };
}

export function officerJson(officer: OfficerRecord) {
  return {
    name: officer.name,
    role: officer.role,
    created: officer.created.toISOString(),
    disabled: officer.disabled && { by: officer.disabled.by, time: officer.disabled.time.toISOString() },
  };
}

export function auditJson(entry: AuditRecord) {
  return { id: entry.id, time: entry.time.toISOString(), officer: entry.officer, action: entry.action, target: entry.target, details: entry.details };
}

// The shapes above as types, for the page: bot/console/public/*.js names them in JSDoc
// (`/** @typedef {import('../api-json.ts').ExchangeJson} ExchangeJson */`), and `npm run typecheck` checks the page
// against what the server sends.
export type ExchangeJson = ReturnType<typeof exchangeJson>;
export type FeedbackJson = ReturnType<typeof feedbackJson>;
export type ReviewJson = ReturnType<typeof reviewJson>;
export type ReviewedAnswerJson = ReturnType<typeof reviewedAnswerJson>;
export type HandoffJson = ReturnType<typeof handoffJson>;
export type OfficerJson = ReturnType<typeof officerJson>;
export type AuditJson = ReturnType<typeof auditJson>;
/** A page of a list (`GET /api/exchanges`, `/api/audit`): the items of one page and how many there are in all. */
export interface PageJson<Item> {
  total: number;
  page: number;
  page_size: number;
  items: Item[];
}

/** `GET /api/facets`: what the log's filters offer (channels, verdicts, decisions, documents, departments by place). */
export interface FacetsJson {
  channels: readonly ChannelName[];
  verdicts: readonly Verdict[];
  decisions: readonly Decision[];
  documents: { doc_id: string; doc_title: string; place: string | null }[];
  department_groups: DepartmentGroup[];
  departments: string[];
}

/** `GET /api/overview`: the statistics page's counts for a range of days (YYYY-MM-DD, Beijing time). */
export interface OverviewJson {
  from: string;
  to: string;
  days: string[];
  channels: ChannelName[];
  per_day: { day: string; channel: ChannelName; questions: number; refused: number; uncertain: number }[];
  totals: { questions: number; refused: number; uncertain: number; refusal_rate: number };
  verdicts_by_document: ({ doc_id: string; doc_title: string } & Record<Verdict, number>)[];
  verdicts_by_department: ({ department: string; place: string | null } & Record<Verdict, number>)[];
  handoffs: {
    opened: number;
    by_status: Record<HandoffStatus, number>;
    by_reason: Record<HandoffReason, number>;
    median_wait_ms: number | null;
    open_now: number;
    open_median_wait_ms: number | null;
  };
}

/** `POST /api/exchanges/:id/reviews`: the review saved, the reviewed answer it made (if any) and the one it retired. */
export interface ReviewOutcomeJson {
  review: ReviewJson;
  reviewed_answer: ReviewedAnswerJson | null;
  retired_answer_id: number | null;
}

/** `GET /api/reviewed-answers/:id/match`: how close a question is to the answer's, and whether it would be served. */
export interface ReviewedMatchJson {
  similarity: number;
  threshold: number;
  matches: boolean;
}

/** `GET /api/me`: the signed-in officer, their role and when the session ends. */
export interface MeJson {
  officer: string;
  role: OfficerRole;
  expires: string;
}

/** `POST /api/ask`: the answer as a chat channel would give it, and the exchange it was logged as. */
export interface AskJson {
  exchange_id: number;
  answer: Answer;
}

/** `GET /api/reviewed-answers`: one page of reviewed answers (one more was read to say whether more exist). */
export interface ReviewedAnswerPageJson {
  default_min_similarity: number;
  items: ReviewedAnswerJson[];
  page: number;
  page_size: number;
  has_more: boolean;
}

/** What the officer routes answer after a change: the officer as now, and a one-time password when one was made. */
export interface OfficerChangeJson {
  officer: OfficerJson;
  password?: string;
}

/** `GET /api/exchanges/:id`: the exchange, its reviews and the asker's feedback, each citation with its clause today, the chat before. */
export interface ExchangeDetailJson {
  exchange: ExchangeJson;
  reviews: ReviewJson[];
  feedback: FeedbackJson[];
  /** The citation as the asker saw it, and the clause as the corpus has it now (null when it is gone). */
  citations: { citation: Citation; context: ClauseContext | null }[];
  chat: ExchangeJson[];
}

/** `GET /api/documents`. */
export interface DocumentListJson {
  items: DocumentSummary[];
}

/** `GET /api/search`: the clauses found, as cited. */
export interface SearchJson {
  items: Citation[];
}
