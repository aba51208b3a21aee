import { PolicyBotError } from '../../corpus/index.ts';

export type ConsoleStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 502 | 503;

/** A request the console turns down; `message` is shown to the officer as is, so it is Chinese. */
export class ConsoleRequestError extends PolicyBotError {
  constructor(
    readonly status: ConsoleStatus,
    code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
