import type { ConditionCorrection } from '../corpus/measure-conditions.ts';
import type { AnswerMode, ChannelName, Citation } from './answer.ts';

/**
 * Everything policybot keeps between requests: officers and their sessions, every exchange with
 * the bot, officers' reviews, officer-approved answers and hand-offs to a human.
 * Every method returns a Promise: the SQLite implementation (`store/sqlite-store.ts`) answers at once,
 * a database server does not. Callers await every call.
 */
export interface Store {
  // Officers and sign-in
  /** Creates the officer, or replaces the password hash of an existing one. */
  saveOfficer(officer: OfficerInput): Promise<'created' | 'updated'>;
  findOfficer(name: string): Promise<OfficerRecord | undefined>;
  /** False on a fresh install, when the first officer still has to be created. */
  hasOfficers(): Promise<boolean>;
  createSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<void>;
  recordSignInAttempt(attempt: SignInAttempt): Promise<void>;
  /** Failed attempts for this name from this address since `since` (the rate-limit window). */
  countFailedSignInAttempts(name: string, address: string, since: Date): Promise<number>;

  // Exchanges
  recordExchange(exchange: ExchangeInput): Promise<ExchangeRecord>;
  getExchange(id: number): Promise<ExchangeRecord | undefined>;
  /** Newest first (with `unhelpfulFirst`, answers the asker marked 👎 before the rest). `page` omitted means every matching exchange (for export). */
  listExchanges(filter: ExchangeFilter, page?: PageRequest): Promise<ExchangePage>;
  /** The exchange whose answer went out under this channel reference (see `ExchangeInput.replyRef`). */
  findExchangeByReplyRef(channel: ChannelName, replyRef: string): Promise<ExchangeRecord | undefined>;

  // What the asker did with an answer in the chat (👍 / 👎, 转人工)
  recordFeedback(feedback: FeedbackInput): Promise<FeedbackRecord>;
  /** Newest first. */
  feedbackOf(exchangeId: number): Promise<FeedbackRecord[]>;

  // Reviews and officer-approved answers
  addReview(review: ReviewInput): Promise<ReviewRecord>;
  reviewsOf(exchangeId: number): Promise<ReviewRecord[]>;
  saveReviewedAnswer(answer: ReviewedAnswerInput): Promise<ReviewedAnswerRecord>;
  getReviewedAnswer(id: number): Promise<ReviewedAnswerRecord | undefined>;
  /** Answers still in use, newest first. */
  listReviewedAnswers(): Promise<ReviewedAnswerRecord[]>;
  /** Takes an approved answer out of use (an officer found it wrong); the row stays for the record. */
  retireReviewedAnswer(id: number, retiredBy: string, time: Date): Promise<void>;

  // Hand-offs to an officer
  openHandoff(handoff: HandoffInput): Promise<HandoffRecord>;
  getHandoff(id: number): Promise<HandoffRecord | undefined>;
  /** Oldest first, so the queue is worked in arrival order. */
  listHandoffs(status?: HandoffStatus): Promise<HandoffRecord[]>;
  answerHandoff(id: number, reply: { text: string; repliedBy: string; time: Date; replyExchangeId: number }): Promise<HandoffRecord>;

  // Policy matching: subscriptions to new measures, what was pushed, officers' corrections of conditions
  /** Keeps the chat's profile for pushes; replaces the chat's earlier subscription (one per chat). */
  saveSubscription(subscription: SubscriptionInput): Promise<SubscriptionRecord>;
  /** Deletes the chat's profile (取消订阅); false when the chat had no subscription. */
  cancelSubscription(channel: ChannelName, chatId: string, time: Date): Promise<boolean>;
  /** Active subscriptions, oldest first. */
  listSubscriptions(): Promise<SubscriptionRecord[]>;
  /** Records a message to push to a subscribed chat; `pending` until a running channel delivers it. */
  recordPush(push: PushInput): Promise<PushRecord>;
  markPush(id: number, outcome: { status: 'sent' | 'failed'; error: string | null; time: Date }): Promise<void>;
  /** Newest first; `status` limits to pending, sent or failed. */
  listPushes(status?: PushStatus): Promise<PushRecord[]>;
  /** Saves an officer's correction of a measure's conditions, replacing an earlier one for the same clause. */
  saveConditionCorrection(correction: ConditionCorrection): Promise<void>;
  deleteConditionCorrection(clauseId: string): Promise<boolean>;
  listConditionCorrections(): Promise<ConditionCorrection[]>;

