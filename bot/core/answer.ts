/**
 * The data that crosses the seam between the assistant core and its front ends
 * (channels, console, CLI). Field names of JSON-facing objects are snake_case
 * because they are the public shape of `policybot search/ask --json` and `/api/`.
 */

/**
 * Where a question came from. The two WeCom modes are told apart, since an officer's reply must go back through the
 * mode the question came in on. `wecom` is what rows stored before that say (either mode): see `findChannel`.
 */
export type ChannelName = 'wecom-bot' | 'wecom-callback' | 'wecom' | 'telegram' | 'console' | 'cli';

/** A question as the core sees it, whatever platform it arrived on. */
export interface Question {
  text: string;
  channel: ChannelName;
  /** Conversation key on that channel (a WeCom chatid/userid, a Telegram chat id). History is kept per chat. */
  chatId: string;
  userId: string;
  /** Platform id of the message, used to thread a later officer reply. */
  messageId?: string;
  /**
   * The channel's reference for the reply it is about to send (WeCom's feedback id, the key in Telegram's button
   * data): the asker's 👍 / 👎 and button presses come back with it (`chat-feedback.ts`).
   */
  replyRef?: string;
  /**
   * The channel shows a 转人工 button under an answer the bot could not give (uncertain or refused): the desk then
   * leaves the hand-off to the asker's press instead of opening one by itself.
   */
  offersHandoffButton?: boolean;
}

export type { Citation } from '../../retrieval/index.ts';
export type { ValidityStatus } from '../../corpus/index.ts';
import type { Citation } from '../../retrieval/index.ts';

/** Who wrote the answer; `notice` is the bot's reply to what is not a question (empty, too long, a greeting); `match` lists the measures matching an enterprise's profile (`policy-match-chat.ts`). */
export type AnswerMode = 'extractive' | 'llm' | 'reviewed' | 'handoff' | 'notice' | 'match';

/**
 * What the assistant decided about a question:
 * - `answered`: a cited sentence states what is asked about the topic asked;
 * - `uncertain`: measures on the topic exist but none states what is asked — the closest are shown as related
 *   provisions and the question goes to an officer;
 * - `refused`: nothing in the corpus is on the topic (or the place is not covered, or it is not a policy question).
 */
export type Decision = 'answered' | 'uncertain' | 'refused';
export const decisions: readonly Decision[] = ['answered', 'uncertain', 'refused'];

/**
 * One part of an answer, in display order. The core says what to show; each surface (WeCom Markdown, Telegram
 * HTML, plain text, the console, the terminal, CSV) renders every part once in its own form (`answer-render.ts`).
 * Texts are plain: no Markdown markers.
 */
export type AnswerPart =
  /** A line said before anything else: what is missing, what is not covered, who reviewed the answer. */
  | { kind: 'notice'; text: string }
  /** The quoted sentence(s) of a cited clause: `intro` names the document and clause ("根据《…》(二)“…”"). */
  | { kind: 'quote'; source: number; intro: string; text: string }
  /** Who is responsible for the cited measure, or why the document names nobody. */
  | { kind: 'departments'; source: number; text: string }
  /** A labelled fact about the cited measure or its document: 实施阶段, 有效期, 文件联系方式, 文号, 发文单位. */
  | { kind: 'fact'; source: number; label: string; text: string }
  /** The document has expired or is not yet in force. */
  | { kind: 'warning'; source: number; text: string }
  /** Heads the parts about one place of a comparison ("清远"). */
  | { kind: 'heading'; text: string }
  /** Next steps (after a refusal or an uncertain answer). */
  | { kind: 'steps'; title: string; items: string[] }
  /** Prose written by an officer or a model, shown as written. */
  | { kind: 'text'; text: string };

export interface Answer {
  question: string;
  decision: Decision;
  /** True exactly when `decision` is `refused`. */
  refused: boolean;
  mode: AnswerMode;
  parts: AnswerPart[];
  /** The whole answer as plain text, sources included once (`renderPlainText(parts, citations)`): log, CSV, search. */
  answer: string;
  /**
   * The clauses the asker is shown, numbered from 1 as `source` in `parts`: the answer's sources, or for an
   * uncertain answer the related provisions. Only these count as cited (the console's charts, reviews).
   */
  citations: Citation[];
  /**
   * Officers should see this question: it is uncertain, or refused while on the topic of enterprise policy
   * (a named policy term the documents do not cover). Greetings, small talk, rule-change attempts and other
   * places are not officers' work.
   */
  toOfficer?: boolean;
  /** The desk opened a hand-off for this answer: an officer will reply in the same chat (`desk.ts`). */
  handedOff?: boolean;
  /** The exchange the desk logged this answer as, so a channel can record how it was delivered (`desk.ts`). */
  exchangeId?: number;
  /** Clauses retrieved but not shown, for debugging; never counted as cited. */
  retrieved?: { clause_id: string; score: number }[];
  timing_ms: Record<string, number>;
}
