import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { Telegraf, type Context } from 'telegraf';
import { message } from 'telegraf/filters';
import type { CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message } from 'telegraf/types';
import type { Question } from '../../core/index.ts';
import type { Assistant } from '../../core/index.ts';
import type { Channel } from '../../desk/index.ts';
import type { ChatFeedback, FeedbackReceiver } from '../../desk/index.ts';
import type { Config } from '../../app/config.ts';
import { handoffNotice } from '../../desk/index.ts';
import { escapeHtml, formatTelegramHtml, splitText, TELEGRAM_TEXT_LIMIT } from '../answer-format.ts';
import { carriesRating, newReplyRef, offersHandoff } from '../answer-controls.ts';
import { ChannelError } from '../channel-error.ts';
import { createLogger, describeError, type Logger } from '../../logger.ts';
import { ChatWorkQueue } from '../chat-work-queue.ts';
import { memoryChannelState, type ChannelState } from '../channel-state.ts';
import { createRateLimiter } from '../rate-limiter.ts';
import {
  FAILURE,
  FEEDBACK_FAILED,
  HANDOFF_ALREADY_OPEN,
  HANDOFF_BUTTON,
  HANDOFF_PRESSED,
  HELP,
  INTRODUCTION,
  NO_SOURCES,
  NOT_THE_ASKER,
  RATE_HELPFUL,
  RATE_UNHELPFUL,
  RATED_HELPFUL,
  RATED_UNHELPFUL,
  RATING_WITHDRAWN,
  SOURCES_HEADING,
} from '../reply-texts.ts';
import { addressedQuestion, startsWithCommand } from './telegram-addressing.ts';
import { withRetryAfter } from './telegram-retry.ts';
import { telegramWebhookRoutes } from './telegram-webhook-route.ts';

/** Messages, and presses on the answers' inline keyboards. */
const ALLOWED_UPDATES: ('message' | 'callback_query')[] = ['message', 'callback_query'];

/** Telegram shows "typing…" for 5 s after each sendChatAction. */
const TYPING_REFRESH_MS = 4_500;
/** How long a stop waits for answers already being worked on. */
const DRAIN_TIMEOUT_MS = 10_000;

/** What the Telegram channel reads of the configuration: its own variables, the rate limits and the debug flag. */
export type TelegramChannelConfig = Pick<Config, 'telegram' | 'rateLimitPerMinute' | 'maxQuestionChars' | 'debug'>;

export interface TelegramChannelOptions {
  config: TelegramChannelConfig;
  assistant: Assistant;
  /** Where 👍 / 👎 and 转人工 presses on the answers' inline keyboard go. Without it answers carry no keyboard. */
  feedback?: FeedbackReceiver;
  /** Titles of the documents the assistant answers from, listed by /sources. */
  sources?: () => Promise<string[]> | string[];
  logger?: Logger;
  /** Delay before retrying a failed start (bad token, network down), doubling up to `maxMs`. */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Attempts per message and the longest `retry_after` honoured on 429. */
  sendRetry?: { maxAttempts: number; maxWaitSeconds: number };
  /** Rate windows and update ids already taken: in the store when several workers share one database. */
  state?: ChannelState;
}

export interface TelegramChannel extends Channel {
  readonly name: 'telegram';
  /**
   * Webhook mode only (config.telegram.webhookUrl set): POST on the webhook URL's path, telegraf's webhook callback
   * checking the `X-Telegram-Bot-Api-Secret-Token` header.
   */
  readonly routes?: Hono;
}

/**
 * The Telegram front end over the real telegraf client: long polling by default, a webhook when
 * `config.telegram.webhookUrl` is set. Answers every text in private chats; in groups only `/ask …`,
 * mentions of the bot and replies to its messages. Start never throws: a rejected token or an unreachable
 * API is logged and retried with backoff.
 */
