import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Telegraf, type Context } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Message } from 'telegraf/types';
import type { Question } from '../../answer.ts';
import type { Assistant } from '../../assistant.ts';
import type { Channel } from '../../channel.ts';
import type { Config } from '../../config.ts';
import { escapeHtml, formatTelegramHtml, splitText, TELEGRAM_TEXT_LIMIT } from '../answer-format.ts';
import { ChannelAuthError, ChannelError } from '../channel-error.ts';
import { consoleLogger, describeError, type ChannelLogger } from '../channel-logger.ts';
import { ChatWorkQueue } from '../chat-work-queue.ts';
import { memoryChannelState, type ChannelState } from '../channel-state.ts';
import { createRateLimiter } from '../rate-limiter.ts';
import { FAILURE, INTRODUCTION, NO_SOURCES, SOURCES_HEADING } from '../reply-texts.ts';
import { addressedQuestion, startsWithCommand } from './telegram-addressing.ts';
import { withRetryAfter } from './telegram-retry.ts';

/** Telegram shows "typing…" for 5 s after each sendChatAction. */
const TYPING_REFRESH_MS = 4_500;
/** How long a stop waits for answers already being worked on. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface TelegramChannelOptions {
  config: Config;
  assistant: Assistant;
  /** Titles of the documents the assistant answers from, listed by /sources. */
  sources?: () => Promise<string[]> | string[];
  logger?: ChannelLogger;
  /** Delay before retrying a failed start (bad token, network down), doubling up to `maxMs`. */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Attempts per message and the longest `retry_after` honoured on 429. */
  sendRetry?: { maxAttempts: number; maxWaitSeconds: number };
  /** Rate windows and update ids already taken: in the store when several workers share one database. */
  state?: ChannelState;
}

/** Node `(request, response)` handler for Telegram's webhook POSTs; answers 403 on a wrong secret token. */
export type TelegramWebhookHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface TelegramChannel extends Channel {
  readonly name: 'telegram';
  /** Webhook mode only (config.telegram.webhookUrl set): the path part of the webhook URL, to mount the handler on. */
  readonly webhookPath?: string;
  /** Webhook mode only: telegraf's webhook callback, checking the `X-Telegram-Bot-Api-Secret-Token` header. */
  readonly webhookHandler?: TelegramWebhookHandler;
}

/**
 * The Telegram front end over the real telegraf client: long polling by default, a webhook when
 * `config.telegram.webhookUrl` is set. Answers every text in private chats; in groups only `/ask …`,
 * mentions of the bot and replies to its messages. Start never throws: a rejected token or an unreachable
 * API is logged and retried with backoff.
 */
