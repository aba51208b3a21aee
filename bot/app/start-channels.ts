import type { Env, Hono } from 'hono';
import type { Assistant } from '../core/index.ts';
import type { Channel } from '../desk/index.ts';
import type { FeedbackReceiver } from '../desk/index.ts';
import type { Config } from './config.ts';
import { configSecrets, createLogger, describeError, type Logger } from '../logger.ts';
import { memoryChannelState, type ChannelState } from '../channels/index.ts';
import { leasedChannel, type LeaseTiming } from '../channels/index.ts';
import { createTelegramChannel } from '../channels/telegram/index.ts';
import { createWeComBotChannel } from '../channels/wecom/index.ts';
import { createWeComCallbackChannel, type WeComCallbackChannelOptions } from '../channels/wecom/index.ts';

export interface StartChannelsOptions<E extends Env> {
  config: Config;
  assistant: Assistant;
  /** Where the asker's 👍 / 👎 and 转人工 presses go (the desk); without it the chats show no such controls. */
  feedback?: FeedbackReceiver;
  /**
   * The shared HTTP app (served by @hono/node-server): the routes each channel brings (`Channel.routes`: the WeCom
   * callback, the Telegram webhook) are mounted on it. Call before it serves requests: Hono refuses new routes once it
   * has routed one.
   */
  app: Hono<E>;
  /** Titles of the documents answered from, for Telegram's /sources. */
  sources?: () => Promise<string[]> | string[];
  logger?: Logger;
  /**
   * Rate windows, message ids and connection leases. With leases (a store shared by several workers), the Telegram
   * long poll and the WeCom socket run on one worker at a time; webhook and callback modes run on every worker.
   */
  state?: ChannelState;
  leaseTiming?: LeaseTiming;
  /** The WeCom callback's passive window and outbox timing (tests and the fault benchmark shorten them). */
  wecomCallback?: Pick<WeComCallbackChannelOptions, 'passiveReplyWithinMs' | 'retry' | 'answerGraceMs'>;
}

export interface StartedChannels {
  channels: Channel[];
  /** One line per channel that is off, naming the variables that would turn it on (or why it failed). */
  disabled: string[];
  /** Each channel's state now, for the console's status panel. */
  status(): ChannelStatus[];
  stop(): Promise<void>;
}

/** Whether a channel runs, since when, and the last error or warning it logged. */
export interface ChannelStatus {
  label: string;
  state: 'running' | 'off' | 'failed' | 'stopped';
  /** When it started (running) or failed. */
  since: Date | null;
  /** Variables still missing, when off. */
  missing: string[];
  lastProblem: { time: Date; level: 'error' | 'warn'; message: string } | null;
}

interface ChannelPlan {
  label: string;
  /** The channel's child logger name: its lines read `[wecom-callback] …`. */
  name: string;
  /** Environment variables the channel needs, with their configured values. */
  variables: Record<string, string | undefined>;
  create: (logger: Logger) => Channel;
}

/**
 * Starts every chat channel whose credentials are configured. A channel that fails to be created or started
 * is reported in `disabled` and logged; it never throws out of here or stops the others.
 *
 * @example
 * const app = new Hono();
 * const { disabled, stop } = await startChannels({ config, assistant, app, sources: () => titles });
 * disabled.forEach((line) => console.info(line));
 * serve({ fetch: app.fetch, port: config.port });
 */
