import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';

/** Repository root: corpus/, prompts/ and the default data directory are found from here. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Everything policybot reads from the environment, read once (from the process environment and `.env`).
 * Nothing else in the project reads `process.env`; `.env.example` documents every key.
 */
export interface Config {
  /** HTTP port of the console, the WeCom callback and the Telegram webhook. */
  port: number;
  /** Directory for the SQLite file and the vector index. */
  dataDir: string;
  /** SQLite file shared by the channels and the console (used when `databaseUrl` is not set). */
  databasePath: string;
  /** PostgreSQL URL shared by several workers; unset means the SQLite file. Holds a password: never logged. */
  databaseUrl?: string;
  /** Directory holding the corpus documents and their metadata; shared storage when workers run on several machines. */
  corpusDir: string;
  /** The saved vector index (and what the retriever computes from the clauses): built once, loaded by every worker. */
  indexDir: string;
  /** Address the HTTP server listens on: loopback behind a local nginx, a private address behind a remote balancer. */
  host: string;
  /** OpenAI-compatible endpoint for embeddings and chat; unset means offline defaults. */
  openai: { apiKey?: string; baseUrl?: string; chatModel?: string; embeddingModel?: string; timeoutMs: number };
  /** "hashed" (offline, default) or "openai" (the endpoint above). */
  embedder: 'hashed' | 'openai';
  wecom: {
    botId?: string; botSecret?: string; wsUrl?: string;
    token?: string; encodingAesKey?: string; corpId?: string; agentId?: string; corpSecret?: string; apiBase?: string;
  };
  telegram: { botToken?: string; apiRoot?: string; webhookUrl?: string; webhookSecret?: string };
  /** Officer seeded at start: "name:password". */
  officerSeed?: { name: string; password: string };
  /** Session lifetime for console sign-ins. */
  sessionHours: number;
  /** Per-user questions per minute on the chat channels. */
  rateLimitPerMinute: number;
  /** Longest question accepted, in characters. */
  maxQuestionChars: number;
  /** Addresses of the reverse proxies (nginx) whose X-Forwarded-For / X-Forwarded-Proto are believed; none by default. */
  trustedProxies: string[];
  /** Log question text (off by default: questions can hold business details). */
  debug: boolean;
  /** How often the server sends pushes queued by `corpus add` to subscribed chats, in milliseconds. */
  pushIntervalMs: number;
}

/** Reads the configuration. `env` defaults to the process environment merged with `.env` in the working directory. */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const dataDir = path.resolve(env.POLICYBOT_DATA_DIR ?? path.join(projectRoot, '.data'));
  const seed = env.POLICYBOT_OFFICER;
  const colon = seed?.indexOf(':') ?? -1;
  return {
    port: Number(env.PORT ?? 8080),
    dataDir,
    databasePath: path.resolve(env.DATABASE_PATH ?? path.join(dataDir, 'policybot.sqlite')),
    databaseUrl: env.DATABASE_URL || undefined,
    corpusDir: path.resolve(env.CORPUS_DIR ?? path.join(projectRoot, 'corpus', 'documents')),
    indexDir: path.resolve(env.POLICYBOT_INDEX_DIR ?? path.join(dataDir, 'index')),
    host: env.HOST || '127.0.0.1',
    openai: {
      apiKey: env.OPENAI_API_KEY || undefined,
      baseUrl: env.OPENAI_BASE_URL || undefined,
      chatModel: env.CHAT_MODEL || undefined,
      embeddingModel: env.EMBEDDING_MODEL || undefined,
      timeoutMs: Number(env.LLM_TIMEOUT_MS ?? 20_000),
    },
    embedder: env.EMBEDDER === 'openai' || (env.EMBEDDING_MODEL && env.EMBEDDER !== 'hashed') ? 'openai' : 'hashed',
    wecom: {
      botId: env.WECOM_BOT_ID || undefined,
      botSecret: env.WECOM_BOT_SECRET || undefined,
      wsUrl: env.WECOM_WS_URL || undefined,
      token: env.WECOM_TOKEN || undefined,
      encodingAesKey: env.WECOM_ENCODING_AES_KEY || undefined,
      corpId: env.WECOM_CORP_ID || undefined,
      agentId: env.WECOM_AGENT_ID || undefined,
      corpSecret: env.WECOM_CORP_SECRET || undefined,
      apiBase: env.WECOM_API_BASE || undefined,
    },
    telegram: {
      botToken: env.TELEGRAM_BOT_TOKEN || undefined,
      apiRoot: env.TELEGRAM_API_ROOT || undefined,
      webhookUrl: env.TELEGRAM_WEBHOOK_URL || undefined,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET || undefined,
    },
    officerSeed: seed && colon > 0 ? { name: seed.slice(0, colon), password: seed.slice(colon + 1) } : undefined,
    sessionHours: Number(env.SESSION_HOURS ?? 12),
    rateLimitPerMinute: Number(env.RATE_LIMIT_PER_MINUTE ?? 10),
    maxQuestionChars: Number(env.MAX_QUESTION_CHARS ?? 500),
    trustedProxies: (env.TRUSTED_PROXIES ?? '').split(',').map((address) => address.trim()).filter(Boolean),
    debug: env.POLICYBOT_DEBUG === '1',
    pushIntervalMs: Number(env.PUSH_INTERVAL_MS ?? 30_000),
  };
}

function readEnvironment(): Record<string, string | undefined> {
  const file = path.resolve('.env');
  const fromFile = existsSync(file) ? dotenv.config({ path: file, processEnv: {} }).parsed ?? {} : {};
  return { ...fromFile, ...process.env };
}
