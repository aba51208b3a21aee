/** Structured details attached to a log line. Never put question text or secrets here unless `config.debug` says so. */
export type LogDetails = Record<string, unknown>;

/** What the channels log through; the default writes to the console. */
export interface ChannelLogger {
  info(message: string, details?: LogDetails): void;
  warn(message: string, details?: LogDetails): void;
  error(message: string, details?: LogDetails): void;
}

export const consoleLogger: ChannelLogger = {
  info: (message, details) => (details ? console.info(message, details) : console.info(message)),
  warn: (message, details) => (details ? console.warn(message, details) : console.warn(message)),
  error: (message, details) => (details ? console.error(message, details) : console.error(message)),
};

/**
 * A loggable summary of anything thrown: name, code and message, with every secret replaced.
 * SDK errors can carry request payloads (question text) and URLs holding tokens, so only these fields are kept.
 */
export function describeError(error: unknown, secrets: ReadonlyArray<string | undefined> = []): LogDetails {
  const redact = (text: string) =>
    secrets.reduce<string>((result, secret) => (secret ? result.split(secret).join('[REDACTED]') : result), text);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, ...(code === undefined ? {} : { code }), message: redact(error.message) };
  }
  // The WeCom SDK rejects with the raw acknowledgement frame, not an Error.
  if (typeof error === 'object' && error !== null && 'errcode' in error) {
    const frame = error as { errcode?: unknown; errmsg?: unknown };
    return { errcode: frame.errcode, errmsg: redact(String(frame.errmsg ?? '')) };
  }
  return { message: redact(String(error)) };
}
