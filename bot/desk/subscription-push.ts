/**
 * Pushes to subscribed chats: after a document is added, every subscription whose kept profile matches measures
 * of that document gets one message listing them. `queuePushes` writes the messages to the store (it runs where
 * the document is added, e.g. `policybot corpus add`); `deliverPendingPushes` sends them through the running
 * channels (the server calls it on a timer), so a push waits in the store while no channel is up.
 */
import type { PolicyDocument } from '../../corpus/index.ts';
import { findChannel, type Channel } from './channel.ts';
import type { EnterpriseProfile } from '../matching/index.ts';
import { composePushText } from '../matching/index.ts';
import type { PolicyMatcher } from '../matching/index.ts';
import type { PushRecord, Store } from '../store/index.ts';
import { describeError, type Logger } from '../logger.ts';

/** Queues one message for each subscribed chat that the new document has matching measures for. */
export async function queuePushes(options: { store: Store; matcher: PolicyMatcher; document: PolicyDocument; clock?: () => Date }): Promise<PushRecord[]> {
  const clock = options.clock ?? (() => new Date());
  const queued: PushRecord[] = [];
  for (const subscription of await options.store.listSubscriptions()) {
    const profile = subscription.profile as EnterpriseProfile;
    const result = await options.matcher.match(profile);
    const fresh = [...result.matches, ...result.mayApply].filter((match) => match.docId === options.document.docId);
    if (fresh.length === 0) continue;
    queued.push(
      await options.store.recordPush({
        subscriptionId: subscription.id,
        channel: subscription.channel,
        chatId: subscription.chatId,
        docId: options.document.docId,
        clauseIds: fresh.map((match) => match.clauseId),
        text: composePushText(options.document.title, fresh, profile),
        time: clock(),
      }),
    );
  }
  return queued;
}

/** Sends every pending push whose channel is running; a failure is recorded and the push is not retried. */
export async function deliverPendingPushes(options: {
  store: Store;
  channels: () => Channel[];
  clock?: () => Date;
  logger?: Logger;
}): Promise<{ sent: number; failed: number }> {
  const clock = options.clock ?? (() => new Date());
  let sent = 0;
  let failed = 0;
  const subscribed = new Set((await options.store.listSubscriptions()).map((subscription) => subscription.id));
  for (const push of (await options.store.listPushes('pending')).reverse()) {
    // Unsubscribed since the push was queued: the enterprise asked for no more messages.
    if (!subscribed.has(push.subscriptionId)) {
      await options.store.markPush(push.id, { status: 'failed', error: '发送前已取消订阅', time: clock() });
      failed += 1;
      continue;
    }
    const channel = findChannel(options.channels(), push.channel);
    if (!channel) continue;
    try {
      await channel.deliver(push.chatId, push.text);
      await options.store.markPush(push.id, { status: 'sent', error: null, time: clock() });
      sent += 1;
    } catch (error) {
      await options.store.markPush(push.id, { status: 'failed', error: error instanceof Error ? error.message : String(error), time: clock() });
      options.logger?.warn(`新政策提醒 ${push.id} 未能发往 ${push.channel} 会话`, { error: describeError(error) });
      failed += 1;
    }
  }
  return { sent, failed };
}
