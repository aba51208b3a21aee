import { PolicyBotError } from '../../corpus/index.ts';

/**
 * The database file cannot be used by this version of policybot (written by a newer release).
 * Thrown at start-up, before any request is served.
 */
export class StoreSchemaError extends PolicyBotError<'STORE_SCHEMA'> {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('STORE_SCHEMA', message, options);
  }
}
