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

/** Validity of the cited document on the day the answer was given. */
export type ValidityStatus = 'in_force' | 'expired' | 'not_yet_in_force' | 'unknown';

/** One cited clause: the same object in `policybot search --json`, `policybot ask --json` and `/api/`. */
export interface Citation {
  doc_id: string;
  doc_title: string;
  doc_number: string | null;
  issuer: string | null;
  clause_id: string;
  clause_label: string;
  clause_path: string[];
  text: string;
  /** The sentence(s) of `text` that answer the question. */
  quote: string;
  lead_departments: string[];
  support_departments: string[];
  /** How the document assigns departments, when not per clause (e.g. only a cover-note contact). */
  department_note: string | null;
  /** Implementation period as written (e.g. "2023-2027年"). */
  period: string | null;
  validity_status: ValidityStatus;
  validity_note: string;
  contact: string | null;
  score: number;
}

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