export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { config, assistant, logger = consoleLogger } = options;
  const token = config.telegram.botToken;
  if (!token) throw new ChannelError('TELEGRAM_BOT_TOKEN is not set: add it to .env', { code: 'CHANNEL_CONFIG', channel: 'telegram' });
  const backoff = options.restartBackoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const sendRetry = options.sendRetry ?? { maxAttempts: 4, maxWaitSeconds: 60 };
  const webhookUrl = config.telegram.webhookUrl;
  // Telegram only sends the secret header when one was set; derive a stable one from the token rather than run unauthenticated.
  const webhookSecret = config.telegram.webhookSecret ?? createHash('sha256').update(`policybot-webhook:${token}`).digest('hex').slice(0, 48);
  const secrets = [token, webhookSecret];
  const webhookPath = webhookUrl ? new URL(webhookUrl).pathname : undefined;

  const bot = new Telegraf(token, { telegram: config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {} });
  // Otherwise the first sendChatAction of a webhook update would be written into the HTTP response, unconfirmed.
  bot.telegram.webhookReply = false;
  const state = options.state ?? memoryChannelState();
  const limiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, maxQuestionChars: config.maxQuestionChars, window: state.rateWindow });
  // Telegram redelivers a webhook update it got no 2xx for, perhaps to another worker; a day outlives its retries.
  const seen = state.seenMessages('telegram', 24 * 60 * 60 * 1000);
  const work = new ChatWorkQueue((error) => logger.error('Telegram task failed', { error: describeError(error, secrets) }));

  const send = (chatId: number | string, html: string, replyTo?: number) =>
    withRetryAfter(() => bot.telegram.sendMessage(chatId, html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }),
    }), sendRetry);

  const sendAll = async (chatId: number, messages: string[], replyTo?: number) => {
    for (const [index, html] of messages.entries()) await send(chatId, html, index === 0 ? replyTo : undefined);
  };

  /** The one error boundary: telegraf's `bot.catch` and the queued answering work both end here. */
  const handleError = async (error: unknown, ctx: Context) => {
    logger.error('Telegram update failed', { updateId: ctx.update.update_id, chatId: ctx.chat?.id, error: describeError(error, secrets) });
    if (ctx.chat) await send(ctx.chat.id, escapeHtml(FAILURE)).catch(() => undefined);
  };
  bot.catch(handleError);
  bot.use(async (ctx, next) => {
    if (await seen.firstSeen(String(ctx.update.update_id))) await next();
  });
  const webhookCallback = webhookPath ? bot.webhookCallback(webhookPath, { secretToken: webhookSecret }) : undefined;

  /** Threads replies to the asker's message in groups; in a private chat the reply is obvious. */
  const replyTarget = (ctx: Context & { message: Message }) => (ctx.message.chat.type === 'private' ? undefined : ctx.message.message_id);

  const enqueue = (ctx: Context & { message: Message }, task: () => Promise<void>) => {
    // Keyed per asker: one slow answer neither blocks other chats nor other members of a group.
    work.push(`${ctx.message.chat.id}:${ctx.message.from?.id ?? ''}`, () => task().catch((error) => handleError(error, ctx)));
  };

  const keepTyping = (chatId: number) => {
    const typing = () => void bot.telegram.sendChatAction(chatId, 'typing').catch(() => undefined); // only a hint
    typing();
    const timer = setInterval(typing, TYPING_REFRESH_MS);
    return () => clearInterval(timer);
  };

  const answer = async (ctx: Context & { message: Message }, text: string) => {
    const chatId = ctx.message.chat.id;
    const userId = String(ctx.message.from?.id ?? chatId);
    const replyTo = replyTarget(ctx);
    const check = await limiter.check(`telegram:${userId}`, text);
    if (!check.allowed) return void (await send(chatId, escapeHtml(check.reply), replyTo));
    if (config.debug) logger.info('Telegram question', { chatId, question: check.question });
    const question: Question = {
      text: check.question, channel: 'telegram', chatId: String(chatId), userId, messageId: String(ctx.message.message_id),
    };
    const stopTyping = keepTyping(chatId);
    try {
      const reply = await assistant.ask(question);
      const messages = formatTelegramHtml(reply);
      await sendAll(chatId, messages.length > 0 ? messages : [escapeHtml(FAILURE)], replyTo);
    } finally {
      stopTyping();
    }
  };

  const introduce = (ctx: Context & { message: Message }) =>
    enqueue(ctx, () => send(ctx.message.chat.id, escapeHtml(INTRODUCTION), replyTarget(ctx)).then(() => undefined));

  bot.start(introduce);
  bot.help(introduce);
  bot.command('sources', (ctx) => enqueue(ctx, async () => {
    const titles = (await options.sources?.()) ?? [];
    const list = titles.length > 0 ? `${SOURCES_HEADING}\n${titles.map((title) => `• ${title}`).join('\n')}` : NO_SOURCES;
    await sendAll(ctx.message.chat.id, splitText(list, TELEGRAM_TEXT_LIMIT, (text) => escapeHtml(text).length).map(escapeHtml), replyTarget(ctx));
  }));
  bot.command('ask', (ctx) => enqueue(ctx, () => answer(ctx, ctx.payload)));
  bot.on(message('text'), (ctx) => {
    const question = addressedQuestion(ctx.message, ctx.botInfo);
    if (question !== null) return enqueue(ctx, () => answer(ctx, question));
    // An unknown command in a private chat gets the introduction; anything unaddressed in a group gets silence.
    if (ctx.message.chat.type === 'private' && startsWithCommand(ctx.message.entities ?? [])) introduce(ctx);
  });

  let loop: Promise<void> | undefined;
  let stopping = false;
  let wakeFromPause: (() => void) | undefined;

  const pause = (milliseconds: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    wakeFromPause = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  const logStartFailure = (error: unknown, retryInMs: number) => {
    const code = (error as { code?: unknown }).code;
    const details = { retryInMs, error: describeError(error, secrets) };
    // Telegram answers 401 to a revoked token and 404 to a malformed one.
    if (code === 401 || code === 404) {
      const authError = new ChannelAuthError('TELEGRAM_BOT_TOKEN was rejected: check it with BotFather', { channel: 'telegram', cause: error });
      logger.error(authError.message, details);
    } else if (code === 409) {
      logger.error('Telegram reports a conflict: another process is polling with this TELEGRAM_BOT_TOKEN, or a webhook is set', details);
    } else {
      logger.error('Telegram Bot API is unreachable or failing: check the network (or TELEGRAM_API_ROOT); retrying', details);
    }
  };

  /** Connects, and reconnects with backoff whenever starting or polling fails, until stopped. */
  const supervise = async (started: () => void) => {
    let delay = backoff.initialMs;
    while (!stopping) {
      try {
        bot.botInfo = await bot.telegram.getMe();
        delay = backoff.initialMs;
        if (webhookUrl) {
          await bot.telegram.setWebhook(webhookUrl, { secret_token: webhookSecret, allowed_updates: ['message'] });
          logger.info('Telegram webhook set', { bot: bot.botInfo.username, path: webhookPath });
          return started();
        }
        logger.info('Telegram long polling started', { bot: bot.botInfo.username });
        await bot.launch({ allowedUpdates: ['message'] }, started);
      } catch (error) {
        if (stopping) return;
        logStartFailure(error, delay);
        started(); // start() resolves after the first attempt either way; the process carries on without Telegram meanwhile
        await pause(delay);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  };

  return {
    name: 'telegram',
    webhookPath,
    webhookHandler: webhookCallback && ((request, response) => webhookCallback(request, response)),

    async start() {
      if (loop) return;
      stopping = false;
      await new Promise<void>((resolve) => {
        loop = supervise(resolve).catch((error) => logger.error('Telegram supervisor failed', { error: describeError(error, secrets) })).finally(resolve);
      });
    },

    async stop() {
      stopping = true;
      wakeFromPause?.();
      const running = loop;
      loop = undefined;
      if (running && !webhookUrl) {
        // bot.stop() throws while launch() is still between getMe and polling; keep asking until the loop ends.
        let ended = false;
        void running.then(() => { ended = true; });
        while (!ended) {
          try { bot.stop('policybot stopping'); } catch { /* not polling yet */ }
          await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 50))]);
        }
      }
      await running;
      await work.drain(DRAIN_TIMEOUT_MS);
    },

    async deliver(chatId, text, replyToMessageId) {
      const replyTo = replyToMessageId === undefined ? undefined : Number(replyToMessageId);
      const pieces = splitText(text, TELEGRAM_TEXT_LIMIT, (value) => escapeHtml(value).length).map(escapeHtml);
      for (const [index, html] of pieces.entries()) await send(chatId, html, index === 0 ? replyTo : undefined);
    },
  };
}
