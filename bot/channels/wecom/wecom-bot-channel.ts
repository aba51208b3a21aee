import { randomUUID } from 'node:crypto';
import { WSClient, type EventMessage, type TemplateCard, type TextMessage, type WSClientOptions, type WsFrame } from '@wecom/aibot-node-sdk';
import type { Question } from '../../core/index.ts';
import type { Assistant } from '../../core/index.ts';
import type { Channel } from '../../desk/index.ts';
import type { ChatFeedback, FeedbackReceiver } from '../../desk/index.ts';
import type { Config } from '../../app/config.ts';
import { cutUtf8, formatWeComMarkdown, WECOM_MARKDOWN_LIMIT_BYTES } from '../answer-format.ts';
import { newReplyRef, offersHandoff } from '../answer-controls.ts';
import { ChannelError } from '../channel-error.ts';
import { createLogger, describeError, type Logger } from '../../logger.ts';
import { ChatWorkQueue } from '../chat-work-queue.ts';
import { createRateLimiter } from '../rate-limiter.ts';
import { memoryChannelState, type ChannelState } from '../channel-state.ts';
import {
  FAILURE,
  HANDOFF_ALREADY_OPEN,
  HANDOFF_BUTTON,
  HANDOFF_CARD_DESCRIPTION,
  HANDOFF_CARD_TITLE,
  HANDOFF_FAILED,
  HANDOFF_PRESSED,
  HANDOFF_PRESSED_DESCRIPTION,
  INTRODUCTION,
  NOT_THE_ASKER,
  THINKING,
} from '../reply-texts.ts';

/** WeCom may redeliver a callback after a reconnect; a day covers any realistic replay. */
const DUPLICATE_TTL_MS = 24 * 60 * 60 * 1000;
const DRAIN_TIMEOUT_MS = 10_000;

/** SDK options a deployment or test may tune (reconnect and heartbeat timing); credentials come from the config. */
export type WeComClientTuning = Pick<WSClientOptions, 'reconnectInterval' | 'maxReconnectAttempts' | 'maxAuthFailureAttempts' | 'heartbeatInterval'>;

/** What the smart bot reads of the configuration: its bot id, secret and socket URL, the rate limits and the debug flag. */
export type WeComBotChannelConfig = { wecom: Pick<Config['wecom'], 'botId' | 'botSecret' | 'wsUrl'> } & Pick<
  Config,
  'rateLimitPerMinute' | 'maxQuestionChars' | 'debug'
>;

export interface WeComBotChannelOptions {
  config: WeComBotChannelConfig;
  assistant: Assistant;
  /**
   * Where the asker's 👍 / 👎 (`feedback_event`) and 转人工 presses (`template_card_event`) go. Without it answers
   * carry no feedback id and no card.
   */
  feedback?: FeedbackReceiver;
  logger?: Logger;
  /** Overrides of the SDK's connection timing. By default the SDK reconnects for ever (backoff capped at 30 s). */
  client?: WeComClientTuning;
  /** Least time between two streamed intermediate updates of one answer. */
  partialIntervalMs?: number;
  /** Rate windows and msgids already taken: in the store when several workers share one database. */
  state?: ChannelState;
}

/**
 * The WeCom smart bot over the SDK's long connection. Answers text messages in single and group chats with a
 * streamed reply: "正在查找相关政策…" at once, throttled partial text while the assistant works, then the final
 * answer with citations as Markdown within WeCom's 20480-byte limit. Reconnection is the SDK's.
 */
