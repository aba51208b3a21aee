import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Env, Hono } from 'hono';
import type { TelegramChannel } from './telegram-channel.ts';

/**
 * Mounts the Telegram webhook on the shared Hono app. telegraf's callback is a Node handler, so it is given
 * the raw request and response that @hono/node-server exposes; the app must be served by @hono/node-server.
 */
export function mountTelegramWebhook<E extends Env>(app: Hono<E>, channel: TelegramChannel): void {
  const { webhookPath, webhookHandler } = channel;
  if (!webhookPath || !webhookHandler) return;
  app.post(webhookPath, async (c) => {
    const bindings = c.env as Partial<HttpBindings> | undefined;
    if (!bindings?.incoming || !bindings.outgoing) {
      return c.text('The Telegram webhook needs the app to be served by @hono/node-server', 500);
    }
    await webhookHandler(bindings.incoming, bindings.outgoing);
    return RESPONSE_ALREADY_SENT;
  });
}
