/**
 * The desk: the officers' side around the assistant — reviewed answers, hand-offs, chat feedback, subscription
 * pushes, outbox delivery — and the `Channel` contract the channels implement for it.
 */

// Commonly used
export { createDesk, DeskError, handoffKey, handoffNotice, nearIdenticalThreshold, normalizeQuestion, questionSimilarity } from './desk.ts';
export type { Desk, DeskErrorCode } from './desk.ts';
export { findChannel } from './channel.ts';
export type { Channel } from './channel.ts';

// Advanced
export type { ChatFeedback, FeedbackReceiver } from './chat-feedback.ts';
export { createOutboxDeliverer } from './outbox-deliverer.ts';
export type { OutboxStore, RetryPolicy } from './outbox-deliverer.ts';
export { deliverPendingPushes, queuePushes } from './subscription-push.ts';
