import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body of POST /v1/chat/completions. */
  body: { model?: string; stream?: boolean; messages?: { role: string; content: string }[] } & Record<string, unknown>;
}

/** What the next completion request gets back. */
export type ScriptedReply =
  /** A normal completion: JSON, or SSE chunks (one per piece) when the request asked for `stream: true`. */
  | { kind: 'answer'; pieces: string[]; delayBetweenPiecesMs?: number }
  /** No reply within `delayMs` (the client is expected to give up first). */
  | { kind: 'slow'; delayMs: number; text: string }
  /** An HTTP error with an OpenAI-style error body. */
  | { kind: 'error'; status: number; message: string }
  /** 200 with a body that is not JSON. */
  | { kind: 'garbage'; body: string };

/**
 * A real HTTP server on loopback speaking the OpenAI chat completions API (POST /v1/chat/completions), as far
 * as ChatOpenAI uses it: a JSON `chat.completion`, or with `stream: true` server-sent events
 * `data: {chat.completion.chunk}\n\n` ending in `data: [DONE]\n\n`
 * (https://platform.openai.com/docs/api-reference/chat/streaming). Replies are scripted per test.
 */
export class FakeOpenAIServer {
  readonly requests: ReceivedRequest[] = [];
  private script: ScriptedReply | ((request: ReceivedRequest) => ScriptedReply) = { kind: 'error', status: 500, message: 'no reply scripted' };
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeOpenAIServer> {
    let fake: FakeOpenAIServer | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => fake!.handle(request.method ?? 'GET', request.url ?? '/', request.headers, Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeOpenAIServer(server, `http://127.0.0.1:${port}/v1`);
    return fake;
  }

  /** Every following request gets this reply, or the reply this function makes of it (until the next call). */
  reply(script: ScriptedReply | ((request: ReceivedRequest) => ScriptedReply)): void {
    this.script = script;
  }

  /** The most recent completion request. */
  get lastRequest(): ReceivedRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, raw: string, response: ServerResponse): void {
    const path = url.split('?')[0] ?? url;
    if (method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(response, 404, { error: { message: `No route ${method} ${path}`, type: 'invalid_request_error' } });
      return;
    }
    let body: ReceivedRequest['body'];
    try {
      body = JSON.parse(raw) as ReceivedRequest['body'];
    } catch {
      sendJson(response, 400, { error: { message: 'Request body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const received = { method, path, headers, body };
    this.requests.push(received);
    const script = typeof this.script === 'function' ? this.script(received) : this.script;
    const model = body.model ?? 'unknown';
    switch (script.kind) {
      case 'error':
        sendJson(response, script.status, {
          error: { message: script.message, type: script.status === 429 ? 'rate_limit_error' : 'server_error', code: null },
        });
        return;
      case 'garbage':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(script.body);
        return;
      case 'slow':
        this.later(script.delayMs, () => {
          if (!response.destroyed) sendJson(response, 200, completion(model, script.text));
        });
        return;
      case 'answer':
        if (!body.stream) {
          sendJson(response, 200, completion(model, script.pieces.join('')));
          return;
        }
        this.stream(response, model, script.pieces, script.delayBetweenPiecesMs ?? 0);
    }
  }

  private stream(response: ServerResponse, model: string, pieces: string[], gapMs: number): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const id = 'chatcmpl-fake-stream';
    const created = Math.floor(Date.now() / 1000);
    const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    send(chunk({ role: 'assistant', content: '' }, null));
    const next = (index: number) => {
      if (response.destroyed) return;
      if (index < pieces.length) {
        send(chunk({ content: pieces[index] }, null));
        this.later(gapMs, () => next(index + 1));
        return;
      }
      send(chunk({}, 'stop'));
      response.end('data: [DONE]\n\n');
    };
    this.later(gapMs, () => next(0));
  }
}

function completion(model: string, text: string) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
