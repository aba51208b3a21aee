/**
 * The data that crosses the seam between the assistant core and its front ends
 * (channels, console, CLI). Field names of JSON-facing objects are snake_case
 * because they are the public shape of `policybot search/ask --json` and `/api/`.
 */

/** Where a question came from. */
export type ChannelName = 'wecom' | 'telegram' | 'console' | 'cli';

/** A question as the core sees it, whatever platform it arrived on. */
export interface Question {
  text: string;
  channel: ChannelName;
  /** Conversation key on that channel (a WeCom chatid/userid, a Telegram chat id). History is kept per chat. */
  chatId: string;
  userId: string;
  /** Platform id of the message, used to thread a later officer reply. */
  messageId?: string;
}

export type { Citation } from '../retrieval/citation.ts';
export type { ValidityStatus } from '../corpus/validity.ts';
import type { Citation } from '../retrieval/citation.ts';

export type AnswerMode = 'extractive' | 'llm' | 'reviewed' | 'handoff';

export interface Answer {
  question: string;
  /** Plain text with light Markdown (bold, lists) that every channel can render or strip. */
  answer: string;
  /** True when the corpus has no answer and the assistant says so. */
  refused: boolean;
  mode: AnswerMode;
  citations: Citation[];
  timing_ms: Record<string, number>;
}
