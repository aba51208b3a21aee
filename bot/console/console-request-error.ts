import { HTTPException } from 'hono/http-exception';
import type { CorpusAdminErrorCode } from './corpus-admin.ts';

export type ConsoleStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 502 | 503;

/** Every code a console refusal carries in its JSON body (`{ error: { code, message } }`); the page and the tests read them. */
export type ConsoleErrorCode =
  // The request itself: its body, fields, query and route.
  | 'BAD_REQUEST'
  | 'BAD_JSON'
  | 'JSON_REQUIRED'
  | 'TOO_LARGE'
  | 'TOO_LONG'
  | 'BAD_QUERY'
  | 'BAD_DATE'
  | 'NOT_FOUND'
  | 'CROSS_SITE'
  // Signing in and the officer's rights.
  | 'SIGNED_OUT'
  | 'BAD_CREDENTIALS'
  | 'TOO_MANY_ATTEMPTS'
  | 'OFFICER_DISABLED'
  | 'ADMIN_ONLY'
  // Officers' accounts.
  | 'WEAK_PASSWORD'
  | 'BAD_NAME'
  | 'BAD_ROLE'
  | 'OFFICER_EXISTS'
  | 'DISABLE_SELF'
  | 'LAST_ADMIN'
  // The log, reviews, reviewed answers and hand-offs.
  | 'BAD_VERDICT'
  | 'EMPTY_QUESTION'
  | 'QUESTION_TOO_LONG'
  | 'EMPTY_ANSWER'
  | 'BAD_SIMILARITY'
  | 'NOTHING_TO_CHANGE'
  | 'EMPTY_REASON'
  | 'EMPTY_REPLY'
  | 'HANDOFF_RESOLVED'
  // Matching and sending to a chat.
  | 'BAD_KIND'
  | 'BAD_THRESHOLD'
  | 'BAD_PROFILE'
  | 'BAD_CHANNEL'
  | 'BAD_CHAT'
  | 'CHANNEL_UNAVAILABLE'
  | 'DELIVERY_FAILED'
  // The corpus: read-only deployments, uploads (`CORPUS_` + the parser's code) and corrections.
  | 'CORPUS_READ_ONLY'
  | 'NO_FILE'
  | `CORPUS_${string}`
  | CorpusAdminErrorCode;

/**
 * A request the console turns down: the HTTP status, a stable `code` the page acts on, and `message`, shown to the
 * officer as is (so it is Chinese). It is Hono's `HTTPException`, not a `PolicyBotError` (the base of the errors
 * that are not about HTTP, which the console maps to a status in its `onError`): a refusal here *is* an HTTP answer,
 * HTTPException is what Hono and its middleware throw for one, and a class cannot extend both. The console's one
 * `onError` (console-app.ts) renders it as `{ error: { code, message } }` with its status.
 *
 * @example throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该问答记录');
 */
export class ConsoleRequestError extends HTTPException {
  override readonly status: ConsoleStatus;

  constructor(
    status: ConsoleStatus,
    readonly code: ConsoleErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(status, { message, cause: options.cause });
    this.status = status;
    this.name = 'ConsoleRequestError';
  }
}
