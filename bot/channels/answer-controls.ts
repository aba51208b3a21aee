import { randomBytes } from 'node:crypto';
import type { Answer } from '../core/index.ts';

/**
 * Whether an answer carries the chat's 👍 / 👎: every answer to a question, not the bot's notices (empty or
 * overlong question, a greeting).
 */
export function carriesRating(answer: Answer): boolean {
  return answer.mode !== 'notice';
}

/**
 * Whether an answer carries the 转人工 button: the bot could not answer (uncertain or refused) a question that is
 * an officer's work (`toOfficer`), not small talk or another place. Not an officer's answer, not the hand-off
 * confirmation itself, not a notice. When the desk already handed it off (`handedOff`, an uncertain answer) the
 * button shows that, and a press only confirms it.
 */
export function offersHandoff(answer: Answer): boolean {
  return answer.toOfficer === true && answer.decision !== 'answered' && (answer.mode === 'extractive' || answer.mode === 'llm');
}

/**
 * A fresh reference for a reply, which the platform hands back with the asker's feedback: 16 characters of
 * [A-Za-z0-9_-], so it fits WeCom's feedback id and task_id alphabets and Telegram's 64-byte callback data.
 */
export function newReplyRef(): string {
  return randomBytes(12).toString('base64url');
}
