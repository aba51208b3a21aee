import { PolicyBotError } from '../corpus/errors.ts';
import { toSimplified } from '../corpus/script-converter.ts';
import type { Answer, ChannelName, Citation, Question } from './answer.ts';
import { makeAnswer } from './answer-render.ts';
import type { AskOptions, Assistant } from './assistant.ts';
import type { Channel } from './channel.ts';
import type { ChatFeedback, ChatFeedbackOutcome, FeedbackReceiver } from './chat-feedback.ts';
import type { MatchChat } from './policy-match-chat.ts';
import type { ExchangeRecord, FeedbackRecord, HandoffRecord, ReviewRecord, ReviewedAnswerRecord, Store, Verdict } from './store.ts';

/** Shown first in every answer an officer approved, so the enterprise knows a person stands behind it. */
export const reviewedMark = '【已经政策服务专员审核】';
/** Heads an officer's hand-off reply in the chat, which otherwise only the bot writes to. */
export const officerReplyMark = '【政策服务专员回复】';
export const handoffNotice = '已为您转接政策服务专员,专员会在此会话中回复您,请留意消息。';
export const refusalHandoffNote = '已转政策服务专员跟进,专员会在此会话中回复您。';
/** Closes an answer the bot could not give on a channel that shows a 转人工 button under it (`Question.offersHandoffButton`). */
export const handoffOfferNote = '如需政策服务专员解答，请点下方“转人工”，或直接回复“转人工”。';

/**
 * Bigram Jaccard at or above this counts as the same question. One inserted or dropped character scores
 * (n-2)/(n+1) on an n-character question, so it stays near-identical only from 19 normalised characters up;
 * shorter questions must match exactly after `normalizeQuestion`.
 */
export const nearIdenticalThreshold = 0.85;

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

