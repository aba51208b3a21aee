import { Hono, type Context } from 'hono';
import type { Answer, Question } from '../../answer.ts';
import type { Assistant } from '../../assistant.ts';
import type { Channel } from '../../channel.ts';
import type { Config } from '../../config.ts';
import { formatPlainText, formatPlainTextMessages, splitText, utf8Length, WECOM_APP_TEXT_LIMIT_BYTES } from '../answer-format.ts';
import { ChannelError } from '../channel-error.ts';
import { configSecrets, createLogger, describeError, type Logger } from '../../logger.ts';
import { ChatWorkQueue } from '../chat-work-queue.ts';
import { createRateLimiter } from '../rate-limiter.ts';
import { memoryChannelState, type ChannelState } from '../channel-state.ts';
import { FAILURE } from '../reply-texts.ts';
import { createWeComAppApi, type WeComAppApi } from './wecom-app-api.ts';
import { EnvelopeError, openEnvelope, sealEnvelope, type CallbackCredentials } from './wecom-envelope.ts';
import { buildFlatXml, parseFlatXml } from './wecom-xml.ts';

export const WECOM_CALLBACK_PATH = '/wecom/callback';
/** WeCom retries an unanswered callback (5 s) three times in all with the same MsgId; an hour outlives any retry. */
const DUPLICATE_TTL_MS = 60 * 60 * 1000;
/** Without the send-message API a slow answer cannot be delivered later, so wait as long as WeCom's 5 s allows. */
const PASSIVE_ONLY_WINDOW_MS = 4_000;
const DRAIN_TIMEOUT_MS = 10_000;

export interface WeComCallbackChannelOptions {
  config: Config;
  assistant: Assistant;
  logger?: Logger;
  /** Answers ready within this time are given in the HTTP response (a passive reply); later ones go through message/send. */
  passiveReplyWithinMs?: number;
  /** Rate windows and MsgIds already taken: in the store when several workers receive WeCom's retries. */
  state?: ChannelState;
}

export interface WeComCallbackChannel extends Channel {
  readonly name: 'wecom';
  /** GET and POST /wecom/callback, to mount on the shared app: `app.route('/', channel.routes)`. */
  readonly routes: Hono;
}

/**
 * WeCom's callback mode for a self-built app: URL verification and encrypted messages on /wecom/callback.
 * WeCom waits 5 s for the HTTP answer, so an answer ready within ~3 s is replied passively (encrypted XML);
 * otherwise "success" is answered at once and the answer follows through the send-message API.
 */
