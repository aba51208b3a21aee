/** Base of every error policybot throws on purpose: a stable `code` callers can act on, and the `cause`. */
export class PolicyBotError extends Error {
  constructor(readonly code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A document could not be read or parsed; `document` names the file or document id. */
export class CorpusParseError extends PolicyBotError {
  constructor(code: string, message: string, readonly document: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
