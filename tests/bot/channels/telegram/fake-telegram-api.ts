import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The bot the fake server answers getMe with. */
export const FAKE_BOT = {
  id: 7_700_000_001,
  is_bot: true as const,
  first_name: '政策助手',
  username: 'policy_helper_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
}

interface ApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style). */
const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'blockquote', 'tg-spoiler', 'span']);

/**
 * A Bot API server on 127.0.0.1 speaking the real wire format: POST /bot<token>/<method> with a JSON body,
 * answered `{ ok, result }` or `{ ok: false, error_code, description, parameters }`. Updates queued with `push`
 * are returned once by getUpdates; sendMessage is checked like Telegram does (length, HTML markup).
 */
export class FakeTelegramApi {
  readonly calls: ApiCall[] = [];
  private readonly server: Server;
  private readonly queued: Array<Record<string, unknown>> = [];
  private readonly failures = new Map<string, ApiError[]>();
  private waitingPolls: Array<() => void> = [];
  private nextUpdateId = 1000;
  private nextMessageId = 500;
  /** The bot's messages as sent (and edited), by "chat:message_id". */
  private readonly messages = new Map<string, Record<string, any>>();
  /** Callback queries pushed and not yet answered: Telegram accepts one answerCallbackQuery each. */
  private readonly openQueries = new Set<string>();
  private nextQueryId = 1;

