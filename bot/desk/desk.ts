import { PolicyBotError } from '../../corpus/index.ts';
import { toSimplified } from '../../corpus/index.ts';
import type { Answer, ChannelName, Citation, Decision, Question } from '../core/index.ts';
import { makeAnswer } from '../core/index.ts';
import type { AskOptions, Assistant } from '../core/index.ts';
import { findChannel, type Channel } from './channel.ts';
import { generalIdf, segment } from '../../retrieval/index.ts';
import type { ChatFeedback, ChatFeedbackOutcome, FeedbackReceiver } from './chat-feedback.ts';
import type { MatchChat } from '../matching/index.ts';
import type { ExchangeRecord, FeedbackRecord, HandoffReason, HandoffRecord, ReviewRecord, ReviewedAnswerRecord, Store, Verdict } from '../store/index.ts';

/** Shown first in every answer an officer approved, so the enterprise knows a person stands behind it. */
export const reviewedMark = '【已经政策服务专员审核】';
/** Heads an officer's hand-off reply in the chat, which otherwise only the bot writes to. */
export const officerReplyMark = '【政策服务专员回复】';
export const handoffNotice = '已为您转接政策服务专员，专员会在此会话中回复您，请留意消息。';
export const refusalHandoffNote = '已转政策服务专员跟进，专员会在此会话中回复您。';

/**
 * `questionSimilarity` at or above this counts as the same question, unless an officer set another value on the
 * approved answer. Measured: another word order or a dropped 的 1.0, "我们公司" added 0.92, a dropped qualifier
 * ("失业保险稳岗返还比例是多少" / "稳岗返还比例是多少") 0.84 match; a dropped condition ("小微企业工会经费能返还吗" /
 * "工会经费能返还吗") 0.78, another ask about the same measure ("首贷贴息多少" / "首贷贴息怎么申请") 0.67, another
 * measure ("稳岗补贴比例是多少") 0.66, another kind of land ("工业用地" / "商业用地") 0.32 do not.
 */
export const nearIdenticalThreshold = 0.8;

export interface DeskOptions {
  assistant: Assistant;
  store: Store;
  /** The running chat channels, looked up when an officer replies (channels may start after the desk). */
  channels?: () => Channel[];
  clock?: () => Date;
  /** Policy matching ("我们是…企业,能享受哪些政策?", 订阅, 取消订阅): asked before the assistant. */
  matching?: MatchChat;
}

export interface DeskExchange {
  answer: Answer;
  exchange: ExchangeRecord;
  handoff: HandoffRecord | null;
}

export interface ReviewRequest {
  exchangeId: number;
  verdict: Verdict;
  note: string;
  correctedAnswer: string | null;
  /** clause_ids of the exchange's citations to keep with an approved answer; all when omitted. */
  keepClauseIds?: string[];
  reviewer: string;
}

export interface ReviewOutcome {
  review: ReviewRecord;
  /** The approved answer this verdict saved, if any. */
  reviewedAnswer: ReviewedAnswerRecord | null;
  /** The approved answer this verdict took out of use, if any. */
  retiredAnswerId: number | null;
}

export interface FeedbackOutcome extends ChatFeedbackOutcome {
  exchange: ExchangeRecord;
  feedback: FeedbackRecord;
  handoff: HandoffRecord | null;
}

export interface Desk extends Assistant, FeedbackReceiver {
  /** `ask`, also returning the logged exchange and any hand-off it opened. */
  handle(question: Question, options?: AskOptions): Promise<DeskExchange>;
  /**
   * Sends an officer's reply into the chat the hand-off came from, logs it as an exchange and closes the hand-off.
   * With `saveAsReviewed` the reply becomes the approved answer to the hand-off's question.
   * @throws DeskError HANDOFF_NOT_FOUND, HANDOFF_ANSWERED, CHANNEL_UNAVAILABLE or DELIVERY_FAILED.
   */
  replyToHandoff(handoffId: number, officer: string, text: string, saveAsReviewed: boolean): Promise<DeskExchange>;
  /** Records an officer's verdict and keeps the approved answers in step with it. */
  review(request: ReviewRequest): Promise<ReviewOutcome>;
  /**
   * Records the asker's 👍 / 👎 or 转人工 press with the exchange its answer was logged as. 转人工 opens a hand-off
   * for that question, or keeps the one already open for it (a refused answer opened one): never a second.
   * @throws DeskError EXCHANGE_NOT_FOUND when no answer went out under that reference.
   */
  recordFeedback(feedback: ChatFeedback): Promise<FeedbackOutcome>;
}