export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { config, assistant, feedback } = options;
  const token = config.telegram.botToken;
  if (!token) throw new ChannelError('未设置 TELEGRAM_BOT_TOKEN：请在 .env 中填写', { code: 'CHANNEL_CONFIG', channel: 'telegram' });
  const backoff = options.restartBackoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const sendRetry = options.sendRetry ?? { maxAttempts: 4, maxWaitSeconds: 60 };
  const webhookUrl = config.telegram.webhookUrl;
  // Telegram only sends the secret header when one was set; derive a stable one from the token rather than run unauthenticated.
  const webhookSecret = config.telegram.webhookSecret ?? createHash('sha256').update(`policybot-webhook:${token}`).digest('hex').slice(0, 48);
  const secrets = [token, webhookSecret];
  const logger = options.logger ?? createLogger({ secrets, name: 'telegram' });
  const webhookPath = webhookUrl ? new URL(webhookUrl).pathname : undefined;

  const bot = new Telegraf(token, { telegram: config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {} });
  // Otherwise the first sendChatAction of a webhook update would be written into the HTTP response, unconfirmed.
  bot.telegram.webhookReply = false;
  const state = options.state ?? memoryChannelState();
  const limiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, maxQuestionChars: config.maxQuestionChars, window: state.rateWindow });
  // Telegram redelivers a webhook update it got no 2xx for, perhaps to another worker; a day outlives its retries.
  const seen = state.seenMessages('telegram', 24 * 60 * 60 * 1000);
  const work = new ChatWorkQueue((error) => logger.error('Telegram 任务失败', { error: describeError(error, secrets) }));

  const send = (chatId: number | string, html: string, replyTo?: number, keyboard?: InlineKeyboardMarkup) =>
    withRetryAfter(
      () =>
        bot.telegram.sendMessage(chatId, html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }),
          ...(keyboard ? { reply_markup: keyboard } : {}),
        }),
      sendRetry,
    );

  /** Sends the messages in order, threading the first to `replyTo` and putting the keyboard under the last. */
  const sendAll = async (chatId: number, messages: string[], replyTo?: number, keyboard?: InlineKeyboardMarkup) => {
    for (const [index, html] of messages.entries()) {
      await send(chatId, html, index === 0 ? replyTo : undefined, index === messages.length - 1 ? keyboard : undefined);
    }
  };

  /** The one error boundary: telegraf's `bot.catch` and the queued answering work both end here. */
  const handleError = async (error: unknown, ctx: Context) => {
    logger.error('Telegram 消息处理失败', { updateId: ctx.update.update_id, chatId: ctx.chat?.id, error: describeError(error, secrets) });
    if (ctx.chat) await send(ctx.chat.id, escapeHtml(FAILURE)).catch(() => undefined);
  };
  bot.catch(handleError);
  bot.use(async (ctx, next) => {
    if (await seen.firstSeen(String(ctx.update.update_id))) await next();
  });
  const routes = webhookPath ? telegramWebhookRoutes(webhookPath, bot.webhookCallback(webhookPath, { secretToken: webhookSecret })) : undefined;

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
    if (config.debug) logger.info('Telegram 提问', { chatId, question: check.question });
    // The answer's buttons come back with this reference in their callback data.
    const replyRef = feedback ? newReplyRef() : undefined;
    const question: Question = {
      text: check.question,
      channel: 'telegram',
      chatId: String(chatId),
      userId,
      messageId: String(ctx.message.message_id),
      ...(replyRef ? { replyRef, offersHandoffButton: true } : {}),
    };
    const stopTyping = keepTyping(chatId);
    try {
      const reply = await assistant.ask(question);
      const messages = formatTelegramHtml(reply);
      const keyboard =
        replyRef && carriesRating(reply) ? answerKeyboard(replyRef, { handoff: offersHandoff(reply), handedOff: reply.handedOff === true }) : undefined;
      await sendAll(chatId, messages.length > 0 ? messages : [escapeHtml(FAILURE)], replyTo, messages.length > 0 ? keyboard : undefined);
    } finally {
      stopTyping();
    }
  };

  /** A press on an answer's keyboard: recorded with the exchange, acknowledged, and the keyboard marked. */
  const onButton = async (ctx: Context & { callbackQuery: CallbackQuery }) => {
    const query = ctx.callbackQuery;
    const pressed = parseButton('data' in query ? query.data : undefined);
    if (!pressed || !feedback) return void (await ctx.answerCbQuery());
    const shown = 'reply_markup' in (query.message ?? {}) ? (query.message as Message.TextMessage).reply_markup : undefined;
    const state = keyboardState(shown);
    const kind: ChatFeedback['kind'] =
      pressed.action === 'handoff'
        ? 'handoff'
        : // Pressing the rating already chosen takes it back, as WeCom's own control does.
          pressed.action === 'up'
          ? state.rating === 'helpful'
            ? 'cancelled'
            : 'helpful'
          : state.rating === 'unhelpful'
            ? 'cancelled'
            : 'unhelpful';
    let outcome: Awaited<ReturnType<typeof feedback.recordFeedback>>;
    try {
      outcome = await feedback.recordFeedback({ channel: 'telegram', replyRef: pressed.replyRef, userId: String(query.from.id), kind });
    } catch (error) {
      const notAsker = (error as { code?: unknown }).code === 'NOT_ASKER';
      if (!notAsker) logger.error('Telegram 按钮操作未能记录', { error: describeError(error, secrets) });
      return void (await ctx.answerCbQuery(notAsker ? NOT_THE_ASKER : FEEDBACK_FAILED));
    }
    const acknowledgement =
      kind === 'handoff'
        ? outcome.handoffAlreadyOpen
          ? HANDOFF_ALREADY_OPEN
          : handoffNotice
        : kind === 'cancelled'
          ? RATING_WITHDRAWN
          : kind === 'helpful'
            ? RATED_HELPFUL
            : RATED_UNHELPFUL;
    await ctx.answerCbQuery(acknowledgement);
    const marked = answerKeyboard(pressed.replyRef, { handoff: state.handoff, rating: outcome.rating, handedOff: state.handedOff || kind === 'handoff' });
    if (shown && JSON.stringify(marked) !== JSON.stringify(shown)) {
      // Telegram refuses an edit to the same keyboard ("message is not modified"), hence the comparison.
      await ctx.editMessageReplyMarkup(marked).catch((error) => logger.warn('Telegram 按钮未能更新', { error: describeError(error, secrets) }));
    }
    if (kind === 'handoff' && !outcome.handoffAlreadyOpen && query.message) {
      // The hand-off is said in the chat as well: a toast disappears, and the officer's reply will follow here.
      await send(query.message.chat.id, escapeHtml(handoffNotice), query.message.message_id);
    }
  };

  const introduce = (ctx: Context & { message: Message }) =>
    enqueue(ctx, () => send(ctx.message.chat.id, escapeHtml(`${INTRODUCTION}\n发送 /help 查看使用说明。`), replyTarget(ctx)).then(() => undefined));

  bot.start(introduce);
  bot.help((ctx) => enqueue(ctx, () => send(ctx.message.chat.id, escapeHtml(HELP), replyTarget(ctx)).then(() => undefined)));
  bot.on('callback_query', (ctx) => {
    // Queued apart from the chat's answers, so a slow answer never holds up the acknowledgement of a press.
    work.push(`button:${ctx.callbackQuery.from.id}`, () => onButton(ctx).catch((error) => handleError(error, ctx)));
  });
  bot.command('sources', (ctx) =>
    enqueue(ctx, async () => {
      const titles = (await options.sources?.()) ?? [];
      const list = titles.length > 0 ? `${SOURCES_HEADING}\n${titles.map((title) => `• ${title}`).join('\n')}` : NO_SOURCES;
      await sendAll(ctx.message.chat.id, splitText(list, TELEGRAM_TEXT_LIMIT, (text) => escapeHtml(text).length).map(escapeHtml), replyTarget(ctx));
    }),
  );
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

  const pause = (milliseconds: number) =>
    new Promise<void>((resolve) => {
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
      logger.error('TELEGRAM_BOT_TOKEN 被拒绝：请在 BotFather 中核对', details);
    } else if (code === 409) {
      logger.error('Telegram 报告冲突：另有进程在用此 TELEGRAM_BOT_TOKEN 轮询，或已设置了 webhook', details);
    } else {
      logger.error('Telegram Bot API 无法连接或出错：请检查网络（或 TELEGRAM_API_ROOT），稍后自动重试', details);
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
          await bot.telegram.setWebhook(webhookUrl, { secret_token: webhookSecret, allowed_updates: ALLOWED_UPDATES });
          logger.info('Telegram webhook 已设置', { bot: bot.botInfo.username, path: webhookPath });
          return started();
        }
        logger.info('Telegram 长轮询已启动', { bot: bot.botInfo.username });
        await bot.launch({ allowedUpdates: ALLOWED_UPDATES }, started);
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
    routes,

    async start() {
      if (loop) return;
      stopping = false;
      await new Promise<void>((resolve) => {
        loop = supervise(resolve)
          .catch((error) => logger.error('Telegram 守护循环失败', { error: describeError(error, secrets) }))
          .finally(resolve);
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
        void running.then(() => {
          ended = true;
        });
        while (!ended) {
          try {
            bot.stop('policybot stopping');
          } catch {
            /* not polling yet */
          }
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

type ButtonAction = 'up' | 'down' | 'handoff';

/** The callback data of an answer's buttons: "fb:<up|down|handoff>:<reply reference>", within Telegram's 64 bytes. */
function buttonData(action: ButtonAction, replyRef: string): string {
  return `fb:${action}:${replyRef}`;
}

function parseButton(data: string | undefined): { action: ButtonAction; replyRef: string } | null {
  const match = /^fb:(up|down|handoff):([\w-]{1,40})$/.exec(data ?? '');
  return match ? { action: match[1] as ButtonAction, replyRef: match[2]! } : null;
}

const CHOSEN = ' ✓';

/**
 * The keyboard under an answer: 👍 / 👎, and 转人工 under one the bot could not give. What was pressed is marked
 * ✓, so the keyboard itself shows the asker's choice (and the next press of the same rating takes it back).
 */
export function answerKeyboard(
  replyRef: string,
  state: { handoff: boolean; rating?: 'helpful' | 'unhelpful' | null; handedOff?: boolean },
): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton[][] = [
    [
      { text: `${RATE_HELPFUL}${state.rating === 'helpful' ? CHOSEN : ''}`, callback_data: buttonData('up', replyRef) },
      { text: `${RATE_UNHELPFUL}${state.rating === 'unhelpful' ? CHOSEN : ''}`, callback_data: buttonData('down', replyRef) },
    ],
  ];
  if (state.handoff) rows.push([{ text: state.handedOff ? `${HANDOFF_PRESSED}${CHOSEN}` : HANDOFF_BUTTON, callback_data: buttonData('handoff', replyRef) }]);
  return { inline_keyboard: rows };
}

/** Reads back what an answer's keyboard shows as chosen. */
function keyboardState(markup: InlineKeyboardMarkup | undefined): { handoff: boolean; rating: 'helpful' | 'unhelpful' | null; handedOff: boolean } {
  const buttons = markup?.inline_keyboard.flat() ?? [];
  const chosen = (action: ButtonAction) =>
    buttons.some((button) => 'callback_data' in button && parseButton(button.callback_data)?.action === action && button.text.endsWith(CHOSEN));
  return {
    handoff: buttons.some((button) => 'callback_data' in button && parseButton(button.callback_data)?.action === 'handoff'),
    rating: chosen('up') ? 'helpful' : chosen('down') ? 'unhelpful' : null,
    handedOff: chosen('handoff'),
  };
}
