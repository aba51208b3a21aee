import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * The largest webhook body taken. An update carries one message of at most 4 096 characters (≤ 16 KB of UTF-8) with
 * its entities and, for a reply, the message replied to: well under 64 KB. telegraf itself reads any length.
 */
export const TELEGRAM_WEBHOOK_MAX_BYTES = 256 * 1024;

/** Node `(request, response)` handler for Telegram's webhook POSTs; answers 403 on a wrong secret token. */
export type TelegramWebhookHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * The Telegram webhook as the channel's routes: POST `path` (the path part of TELEGRAM_WEBHOOK_URL). telegraf's
 * callback is a Node handler, so it is given the raw request and response that @hono/node-server exposes; the app
 * these routes are mounted on must be served by @hono/node-server.
 *
 * @example app.route('/', telegramWebhookRoutes('/telegram/webhook', bot.webhookCallback('/telegram/webhook', { secretToken })));
 */
export function telegramWebhookRoutes(path: string, handler: TelegramWebhookHandler): Hono {
  const routes = new Hono();
  routes.post(
    path,
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
      await handler(bindings.incoming, bindings.outgoing);
      return RESPONSE_ALREADY_SENT;
    },
  );
  return routes;
}