export type DeskErrorCode =
  | 'EXCHANGE_NOT_FOUND'
  | 'HANDOFF_NOT_FOUND'
  | 'HANDOFF_ANSWERED'
  | 'HANDOFF_CLOSED'
  | 'CHANNEL_UNAVAILABLE'
  | 'DELIVERY_FAILED'
  | 'NOT_ASKER';

/** Why the desk could not do what an officer asked; the console turns `code` into an HTTP status. */
export class DeskError extends PolicyBotError {
  declare readonly code: DeskErrorCode;
  constructor(code: DeskErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/**
 * Wraps the assistant with the officers' desk: hand-offs on "转人工" or a refusal, officer-approved answers
 * for questions already reviewed, and a log of every exchange.
 * @example const desk = createDesk({ assistant, store, channels: () => [wecom, telegram] });
 */
export function createDesk({ assistant, store, channels = () => [], clock = () => new Date(), matching }: DeskOptions): Desk {
  // Approved answers citing clauses teach the assistant which clause answers those questions (and their rewordings).
  void store
    .listReviewedAnswers()
    .then((answers) => {
      for (const answer of answers)
        if (answer.citations.length > 0)
          assistant.learn?.(
            answer.question,
            answer.citations.map((citation) => citation.clause_id),
          );
    })
    .catch(() => {});

  function canDeliver(channel: ChannelName): boolean {
    // Console and CLI questions come from officers themselves: there is nobody to hand off to.
    return channel !== 'console' && channel !== 'cli';
  }

  /** The question a hand-off is about, and the exchange that asked it when that was an earlier message. */
  async function subjectOf(question: Question, normalized: string): Promise<{ text: string; asked: ExchangeRecord | undefined }> {
    if (normalized.replace(handoffWords, '').length >= 4) return { text: question.text, asked: undefined };
    // "转人工" on its own refers to the question just asked in the same chat.
    const recent = (await store.listExchanges({ channel: question.channel, chatId: question.chatId }, { limit: 10, offset: 0 })).items;
    const asked = recent.find((exchange) => exchange.answeredBy === null && !isHandoffRequest(exchange.normalizedQuestion));
    return { text: asked?.question ?? question.text, asked };
  }

  async function openHandoff(question: Question, normalized: string, exchange: ExchangeRecord, reason: HandoffReason): Promise<HandoffRecord> {
    const subject = await subjectOf(question, normalized);
    const { handoff } = await store.openOrJoinHandoff({
      exchangeId: exchange.id,
      channel: question.channel,
      chatId: question.chatId,
      question: subject.text,
      normalizedQuestion: handoffKey(subject.text),
      reason,
      // The closest measures the asker was shown: with this answer, or with the answer to the question asked before.
      citations: exchange.citations.length ? exchange.citations : (subject.asked?.citations ?? []),
      time: exchange.time,
    });
    return handoff;
  }

  async function approvedAnswerFor(normalized: string): Promise<ReviewedAnswerRecord | undefined> {
    if (!isAnswerable(normalized)) return undefined;
    let best: { answer: ReviewedAnswerRecord; similarity: number } | undefined;
    for (const answer of await store.listReviewedAnswers()) {
      // Keys are normalised again, so answers approved before a change to `normalizeQuestion` still match.
      const key = handoffKey(answer.question);
      if (key === normalized || answer.normalizedQuestion === normalized) return answer;
      const similarity = questionSimilarity(normalized, key);
      // Newest first, so a tie keeps the newer approval.
      if (similarity >= (answer.minSimilarity ?? nearIdenticalThreshold) && (!best || similarity > best.similarity)) best = { answer, similarity };
    }
    return best?.answer;
  }

  async function handle(question: Question, options: AskOptions = {}): Promise<DeskExchange> {
    const started = clock();
    const normalized = normalizeQuestion(question.text);
    const record = (answer: Answer, extra: { reviewedAnswerId?: number } = {}): Promise<ExchangeRecord> =>
      store.recordExchange({
        time: started,
        channel: question.channel,
        chatId: question.chatId,
        userId: question.userId,
        messageId: question.messageId ?? null,
        question: question.text,
        normalizedQuestion: normalized,
        answer: answer.answer,
        citations: answer.citations,
        decision: answer.decision,
        mode: answer.mode,
        latencyMs: clock().getTime() - started.getTime(),
        answeredBy: null,
        reviewedAnswerId: extra.reviewedAnswerId ?? null,
        replyRef: question.replyRef ?? null,
      });

    if (canDeliver(question.channel) && isHandoffRequest(normalized)) {
      const answer = finish(
        { question: question.text, decision: 'uncertain', mode: 'handoff', parts: [{ kind: 'notice', text: handoffNotice }], citations: [] },
        started,
      );
      options.onPartial?.(answer.answer);
      const exchange = await record(answer);
      return { answer, exchange, handoff: await openHandoff(question, normalized, exchange, 'requested') };
    }

    // A profile asking what applies (or 订阅 / 取消订阅) is answered by matching, before approved answers and the assistant.
    const matched = matching ? await matching.handle(question) : null;
    if (matched) {
      options.onPartial?.(matched.answer);
      if (matched.decision !== 'answered' && canDeliver(question.channel)) {
        const answer = makeAnswer({ ...matched, parts: [...matched.parts, { kind: 'notice', text: refusalHandoffNote }] });
        const exchange = await record(answer);
        return { answer, exchange, handoff: await openHandoff(question, normalized, exchange, reasonOf(matched.decision)) };
      }
      return { answer: matched, exchange: await record(matched), handoff: null };
    }

    const approved = await approvedAnswerFor(normalized);
    if (approved) {
      const answer = finish(
        {
          question: question.text,
          decision: 'answered',
          mode: 'reviewed',
          parts: [
            { kind: 'notice', text: reviewedMark },
            { kind: 'text', text: approved.answer },
          ],
          citations: approved.citations,
        },
        started,
      );
      options.onPartial?.(answer.answer);
      return { answer, exchange: await record(answer, { reviewedAnswerId: approved.id }), handoff: null };
    }

    const answered = await assistant.ask(question, options);
    // Uncertain: an officer takes it at once. A refusal on the topic: where the chat has a 转人工 button the asker
    // decides (the button and the refusal's own next steps say so); elsewhere it goes to the queue. Small talk,
    // rule-change attempts and other places go nowhere.
    if (answered.toOfficer && answered.decision === 'refused' && canDeliver(question.channel) && question.offersHandoffButton) {
      return { answer: answered, exchange: await record(answered), handoff: null };
    }
    if (answered.toOfficer && canDeliver(question.channel)) {
      const answer = { ...makeAnswer({ ...answered, parts: [...answered.parts, { kind: 'notice', text: refusalHandoffNote }] }), handedOff: true };
      const exchange = await record(answer);
      return { answer, exchange, handoff: await openHandoff(question, normalized, exchange, reasonOf(answered.decision)) };
    }
    return { answer: answered, exchange: await record(answered), handoff: null };
  }

  function finish(answer: Omit<Parameters<typeof makeAnswer>[0], 'timing_ms'>, started: Date): Answer {
    return makeAnswer({ ...answer, timing_ms: { total: clock().getTime() - started.getTime() } });
  }

  async function replyToHandoff(handoffId: number, officer: string, text: string, saveAsReviewed: boolean): Promise<DeskExchange> {
    const handoff = await store.getHandoff(handoffId);
    if (!handoff) throw new DeskError('HANDOFF_NOT_FOUND', `hand-off ${handoffId} does not exist`);
    if (handoff.status === 'answered') {
      throw new DeskError('HANDOFF_ANSWERED', `hand-off ${handoffId} was already answered by ${handoff.reply?.repliedBy}`);
    }
    if (handoff.status !== 'open') {
      throw new DeskError('HANDOFF_CLOSED', `hand-off ${handoffId} was ${handoff.status} by ${handoff.resolution?.by}`);
    }
    // A hand-off whose reply is being delivered is claimed in the store: a second officer, on this worker or another,
    // must not send a second reply meanwhile. The claim outlives any delivery attempt, and is given up after it.
    const claim = `handoff-reply:${handoffId}`;
    const now = clock();
    if (!(await store.claim(claim, now, new Date(now.getTime() + replyClaimMs)))) {
      throw new DeskError('HANDOFF_ANSWERED', `hand-off ${handoffId} is being answered by another officer`);
    }
    try {
      return await deliverReply(handoff, officer, text, saveAsReviewed);
    } finally {
      await store.releaseClaim(claim);
    }
  }

  async function deliverReply(handoff: HandoffRecord, officer: string, text: string, saveAsReviewed: boolean): Promise<DeskExchange> {
    const handoffId = handoff.id;
    // The reply threads to the asker's latest message about it.
    const origin = await store.getExchange(handoff.lastExchangeId);
    if (!origin) throw new DeskError('EXCHANGE_NOT_FOUND', `exchange ${handoff.exchangeId} of hand-off ${handoffId} does not exist`);
    // Back through the channel the question came in on (the WeCom modes are two channels).
    const channel = findChannel(channels(), origin.channel);
    if (!channel) {
      throw new DeskError(
        'CHANNEL_UNAVAILABLE',
        `the ${origin.channel} channel is not running: start it to reply to chat ${origin.chatId} (hand-off ${handoffId})`,
      );
    }
    const started = clock();
    const delivered = `${officerReplyMark}\n${text}`;
    try {
      await channel.deliver(origin.chatId, delivered, origin.messageId ?? undefined);
    } catch (cause) {
      throw new DeskError(
        'DELIVERY_FAILED',
        `could not deliver the reply to ${origin.channel} chat ${origin.chatId} (hand-off ${handoffId}); it is still open`,
        { cause },
      );
    }
    // "转人工 稳岗返还怎么申请" should be matched later as "稳岗返还怎么申请".
    const normalized = handoffKey(handoff.question);
    const exchange = await store.recordExchange({
      time: started,
      channel: origin.channel,
      chatId: origin.chatId,
      userId: origin.userId,
      messageId: origin.messageId,
      question: handoff.question,
      normalizedQuestion: normalized,
      answer: delivered,
      citations: [],
      decision: 'answered',
      mode: 'handoff',
      latencyMs: clock().getTime() - started.getTime(),
      answeredBy: officer,
      reviewedAnswerId: null,
    });
    const closed = await store.answerHandoff(handoffId, { text, repliedBy: officer, time: started, replyExchangeId: exchange.id });
    if (saveAsReviewed && isAnswerable(normalized)) {
      await store.saveReviewedAnswer({
        normalizedQuestion: normalized,
        question: handoff.question,
        answer: text,
        citations: [],
        approvedBy: officer,
        time: started,
        sourceExchangeId: exchange.id,
      });
    }
    const answer = makeAnswer({
      question: handoff.question,
      decision: 'answered',
      mode: 'handoff',
      parts: [
        { kind: 'notice', text: officerReplyMark },
        { kind: 'text', text },
      ],
      citations: [],
      timing_ms: { total: exchange.latencyMs },
    });
    return { answer, exchange, handoff: closed };
  }

  async function review(request: ReviewRequest): Promise<ReviewOutcome> {
    const exchange = await store.getExchange(request.exchangeId);
    if (!exchange) throw new DeskError('EXCHANGE_NOT_FOUND', `exchange ${request.exchangeId} does not exist`);
    const time = clock();
    const review = await store.addReview({
      exchangeId: exchange.id,
      verdict: request.verdict,
      note: request.note,
      correctedAnswer: request.correctedAnswer,
      reviewer: request.reviewer,
      time,
    });
    let retiredAnswerId: number | null = null;
    if (request.verdict !== 'correct' && exchange.reviewedAnswerId !== null) {
      // The approved answer itself was found wrong: stop serving it even if no correction is given yet.
      await store.retireReviewedAnswer(exchange.reviewedAnswerId, request.reviewer, time);
      retiredAnswerId = exchange.reviewedAnswerId;
    }
    const text = approvedText(exchange, request);
    const reviewedAnswer =
      text === null
        ? null
        : await store.saveReviewedAnswer({
            normalizedQuestion: exchange.normalizedQuestion,
            question: exchange.question,
            answer: text,
            citations: keptCitations(exchange.citations, request.keepClauseIds),
            approvedBy: request.reviewer,
            time,
            sourceExchangeId: exchange.id,
          });
    if (reviewedAnswer && reviewedAnswer.citations.length > 0)
      assistant.learn?.(
        reviewedAnswer.question,
        reviewedAnswer.citations.map((citation) => citation.clause_id),
      );
    return { review, reviewedAnswer, retiredAnswerId };
  }

  async function recordFeedback(feedback: ChatFeedback): Promise<FeedbackOutcome> {
    // A button on an answer sent before the WeCom modes were named apart: that exchange says `wecom`.
    const exchange =
      (await store.findExchangeByReplyRef(feedback.channel, feedback.replyRef)) ??
      (feedback.channel.startsWith('wecom-') ? await store.findExchangeByReplyRef('wecom', feedback.replyRef) : undefined);
    if (!exchange) {
      throw new DeskError('EXCHANGE_NOT_FOUND', `no ${feedback.channel} answer went out under reference ${feedback.replyRef}`);
    }
    if (feedback.userId !== exchange.userId) {
      throw new DeskError('NOT_ASKER', `only the asker of exchange ${exchange.id} may rate it or hand it off`);
    }
    const time = clock();
    const recorded = await store.recordFeedback({
      exchangeId: exchange.id,
      kind: feedback.kind,
      userId: feedback.userId,
      comment: feedback.comment?.trim() ?? '',
      reasons: feedback.reasons ?? [],
      time,
    });
    let handoff: HandoffRecord | null = null;
    let handoffAlreadyOpen = false;
    if (feedback.kind === 'handoff') {
      // The press joins the chat's open ticket for this question (the bot's own, or an earlier press), else opens one.
      const opened = await store.openOrJoinHandoff({
        exchangeId: exchange.id,
        channel: exchange.channel,
        chatId: exchange.chatId,
        question: exchange.question,
        normalizedQuestion: handoffKey(exchange.question),
        reason: 'requested',
        citations: exchange.citations,
        time,
      });
      handoff = opened.handoff;
      handoffAlreadyOpen = opened.joined;
    }
    const updated = (await store.getExchange(exchange.id)) ?? exchange;
    return {
      exchange: updated,
      feedback: recorded,
      handoff,
      handoffId: handoff?.id ?? null,
      handoffAlreadyOpen,
      rating: updated.feedback.rating,
    };
  }

  return {
    handle,
    ask: async (question, options) => {
      const { answer, exchange } = await handle(question, options);
      return { ...answer, exchangeId: exchange.id };
    },
    replyToHandoff,
    review,
    recordFeedback,
  };
}

/** Why a ticket is opened for an answer the bot could not give. */
function reasonOf(decision: Decision): HandoffReason {
  return decision === 'refused' ? 'refused' : 'uncertain';
}

/** The answer text a verdict approves, or null when it approves nothing new. */
function approvedText(exchange: ExchangeRecord, request: ReviewRequest): string | null {
  if (!isAnswerable(exchange.normalizedQuestion)) return null;
  const corrected = request.correctedAnswer?.trim();
  if (corrected) return corrected;
  if (request.verdict !== 'correct') return null;
  // Already approved or a hand-off notice: nothing worth serving again as an approved answer.
  if (exchange.mode === 'reviewed' || isHandoffRequest(exchange.normalizedQuestion)) return null;
  if (exchange.mode === 'handoff' && exchange.answeredBy === null) return null;
  if (exchange.answeredBy !== null) return stripMark(exchange.answer, officerReplyMark);
  // A refusal found correct is the reviewed "no provision" answer, served without citations and without a hand-off.
  return exchange.answer
    .replace(refusalHandoffNote, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A greeting alone ("你好!") normalises to nothing; no approved answer may be keyed on that. */
function isAnswerable(normalized: string): boolean {
  return [...normalized].length >= 2;
}

function stripMark(text: string, mark: string): string {
  return text.startsWith(mark) ? text.slice(mark.length).trimStart() : text;
}

function keptCitations(citations: Citation[], keepClauseIds: string[] | undefined): Citation[] {
  if (!keepClauseIds) return citations;
  const keep = new Set(keepClauseIds);
  return citations.filter((citation) => keep.has(citation.clause_id));
}

const handoffWords = /转人工|人工客服|人工服务/g;

/** The key a hand-off or an officer's reply is filed under: the question normalised, without 转人工. */
export function handoffKey(question: string): string {
  return normalizeQuestion(question).replace(handoffWords, '');
}

/** Longer than any delivery with its retries; a worker that dies mid-delivery frees the hand-off after this. */
const replyClaimMs = 5 * 60_000;

/** True when the user asks for a person ("转人工", "人工客服"). Takes a normalised question. */
export function isHandoffRequest(normalized: string): boolean {
  return normalized.search(handoffWords) >= 0;
}

// Courtesies that open or close a question without changing what is asked.
const leadingFillers =
  /^(?:你好|您好|哈喽|请问一下|请问|麻烦问一下|麻烦问下|麻烦|想问一下|想问下|我想问一下|我想问|我想咨询一下|我想咨询|咨询一下|请教一下|请教|问一下|打扰一下)+/u;
const trailingFillers = /(?:谢谢你们|谢谢您|谢谢|多谢|麻烦了|辛苦了|吗|呢|吧|啊|呀|哈|啦)+$/u;

/**
 * The key approved answers are matched on: simplified characters, half-width letters and digits, lower case,
 * no punctuation or spaces, and no courtesies such as 请问 / 你好 / 谢谢 at the start or end of a sentence.
 * @example normalizeQuestion('你好,請問穩崗返還比例是多少?謝謝') === '稳岗返还比例是多少'
 */
export function normalizeQuestion(text: string): string {
  const simplified = toSimplified(text.normalize('NFKC')).toLowerCase();
  return simplified
    .split(/[^\p{L}\p{N}]+/u)
    .map((sentence) => sentence.replace(leadingFillers, '').replace(trailingFillers, ''))
    .join('');
}

// Words that carry no meaning of their own in a question: structural particles and sentence-final ones.
const particles = new Set(['的', '地', '得', '了', '吗', '呢', '吧', '啊', '呀', '么', '哈', '啦', '嘛', '之']);

/**
 * How alike two normalised questions are (0–1), 0 when they quote different numbers: "裁员率15%" and
 * "裁员率25%" differ in exactly what decides the answer. Otherwise the IDF-weighted Dice overlap of their words
 * without particles, with substituted words counted twice: word order and a dropped "的" cost nothing, a dropped
 * qualifier little, a different content word much. (Character-bigram Jaccard, used before, scored 工业用地 /
 * 商业用地 0.78 and could not tell a substitution from a dropped word.)
 * @example questionSimilarity(normalizeQuestion('稳岗返还的比例是多少'), normalizeQuestion('稳岗返还比例是多少')) === 1
 */
export function questionSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (numbersIn(a) !== numbersIn(b)) return 0;
  return weightedWordOverlap(a, b);
}

function contentWords(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const word of segment(text)) {
    if (!/[\p{L}\p{N}]/u.test(word) || particles.has(word)) continue;
    // Weights capped like the retriever's: an unknown word is rare, not infinitely telling.
    found.set(word, Math.min(14, generalIdf(word)));
  }
  return found;
}

function weightedWordOverlap(a: string, b: string): number {
  const left = contentWords(a);
  const right = contentWords(b);
  let shared = 0;
  let onlyLeft = 0;
  let onlyRight = 0;
  for (const [word, weight] of left)
    if (right.has(word)) shared += weight;
    else onlyLeft += weight;
  for (const [word, weight] of right) if (!left.has(word)) onlyRight += weight;
  // A word one question has and the other lacks is a qualifier dropped; a word each has that the other lacks is
  // a substitution (工业用地 / 商业用地, 多少 / 怎么申请), which changes the question: it counts twice.
  const substituted = Math.min(onlyLeft, onlyRight);
  const total = 2 * shared + onlyLeft + onlyRight + 2 * substituted;
  return total === 0 ? 0 : (2 * shared) / total;
}

function numbersIn(text: string): string {
  return (text.match(/\p{Nd}+/gu) ?? []).join(',');
}