  /** Counts behind the console's overview charts. */
  overview(range: DateRange, utcOffsetMinutes: number): Promise<OverviewCounts>;

  // State several workers share (bot/shared-state.ts puts it behind the channels and the assistant)
  /**
   * Takes `key` until `expires` unless another caller holds it unexpired. The key is unique in the database, so of
   * two workers racing on the same key exactly one gets true: a platform's redelivered message is answered once.
   */
  claim(key: string, now: Date, expires: Date): Promise<boolean>;
  /** Gives a claim up early (the work failed before anything was sent, so a redelivery may try again). */
  releaseClaim(key: string): Promise<void>;
  /**
   * Counts one event of `key` in the sliding window of `windowMs` before `now`, unless `limit` events are in it
   * already. Atomic per key across workers. `oldest` is the earliest event still in the window.
   */
  countInWindow(key: string, now: Date, windowMs: number, limit: number): Promise<{ counted: boolean; oldest: Date | null }>;
  /** Appends a turn (plain JSON data) to a chat's history, keeping only its last `keep` turns. */
  appendChatTurn(chatKey: string, turn: unknown, keep: number, now: Date): Promise<void>;
  /** The chat's last `limit` turns since `since`, oldest first. */
  recentChatTurns(chatKey: string, limit: number, since: Date): Promise<unknown[]>;
  /**
   * Takes or renews the lease `name` for `holder` for `ttlMs`, measured on the database's clock; false while another
   * holder's lease runs. One worker at a time holds each long-lived channel connection this way.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Ends `holder`'s lease at once, so another worker can take over without waiting for it to expire. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** The current holder of a lease that has not expired, if any. */
  leaseHolder(name: string): Promise<string | undefined>;
  /** Deletes expired claims, events older than a day and chat turns older than `chatTurnsBefore`. */
  deleteExpiredState(now: Date, chatTurnsBefore: Date): Promise<void>;

  close(): Promise<void>;
}

export interface OfficerInput {
  name: string;
  /** `scrypt$N$r$p$salt$hash`, see `console/password-hash.ts`. */
  passwordHash: string;
  created: Date;
}
export type OfficerRecord = OfficerInput;

export interface SessionRecord {
  /** SHA-256 of the cookie token: a leaked database does not hand out live sessions. */
  tokenHash: string;
  officer: string;
  created: Date;
  expires: Date;
}

export interface SignInAttempt {
  name: string;
  address: string;
  time: Date;
  succeeded: boolean;
}

export interface ExchangeInput {
  time: Date;
  channel: ChannelName;
  chatId: string;
  userId: string;
  messageId: string | null;
  question: string;
  /** `question` after `normalizeQuestion`, the key reviewed answers are matched on. */
  normalizedQuestion: string;
  answer: string;
  citations: Citation[];
  refused: boolean;
  mode: AnswerMode;
  latencyMs: number;
  /** The officer who wrote this answer (a hand-off reply); null when the bot answered. */
  answeredBy: string | null;
  /** The approved answer that was served, when mode is 'reviewed'. */
  reviewedAnswerId: number | null;
  /**
   * The channel's own reference for the bot's reply (the WeCom feedback id, the key in Telegram's button data),
   * which the asker's 👍 / 👎 and button presses come back with; unique per channel. Absent when the reply has none.
   */
  replyRef?: string | null;
}

export interface ExchangeRecord extends ExchangeInput {
  id: number;
  replyRef: string | null;
  /** The latest review, if any: the verdict the log shows and filters on. */
  latestReview: ReviewRecord | null;
  /** What the asker made of the answer in the chat. */
  feedback: FeedbackSummary;
}

/**
 * What someone in the chat did with an answer: rated it with the platform's own control (WeCom's 👍 / 👎, the
 * Telegram buttons), took a rating back (`cancelled`), or pressed 转人工.
 */
export type FeedbackKind = 'helpful' | 'unhelpful' | 'cancelled' | 'handoff';
export const feedbackKinds: readonly FeedbackKind[] = ['helpful', 'unhelpful', 'cancelled', 'handoff'];

