import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Answer, Question } from '../../core/index.ts';
import type { Assistant } from '../../core/index.ts';
import type { Channel } from '../../desk/index.ts';
import type { Config } from '../../app/config.ts';
import type { OutboxRecord } from '../../store/index.ts';
import { formatPlainText, formatPlainTextMessages, splitText, utf8Length, WECOM_APP_TEXT_LIMIT_BYTES } from '../answer-format.ts';
import { ChannelError } from '../channel-error.ts';
import { createLogger, describeError, type Logger } from '../../logger.ts';
import { workerName } from '../../store/index.ts';
import { createOutboxDeliverer, type OutboxStore, type RetryPolicy } from '../../desk/index.ts';
import { createRateLimiter } from '../rate-limiter.ts';
import { memoryChannelState, type ChannelState } from '../channel-state.ts';
import { FAILURE } from '../reply-texts.ts';
import { createWeComAppApi, WeComApiError, type WeComAppApi } from './wecom-app-api.ts';
import { EnvelopeError, openEnvelope, sealEnvelope, type CallbackCredentials } from './wecom-envelope.ts';
import { buildFlatXml, parseFlatXml, readFlatXmlField } from './wecom-xml.ts';

export const WECOM_CALLBACK_PATH = '/wecom/callback';
/**
 * The largest callback body taken. A member's text is at most 2 048 bytes, so its encrypted envelope is about 3 KB
 * (base64 of random 16 + length 4 + XML + CorpID, padded to 32); WeCom's largest events (approval and contact changes)
 * are a few KB. 64 KB is ten times that, and a body of that size is scanned in well under a millisecond.
 */
export const WECOM_CALLBACK_MAX_BYTES = 64 * 1024;
/**
 * A signed timestamp further than this from our clock is refused (a captured request replayed later). WeCom signs
 * each attempt when it sends it and retries within seconds (three attempts, 5 s apart); five minutes leaves room for
 * clock skew between WeCom and this server.
 */
export const WECOM_TIMESTAMP_WINDOW_SECONDS = 5 * 60;
/**
 * WeCom retries an unanswered callback (5 s) three times in all with the same MsgId. A MsgId is remembered (in the
 * store when it is shared) for an hour, far longer than the timestamp window, so a replay is either too old or a
 * MsgId already taken.
 */
const DUPLICATE_TTL_MS = 60 * 60 * 1000;
/** Without the send-message API a slow answer cannot be sent later, so wait as long as WeCom's 5 s allows (1 s for the network). */
const PASSIVE_ONLY_WINDOW_MS = 4_000;
/**
 * A stop (SIGTERM) finishes sending what is due for at most 8 s, then exits: `docker stop` sends SIGKILL after 10 s
 * (Kubernetes after 30 s), and the console and store still have to close. Whatever is left stays pending in the store.
 */
export const OUTBOX_DRAIN_MS = 8_000;
/**
 * An acknowledged question whose answer is still being written is left to the worker writing it for this long; after
 * that any worker takes it as orphaned and answers it again. Answers are written within LLM_TIMEOUT_MS (20 s by
 * default: the model falls back to the extractive answer then), so this is that plus 40 s for a loaded machine.
 */
const ANSWER_GRACE_EXTRA_MS = 40_000;
/** What the asker sends, without send credentials, to collect an answer that missed the passive window. */
export const COLLECT_COMMAND = '查看答复';
export const PASSIVE_PENDING = `正在为您查找相关政策，答复需要较长时间。请约半分钟后发送“${COLLECT_COMMAND}”获取答复。`;
export const PASSIVE_STILL_WAITING = `答复仍在准备中，请稍后再发送“${COLLECT_COMMAND}”。`;
export const PASSIVE_NOTHING_WAITING = '目前没有待领取的答复，请直接发送您的问题。';

/**
 * What the callback mode reads of the configuration: its WeCom variables, the rate limits, the debug flag, and the
 * model's time limit (an answer still being written is left to its worker for that long plus a margin).
 */
export type WeComCallbackChannelConfig = {
  wecom: Pick<Config['wecom'], 'token' | 'encodingAesKey' | 'corpId' | 'agentId' | 'corpSecret' | 'apiBase'>;
  openai: Pick<Config['openai'], 'timeoutMs'>;
} & Pick<Config, 'rateLimitPerMinute' | 'maxQuestionChars' | 'debug'>;

