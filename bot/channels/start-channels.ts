import type { Env, Hono } from 'hono';
import type { Assistant } from '../assistant.ts';
import type { Channel } from '../channel.ts';
import type { FeedbackReceiver } from '../chat-feedback.ts';
import type { Config } from '../config.ts';
import { consoleLogger, describeError, type ChannelLogger } from './channel-logger.ts';
import { memoryChannelState, type ChannelState } from './channel-state.ts';
import { leasedChannel, type LeaseTiming } from './leased-channel.ts';
import { createTelegramChannel } from './telegram/telegram-channel.ts';
import { mountTelegramWebhook } from './telegram/telegram-webhook-route.ts';
import { createWeComBotChannel } from './wecom/wecom-bot-channel.ts';
import { createWeComCallbackChannel } from './wecom/wecom-callback.ts';

export interface StartChannelsOptions<E extends Env> {
  config: Config;
  assistant: Assistant;
  /** Where the asker's 👍 / 👎 and 转人工 presses go (the desk); without it the chats show no such controls. */
  feedback?: FeedbackReceiver;
  /** The shared HTTP app (served by @hono/node-server); the WeCom callback and the Telegram webhook are mounted on it. Call before it serves requests: Hono refuses new routes once it has routed one. */
  app: Hono<E>;
  /** Titles of the documents answered from, for Telegram's /sources. */
  sources?: () => Promise<string[]> | string[];
  logger?: ChannelLogger;
  /**
   * Rate windows, message ids and connection leases. With leases (a store shared by several workers), the Telegram
   * long poll and the WeCom socket run on one worker at a time; webhook and callback modes run on every worker.
   */
  state?: ChannelState;
  leaseTiming?: LeaseTiming;
}

export interface StartedChannels {
  channels: Channel[];
  /** One line per channel that is off, naming the variables that would turn it on (or why it failed). */
  disabled: string[];
  stop(): Promise<void>;
}

interface ChannelPlan {
  label: string;
  /** Environment variables the channel needs, with their configured values. */
  variables: Record<string, string | undefined>;
  create: () => Channel;
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
  const { config, assistant, feedback, app, sources, logger = consoleLogger, state = memoryChannelState() } = options;
  /** One worker at a time holds a long-lived connection, when several share the store. */
  const leased = (channel: Channel, lease: string, label: string): Channel => (state.leases
    ? leasedChannel(channel, { leases: state.leases, lease, logger, label, timing: options.leaseTiming })
    : channel);
  const plans: ChannelPlan[] = [
    {
      label: 'WeCom smart bot',
      variables: { WECOM_BOT_ID: config.wecom.botId, WECOM_BOT_SECRET: config.wecom.botSecret },
      create: () => leased(createWeComBotChannel({ config, assistant, feedback, logger, state }), 'wecom-socket', 'WeCom smart bot'),
    },
    {
      label: 'WeCom callback',
      variables: { WECOM_TOKEN: config.wecom.token, WECOM_ENCODING_AES_KEY: config.wecom.encodingAesKey, WECOM_CORP_ID: config.wecom.corpId },
      create: () => {
        const channel = createWeComCallbackChannel({ config, assistant, logger, state });
        app.route('/', channel.routes);
        return channel;
      },
    },
    {
      label: 'Telegram',
      variables: { TELEGRAM_BOT_TOKEN: config.telegram.botToken },
      create: () => {
        const channel = createTelegramChannel({ config, assistant, feedback, logger, sources, state });
        mountTelegramWebhook(app, channel);
        // A webhook reaches whichever worker the load balancer picks; only long polling needs one holder.
        return config.telegram.webhookUrl ? channel : leased(channel, 'telegram-poll', 'Telegram long polling');
      },
    },
  ];

  const disabled: string[] = [];
  const created: Array<{ label: string; channel: Channel }> = [];
  for (const plan of plans) {
    const missing = Object.entries(plan.variables).filter(([, value]) => !value).map(([name]) => name);
    if (missing.length > 0) {
      disabled.push(`${plan.label} is off: set ${missing.join(' and ')} in .env to enable it`);
      continue;
    }
    try {
      created.push({ label: plan.label, channel: plan.create() });
    } catch (error) {
      logger.error(`${plan.label} could not be created`, { error: describeError(error) });
      disabled.push(`${plan.label} failed to start: ${describeError(error).message}`);
    }
  }

  const results = await Promise.allSettled(created.map(({ channel }) => channel.start()));
  const channels: Channel[] = [];
  results.forEach((result, index) => {
    const entry = created[index]!;
    if (result.status === 'fulfilled') channels.push(entry.channel);
    else {
      logger.error(`${entry.label} failed to start`, { error: describeError(result.reason) });
      disabled.push(`${entry.label} failed to start: ${describeError(result.reason).message}`);
    }
  });
  for (const line of disabled) logger.info(line);

  return {
    channels,
    disabled,
    async stop() {
      const stopped = await Promise.allSettled(channels.map((channel) => channel.stop()));
      for (const result of stopped) {
        if (result.status === 'rejected') logger.error('A channel failed to stop', { error: describeError(result.reason) });
      }
    },
  };
}
