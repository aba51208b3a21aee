import type { ConditionCorrection } from '../../corpus/measures.ts';
import type { AnswerMode, ChannelName, Citation, Decision } from '../core/index.ts';

/**
 * Everything policybot keeps between requests: officers and their sessions, every exchange with
 * the bot, officers' reviews, officer-approved answers and hand-offs to a human.
 * Every method returns a Promise: the SQLite implementation (`store/sqlite-store.ts`) answers at once,
 * a database server does not. Callers await every call.
 */
export interface Store {
  // Officers and sign-in
  /** Creates the officer with its role, or replaces the password hash of an existing one (its role stays). */
  saveOfficer(officer: OfficerInput): Promise<'created' | 'updated'>;
  findOfficer(name: string): Promise<OfficerRecord | undefined>;
  /** Every officer, disabled ones included, by name. */
  listOfficers(): Promise<OfficerRecord[]>;
  /** Changes an existing officer's role, password or disabled state; undefined when the name is unknown. */
  updateOfficer(name: string, changes: OfficerChanges): Promise<OfficerRecord | undefined>;
  /** False on a fresh install, when the first officer still has to be created. */
  hasOfficers(): Promise<boolean>;
  createSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Signs an officer out everywhere (disabled, or the password was reset). */
  deleteSessionsOf(officer: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<void>;
  recordSignInAttempt(attempt: SignInAttempt): Promise<void>;
  /**
   * Failed attempts for this name from this address since `since` (the rate-limit window) and after the last
   * successful sign-in of this name from this address: a success starts the count again.
   */
  countFailedSignInAttempts(name: string, address: string, since: Date): Promise<number>;
  /** Failed attempts for this name from every address since `since`, successes notwithstanding (the per-account limit). */
  countFailedSignInAttemptsForName(name: string, since: Date): Promise<number>;

  // Exchanges
  recordExchange(exchange: ExchangeInput): Promise<ExchangeRecord>;
  getExchange(id: number): Promise<ExchangeRecord | undefined>;
  /** Newest first (with `unhelpfulFirst`, answers the asker marked 👎 before the rest). `page` omitted means every matching exchange (for export). */
  listExchanges(filter: ExchangeFilter, page?: PageRequest): Promise<ExchangePage>;
  /**
   * Every exchange matching `filter`, newest first, `pageSize` at a time: one query per page, continuing after the
   * last row's (time, id), so an export of the whole log never holds all rows at once and the caller can yield to
   * chats between pages. The log's order always (`unhelpfulFirst` is ignored).
   * @example for await (const page of store.exchangePages({ channel: 'wecom' }, 500)) write(page);
   */
  exchangePages(filter: ExchangeFilter, pageSize: number): AsyncIterable<ExchangeRecord[]>;
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
  /**
   * Answers still in use, newest first: what the desk matches questions against.
   * With `includeRetired` the retired ones too, with `retiredOnly` only those; `text` keeps those whose question or
   * answer contains it; `page` returns one page of them (the console).
   */
  listReviewedAnswers(options?: { includeRetired?: boolean; retiredOnly?: boolean; text?: string; page?: PageRequest }): Promise<ReviewedAnswerRecord[]>;
  /** An officer's edit of an approved answer's text or of how close a question must be to get it. */
  updateReviewedAnswer(id: number, changes: ReviewedAnswerChanges): Promise<ReviewedAnswerRecord | undefined>;
  /** Takes an approved answer out of use (an officer found it wrong); the row stays for the record. */
  retireReviewedAnswer(id: number, retiredBy: string, time: Date): Promise<void>;
  /** Puts a retired answer back in use. */
  restoreReviewedAnswer(id: number): Promise<void>;

  // Hand-offs to an officer
  /**
   * One ticket per chat and question: joins the open ticket of the same channel, chat and normalised question
   * (a 转人工 after a refusal), otherwise opens one. Atomic: two messages at once never open two tickets.
   */
  openOrJoinHandoff(handoff: HandoffInput): Promise<{ handoff: HandoffRecord; joined: boolean }>;
  getHandoff(id: number): Promise<HandoffRecord | undefined>;
  /**
   * Oldest first, so the queue is worked in arrival order; a status alone lists every ticket in it, a `HandoffQuery`
   * one page of several statuses (the console's tabs). How many there are comes from `countHandoffs`.
   */
  listHandoffs(query?: HandoffStatus | HandoffQuery): Promise<HandoffRecord[]>;
  /** Tickets by status, the open ones `officer` took, and when the oldest open one was opened: one query, no rows. */
  countHandoffs(officer?: string): Promise<HandoffCounts>;
  answerHandoff(id: number, reply: { text: string; repliedBy: string; time: Date; replyExchangeId: number }): Promise<HandoffRecord>;
  /** An officer takes an open ticket ("assign to me"); undefined when it does not exist. */
  assignHandoff(id: number, officer: string, time: Date): Promise<HandoffRecord | undefined>;
  /** Closes (handled outside the chat) or dismisses (nothing to do) an open ticket, with the officer's reason. */
  resolveHandoff(id: number, resolution: HandoffResolution): Promise<HandoffRecord | undefined>;

  // Policy matching: subscriptions to new measures, what was pushed, officers' corrections of conditions
  /** Keeps the chat's profile for pushes; replaces the chat's earlier subscription (one per chat). */
  saveSubscription(subscription: SubscriptionInput): Promise<SubscriptionRecord>;
  /** Deletes the chat's profile (取消订阅); false when the chat had no subscription. */
  cancelSubscription(channel: ChannelName, chatId: string, time: Date): Promise<boolean>;
  /** Active subscriptions, oldest first. */
  listSubscriptions(page?: PageRequest): Promise<SubscriptionRecord[]>;
  /** Records a message to push to a subscribed chat; `pending` until a running channel delivers it. */
  recordPush(push: PushInput): Promise<PushRecord>;
  markPush(id: number, outcome: { status: 'sent' | 'failed'; error: string | null; time: Date }): Promise<void>;
  /** Newest first; `status` limits to pending, sent or failed. */
  listPushes(status?: PushStatus, page?: PageRequest): Promise<PushRecord[]>;
  /** Saves an officer's correction of a measure's conditions, replacing an earlier one for the same clause. */
  saveConditionCorrection(correction: ConditionCorrection): Promise<void>;
  deleteConditionCorrection(clauseId: string): Promise<boolean>;
  listConditionCorrections(): Promise<ConditionCorrection[]>;

  /** Counts behind the console's overview charts. */
  overview(range: DateRange, utcOffsetMinutes: number): Promise<OverviewCounts>;

  // Audit trail of officers' changes (officers, corpus, approved answers, tickets)
  recordAudit(entry: AuditInput): Promise<AuditRecord>;
  /** Newest first. */
  listAudit(page: PageRequest): Promise<{ total: number; items: AuditRecord[] }>;

  // State several workers share (bot/channels/channel-state.ts puts it behind the channels and the assistant)
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

  // Outbox: messages owed to a chat, recorded before the platform is told the question arrived and kept until sent
  // (`channels/outbox-deliverer.ts` sends them, on whichever worker claims them first)
  /**
   * Records a message owed to a chat. An entry for the same channel and `messageId` (the platform's retry of one
   * question) is not recorded twice: the existing one is returned with `created: false`.
   */
  enqueueOutbox(entry: OutboxInput): Promise<{ entry: OutboxRecord; created: boolean }>;
  /** The answer of a pending entry is ready: its messages, the exchange it was logged as, and when it is due. */
  fillOutbox(id: number, content: { messages: string[]; exchangeId: number | null }, dueAt: Date): Promise<void>;
  /**
   * Removes a pending entry recorded before its answer was known, once that answer went out another way (the WeCom
   * passive reply) — unless a worker has claimed it (it took the entry for orphaned and is answering it): false then,
   * and the entry stays for that worker to send.
   */
  discardOutbox(id: number): Promise<boolean>;
  /**
   * Takes up to `limit` pending `send` entries of `channel` that are due and not claimed by a live holder, for
   * `holder` until `claimedUntil`, oldest first. Atomic: two workers claiming at once never get the same entry.
   */
  claimOutbox(request: OutboxClaim): Promise<OutboxRecord[]>;
  /** Counts the parts sent so far and renews the claim; false when `holder` no longer holds the entry. */
  recordOutboxProgress(id: number, holder: string, sentParts: number, claimedUntil: Date): Promise<boolean>;
  /** Ends `holder`'s claim with the outcome of its attempt; false when `holder` no longer held the entry. */
  settleOutbox(id: number, holder: string, outcome: OutboxOutcome, now: Date): Promise<boolean>;
  /**
   * A chat's `passive` entries (answers waiting for the asker's next message): the ready ones, marked delivered in
   * the same statement so that two workers never hand one out twice, and how many are still being answered.
   */
  takePassiveOutbox(channel: ChannelName, chatId: string, now: Date): Promise<{ ready: OutboxRecord[]; waiting: number }>;
  getOutbox(id: number): Promise<OutboxRecord | undefined>;
  /** The backlog the status panel shows. */
  outboxCounts(): Promise<OutboxCounts>;

  close(): Promise<void>;
}

/** Officers review, reply and manage approved answers; admins also manage officers and the corpus. */
export type OfficerRole = 'officer' | 'admin';
export const officerRoles: readonly OfficerRole[] = ['officer', 'admin'];

export interface OfficerInput {
  name: string;
  /** `scrypt$N$r$p$salt$hash`, see `console/password-hash.ts`. */
  passwordHash: string;
  created: Date;
  role: OfficerRole;
}
export interface OfficerRecord extends OfficerInput {
  /** Who disabled the account and when; a disabled officer cannot sign in. */
  disabled: { by: string; time: Date } | null;
}
export interface OfficerChanges {
  role?: OfficerRole;
  passwordHash?: string;
  /** null enables the account again. */
  disabled?: { by: string; time: Date } | null;
}

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
  /** The clauses the asker was shown (`Answer.citations`); only these count as cited. */
  citations: Citation[];
  decision: Decision;
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
  /**
   * How the answer reached the chat when it went through the outbox (sent after the platform was told the question
   * arrived); null when it was given in the platform's own response or call (a passive reply, a stream, a Telegram
   * reply), which fails visibly in the channel's log instead.
   */
  delivery: ExchangeDelivery | null;
  /** True exactly when `decision` is `refused`. */
  refused: boolean;
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
  /** A cited clause led or supported by any of these spellings of one department (in these documents, when given). */
  department?: DepartmentFilter;
  verdict?: Verdict | 'unreviewed';
  decision?: Decision;
  /** Same as `decision: 'refused'`. */
  refusedOnly?: boolean;
  /** Substring of what the asker typed (not of the answer: every refusal shares its wording). */
  text?: string;
  chatId?: string;
  /** Only exchanges logged up to and including this one (a chat's history before an exchange). */
  upToId?: number;
  /** Only exchanges whose standing rating (`FeedbackSummary.rating`) is this. */
  rating?: 'helpful' | 'unhelpful';
  /** Answers rated 👎 first, then the rest, each newest first: the review queue's order. */
  unhelpfulFirst?: boolean;
  /** Only answers whose outbox entry has this status; `undelivered` is pending or failed. */
  delivery?: DeliveryStatus | 'undelivered';
}

