/**
 * The Telegram channel (telegraf): long polling or a webhook route.
 */

// Entry
export { createTelegramChannel } from './telegram-channel.ts';
export { mountTelegramWebhook } from './telegram-webhook-route.ts';
