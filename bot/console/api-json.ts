import type { ExchangeRecord, FeedbackRecord, HandoffRecord, ReviewRecord, ReviewedAnswerRecord } from '../store.ts';

// `/api/` speaks snake_case like `Citation` (see answer.ts); the store's records are camelCase TypeScript.

export function exchangeJson(exchange: ExchangeRecord) {
  return {
    id: exchange.id, time: exchange.time.toISOString(), channel: exchange.channel, chat_id: exchange.chatId,
    user_id: exchange.userId, message_id: exchange.messageId, question: exchange.question, answer: exchange.answer,
    citations: exchange.citations, refused: exchange.refused, mode: exchange.mode, latency_ms: exchange.latencyMs,
    answered_by: exchange.answeredBy, reviewed_answer_id: exchange.reviewedAnswerId,
    verdict: exchange.latestReview?.verdict ?? null,
    latest_review: exchange.latestReview && reviewJson(exchange.latestReview),
    // The asker's 👍 / 👎 (latest, not taken back) and whether they pressed 转人工 on this answer.
    asker_feedback: {
      rating: exchange.feedback.rating, rated_at: exchange.feedback.ratedAt?.toISOString() ?? null,
      handoff_requested: exchange.feedback.handoffRequested,
    },
  };
}

export function feedbackJson(feedback: FeedbackRecord) {
  return {
    id: feedback.id, exchange_id: feedback.exchangeId, kind: feedback.kind, user_id: feedback.userId, comment: feedback.comment,
    reasons: feedback.reasons, time: feedback.time.toISOString(),
  };
}

export function reviewJson(review: ReviewRecord) {
  return {
    id: review.id, exchange_id: review.exchangeId, verdict: review.verdict, note: review.note,
    corrected_answer: review.correctedAnswer, reviewer: review.reviewer, time: review.time.toISOString(),
  };
}

export function reviewedAnswerJson(answer: ReviewedAnswerRecord) {
  return {
    id: answer.id, question: answer.question, answer: answer.answer, citations: answer.citations,
    approved_by: answer.approvedBy, time: answer.time.toISOString(), source_exchange_id: answer.sourceExchangeId,
  };
}

export function handoffJson(handoff: HandoffRecord) {
  return {
    id: handoff.id, exchange_id: handoff.exchangeId, question: handoff.question, time: handoff.time.toISOString(),
    status: handoff.status,
    reply: handoff.reply && {
      text: handoff.reply.text, replied_by: handoff.reply.repliedBy, time: handoff.reply.time.toISOString(),
      reply_exchange_id: handoff.reply.replyExchangeId,
    },
  };
}