export interface DepartmentFilter {
  /** The spellings that are the same department (市发改局, 市发展改革局), as written in the clauses. */
  names: string[];
  /** Only citations of these documents: the same name in another city is another department. */
  docIds?: string[];
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
  /** How close a question must be to get this answer (0–1, `questionSimilarity`); null means the desk's default. */
  minSimilarity?: number | null;
}
export interface ReviewedAnswerRecord extends ReviewedAnswerInput {
  id: number;
  minSimilarity: number | null;
  retired: { by: string; time: Date } | null;
  edited: { by: string; time: Date } | null;
  /** How often it was served (exchanges answered with it) and when last. */
  served: number;
  lastServed: Date | null;
}
export interface ReviewedAnswerChanges {
  answer?: string;
  minSimilarity?: number | null;
  editedBy: string;
  time: Date;
}

/** open → answered (an officer replied in the chat), closed (handled otherwise) or dismissed (nothing to do). */
export type HandoffStatus = 'open' | 'answered' | 'closed' | 'dismissed';
export const handoffStatuses: readonly HandoffStatus[] = ['open', 'answered', 'closed', 'dismissed'];
/** Why a ticket exists: the asker asked for a person, or the bot was unsure, or found nothing. */
export type HandoffReason = 'requested' | 'uncertain' | 'refused';
export const handoffReasons: readonly HandoffReason[] = ['requested', 'uncertain', 'refused'];

