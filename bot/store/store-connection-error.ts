import { PolicyBotError } from '../../corpus/index.ts';

/** The configured database server could not be reached or refused us; thrown at start-up, before any request. */
export class StoreConnectionError extends PolicyBotError<'STORE_CONNECTION'> {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('STORE_CONNECTION', message, options);
  }
}