export type DeskErrorCode = 'EXCHANGE_NOT_FOUND' | 'HANDOFF_NOT_FOUND' | 'HANDOFF_ANSWERED' | 'CHANNEL_UNAVAILABLE' | 'DELIVERY_FAILED' | 'NOT_ASKER';

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
  void store.listReviewedAnswers().then((answers) => {
    for (const answer of answers) if (answer.citations.length > 0) assistant.learn?.(answer.question, answer.citations.map((citation) => citation.clause_id));
  }).catch(() => {});

  function canDeliver(channel: ChannelName): boolean {
    // Console and CLI questions come from officers themselves: there is nobody to hand off to.
    return channel !== 'console' && channel !== 'cli';
  }

  async function subjectOf(question: Question, normalized: string): Promise<string> {
    if (normalized.replace(handoffWords, '').length >= 4) return question.text;
    // "转人工" on its own refers to the question just asked in the same chat.
    const recent = (await store.listExchanges({ channel: question.channel, chatId: question.chatId }, { limit: 10, offset: 0 })).items;
    return recent.find((exchange) => exchange.answeredBy === null && !isHandoffRequest(exchange.normalizedQuestion))?.question
      ?? question.text;
  }

  async function approvedAnswerFor(normalized: string): Promise<ReviewedAnswerRecord | undefined> {
    if (!isAnswerable(normalized)) return undefined;
    let best: { answer: ReviewedAnswerRecord; similarity: number } | undefined;
    for (const answer of await store.listReviewedAnswers()) {
      if (answer.normalizedQuestion === normalized) return answer;
      const similarity = questionSimilarity(normalized, answer.normalizedQuestion);
      // Newest first, so a tie keeps the newer approval.
      if (similarity >= nearIdenticalThreshold && (!best || similarity > best.similarity)) best = { answer, similarity };
    }
    return best?.answer;
  }

  async function handle(question: Question, options: AskOptions = {}): Promise<DeskExchange> {
    const started = clock();
    const normalized = normalizeQuestion(question.text);
    const record = (answer: Answer, extra: { reviewedAnswerId?: number } = {}): Promise<ExchangeRecord> => store.recordExchange({
      time: started, channel: question.channel, chatId: question.chatId, userId: question.userId,
      messageId: question.messageId ?? null, question: question.text, normalizedQuestion: normalized,
      answer: answer.answer, citations: answer.citations, refused: answer.refused, mode: answer.mode,
      latencyMs: clock().getTime() - started.getTime(), answeredBy: null, reviewedAnswerId: extra.reviewedAnswerId ?? null,
      replyRef: question.replyRef ?? null,
    });
    const openHandoff = async (exchange: ExchangeRecord): Promise<HandoffRecord> =>
      store.openHandoff({ exchangeId: exchange.id, question: await subjectOf(question, normalized), time: started });

    if (canDeliver(question.channel) && isHandoffRequest(normalized)) {
      const answer = finish({ question: question.text, decision: 'uncertain', mode: 'handoff', parts: [{ kind: 'notice', text: handoffNotice }], citations: [] }, started);
      options.onPartial?.(answer.answer);
      const exchange = await record(answer);
      return { answer, exchange, handoff: await openHandoff(exchange) };
    }

    // A profile asking what applies (or 订阅 / 取消订阅) is answered by matching, before approved answers and the assistant.
    const matched = matching ? await matching.handle(question) : null;
    if (matched) {
      options.onPartial?.(matched.answer);
      if (matched.decision !== 'answered' && canDeliver(question.channel)) {
        const answer = makeAnswer({ ...matched, parts: [...matched.parts, { kind: 'notice', text: refusalHandoffNote }] });
        const exchange = await record(answer);
        return { answer, exchange, handoff: await openHandoff(exchange) };
      }
      return { answer: matched, exchange: await record(matched), handoff: null };
    }

    const approved = await approvedAnswerFor(normalized);
    if (approved) {
      const answer = finish({
        question: question.text, decision: 'answered', mode: 'reviewed',
        parts: [{ kind: 'notice', text: reviewedMark }, { kind: 'text', text: approved.answer }], citations: approved.citations,
      }, started);
      options.onPartial?.(answer.answer);
      return { answer, exchange: await record(answer, { reviewedAnswerId: approved.id }), handoff: null };
    }

    const answered = await assistant.ask(question, options);
    // Uncertain: an officer takes it at once. A refusal on the topic: where the chat has a 转人工 button the asker
    // decides; elsewhere it goes to the queue. Small talk, rule-change attempts and other places go nowhere.
    if (answered.toOfficer && answered.decision === 'refused' && canDeliver(question.channel) && question.offersHandoffButton) {
      const answer = makeAnswer({ ...answered, parts: [...answered.parts, { kind: 'notice', text: handoffOfferNote }] });
      return { answer, exchange: await record(answer), handoff: null };
    }
    if (answered.toOfficer && canDeliver(question.channel)) {
      const answer = makeAnswer({ ...answered, parts: [...answered.parts, { kind: 'notice', text: refusalHandoffNote }] });
      const exchange = await record(answer);
      return { answer, exchange, handoff: await openHandoff(exchange) };
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
    const origin = await store.getExchange(handoff.exchangeId);
    if (!origin) throw new DeskError('EXCHANGE_NOT_FOUND', `exchange ${handoff.exchangeId} of hand-off ${handoffId} does not exist`);
    const channel = channels().find((candidate) => candidate.name === origin.channel);
    if (!channel) {
      throw new DeskError('CHANNEL_UNAVAILABLE',
        `the ${origin.channel} channel is not running: start it to reply to chat ${origin.chatId} (hand-off ${handoffId})`);
    }
    const started = clock();
    const delivered = `${officerReplyMark}\n${text}`;
    try {
      await channel.deliver(origin.chatId, delivered, origin.messageId ?? undefined);
    } catch (cause) {
      throw new DeskError('DELIVERY_FAILED',
        `could not deliver the reply to ${origin.channel} chat ${origin.chatId} (hand-off ${handoffId}); it is still open`, { cause });
    }
    // "转人工 稳岗返还怎么申请" should be matched later as "稳岗返还怎么申请".
    const normalized = normalizeQuestion(handoff.question).replace(handoffWords, '');
    const exchange = await store.recordExchange({
      time: started, channel: origin.channel, chatId: origin.chatId, userId: origin.userId, messageId: origin.messageId,
      question: handoff.question, normalizedQuestion: normalized, answer: delivered, citations: [], refused: false,
      mode: 'handoff', latencyMs: clock().getTime() - started.getTime(), answeredBy: officer, reviewedAnswerId: null,
    });
    const closed = await store.answerHandoff(handoffId, { text, repliedBy: officer, time: started, replyExchangeId: exchange.id });
    if (saveAsReviewed && isAnswerable(normalized)) {
      await store.saveReviewedAnswer({
        normalizedQuestion: normalized, question: handoff.question, answer: text, citations: [], approvedBy: officer,
        time: started, sourceExchangeId: exchange.id,
      });
    }
    const answer = makeAnswer({
      question: handoff.question, decision: 'answered', mode: 'handoff', parts: [{ kind: 'notice', text: officerReplyMark }, { kind: 'text', text }],
      citations: [], timing_ms: { total: exchange.latencyMs },
    });
    return { answer, exchange, handoff: closed };
  }

  async function review(request: ReviewRequest): Promise<ReviewOutcome> {
    const exchange = await store.getExchange(request.exchangeId);
    if (!exchange) throw new DeskError('EXCHANGE_NOT_FOUND', `exchange ${request.exchangeId} does not exist`);
    const time = clock();
    const review = await store.addReview({
      exchangeId: exchange.id, verdict: request.verdict, note: request.note, correctedAnswer: request.correctedAnswer,
      reviewer: request.reviewer, time,
    });
    let retiredAnswerId: number | null = null;
    if (request.verdict !== 'correct' && exchange.reviewedAnswerId !== null) {
      // The approved answer itself was found wrong: stop serving it even if no correction is given yet.
      await store.retireReviewedAnswer(exchange.reviewedAnswerId, request.reviewer, time);
      retiredAnswerId = exchange.reviewedAnswerId;
    }
    const text = approvedText(exchange, request);
    const reviewedAnswer = text === null ? null : await store.saveReviewedAnswer({
      normalizedQuestion: exchange.normalizedQuestion, question: exchange.question, answer: text,
      citations: keptCitations(exchange.citations, request.keepClauseIds), approvedBy: request.reviewer, time,
      sourceExchangeId: exchange.id,
    });
    if (reviewedAnswer && reviewedAnswer.citations.length > 0) assistant.learn?.(reviewedAnswer.question, reviewedAnswer.citations.map((citation) => citation.clause_id));
    return { review, reviewedAnswer, retiredAnswerId };
  }

  async function recordFeedback(feedback: ChatFeedback): Promise<FeedbackOutcome> {
    const exchange = await store.findExchangeByReplyRef(feedback.channel, feedback.replyRef);
    if (!exchange) {
      throw new DeskError('EXCHANGE_NOT_FOUND', `no ${feedback.channel} answer went out under reference ${feedback.replyRef}`);
    }
    if (feedback.userId !== exchange.userId) {
      throw new DeskError('NOT_ASKER', `only the asker of exchange ${exchange.id} may rate it or hand it off`);
    }
    const time = clock();
    const recorded = await store.recordFeedback({
      exchangeId: exchange.id, kind: feedback.kind, userId: feedback.userId, comment: feedback.comment?.trim() ?? '',
      reasons: feedback.reasons ?? [], time,
    });
    let handoff: HandoffRecord | null = null;
    let handoffAlreadyOpen = false;
    if (feedback.kind === 'handoff') {
      handoff = (await store.listHandoffs('open')).find((open) => open.exchangeId === exchange.id) ?? null;
      handoffAlreadyOpen = handoff !== null;
      handoff ??= await store.openHandoff({ exchangeId: exchange.id, question: exchange.question, time });
    }
    const updated = (await store.getExchange(exchange.id)) ?? exchange;
    return {
      exchange: updated, feedback: recorded, handoff, handoffId: handoff?.id ?? null, handoffAlreadyOpen, rating: updated.feedback.rating,
    };
  }

  return {
    handle,
    ask: async (question, options) => (await handle(question, options)).answer,
    replyToHandoff,
    review,
    recordFeedback,
  };
}

