import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Env, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { TelegramChannel } from './telegram-channel.ts';

/**
 * The largest webhook body taken. An update carries one message of at most 4 096 characters (≤ 16 KB of UTF-8) with
 * its entities and, for a reply, the message replied to: well under 64 KB. telegraf itself reads any length.
 */
export const TELEGRAM_WEBHOOK_MAX_BYTES = 256 * 1024;

/**
 * Mounts the Telegram webhook on the shared Hono app. telegraf's callback is a Node handler, so it is given
 * the raw request and response that @hono/node-server exposes; the app must be served by @hono/node-server.
 */
export function mountTelegramWebhook<E extends Env>(app: Hono<E>, channel: TelegramChannel): void {
  const { webhookPath, webhookHandler } = channel;
  if (!webhookPath || !webhookHandler) return;
  app.post(
    webhookPath,
    bodyLimit({
      maxSize: TELEGRAM_WEBHOOK_MAX_BYTES,
      onError: (c) => {
        c.header('connection', 'close');
        return c.text('payload too large', 413);
      },
    }),
    async (c) => {
      const bindings = c.env as Partial<HttpBindings> | undefined;
      if (!bindings?.incoming || !bindings.outgoing) {
        return c.text('The Telegram webhook needs the app to be served by @hono/node-server', 500);
      }
      // The body as read within the limit; telegraf takes a request's `body` when it is set instead of reading the stream.
      Object.assign(bindings.incoming, { body: Buffer.from(await c.req.arrayBuffer()) });
      await webhookHandler(bindings.incoming, bindings.outgoing);
      return RESPONSE_ALREADY_SENT;
    },
  );
}