export interface HandoffInput {
  /** The exchange that opens (or joins) the ticket. */
  exchangeId: number;
  channel: ChannelName;
  chatId: string;
  /** The question the officer is asked to answer: the one before "转人工" when that is all the user wrote. */
  question: string;
  /** `question` normalised without 转人工: one open ticket per chat and this key. */
  normalizedQuestion: string;
  reason: HandoffReason;
  /** The closest measures the asker was shown, for the officer to start from. */
  citations: Citation[];
  time: Date;
}
export interface HandoffRecord extends HandoffInput {
  id: number;
  status: HandoffStatus;
  /** When the asker asked for a person (the opening 转人工, or a later one that joined the ticket). */
  requestedAt: Date | null;
  /** The latest exchange that opened or joined the ticket, and how many did. */
  lastExchangeId: number;
  asks: number;
  assigned: { officer: string; time: Date } | null;
  reply: { text: string; repliedBy: string; time: Date; replyExchangeId: number } | null;
  resolution: { by: string; time: Date; note: string } | null;
}
export interface HandoffQuery {
  /** Every status when omitted. */
  statuses?: readonly HandoffStatus[];
  /** Only tickets this officer took ("我接手的"). */
  assignedTo?: string;
  /** Newest first (resolved tickets), instead of oldest first (the queue). */
  newestFirst?: boolean;
  page?: PageRequest;
}
export interface HandoffCounts {
  byStatus: Record<HandoffStatus, number>;
  /** Open tickets assigned to the officer asked about (0 when none was named). */
  mine: number;
  oldestOpen: Date | null;
}
export interface HandoffResolution {
  status: 'closed' | 'dismissed';
  by: string;
  time: Date;
  note: string;
}