export interface WeComCallbackChannelOptions {
  config: WeComCallbackChannelConfig;
  assistant: Assistant;
  logger?: Logger;
  /** Answers ready within this time are given in the HTTP response (a passive reply); later ones go through message/send. */
  passiveReplyWithinMs?: number;
  /** Rate windows and MsgIds already taken: in the store when several workers receive WeCom's retries. */
  state?: ChannelState;
  /** Where answers owed to askers are kept until sent (`state.outbox` by default): the store, so a restart or another worker sends them. */
  outbox?: OutboxStore;
  /** How often and how long a failing send is retried (`defaultRetryPolicy`). */
  retry?: RetryPolicy;
  /** How long an acknowledged question's answer is left to this worker before any worker answers it again. */
  answerGraceMs?: number;
}

export interface WeComCallbackChannel extends Channel {
  readonly name: 'wecom-callback';
  /** GET (URL verification) and POST (messages) on /wecom/callback. */
  readonly routes: Hono;
}

/**
 * WeCom's callback mode for a self-built app: URL verification and encrypted messages on /wecom/callback.
 * WeCom waits 5 s for the HTTP answer, so an answer ready within ~3 s is replied passively (encrypted XML);
 * otherwise "success" is answered at once and the answer follows through the send-message API.
 */
export function createWeComCallbackChannel(options: WeComCallbackChannelOptions): WeComCallbackChannel {
  const { config, assistant } = options;
  const { token, encodingAesKey, corpId, agentId, corpSecret, apiBase } = config.wecom;
  if (!token || !encodingAesKey || !corpId) {
    throw new ChannelError('WECOM_TOKEN, WECOM_ENCODING_AES_KEY and WECOM_CORP_ID must all be set: add them to .env', {
      code: 'CHANNEL_CONFIG',
      channel: 'wecom-callback',
    });
  }
  const credentials: CallbackCredentials = { token, encodingAesKey, receiverId: corpId };
  const secrets = [token, encodingAesKey, corpSecret];
  const logger = options.logger ?? createLogger({ secrets, name: 'wecom-callback' });
  const api: WeComAppApi | undefined = agentId && corpSecret ? createWeComAppApi({ apiBase, corpId, corpSecret, agentId }) : undefined;
  // 0 means every text answer is acknowledged at once and sent through the API.
  const passiveWindowMs = api ? (options.passiveReplyWithinMs ?? 3_000) : PASSIVE_ONLY_WINDOW_MS;
  const state = options.state ?? memoryChannelState();
  const limiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, maxQuestionChars: config.maxQuestionChars, window: state.rateWindow });
  const seen = state.seenMessages('wecom-callback', DUPLICATE_TTL_MS);
  const outbox = options.outbox ?? state.outbox;
  if (!outbox) {
    throw new ChannelError('the WeCom callback channel keeps the answers it owes in the store: pass the store (storeChannelState)', {
      code: 'CHANNEL_CONFIG',
      channel: 'wecom-callback',
    });
  }
  const answerGraceMs = options.answerGraceMs ?? config.openai.timeoutMs + ANSWER_GRACE_EXTRA_MS;
  /** Entries whose answer this process is writing now, and the writing itself (waited for on stop). */
  const answeringHere = new Map<number, Promise<void>>();
  const holder = workerName();
  const deliverer = api
    ? createOutboxDeliverer({
        store: outbox,
        channel: 'wecom-callback',
        holder,
        logger,
        secrets,
        retry: options.retry,
        send: (entry, message) => api.sendText(entry.chatId, message),
        compose: async (entry) => composeAnswer(entry.question, entry.chatId, entry.messageId),
        isPermanent: (error) => error instanceof WeComApiError && !error.retryable,
        isAnsweringHere: (id) => answeringHere.has(id),
      })
    : undefined;

  /** The answer's messages as they will be sent, the apology when answering failed. */
  const composeAnswer = async (text: string, user: string, msgId: string | null) => {
    try {
      const answer = await assistant.ask({ text, channel: 'wecom-callback', chatId: user, userId: user, messageId: msgId ?? undefined });
      return { messages: formatPlainTextMessages(answer), exchangeId: answer.exchangeId ?? null };
    } catch (error) {
      logFailure(error, msgId ?? '');
      return { messages: [FAILURE], exchangeId: null };
    }
  };

  /** The encrypted passive reply: a text message from the app to the asker. */
  const passiveReply = (toUser: string, content: string) =>
    sealEnvelope(
      credentials,
      buildFlatXml({
        ToUserName: toUser,
        FromUserName: corpId,
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'text',
        Content: content,
      }),
    );

  const sendMessages = async (toUser: string, messages: string[]) => {
    if (!api)
      throw new ChannelError('WECOM_AGENT_ID and WECOM_CORP_SECRET are needed to send WeCom messages: add them to .env', {
        code: 'CHANNEL_CONFIG',
        channel: 'wecom-callback',
      });
    for (const message of messages) await api.sendText(toUser, message);
  };

  /** The one error boundary for answering: log without the question, apologise by whatever route is still open. */
  const logFailure = (error: unknown, msgId: string) => logger.error('WeCom callback answer failed', { msgId, error: describeError(error, secrets) });

  const routes = new Hono();

  /** The signed query, or why it is refused: a missing part is malformed (400), a stale timestamp a replay (403). */
  const signedQuery = (c: Context): { signature: string; timestamp: string; nonce: string } | Response => {
    const { msg_signature: signature, timestamp, nonce } = c.req.query();
    if (!signature || !timestamp || !nonce) return unread(c, 'missing parameters', 400);
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!(Math.abs(Date.now() / 1000 - seconds) <= WECOM_TIMESTAMP_WINDOW_SECONDS)) {
      logger.warn('WeCom callback refused', { reason: 'timestamp' });
      return unread(c, 'forbidden', 403);
    }
    return { signature, timestamp, nonce };
  };

  routes.get(WECOM_CALLBACK_PATH, (c) => {
    const query = signedQuery(c);
    if (query instanceof Response) return query;
    const { echostr } = c.req.query();
    if (!echostr) return c.text('missing parameters', 400);
    try {
      // The query is already URL-decoded; base64 holds no spaces, so a space is a '+' that arrived unencoded.
      const plaintext = openEnvelope(credentials, { ...query, encrypted: echostr.replace(/ /g, '+') });
      return c.text(plaintext); // exactly the plaintext: no quotes, BOM or newline
    } catch (error) {
      return refuse(c, error);
    }
  });

  // The order is the point (issue 12): query and timestamp before the body is read, a bounded body, only <Encrypt>
  // taken from it, the signature over it checked, and only then the decrypted message parsed.
  routes.post(
    WECOM_CALLBACK_PATH,
    async (c, next) => {
      const query = signedQuery(c);
      return query instanceof Response ? query : next();
    },
    bodyLimit({ maxSize: WECOM_CALLBACK_MAX_BYTES, onError: (c) => unread(c, 'payload too large', 413) }),
    async (c) => {
      const query = signedQuery(c) as Exclude<ReturnType<typeof signedQuery>, Response>;
      const encrypted = readFlatXmlField(await c.req.text(), 'Encrypt');
      if (!encrypted) return c.text('missing parameters', 400);
      let message: Record<string, string>;
      try {
        message = parseFlatXml(openEnvelope(credentials, { ...query, encrypted }));
      } catch (error) {
        return refuse(c, error);
      }
      const user = message.FromUserName;
      // Events (enter_agent, subscribe…) and media have nothing to answer; "success" stops WeCom's retries.
      if (message.MsgType !== 'text' || !user) return c.text('success');
      const msgId = message.MsgId ?? `${user}:${message.CreateTime ?? ''}`;
      if (!(await seen.firstSeen(msgId))) return c.text('success');

      const check = await limiter.check(`wecom:${user}`, message.Content ?? '');
      if (!check.allowed) return c.text(passiveReply(user, check.reply));
      if (!api && check.question.trim() === COLLECT_COMMAND) return c.text(passiveReply(user, await collect(user)));
      if (config.debug) logger.info('WeCom callback question', { user, question: check.question });
      const question: Question = { text: check.question, channel: 'wecom-callback', chatId: user, userId: user, messageId: msgId };

      const answering = assistant.ask(question);
      let answer: Answer | undefined;
      try {
        if (passiveWindowMs > 0) answer = await within(answering, passiveWindowMs);
      } catch (error) {
        logFailure(error, msgId);
        return c.text(passiveReply(user, FAILURE));
      }
      if (answer) {
        const messages = formatPlainTextMessages(answer);
        // One passive reply carries one message; a longer answer goes through the API when it is configured.
        if (messages.length <= 1 || !api) return c.text(passiveReply(user, messages.length <= 1 ? (messages[0] ?? FAILURE) : formatPlainText(answer)));
      }

      // From here the answer goes out after WeCom is told "success": it is owed to the asker, so it is recorded in
      // the store first. Without send credentials it waits for the asker to collect it (查看答复).
      const now = new Date();
      let entry: OutboxRecord;
      let created: boolean;
      try {
        ({ entry, created } = await outbox.enqueueOutbox({
          channel: 'wecom-callback',
          chatId: user,
          userId: user,
          messageId: msgId,
          question: check.question,
          messages: answer ? formatPlainTextMessages(answer) : null,
          exchangeId: answer?.exchangeId ?? null,
          route: api ? 'send' : 'passive',
          time: now,
          dueAt: answer ? now : new Date(now.getTime() + answerGraceMs),
        }));
      } catch (error) {
        // Not recorded, so not acknowledged: WeCom retries in 5 s with the same MsgId, which must then be taken again.
        logFailure(error, msgId);
        await seen.forget(msgId).catch(() => undefined);
        return c.text('outbox unavailable', 503);
      }
      // Already owed (a retry after this worker's MsgId memory was lost): the first entry is answered and sent once.
      if (!created) return c.text(api ? 'success' : passiveReply(user, PASSIVE_PENDING));
      if (!answer) {
        const filled = answering
          .then((ready) => ({ messages: formatPlainTextMessages(ready), exchangeId: ready.exchangeId ?? null }))
          .catch((error: unknown) => {
            logFailure(error, msgId);
            return { messages: [FAILURE], exchangeId: null };
          })
          .then((content) => outbox.fillOutbox(entry.id, content, new Date()))
          .catch((error: unknown) => logFailure(error, msgId)) // left unfilled: answered again once the grace runs out
          .finally(() => {
            answeringHere.delete(entry.id);
            deliverer?.kick();
          });
        answeringHere.set(entry.id, filled);
      } else deliverer?.kick();
      return c.text(api ? 'success' : passiveReply(user, PASSIVE_PENDING));
    },
  );

  /**
   * A refusal sent without reading the body: the connection is closed after it, since the unread rest of the body
   * would otherwise be taken for the next request on a kept-alive connection.
   */
  const unread = (c: Context, text: string, status: 400 | 403 | 413) => {
    c.header('connection', 'close');
    return c.text(text, status);
  };

  /** Without send credentials: the passive reply to 查看答复 carries the answers that missed the window. */
  const collect = async (user: string): Promise<string> => {
    const { ready, waiting } = await outbox.takePassiveOutbox('wecom-callback', user, new Date());
    if (ready.length === 0) return waiting > 0 ? PASSIVE_STILL_WAITING : PASSIVE_NOTHING_WAITING;
    const text = ready.map((entry) => (entry.messages ?? []).join('\n')).join('\n\n');
    // One passive reply is one message of at most 2048 bytes: the first answer's beginning is what fits.
    const [first = FAILURE] = splitText(text, WECOM_APP_TEXT_LIMIT_BYTES, utf8Length);
    return first;
  };

  const refuse = (c: Context, error: unknown) => {
    const reason = error instanceof EnvelopeError ? error.reason : 'malformed';
    logger.warn('WeCom callback refused', { reason });
    return c.text(reason === 'malformed' ? 'bad request' : 'forbidden', reason === 'malformed' ? 400 : 403);
  };

  return {
    name: 'wecom-callback',
    routes,

    async start() {
      if (!api) logger.warn(passiveOnlyNotice(config));
      deliverer?.start();
      logger.info('WeCom callback ready', { path: WECOM_CALLBACK_PATH });
    },

    async stop() {
      // Answers being written here go into the outbox first, then what is due is sent; both within the one bound.
      const deadline = Date.now() + OUTBOX_DRAIN_MS;
      await within(Promise.allSettled([...answeringHere.values()]), OUTBOX_DRAIN_MS);
      await deliverer?.stop(Math.max(0, deadline - Date.now()));
    },

    async deliver(chatId, text) {
      // App messages cannot be threaded to a message; chatId is the member's userid.
      await sendMessages(chatId, splitText(text, WECOM_APP_TEXT_LIMIT_BYTES, utf8Length));
    },
  };
}

/** The value of `promise` if it settles within `milliseconds`, otherwise undefined (the promise keeps running). */
async function within<T>(promise: Promise<T>, milliseconds: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), milliseconds);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the start-up log says when only passive replies are possible: the missing variables and what the asker sees.
 * @example passiveOnlyNotice(config) // "企业微信自建应用（回调）只能被动回复：未设置 WECOM_AGENT_ID、WECOM_CORP_SECRET。…"
 */
export function passiveOnlyNotice(config: { wecom: Pick<Config['wecom'], 'agentId' | 'corpSecret'> }): string {
  const missing = [
    ['WECOM_AGENT_ID', config.wecom.agentId],
    ['WECOM_CORP_SECRET', config.wecom.corpSecret],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  return (
    `企业微信自建应用（回调）只能被动回复：未设置 ${missing.join('、')}。` +
    `${PASSIVE_ONLY_WINDOW_MS / 1000} 秒内答不完的问题会先回复“答复需要较长时间”，用户发送“${COLLECT_COMMAND}”才能领取答复；` +
    '超过一条消息（2048 字节）的答复会被截断，专员回复也无法发出。在 .env 中设置上述变量即可主动发送。'
  );
}
