import type { Config } from './app/config.ts';

/** Structured details attached to a log line. Never put question text or secrets here unless `config.debug` says so. */
export type LogDetails = Record<string, unknown>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The one logger of policybot: levels, a child per part (`logger.child('wecom')` prefixes its lines `[wecom]`), and
 * every line redacted — the configured secrets and common key shapes are replaced wherever they appear, in the
 * message or anywhere in the details (errors and their causes included).
 */
export interface Logger {
  debug(message: string, details?: LogDetails): void;
  info(message: string, details?: LogDetails): void;
  warn(message: string, details?: LogDetails): void;
  error(message: string, details?: LogDetails): void;
  /** The same sink, level and secrets, its lines named `parent/name`. */
  child(name: string): Logger;
}

export interface LoggerOptions {
  /** Lines below this level are dropped (default info; `POLICYBOT_DEBUG=1` means debug). */
  level?: LogLevel;
  /** Values replaced by [REDACTED] wherever they appear (API keys, tokens, passwords). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where a finished line goes; standard error by default. */
  write?: (line: string, level: LogLevel) => void;
  name?: string;
}

/**
 * @example
 * const logger = createLogger({ level: 'info', secrets: configSecrets(config) });
 * logger.child('telegram').warn('Telegram 按钮未能更新', { error: describeError(error) });
 * // → "WARN [telegram] Telegram 按钮未能更新 {"error":{"name":"TelegramError","message":"…"}}"
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = levelRank[options.level ?? 'info'];
  // Longest first, so a secret containing another is replaced whole. Very short values (a 2-character test token)
  // would blank ordinary words, so secrets under 6 characters are left to the shapes below.
  const secrets = [...new Set((options.secrets ?? []).filter((secret): secret is string => !!secret && secret.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  const write =
    options.write ??
    ((line: string) => {
      process.stderr.write(`${line}\n`);
    });
  const make = (name: string | undefined): Logger => {
    const emit = (level: LogLevel) => (message: string, details?: LogDetails) => {
      if (levelRank[level] < threshold) return;
      const text = [level.toUpperCase(), name ? `[${name}]` : '', message, details ? JSON.stringify(redactValue(details, secrets)) : '']
        .filter(Boolean)
        .join(' ');
      write(redactText(text, secrets), level);
    };
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      child: (child) => make(name ? `${name}/${child}` : child),
    };
  };
  return make(options.name);
}

/** A logger that drops everything (tests and tools that print nothing). */
export const silentLogger: Logger = createLogger({ write: () => {} });

/** The configured values that must never reach a log: API keys, bot secrets and tokens, the database password. */
export function configSecrets(config: Pick<Config, 'openai' | 'wecom' | 'telegram' | 'databaseUrl' | 'officerSeed'>): string[] {
  let databasePassword: string | undefined;
  try {
    databasePassword = config.databaseUrl ? decodeURIComponent(new URL(config.databaseUrl).password) || undefined : undefined;
  } catch {
    /* not a URL: the key shapes still catch user:password@ */
  }
  return [
    config.openai.apiKey,
    config.wecom.botSecret,
    config.wecom.corpSecret,
    config.wecom.encodingAesKey,
    config.wecom.token,
    config.telegram.botToken,
    config.telegram.webhookSecret,
    config.officerSeed?.password,
    databasePassword,
  ].filter((secret): secret is string => !!secret);
}

/**
 * Key shapes replaced even when not configured (an endpoint that echoes a key it was sent, a URL holding a token):
 * OpenAI-style `sk-…` keys, `Bearer …`, Telegram bot tokens (`123456:AA…`, also inside `/bot…/` URLs), credentials
 * in URLs, and key-like query parameters and JSON fields.
 */
const keyShapes: [RegExp, string][] = [
  [/\bsk-[A-Za-z0-9_-]{16,}/g, '[REDACTED]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [/\b\d{6,12}:[A-Za-z0-9_-]{30,}/g, '[REDACTED]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)[^@/?#\s]+@/gi, '$1[REDACTED]@'],
  [/([?&](?:access_token|corpsecret|secret|api[_-]?key|key|token|password|signature|msg_signature)=)[^&#\s"']+/gi, '$1[REDACTED]'],
  [/("(?:api[_-]?key|apiKey|access_token|secret|corpsecret|password|token|authorization)"\s*:\s*")[^"]*"/gi, '$1[REDACTED]"'],
];

/** `text` with every secret and key shape replaced by [REDACTED]. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join('[REDACTED]');
  for (const [shape, replacement] of keyShapes) result = result.replace(shape, replacement);
  return result;
}

function redactValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value instanceof Error) return describeError(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, secrets, depth + 1)]));
}

/**
 * A loggable summary of anything thrown: name, code, HTTP status and message, then its `cause` the same way (up to
 * five deep), every secret and key shape replaced. SDK errors carry request payloads (question text), headers and
 * URLs holding tokens, so only these fields are kept.
 */
export function describeError(error: unknown, secrets: ReadonlyArray<string | undefined> = [], depth = 0): LogDetails {
  const known = secrets.filter((secret): secret is string => !!secret);
  const redact = (text: string) => redactText(text, known);
  if (error instanceof Error) {
    const { code, status, cause } = error as { code?: unknown; status?: unknown; cause?: unknown };
    return {
      name: error.name,
      ...(code === undefined ? {} : { code }),
      ...(typeof status === 'number' ? { status } : {}),
      message: redact(error.message),
      ...(cause !== undefined && depth < 5 ? { cause: describeError(cause, known, depth + 1) } : {}),
    };
  }
  // The WeCom SDK rejects with the raw acknowledgement frame, not an Error.
  if (typeof error === 'object' && error !== null && 'errcode' in error) {
    const frame = error as { errcode?: unknown; errmsg?: unknown };
    return { errcode: frame.errcode, errmsg: redact(String(frame.errmsg ?? '')) };
  }
  return { message: redact(String(error)) };
}
