import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import dotenv from 'dotenv';
import { PolicyBotError } from '../../corpus/index.ts';
import { projectRoot } from '../../corpus/index.ts';

/** Repository root: corpus/, prompts/ and the default data directory are found from here (sources or dist/). */
export { projectRoot };

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
  openai: {
    apiKey?: string;
    baseUrl?: string;
    chatModel?: string;
    embeddingModel?: string;
    timeoutMs: number;
    /** EXAMPLE_QUESTIONS=1: the chat model writes example questions per clause for retrieval (off by default: one call per clause). */
    exampleQuestions: boolean;
  };
  /** "hashed" (offline, default) or "openai" (the endpoint above). */
  embedder: 'hashed' | 'openai';
  wecom: {
    botId?: string;
    botSecret?: string;
    wsUrl?: string;
    token?: string;
    encodingAesKey?: string;
    corpId?: string;
    agentId?: string;
    corpSecret?: string;
    apiBase?: string;
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

/**
 * The configuration is wrong: every problem found, each naming the variable and the form it takes, in one message,
 * so that one start shows everything to fix. Values that may hold a secret are never repeated.
 */
export class ConfigError extends PolicyBotError {
  constructor(readonly problems: string[]) {
    super('CONFIG', `配置有误，未启动：\n${problems.map((problem) => `  · ${problem}`).join('\n')}\n请改正 .env 或环境变量（每一项的说明见 .env.example）。`);
  }
}

/**
 * Reads and checks the configuration; throws ConfigError listing every value that is not of its form (a number
 * that is not a number, an unknown EMBEDDER, a malformed URL). Unset and empty mean the default.
 * `env` defaults to the process environment merged with `.env` in the working directory.
 *
 * @example loadConfig({ RATE_LIMIT_PER_MINUTE: 'ten' }) // throws: RATE_LIMIT_PER_MINUTE=“ten”：应为 1–1000 的整数…
 */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const problems: string[] = [];
  const given = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  /** A whole number in [min, max]; `meaning` says what it counts, for the message. */
  const integer = (name: string, fallback: number, min: number, max: number, meaning: string): number => {
    const value = given(name);
    if (value === undefined) return fallback;
    const number = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (number >= min && number <= max) return number;
    problems.push(`${name}=“${value}”：应为 ${min}–${max} 的整数（${meaning}），如 ${name}=${fallback}`);
    return fallback;
  };
  const url = (name: string, protocols: string[], example: string, options: { secret?: boolean } = {}): string | undefined => {
    const value = given(name);
    if (value === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      // Reported below.
    }
    if (parsed && protocols.includes(parsed.protocol) && parsed.hostname) return value;
    const shown = options.secret ? `${name}（值含密码，不显示）` : `${name}=“${value}”`;
    problems.push(`${shown}：应为 ${protocols.map((protocol) => `${protocol}//`).join(' 或 ')} 开头的完整网址，如 ${example}`);
    return undefined;
  };

  const dataDir = path.resolve(given('POLICYBOT_DATA_DIR') ?? path.join(projectRoot, '.data'));
  const seed = given('POLICYBOT_OFFICER');
  const colon = seed?.indexOf(':') ?? -1;
  if (seed !== undefined && (colon <= 0 || colon === seed.length - 1))
    problems.push('POLICYBOT_OFFICER（值含密码，不显示）：应为“账号名:密码”，如 POLICYBOT_OFFICER=admin:一个足够长的密码');
  const embedderName = given('EMBEDDER');
  if (embedderName !== undefined && embedderName !== 'hashed' && embedderName !== 'openai') {
    problems.push(`EMBEDDER=“${embedderName}”：应为 hashed（离线，默认）或 openai（OPENAI_BASE_URL 的嵌入接口，需设 EMBEDDING_MODEL）`);
  }
  if (embedderName === 'openai' && !given('EMBEDDING_MODEL')) problems.push('EMBEDDER=openai 需要 EMBEDDING_MODEL（嵌入模型名，如 EMBEDDING_MODEL=bge-m3）');
  const debug = given('POLICYBOT_DEBUG');
  if (debug !== undefined && debug !== '0' && debug !== '1') problems.push(`POLICYBOT_DEBUG=“${debug}”：应为 1（日志记录问题原文）或 0（不记录，默认）`);
  const trustedProxies = (given('TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const notAddresses = trustedProxies.filter((address) => isIP(address) === 0);
  if (notAddresses.length > 0)
    problems.push(`TRUSTED_PROXIES 中的“${notAddresses.join('、')}”不是 IP 地址：应为逗号分隔的反向代理地址，如 TRUSTED_PROXIES=127.0.0.1,::1`);
  const exampleQuestions = given('EXAMPLE_QUESTIONS');
  if (exampleQuestions !== undefined && exampleQuestions !== '0' && exampleQuestions !== '1')
    problems.push(`EXAMPLE_QUESTIONS=“${exampleQuestions}”：应为 1（让 CHAT_MODEL 为每条措施写示例问题，帮助检索）或 0（默认）`);
  else if (exampleQuestions === '1' && !given('CHAT_MODEL')) problems.push('EXAMPLE_QUESTIONS=1 需要 CHAT_MODEL（写示例问题的大模型）');
  const sessionHours = given('SESSION_HOURS');
  const sessionHoursValue = sessionHours === undefined ? 12 : /^\s*\d+(\.\d+)?\s*$/.test(sessionHours) ? Number(sessionHours) : Number.NaN;
  if (!(sessionHoursValue > 0 && sessionHoursValue <= 24 * 90))
    problems.push(`SESSION_HOURS=“${sessionHours}”：应为大于 0、不超过 2160 的小时数（控制台登录的有效时长），如 SESSION_HOURS=12`);

  const config: Config = {
    port: integer('PORT', 8080, 0, 65_535, '控制台和回调的端口；0 表示任一空闲端口'),
    dataDir,
    databasePath: path.resolve(given('DATABASE_PATH') ?? path.join(dataDir, 'policybot.sqlite')),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://policybot:密码@127.0.0.1:5432/policybot', { secret: true }),
    corpusDir: path.resolve(given('CORPUS_DIR') ?? path.join(projectRoot, 'corpus', 'documents')),
    indexDir: path.resolve(given('POLICYBOT_INDEX_DIR') ?? path.join(dataDir, 'index')),
    host: given('HOST') ?? '127.0.0.1',
    openai: {
      apiKey: given('OPENAI_API_KEY'),
      baseUrl: url('OPENAI_BASE_URL', ['http:', 'https:'], 'http://127.0.0.1:11434/v1'),
      chatModel: given('CHAT_MODEL'),
      embeddingModel: given('EMBEDDING_MODEL'),
      timeoutMs: integer('LLM_TIMEOUT_MS', 20_000, 100, 600_000, '等大模型回答的毫秒数，超时改给摘录原文的回答'),
      exampleQuestions: exampleQuestions === '1',
    },
    embedder: embedderName === 'openai' || (given('EMBEDDING_MODEL') && embedderName !== 'hashed') ? 'openai' : 'hashed',
    wecom: {
      botId: given('WECOM_BOT_ID'),
      botSecret: given('WECOM_BOT_SECRET'),
      wsUrl: url('WECOM_WS_URL', ['wss:', 'ws:'], 'wss://openws.work.weixin.qq.com'),
      token: given('WECOM_TOKEN'),
      encodingAesKey: given('WECOM_ENCODING_AES_KEY'),
      corpId: given('WECOM_CORP_ID'),
      agentId: given('WECOM_AGENT_ID'),
      corpSecret: given('WECOM_CORP_SECRET'),
      apiBase: url('WECOM_API_BASE', ['https:', 'http:'], 'https://qyapi.weixin.qq.com'),
    },
    telegram: {
      botToken: given('TELEGRAM_BOT_TOKEN'),
      apiRoot: url('TELEGRAM_API_ROOT', ['https:', 'http:'], 'https://api.telegram.org'),
      webhookUrl: url('TELEGRAM_WEBHOOK_URL', ['https:', 'http:'], 'https://bot.example.gov.cn/telegram/webhook'),
      webhookSecret: given('TELEGRAM_WEBHOOK_SECRET'),
    },
    officerSeed: seed && colon > 0 && colon < seed.length - 1 ? { name: seed.slice(0, colon), password: seed.slice(colon + 1) } : undefined,
    sessionHours: sessionHoursValue > 0 ? sessionHoursValue : 12,
    rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 10, 1, 1_000, '每位用户每分钟可问的问题数'),
    maxQuestionChars: integer('MAX_QUESTION_CHARS', 500, 1, 10_000, '一个问题最多的字数'),
    trustedProxies,
    debug: debug === '1',
    pushIntervalMs: integer('PUSH_INTERVAL_MS', 30_000, 10, 86_400_000, '发送新政策提醒的间隔毫秒数'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readEnvironment(): Record<string, string | undefined> {
  const file = path.resolve('.env');
  const fromFile = existsSync(file) ? (dotenv.config({ path: file, processEnv: {} }).parsed ?? {}) : {};
  return { ...fromFile, ...process.env };
}