  private constructor(private readonly token: string) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(token: string): Promise<FakeTelegramApi> {
    const api = new FakeTelegramApi(token);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Queues an update (its update_id is assigned here) for the next getUpdates; returns the update. */
  push(update: Record<string, unknown>): Record<string, unknown> {
    const full = { update_id: this.nextUpdateId++, ...update };
    this.queued.push(full);
    for (const wake of this.waitingPolls.splice(0)) wake();
    return full;
  }

  /** The last message the bot sent to `chatId`, as it stands now. */
  lastMessage(chatId: number): Record<string, any> | undefined {
    return [...this.messages.values()].filter((message) => message.chat.id === chatId).at(-1);
  }

  /** The bot's message as it stands now (keyboard edits included). */
  message(chatId: number, messageId: number): Record<string, any> | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  /**
   * Queues a press on an inline button of one of the bot's messages, as Telegram sends it: the callback query
   * carries the message as it stands (with its keyboard) and the button's callback_data. Returns the query id.
   */
  pressButton(options: { chatId: number; messageId: number; data: string; userId: number }): string {
    const message = this.messages.get(`${options.chatId}:${options.messageId}`);
    if (!message) throw new Error(`no message ${options.messageId} in chat ${options.chatId}`);
    const id = `cq-${this.nextQueryId++}`;
    this.openQueries.add(id);
    this.push({
      callback_query: {
        id,
        chat_instance: `ci-${options.chatId}`,
        data: options.data,
        message: structuredClone(message),
        from: { id: options.userId, is_bot: false, first_name: '企业', username: `user${options.userId}`, language_code: 'zh-hans' },
      },
    });
    return id;
  }

  /** Calls of `method`, in order. */
  callsOf(method: string): Array<Record<string, unknown>> {
    return this.calls.filter((call) => call.method === method).map((call) => call.body);
  }

  /** Makes the next call(s) of `method` fail with this error, in order. */
  failNext(method: string, error: ApiError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** sendMessage calls to `chatId`, in order. */
  sent(chatId: number): Array<Record<string, unknown>> {
    return this.calls.filter((call) => call.method === 'sendMessage' && call.body.chat_id === chatId).map((call) => call.body);
  }

  count(method: string): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  async close(): Promise<void> {
    for (const wake of this.waitingPolls.splice(0)) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? '');
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    this.calls.push({ method, body });
    if (token !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });

    const failure = this.failures.get(method)?.shift();
    if (failure) return reply(failure.error_code, { ok: false, ...failure });

    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: FAKE_BOT });
      case 'deleteWebhook':
      case 'setWebhook':
      case 'sendChatAction':
        return reply(200, { ok: true, result: true });
      case 'getUpdates':
        return reply(200, { ok: true, result: await this.updatesAfter(Number(body.offset ?? 0), body.limit === 1) });
      case 'sendMessage': {
        const problem = checkMessage(String(body.text ?? ''), body.parse_mode) ?? checkKeyboard(body.reply_markup);
        if (problem) return reply(400, { ok: false, error_code: 400, description: `Bad Request: ${problem}` });
        const message = {
          message_id: this.nextMessageId++,
          from: FAKE_BOT,
          chat: { id: body.chat_id, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: body.text,
          ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}),
        };
        this.messages.set(`${body.chat_id}:${message.message_id}`, message);
        return reply(200, { ok: true, result: message });
      }
      case 'answerCallbackQuery': {
        const text = String(body.text ?? '');
        if (!this.openQueries.delete(String(body.callback_query_id)))
          return reply(400, { ok: false, error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
        if ([...text].length > 200) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: MESSAGE_TOO_LONG' });
        return reply(200, { ok: true, result: true });
      }
      case 'editMessageReplyMarkup': {
        const message = this.messages.get(`${body.chat_id}:${body.message_id}`);
        if (!message) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
        const problem = checkKeyboard(body.reply_markup);
        if (problem) return reply(400, { ok: false, error_code: 400, description: `Bad Request: ${problem}` });
        if (JSON.stringify(message.reply_markup ?? null) === JSON.stringify(body.reply_markup ?? null)) {
          return reply(400, {
            ok: false,
            error_code: 400,
            description:
              'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          });
        }
        message.reply_markup = body.reply_markup;
        return reply(200, { ok: true, result: message });
      }
      default:
        return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  /** Long polling: queued updates at or after `offset`, or [] after a short wait (the real server waits up to `timeout`). */
  private async updatesAfter(offset: number, offsetSyncOnly: boolean): Promise<unknown[]> {
    const pending = () => this.queued.filter((update) => Number(update.update_id) >= offset);
    if (pending().length === 0 && !offsetSyncOnly) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 300);
        this.waitingPolls.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    // Returned once: confirmed (earlier) updates are forgotten, as Telegram does when offset moves past them.
    const confirmedBelow = offset;
    for (let index = this.queued.length - 1; index >= 0; index -= 1) {
      if (Number(this.queued[index]!.update_id) < confirmedBelow) this.queued.splice(index, 1);
    }
    return offsetSyncOnly ? [] : pending();
  }
}

/** Telegram's own checks on a message text: 1-4096 characters and, in HTML mode, well-formed markup of allowed tags. */
function checkMessage(text: string, parseMode: unknown): string | undefined {
  const visible = parseMode === 'HTML' ? text.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot|#\d+);/g, 'x') : text;
  if (visible.length === 0) return 'message text is empty';
  if (visible.length > 4096) return 'message is too long';
  if (parseMode !== 'HTML') return undefined;
  const open: string[] = [];
  for (const token of text.matchAll(/<(\/?)([a-z-]+)(\s[^>]*)?>|<|&(?!(lt|gt|amp|quot|#\d+);)/g)) {
    const [whole, closing, name] = token;
    if (whole === '<' || whole.startsWith('&')) return `can't parse entities: unescaped "${whole}"`;
    if (!name || !ALLOWED_TAGS.has(name)) return `can't parse entities: unsupported start tag "${name}"`;
    if (closing) {
      if (open.pop() !== name) return `can't parse entities: unexpected end tag "${name}"`;
    } else open.push(name);
  }
  return open.length > 0 ? `can't parse entities: unclosed tag "${open.at(-1)}"` : undefined;
}

/** Telegram's checks on an inline keyboard: each button has text and 1-64 bytes of callback_data. */
function checkKeyboard(markup: unknown): string | undefined {
  if (markup === undefined) return undefined;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) return "can't parse reply keyboard markup JSON object";
  for (const button of rows.flat() as Array<{ text?: unknown; callback_data?: unknown }>) {
    if (typeof button.text !== 'string' || button.text === '') return 'text buttons are unallowed in the inline keyboard';
    const data = String(button.callback_data ?? '');
    if (Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) return 'BUTTON_DATA_INVALID';
  }
  return undefined;
}

let nextTelegramMessageId = 1;

/** A text message update as Telegram sends it (Bot API 7), for a private chat or a supergroup. */
export function textUpdate(options: {
  text: string;
  userId: number;
  chat?: { id: number; type: 'private' | 'supergroup' | 'group'; title?: string };
  entities?: Array<Record<string, unknown>>;
  replyTo?: Record<string, unknown>;
}): { message: Record<string, unknown> } {
  const user = { id: options.userId, is_bot: false, first_name: '企业', last_name: '用户', username: `user${options.userId}`, language_code: 'zh-hans' };
  const chat = options.chat ?? { id: options.userId, type: 'private' as const };
  return {
    message: {
      message_id: nextTelegramMessageId++,
      from: user,
      chat: chat.type === 'private' ? { id: chat.id, first_name: '企业', last_name: '用户', username: user.username, type: 'private' } : chat,
      date: 1_732_350_000,
      text: options.text,
      ...(options.entities ? { entities: options.entities } : {}),
      ...(options.replyTo ? { reply_to_message: options.replyTo } : {}),
    },
  };
}

/** A bot_command entity for a text starting with `command` (e.g. "/ask@policy_helper_bot"). */
export function commandEntity(command: string): Record<string, unknown> {
  return { type: 'bot_command', offset: 0, length: command.length };
}
