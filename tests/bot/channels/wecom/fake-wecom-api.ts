import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * WeCom's server API on 127.0.0.1: GET /cgi-bin/gettoken?corpid&corpsecret and
 * POST /cgi-bin/message/send?access_token, answering `{ errcode, errmsg, … }` as WeCom does.
 */
/** What one message/send call answers instead of success: an HTTP 500, or a WeCom error code. */
export type SendFault = 'http-500' | { errcode: number; errmsg: string };

export class FakeWeComApi {
  readonly tokenRequests: URLSearchParams[] = [];
  readonly sent: Array<Record<string, any>> = [];
  /** Every message/send call with a valid token, failed ones included. */
  sendCalls = 0;
  /** Decides, per call (numbered from 1), whether message/send fails; undefined means it succeeds. */
  sendFault: (call: number, body: Record<string, any>) => SendFault | undefined = () => undefined;
  private readonly server: Server;
  private issued = 0;

  private constructor(
    private readonly corpId: string,
    private readonly corpSecret: string,
  ) {
    this.server = createServer(async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      let raw = '';
      for await (const chunk of request) raw += String(chunk);
      const reply = (payload: unknown): void => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (request.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
        this.tokenRequests.push(url.searchParams);
        if (url.searchParams.get('corpid') !== this.corpId || url.searchParams.get('corpsecret') !== this.corpSecret) {
          return reply({ errcode: 40001, errmsg: 'invalid credential' });
        }
        this.issued += 1;
        return reply({ errcode: 0, errmsg: 'ok', access_token: this.currentToken, expires_in: 7200 });
      }
      if (request.method === 'POST' && url.pathname === '/cgi-bin/message/send') {
        if (url.searchParams.get('access_token') !== this.currentToken) return reply({ errcode: 40014, errmsg: 'invalid access_token' });
        const body = JSON.parse(raw) as Record<string, any>;
        this.sendCalls += 1;
        const fault = this.sendFault(this.sendCalls, body);
        if (fault === 'http-500') return void response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        if (fault) return reply(fault);
        this.sent.push(body);
        return reply({ errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `sent-${this.sent.length}` });
      }
      response.writeHead(404).end();
    });
  }

  /** `port` 0 picks a free one; a fixed port lets a restarted test server find the same API. */
  static async start(corpId: string, corpSecret: string, port = 0): Promise<FakeWeComApi> {
    const api = new FakeWeComApi(corpId, corpSecret);
    await new Promise<void>((resolve) => api.server.listen(port, '127.0.0.1', resolve));
    return api;
  }

  /** Messages sent to one member, in order. */
  sentTo(user: string): string[] {
    return this.sent.filter((message) => message.touser === user).map((message) => String(message.text?.content ?? ''));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private get currentToken(): string {
    return `access-token-${this.issued}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
