import type { Hono } from 'hono';
import type { ChannelName } from '../core/index.ts';

/**
 * A chat platform adapter (WeCom, Telegram). Adding a channel means adding one folder under bot/channels/. A channel
 * takes only its own slice of the configuration (`Pick<Config, …>`) and brings its own HTTP routes, if it has any.
 */
export interface Channel {
  readonly name: Exclude<ChannelName, 'console' | 'cli' | 'wecom'>;
  /**
   * The routes the platform calls (the Telegram webhook, the WeCom callback), at their full paths; the composition
   * root mounts them on the shared app with `app.route('/', channel.routes)` before it serves. None when the channel
   * connects out (long polling, the smart bot's socket). The desk never uses them: the `Hono` type here is erased.
   */
  readonly routes?: Hono;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends an officer's reply into a chat, threaded to `replyToMessageId` where the platform allows. */
  deliver(chatId: string, text: string, replyToMessageId?: string): Promise<void>;
}

/**
 * The running channel a stored exchange, subscription or push names: the one of that name. Rows stored before the
 * WeCom modes were named apart say `wecom` and do not say which mode: they go through the WeCom modes running, the
 * callback mode first (its send API reaches a member by userid at any time; the smart bot only chats its socket
 * knows), and the smart bot if that delivery fails. With one mode running, that one.
 *
 * @example const channel = findChannel(channels(), exchange.channel); await channel?.deliver(exchange.chatId, text);
 */
export function findChannel(channels: readonly Channel[], name: ChannelName | string): Channel | undefined {
  if (name !== 'wecom') return channels.find((channel) => channel.name === name);
  const modes = (['wecom-callback', 'wecom-bot'] as const)
    .map((mode) => channels.find((channel) => channel.name === mode))
    .filter((channel): channel is Channel => channel !== undefined);
  const [first, second] = modes;
  if (!first || !second) return first;
  return {
    name: first.name,
    start: async () => undefined,
    stop: async () => undefined,
    async deliver(chatId, text, replyToMessageId) {
      try {
        await first.deliver(chatId, text, replyToMessageId);
      } catch {
        await second.deliver(chatId, text, replyToMessageId);
      }
    },
  };
}
