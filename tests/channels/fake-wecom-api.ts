import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * WeCom's server API on 127.0.0.1: GET /cgi-bin/gettoken?corpid&corpsecret and
 * POST /cgi-bin/message/send?access_token, answering `{ errcode, errmsg, … }` as WeCom does.
 */
export class FakeWeComApi {
  readonly tokenRequests: URLSearchParams[] = [];
  readonly sent: Array<Record<string, any>> = [];
  private readonly server: Server;
  private issued = 0;

  private constructor(private readonly corpId: string, private readonly corpSecret: string) {
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
        this.sent.push(JSON.parse(raw) as Record<string, any>);
        return reply({ errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `sent-${this.sent.length}` });
      }
      response.writeHead(404).end();
    });
  }

  static async start(corpId: string, corpSecret: string): Promise<FakeWeComApi> {
    const api = new FakeWeComApi(corpId, corpSecret);
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
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
