/**
 * Base of every error policybot throws on purpose: a stable `code` callers can act on, and the `cause`.
 * Codes are SCREAMING_SNAKE_CASE; a subclass narrows `Code` to the union of its own codes (`DeskErrorCode` is the
 * model), so a caller's `switch (error.code)` is checked by the compiler.
 *
 * It lives in corpus/, the bottom layer that every other layer already imports, and is exported from
 * `corpus/index.ts`: a separate top-level room for one class would need its own build entry (tsconfig includes,
 * dist/ freshness) and would say no more (docs/architecture.md, "Decisions").
 */
export class PolicyBotError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A document could not be read or parsed; `document` names the file or document id. */
export class CorpusParseError extends PolicyBotError {
  constructor(
    code: string,
    message: string,
    readonly document: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