export interface FeedbackInput {
  exchangeId: number;
  kind: FeedbackKind;
  /** Who pressed, as the platform names them (in a group chat, possibly not the asker). */
  userId: string;
  /** What they wrote with a 👎 (WeCom offers a text box), '' otherwise. */
  comment: string;
  /** WeCom's `inaccurate_reason_list` codes as sent, [] otherwise. */
  reasons: number[];
  time: Date;
}
export interface FeedbackRecord extends FeedbackInput {
  id: number;
}

/** The standing feedback on an exchange: what the log card shows and the review queue sorts on. */
export interface FeedbackSummary {
  /** The latest 👍 / 👎 not taken back since; null when none. */
  rating: 'helpful' | 'unhelpful' | null;
  ratedAt: Date | null;
  /** Someone pressed 转人工 on this answer. */
  handoffRequested: boolean;
}

export type Verdict = 'correct' | 'wrong' | 'incomplete';
export const verdicts: readonly Verdict[] = ['correct', 'wrong', 'incomplete'];

export interface ExchangeFilter {
  channel?: ChannelName;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  docId?: string;
  /** Matches lead or supporting departments of any cited clause. */
  department?: string;
  verdict?: Verdict | 'unreviewed';
  refusedOnly?: boolean;
  /** Substring of the question or the answer. */
  text?: string;
  chatId?: string;
  /** Only exchanges logged up to and including this one (a chat's history before an exchange). */
  upToId?: number;
  /** Only exchanges whose standing rating (`FeedbackSummary.rating`) is this. */
  rating?: 'helpful' | 'unhelpful';
  /** Answers rated 👎 first, then the rest, each newest first: the review queue's order. */
  unhelpfulFirst?: boolean;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface ExchangePage {
  total: number;
  items: ExchangeRecord[];
}

export interface ReviewInput {
  exchangeId: number;
  verdict: Verdict;
  note: string;
  correctedAnswer: string | null;
  reviewer: string;
  time: Date;
}
export interface ReviewRecord extends ReviewInput {
  id: number;
}

export interface ReviewedAnswerInput {
  normalizedQuestion: string;
  /** The question as first asked, shown to officers. */
  question: string;
  answer: string;
  citations: Citation[];
  approvedBy: string;
  time: Date;
  /** The exchange the officer reviewed or replied to. */
  sourceExchangeId: number | null;
}
export interface ReviewedAnswerRecord extends ReviewedAnswerInput {
  id: number;
  retired: { by: string; time: Date } | null;
}

export type HandoffStatus = 'open' | 'answered';

export interface HandoffInput {
  exchangeId: number;
  /** The question the officer is asked to answer: the one before "转人工" when that is all the user wrote. */
  question: string;
  time: Date;
}
export interface HandoffRecord extends HandoffInput {
  id: number;
  status: HandoffStatus;
  reply: { text: string; repliedBy: string; time: Date; replyExchangeId: number } | null;
}

export interface DateRange {
  from?: Date;
  to?: Date;
}

export interface OverviewCounts {
  /** Questions (not officer replies) per local day and channel; `day` is YYYY-MM-DD. */
  perDay: { day: string; channel: ChannelName; questions: number; refused: number }[];
  totals: { questions: number; refused: number };
  /** Latest verdict of each reviewed exchange, counted once per cited document. */
  verdictsByDocument: { docId: string; docTitle: string; verdict: Verdict; exchanges: number }[];
  /** Latest verdict of each reviewed exchange, counted once per lead department of its cited clauses. */
  verdictsByDepartment: { department: string; verdict: Verdict; exchanges: number }[];
}

export interface SubscriptionInput {
  channel: ChannelName;
  chatId: string;
  userId: string;
  /** The enterprise's profile as read (EnterpriseProfile), kept as JSON. */
  profile: unknown;
  /** The enterprise's own words the profile was read from. */
  profileText: string;
  time: Date;
}
export interface SubscriptionRecord extends SubscriptionInput {
  id: number;
}

export type PushStatus = 'pending' | 'sent' | 'failed';

export interface PushInput {
  subscriptionId: number;
  channel: ChannelName;
  chatId: string;
  docId: string;
  clauseIds: string[];
  text: string;
  time: Date;
}
export interface PushRecord extends PushInput {
  id: number;
  status: PushStatus;
  error: string | null;
  deliveredAt: Date | null;
}