export async function startChannels<E extends Env>(options: StartChannelsOptions<E>): Promise<StartedChannels> {
  const { config, assistant, feedback, app, sources, logger = createLogger({ secrets: configSecrets(config) }), state = memoryChannelState() } = options;
  /** One worker at a time holds a long-lived connection, when several share the store. */
  const leased = (channel: Channel, lease: string, label: string, channelLogger: Logger = logger): Channel =>
    state.leases ? leasedChannel(channel, { leases: state.leases, lease, logger: channelLogger, label, timing: options.leaseTiming }) : channel;
  const plans: ChannelPlan[] = [
    {
      label: '企业微信智能机器人',
      name: 'wecom-bot',
      variables: { WECOM_BOT_ID: config.wecom.botId, WECOM_BOT_SECRET: config.wecom.botSecret },
      create: (logger) => leased(createWeComBotChannel({ config, assistant, feedback, logger, state }), 'wecom-socket', 'WeCom smart bot', logger),
    },
    {
      label: '企业微信自建应用（回调）',
      name: 'wecom-callback',
      variables: { WECOM_TOKEN: config.wecom.token, WECOM_ENCODING_AES_KEY: config.wecom.encodingAesKey, WECOM_CORP_ID: config.wecom.corpId },
      create: (logger) => createWeComCallbackChannel({ config, assistant, logger, state, ...options.wecomCallback }),
    },
    {
      label: 'Telegram 机器人',
      name: 'telegram',
      variables: { TELEGRAM_BOT_TOKEN: config.telegram.botToken },
      create: (logger) => {
        const channel = createTelegramChannel({ config, assistant, feedback, logger, sources, state });
        // A webhook reaches whichever worker the load balancer picks; only long polling needs one holder.
        return config.telegram.webhookUrl ? channel : leased(channel, 'telegram-poll', 'Telegram long polling', logger);
      },
    },
  ];

  const disabled: string[] = [];
  const states = new Map<string, ChannelStatus>();
  // Each channel logs through its own child logger, so its lines are named and the status panel can say which one had
  // the problem.
  const recording = (status: ChannelStatus, channelLogger: Logger): Logger => ({
    debug: (message, details) => channelLogger.debug(message, details),
    info: (message, details) => channelLogger.info(message, details),
    warn: (message, details) => {
      status.lastProblem = problem('warn', message, details);
      channelLogger.warn(message, details);
    },
    error: (message, details) => {
      status.lastProblem = problem('error', message, details);
      channelLogger.error(message, details);
    },
    child: (name) => recording(status, channelLogger.child(name)),
  });
  const created: Array<{ label: string; channel: Channel }> = [];
  for (const plan of plans) {
    const missing = Object.entries(plan.variables)
      .filter(([, value]) => !value)
      .map(([name]) => name);
    const status: ChannelStatus = { label: plan.label, state: 'off', since: null, missing, lastProblem: null };
    states.set(plan.label, status);
    if (missing.length > 0) {
      disabled.push(`${plan.label}未启用：在 .env 中设置 ${missing.join('、')} 即可启用`);
      continue;
    }
    try {
      const channel = plan.create(recording(status, logger.child(plan.name)));
      // Whatever routes a channel brings, at their own paths; a channel that connects out brings none.
      if (channel.routes) app.route('/', channel.routes);
      created.push({ label: plan.label, channel });
    } catch (error) {
      logger.error(`${plan.label}无法创建`, { error: describeError(error) });
      Object.assign(status, { state: 'failed', since: new Date(), lastProblem: problem('error', '无法创建', { error: describeError(error) }) });
      disabled.push(`${plan.label}启动失败：${describeError(error).message}`);
    }
  }

  const results = await Promise.allSettled(created.map(({ channel }) => channel.start()));
  const channels: Channel[] = [];
  results.forEach((result, index) => {
    const entry = created[index]!;
    const status = states.get(entry.label)!;
    if (result.status === 'fulfilled') {
      channels.push(entry.channel);
      Object.assign(status, { state: 'running', since: new Date() });
    } else {
      logger.error(`${entry.label}启动失败`, { error: describeError(result.reason) });
      Object.assign(status, { state: 'failed', since: new Date(), lastProblem: problem('error', '启动失败', { error: describeError(result.reason) }) });
      disabled.push(`${entry.label}启动失败：${describeError(result.reason).message}`);
    }
  });
  for (const line of disabled) logger.info(line);

  return {
    channels,
    disabled,
    status: () => [...states.values()].map((status) => ({ ...status })),
    async stop() {
      for (const status of states.values()) if (status.state === 'running') status.state = 'stopped';
      const stopped = await Promise.allSettled(channels.map((channel) => channel.stop()));
      for (const result of stopped) {
        if (result.status === 'rejected') logger.error('有渠道未能正常停止', { error: describeError(result.reason) });
      }
    },
  };
}

/** A logged problem as the status panel shows it: the message and the error's own message (already redacted). */
function problem(level: 'error' | 'warn', message: string, details?: Record<string, unknown>): NonNullable<ChannelStatus['lastProblem']> {
  const error = details?.error as { message?: unknown; errmsg?: unknown } | undefined;
  const cause = error?.message ?? error?.errmsg;
  return { time: new Date(), level, message: cause ? `${message}: ${String(cause)}` : message };
}