export function createWeComBotChannel(options: WeComBotChannelOptions): Channel {
  const { config, assistant, feedback } = options;
  const { botId, botSecret, wsUrl } = config.wecom;
  if (!botId || !botSecret) {
    throw new ChannelError('须同时设置 WECOM_BOT_ID 和 WECOM_BOT_SECRET：请在 .env 中填写', { code: 'CHANNEL_CONFIG', channel: 'wecom-bot' });
  }
  const secrets = [botSecret];
  const logger = options.logger ?? createLogger({ secrets, name: 'wecom-bot' });
  const partialIntervalMs = options.partialIntervalMs ?? 1_000;
  const state = options.state ?? memoryChannelState();
  const limiter = createRateLimiter({ perMinute: config.rateLimitPerMinute, maxQuestionChars: config.maxQuestionChars, window: state.rateWindow });
  const seen = state.seenMessages('wecom-bot', DUPLICATE_TTL_MS);
  const work = new ChatWorkQueue((error) => logger.error('企业微信任务失败', { error: describeError(error, secrets) }));

  const client = new WSClient({
    botId,
    secret: botSecret,
    ...(wsUrl ? { wsUrl } : {}),
    // A server process should not give up on the connection; the SDK caps the backoff at 30 s.
    maxReconnectAttempts: -1,
    ...options.client,
    logger: sdkLogger(logger, config.debug, secrets),
  });

  /** The one error boundary: logs without question text and closes the stream with an apology. */
  const handleFailure = async (error: unknown, frame: WsFrame, streamId: string) => {
    logger.error('企业微信回答失败', { msgid: frame.body?.msgid, error: describeError(error, secrets) });
    await client.replyStream(frame, streamId, FAILURE, true).catch(() => undefined);
  };

  const answer = async (frame: WsFrame<TextMessage>, streamId: string) => {
    const body = frame.body!;
    const isGroup = body.chattype === 'group';
    const chatId = isGroup && body.chatid ? body.chatid : body.from.userid;
    // In groups the text starts with "@BotName".
    const text = isGroup ? body.text.content.replace(/^\s*@\S+\s*/, '') : body.text.content;
    const check = await limiter.check(`wecom:${body.from.userid}`, text);
    if (!check.allowed) return void (await client.replyStream(frame, streamId, check.reply, true));
    if (config.debug) logger.info('企业微信提问', { chatId, question: check.question });

    // WeCom takes the feedback id on the stream's first frame only; the asker's 👍 / 👎 come back with it.
    const replyRef = feedback ? newReplyRef() : undefined;
    // Not awaited: replies sharing a req_id are queued in order by the SDK, and the assistant can start meanwhile.
    const thinking = client
      .replyStream(frame, streamId, THINKING, false, undefined, replyRef ? { id: replyRef } : undefined)
      .catch((error) => logger.warn('企业微信流式回复首帧发送失败', { msgid: body.msgid, error: describeError(error, secrets) }));
    let finished = false;
    let lastPartialAt = 0;
    const onPartial = (textSoFar: string) => {
      const now = Date.now();
      if (finished || now - lastPartialAt < partialIntervalMs) return;
      lastPartialAt = now;
      // Non-blocking: skipped while the previous frame awaits its ack, so updates never pile up behind a slow link.
      void client.replyStreamNonBlocking(frame, streamId, cutUtf8(textSoFar, WECOM_MARKDOWN_LIMIT_BYTES), false).catch(() => undefined);
    };
    const question: Question = {
      text: check.question,
      channel: 'wecom-bot',
      chatId,
      userId: body.from.userid,
      messageId: body.msgid,
      ...(replyRef ? { replyRef, offersHandoffButton: true } : {}),
    };
    const reply = await assistant.ask(question, { onPartial });
    finished = true;
    await thinking;
    const content = formatWeComMarkdown(reply) || FAILURE;
    if (replyRef && offersHandoff(reply)) {
      // The card goes out with the final frame, under the answer it belongs to (stream_with_template_card).
      // Handed off already (an uncertain answer): the card says so; a press only confirms it.
      const card = reply.handedOff ? pressedCard(replyRef, HANDOFF_PRESSED_DESCRIPTION) : handoffCard(replyRef);
      await client.replyStreamWithCard(frame, streamId, content, true, { templateCard: card });
    } else {
      await client.replyStream(frame, streamId, content, true);
    }
  };

  /** The asker's 👍 / 👎 on a streamed answer: `event.feedback_event` { id, type: 1 accurate, 2 inaccurate, 3 withdrawn }. */
  const onFeedback = async (frame: WsFrame<EventMessage>) => {
    const body = frame.body!;
    const event = (body.event as { feedback_event?: { id?: string; type?: number; content?: string; inaccurate_reason_list?: number[] } }).feedback_event;
    const kind = ({ 1: 'helpful', 2: 'unhelpful', 3: 'cancelled' } as const)[event?.type as 1 | 2 | 3];
    if (!event?.id || !kind || !feedback) return void logger.warn('企业微信反馈事件无法识别', { type: event?.type });
    await feedback.recordFeedback({
      channel: 'wecom-bot',
      replyRef: event.id,
      userId: body.from.userid,
      kind,
      comment: event.content ?? '',
      reasons: Array.isArray(event.inaccurate_reason_list) ? event.inaccurate_reason_list.filter(Number.isInteger) : [],
    });
  };

  /** A press on the 转人工 card: recorded, then the card updated (WeCom accepts the update within 5 s of the event). */
  const onCardPress = async (frame: WsFrame<EventMessage>) => {
    const body = frame.body!;
    const event = body.event as { template_card_event?: { event_key?: string; task_id?: string }; event_key?: string; task_id?: string };
    // WeCom nests the press under template_card_event; the SDK's own examples read it from the event itself.
    const taskId = event.template_card_event?.task_id ?? event.task_id ?? '';
    const key = event.template_card_event?.event_key ?? event.event_key;
    if (!taskId.startsWith(HANDOFF_TASK_PREFIX) || key !== HANDOFF_KEY || !feedback) {
      return void logger.warn('企业微信卡片事件无法识别', { key });
    }
    const replyRef = taskId.slice(HANDOFF_TASK_PREFIX.length);
    const press: ChatFeedback = { channel: 'wecom-bot', replyRef, userId: body.from.userid, kind: 'handoff' };
    let card: TemplateCard;
    try {
      const outcome = await feedback.recordFeedback(press);
      card = pressedCard(replyRef, outcome.handoffAlreadyOpen ? HANDOFF_ALREADY_OPEN : HANDOFF_PRESSED_DESCRIPTION);
    } catch (error) {
      const notAsker = (error as { code?: unknown }).code === 'NOT_ASKER';
      if (!notAsker) logger.error('企业微信“转人工”操作未能记录', { error: describeError(error, secrets) });
      card = handoffCard(replyRef, notAsker ? NOT_THE_ASKER : HANDOFF_FAILED);
    }
    // Only the presser's copy changes: in a group, the others keep theirs.
    await client.updateTemplateCard(frame, card, [body.from.userid]);
  };

  client.on('message.text', (frame) => {
    const body = frame.body;
    if (!body?.msgid) return;
    const streamId = randomUUID();
    const chatKey = body.chattype === 'group' && body.chatid ? `${body.chatid}:${body.from.userid}` : body.from.userid;
    // Queued before the (possibly remote) duplicate check, so one asker's answers still arrive in order.
    work.push(chatKey, async () => {
      if (!(await seen.firstSeen(body.msgid))) return;
      await answer(frame, streamId).catch((error) => handleFailure(error, frame, streamId));
    });
  });

  client.on('event.feedback_event', (frame) => {
    const msgid = frame.body?.msgid;
    if (!msgid) return;
    void seen
      .firstSeen(msgid)
      .then((first) => (first ? onFeedback(frame) : undefined))
      .catch((error) => logger.error('企业微信反馈未能记录', { error: describeError(error, secrets) }));
  });

  client.on('event.template_card_event', (frame) => {
    const msgid = frame.body?.msgid;
    if (!msgid) return;
    // Outside the chat's queue: the card must be updated within 5 s, even while an answer is being worked on.
    void seen
      .firstSeen(msgid)
      .then((first) => (first ? onCardPress(frame) : undefined))
      .catch((error) => logger.error('企业微信卡片更新失败', { error: describeError(error, secrets) }));
  });

  client.on('event.enter_chat', (frame) => {
    // WeCom accepts a welcome only within 5 s of the event, so it is sent at once, outside the queue.
    client
      .replyWelcome(frame, { msgtype: 'text', text: { content: INTRODUCTION } })
      .catch((error) => logger.warn('企业微信欢迎语发送失败', { error: describeError(error, secrets) }));
  });

  client.on('event.disconnected_event', () => {
    logger.error('企业微信关闭了此连接：另有进程用同一 WECOM_BOT_ID 连接，本进程不再接收消息');
  });

  client.on('disconnected', (reason) => logger.warn('企业微信连接断开，SDK 正在重连', { reason }));
  client.on('authenticated', () => logger.info('企业微信智能机器人已连接并通过认证'));

  client.on('error', (error) => {
    if ((error as { code?: unknown }).code === 'WS_AUTH_FAILURE_EXHAUSTED' || /Authentication failed/.test(error.message)) {
      logger.error('WECOM_BOT_ID / WECOM_BOT_SECRET 被拒绝：请在企业微信管理后台（智能机器人 → API 模式）核对', { error: describeError(error, secrets) });
    } else {
      logger.warn('企业微信连接出错，SDK 正在重连', { error: describeError(error, secrets) });
    }
  });

  let started = false;

  return {
    name: 'wecom-bot',

    async start() {
      if (started) return;
      started = true;
      // Resolves once authenticated, or after the first failure is logged: the SDK keeps reconnecting either way.
      await new Promise<void>((resolve) => {
        const settle = () => {
          client.off('authenticated', settle);
          client.off('error', settle);
          resolve();
        };
        client.on('authenticated', settle);
        client.on('error', settle);
        client.connect();
      });
    },

    async stop() {
      if (!started) return;
      await work.drain(DRAIN_TIMEOUT_MS);
      started = false;
      client.disconnect();
    },

    async deliver(chatId, text) {
      // A smart bot cannot thread a reply; the message goes to the chat (group chatid or the user's id).
      await client.sendMessage(chatId, { msgtype: 'markdown', markdown: { content: cutUtf8(text, WECOM_MARKDOWN_LIMIT_BYTES) } }).catch((error: unknown) => {
        throw new ChannelError('企业微信拒收该消息', { code: 'CHANNEL_SEND', channel: 'wecom-bot', cause: describeError(error, secrets) });
      });
    },
  };
}