export function createWeComCallbackChannel(options: WeComCallbackChannelOptions): WeComCallbackChannel {
  const { config, assistant, logger = createLogger({ secrets: configSecrets(config), name: 'wecom-callback' }) } = options;
  const { token, encodingAesKey, corpId, agentId, corpSecret, apiBase } = config.wecom;
  if (!token || !encodingAesKey || !corpId) {
    throw new ChannelError('WECOM_TOKEN, WECOM_ENCODING_AES_KEY and WECOM_CORP_ID must all be set: add them to .env', {
      code: 'CHANNEL_CONFIG', channel: 'wecom-callback',
    });
  }
  const credentials: CallbackCredentials = { token, encodingAesKey, receiverId: corpId };
  const secrets = [token, encodingAesKey, corpSecret];
  const api: WeComAppApi | undefined = agentId && corpSecret ? createWeComAppApi({ apiBase, corpId, corpSecret, agentId }) : undefined;
  const passiveWindowMs = api ? (options.passiveReplyWithinMs ?? 3_000) : PASSIVE_ONLY_WINDOW_MS;
  const state = options.state ?? memoryChannelState();
  const limiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, maxQuestionChars: config.maxQuestionChars, window: state.rateWindow });
  const seen = state.seenMessages('wecom-callback', DUPLICATE_TTL_MS);
  const work = new ChatWorkQueue((error) => logger.error('WeCom send failed', { error: describeError(error, secrets) }));

  /** The encrypted passive reply: a text message from the app to the asker. */
  const passiveReply = (toUser: string, content: string) =>
    sealEnvelope(credentials, buildFlatXml({
      ToUserName: toUser, FromUserName: corpId, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: content,
    }));

  const sendMessages = async (toUser: string, messages: string[]) => {
    if (!api) throw new ChannelError('WECOM_AGENT_ID and WECOM_CORP_SECRET are needed to send WeCom messages: add them to .env', { code: 'CHANNEL_CONFIG', channel: 'wecom-callback' });
    for (const message of messages) await api.sendText(toUser, message);
  };

  /** The one error boundary for answering: log without the question, apologise by whatever route is still open. */
  const logFailure = (error: unknown, msgId: string) =>
    logger.error('WeCom callback answer failed', { msgId, error: describeError(error, secrets) });

  const routes = new Hono();

  routes.get(WECOM_CALLBACK_PATH, (c) => {
    const { msg_signature: signature, timestamp, nonce, echostr } = c.req.query();
    if (!signature || !timestamp || !nonce || !echostr) return c.text('missing parameters', 400);
    try {
      // The query is already URL-decoded; base64 holds no spaces, so a space is a '+' that arrived unencoded.
      const plaintext = openEnvelope(credentials, { signature, timestamp, nonce, encrypted: echostr.replace(/ /g, '+') });
      return c.text(plaintext); // exactly the plaintext: no quotes, BOM or newline
    } catch (error) {
      return refuse(c, error);
    }
  });

  routes.post(WECOM_CALLBACK_PATH, async (c) => {
    const { msg_signature: signature, timestamp, nonce } = c.req.query();
    const encrypted = parseFlatXml(await c.req.text()).Encrypt;
    if (!signature || !timestamp || !nonce || !encrypted) return c.text('missing parameters', 400);
    let message: Record<string, string>;
    try {
      message = parseFlatXml(openEnvelope(credentials, { signature, timestamp, nonce, encrypted }));
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
    if (config.debug) logger.info('WeCom callback question', { user, question: check.question });
    const question: Question = { text: check.question, channel: 'wecom', chatId: user, userId: user, messageId: msgId };

    const answering = assistant.ask(question);
    let answer: Answer | undefined;
    try {
      answer = await within(answering, passiveWindowMs);
    } catch (error) {
      logFailure(error, msgId);
      return c.text(passiveReply(user, FAILURE));
    }
    if (answer) {
      const messages = formatPlainTextMessages(answer);
      // One passive reply carries one message; a longer answer goes through the API when it is configured.
      if (messages.length <= 1 || !api) return c.text(passiveReply(user, messages.length <= 1 ? (messages[0] ?? FAILURE) : formatPlainText(answer)));
    }
    work.push(user, async () => {
      try {
        await sendMessages(user, formatPlainTextMessages(await answering));
      } catch (error) {
        logFailure(error, msgId);
        if (api) await api.sendText(user, FAILURE).catch(() => undefined);
      }
    });
    return c.text('success');
  });

  const refuse = (c: Context, error: unknown) => {
    const reason = error instanceof EnvelopeError ? error.reason : 'malformed';
    logger.warn('WeCom callback refused', { reason });
    return c.text(reason === 'malformed' ? 'bad request' : 'forbidden', reason === 'malformed' ? 400 : 403);
  };

  return {
    name: 'wecom',
    routes,

    async start() {
      if (!api) {
        logger.warn(`WeCom callback: answers slower than ${PASSIVE_ONLY_WINDOW_MS / 1000} s cannot be delivered; set WECOM_AGENT_ID and WECOM_CORP_SECRET to send them through the API`);
      }
      logger.info('WeCom callback ready', { path: WECOM_CALLBACK_PATH });
    },

    async stop() {
      await work.drain(DRAIN_TIMEOUT_MS);
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
