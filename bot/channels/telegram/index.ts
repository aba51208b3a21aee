/**
 * The Telegram channel (telegraf): long polling or a webhook route.
 */

// Entry
export { createTelegramChannel } from './telegram-channel.ts';
export type { TelegramChannel, TelegramChannelConfig } from './telegram-channel.ts';
