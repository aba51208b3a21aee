/**
 * The WeCom channels: the smart bot over WebSocket (`wecom-bot`) and the callback mode over signed HTTP
 * (`wecom-callback`).
 */

// Entry
export { createWeComBotChannel } from './wecom-bot-channel.ts';
export { createWeComCallbackChannel, OUTBOX_DRAIN_MS } from './wecom-callback.ts';
export type { WeComCallbackChannel, WeComCallbackChannelConfig, WeComCallbackChannelOptions } from './wecom-callback.ts';
export type { WeComBotChannelConfig } from './wecom-bot-channel.ts';
