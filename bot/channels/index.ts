/**
 * What the channels share that the composition root needs: per-chat state and leases for one-holder connections.
 * Each platform is its own entry: `bot/channels/telegram/index.ts`, `bot/channels/wecom/index.ts`.
 */

// Commonly used
export { memoryChannelState, storeChannelState } from './channel-state.ts';
export type { ChannelState } from './channel-state.ts';

// Advanced
export { leasedChannel } from './leased-channel.ts';
export type { LeaseTiming } from './leased-channel.ts';
