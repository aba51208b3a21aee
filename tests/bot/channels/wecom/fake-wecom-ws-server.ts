import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/** The few parts of `ws` used here. The project has no @types/ws; `ws` is the WeCom SDK's own WebSocket library. */
interface ServerSocket {
  send(data: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
}
interface WebSocketServer {
  address(): AddressInfo;
  clients: Set<ServerSocket>;
  on(event: 'connection', listener: (socket: ServerSocket) => void): void;
  on(event: 'listening', listener: () => void): void;
  close(callback: () => void): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (options: { host: string; port: number }) => WebSocketServer;
};

export interface Frame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, any>;
  errcode?: number;
  errmsg?: string;
}

/**
 * WeCom's smart-bot long-connection server on 127.0.0.1, speaking the frames of docs/im-protocols.md:
 * it acknowledges aibot_subscribe (checking bot id and secret), ping and every reply with
 * `{ headers: { req_id }, errcode: 0, errmsg: 'ok' }`, records what the bot sends, and pushes callbacks.
 */
export class FakeWeComServer {
  /** Frames received from the bot, in order (ping included). */
  readonly received: Frame[] = [];
  authentications = 0;
  private current: ServerSocket | undefined;
  private nextRequest = 1;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly botId: string,
    private readonly secret: string,
  ) {
    server.on('connection', (socket) => {
      socket.on('message', (data) => this.onFrame(socket, JSON.parse(data.toString()) as Frame));
      socket.on('close', () => {
        if (this.current === socket) this.current = undefined;
      });
    });
  }

  static async start(botId: string, secret: string): Promise<FakeWeComServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.on('listening', resolve));
    return new FakeWeComServer(server, botId, secret);
  }

  get url(): string {
    return `ws://127.0.0.1:${this.server.address().port}`;
  }

  /** Pushes an aibot_msg_callback; returns its req_id. req_ids must not start with aibot_subscribe or ping (the SDK routes acks by prefix). */
  pushMessage(body: Record<string, unknown>): string {
    return this.push('aibot_msg_callback', body);
  }

  /**
   * Pushes an aibot_event_callback. `details` are the event's own fields beside `eventtype`, as WeCom nests them:
   * `{ feedback_event: { id, type, content, inaccurate_reason_list } }`, `{ template_card_event: { card_type, event_key, task_id } }`.
   */
  pushEvent(eventtype: string, from = 'zhangsan', details: Record<string, unknown> = {}, group?: string): string {
    return this.push('aibot_event_callback', {
      msgid: `event-${this.nextRequest}`,
      create_time: 1_732_350_000,
      aibotid: this.botId,
      from: { userid: from },
      ...(group ? { chatid: group } : {}),
      chattype: group ? 'group' : 'single',
      msgtype: 'event',
      event: { eventtype, ...details },
    });
  }

  /** Replies sent for one callback (by its req_id), in order. */
  repliesTo(reqId: string): Frame[] {
    return this.received.filter((frame) => frame.headers.req_id === reqId && frame.cmd !== 'ping');
  }

  /** Drops every connection abruptly, as a network failure would. */
  dropConnections(): void {
    for (const socket of this.server.clients) socket.terminate();
    this.current = undefined;
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private push(cmd: string, body: Record<string, unknown>): string {
    if (!this.current) throw new Error('No authenticated connection to push to');
    const reqId = `callback_${this.nextRequest++}`;
    this.current.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }));
    return reqId;
  }

  private onFrame(socket: ServerSocket, frame: Frame): void {
    this.received.push(frame);
    const ack = (errcode = 0, errmsg = 'ok') => socket.send(JSON.stringify({ headers: { req_id: frame.headers.req_id }, errcode, errmsg }));
    if (frame.cmd === 'aibot_subscribe') {
      if (frame.body?.bot_id !== this.botId || frame.body?.secret !== this.secret) {
        ack(40_058, 'invalid bot_id or secret');
        return;
      }
      this.authentications += 1;
      this.current = socket;
    }
    ack();
  }
}

let nextMessageId = 1;

/** A text message callback body as WeCom sends it; `chatid` only in groups. */
export function textMessage(options: { text: string; from?: string; group?: string; msgid?: string }): Record<string, unknown> {
  return {
    msgid: options.msgid ?? `msg-${Date.now()}-${nextMessageId++}`,
    aibotid: 'aib-policy',
    ...(options.group ? { chatid: options.group } : {}),
    chattype: options.group ? 'group' : 'single',
    from: { userid: options.from ?? 'zhangsan' },
    create_time: 1_732_350_000,
    msgtype: 'text',
    text: { content: options.text },
  };
}