const HANDOFF_TASK_PREFIX = 'handoff-';
const HANDOFF_KEY = 'handoff';

/** The 转人工 card under an answer the bot could not give; its task_id carries the answer's reference. */
export function handoffCard(replyRef: string, description = HANDOFF_CARD_DESCRIPTION): TemplateCard {
  return {
    card_type: 'button_interaction',
    main_title: { title: HANDOFF_CARD_TITLE, desc: description },
    button_list: [{ text: HANDOFF_BUTTON, style: 1, key: HANDOFF_KEY }],
    task_id: `${HANDOFF_TASK_PREFIX}${replyRef}`,
  };
}

/** The same card once pressed: same task_id, the button saying it is done. */
function pressedCard(replyRef: string, description: string): TemplateCard {
  return {
    card_type: 'button_interaction',
    main_title: { title: HANDOFF_PRESSED, desc: description },
    button_list: [{ text: `✓ ${HANDOFF_PRESSED}`, style: 2, key: HANDOFF_KEY }],
    task_id: `${HANDOFF_TASK_PREFIX}${replyRef}`,
  };
}

/** The SDK's logger interface over ours. Its debug lines carry whole frames (question text), so they only pass with POLICYBOT_DEBUG. */
function sdkLogger(logger: Logger, debug: boolean, secrets: string[]): NonNullable<WSClientOptions['logger']> {
  const line = (message: string, args: unknown[]) =>
    describeError(args.length > 0 ? `${message} ${args.map(String).join(' ')}` : message, secrets).message as string;
  return {
    debug: (message, ...args) => {
      if (debug) logger.info(`[wecom-sdk] ${line(message, args)}`);
    },
    info: (message, ...args) => {
      if (debug) logger.info(`[wecom-sdk] ${line(message, args)}`);
    },
    warn: (message, ...args) => logger.warn(`[wecom-sdk] ${line(message, args)}`),
    error: (message, ...args) => logger.error(`[wecom-sdk] ${line(message, args)}`),
  };
}
