import type { ChannelName } from './answer.ts';

/** A chat platform adapter (WeCom, Telegram). Adding a channel means adding one folder under bot/channels/. */
export interface Channel {
  readonly name: Exclude<ChannelName, 'console' | 'cli'>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends an officer's reply into a chat, threaded to `replyToMessageId` where the platform allows. */
  deliver(chatId: string, text: string, replyToMessageId?: string): Promise<void>;
}