export interface AuditInput {
  time: Date;
  /** The officer who made the change. */
  officer: string;
  /** What was done, e.g. `officer.add`, `corpus.upload`, `clause.correct`, `reviewed.edit`, `handoff.close`. */
  action: string;
  /** What it was done to: an officer's name, a document or clause id, an answer or ticket number. */
  target: string;
  /** Before/after values and anything else needed to follow the change. */
  details: Record<string, unknown>;
}
export interface AuditRecord extends AuditInput {
  id: number;
}

export interface DateRange {
  from?: Date;
  to?: Date;
}

export interface OverviewCounts {
  /** Questions (not officer replies) per local day and channel; `day` is YYYY-MM-DD. */
  perDay: { day: string; channel: ChannelName; questions: number; refused: number; uncertain: number }[];
  totals: { questions: number; refused: number; uncertain: number };
  /** Latest verdict of each reviewed exchange, counted once per cited document. */
  verdictsByDocument: { docId: string; docTitle: string; verdict: Verdict; exchanges: number }[];
  /**
   * Latest verdict of each reviewed exchange, counted once per lead department (as spelled) and document of the
   * clauses it cites — the clauses the asker was shown, not everything retrieved.
   */
  verdictsByDepartment: { department: string; docId: string; verdict: Verdict; exchanges: number }[];
  /** Tickets opened in the range by status and reason, and how long each waited for an officer. */
  handoffs: {
    byStatus: Record<HandoffStatus, number>;
    byReason: Record<HandoffReason, number>;
    /** Milliseconds from opening to reply, close or dismissal, of the tickets resolved; ascending. */
    resolvedWaitsMs: number[];
    /** When each still open ticket was opened (open tickets of any date, not only the range). */
    openSince: Date[];
  };
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

/** pending → delivered, or failed once the retries are spent (or the platform refused for good). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';
export const deliveryStatuses: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];
/**
 * `send`: through the platform's send API (WeCom message/send). `passive`: WeCom without send credentials, where an
 * answer slower than the 5 s window can only go out as the passive reply to the asker's next message.
 */
export type OutboxRoute = 'send' | 'passive';

export interface OutboxInput {
  channel: ChannelName;
  /** Where the messages go (a WeCom member's userid). */
  chatId: string;
  userId: string;
  /** The asker's message this answers (WeCom MsgId), unique per channel; null for an officer's reply. */
  messageId: string | null;
  /** The question, asked again when the process that took it stopped before its answer was ready. */
  question: string;
  /** The messages to send in order; null while the answer is still being written. */
  messages: string[] | null;
  exchangeId: number | null;
  route: OutboxRoute;
  time: Date;
  /** No worker takes the entry up before this (an answer still being written here is given time to finish). */
  dueAt: Date;
}
export interface OutboxRecord extends OutboxInput {
  id: number;
  status: DeliveryStatus;
  /** Failed attempts so far. */
  attempts: number;
  /** Messages already sent: a retry resumes after them. */
  sentParts: number;
  lastError: string | null;
  /** When it was delivered or marked failed. */
  settledAt: Date | null;
  claimedBy: string | null;
  claimedUntil: Date | null;
}
export interface OutboxClaim {
  channel: ChannelName;
  holder: string;
  now: Date;
  claimedUntil: Date;
  limit: number;
}
export type OutboxOutcome =
  | { status: 'delivered' }
  | { status: 'failed'; error: string }
  /** Due again at `dueAt`; `attempted` counts a failed attempt (a stop that gives the entry back does not). */
  | { status: 'pending'; error: string | null; dueAt: Date; attempted: boolean };
export interface OutboxCounts {
  pending: number;
  failed: number;
  delivered: number;
  /** When the oldest pending entry was recorded. */
  oldestPending: Date | null;
}
/** An exchange's outbox entry as the log shows it. */
export interface ExchangeDelivery {
  status: DeliveryStatus;
  route: OutboxRoute;
  attempts: number;
  lastError: string | null;
  settledAt: Date | null;
}