/** The answer text a verdict approves, or null when it approves nothing new. */
function approvedText(exchange: ExchangeRecord, request: ReviewRequest): string | null {
  if (!isAnswerable(exchange.normalizedQuestion)) return null;
  const corrected = request.correctedAnswer?.trim();
  if (corrected) return corrected;
  if (request.verdict !== 'correct') return null;
  // Already approved, a hand-off notice, or a refusal: nothing worth serving again as an approved answer.
  if (exchange.mode === 'reviewed' || exchange.refused || isHandoffRequest(exchange.normalizedQuestion)) return null;
  if (exchange.mode === 'handoff' && exchange.answeredBy === null) return null;
  return exchange.answeredBy === null ? exchange.answer : stripMark(exchange.answer, officerReplyMark);
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

/** Longer than any delivery with its retries; a worker that dies mid-delivery frees the hand-off after this. */
const replyClaimMs = 5 * 60_000;

/** True when the user asks for a person ("转人工", "人工客服"). Takes a normalised question. */
export function isHandoffRequest(normalized: string): boolean {
  return normalized.search(handoffWords) >= 0;
}

// Courtesies that open or close a question without changing what is asked.
const leadingFillers = /^(?:你好|您好|哈喽|请问一下|请问|麻烦问一下|麻烦问下|麻烦|想问一下|想问下|我想问一下|我想问|我想咨询一下|我想咨询|咨询一下|请教一下|请教|问一下|打扰一下)+/u;
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

/**
 * Character-bigram Jaccard similarity of two normalised questions, 0 when they quote different numbers:
 * "裁员率15%" and "裁员率25%" differ in exactly what decides the answer.
 */
export function questionSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (numbersIn(a) !== numbersIn(b)) return 0;
  const left = bigrams(a);
  const right = bigrams(b);
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared += 1;
  const union = left.size + right.size - shared;
  return union === 0 ? 0 : shared / union;
}

function bigrams(text: string): Set<string> {
  const characters = [...text];
  if (characters.length < 2) return new Set(characters);
  const grams = new Set<string>();
  for (let index = 0; index < characters.length - 1; index += 1) grams.add(`${characters[index]}${characters[index + 1]}`);
  return grams;
}

function numbersIn(text: string): string {
  return (text.match(/\p{Nd}+/gu) ?? []).join(',');
}
