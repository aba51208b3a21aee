import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../corpus/corpus-library.ts';
import { PolicyBotError } from '../../corpus/errors.ts';
import { ClauseRetriever } from '../../retrieval/clause-retriever.ts';
import { HashedEmbedder } from '../../retrieval/embedder/hashed-embedder.ts';
import { OpenAIEmbedder } from '../../retrieval/embedder/openai-embedder.ts';

/**
 * An OpenAI-compatible embeddings endpoint on loopback (POST /v1/embeddings), as served by Ollama, Xinference
 * or vLLM. Its vectors come from the offline embedder so that search results can be checked; the first
 * `failures` requests get a 503 to exercise the client's retries.
 */
class FakeEmbeddingsServer {
  batches: number[] = [];
  failures = 0;
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeEmbeddingsServer> {
    const inner = new HashedEmbedder(256);
    let fake: FakeEmbeddingsServer;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (fake.failures > 0) {
          fake.failures -= 1;
          response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'busy' } }));
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string[] | string; model: string; encoding_format?: string };
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        fake.batches.push(inputs.length);
        // openai 6 asks for base64 (little-endian float32) unless told otherwise, as OpenAI and vLLM serve it.
        const encode = (vector: Float32Array) =>
          body.encoding_format === 'base64' ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') : Array.from(vector);
        const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: encode(Float32Array.from(inner.embed(text))) }));
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeEmbeddingsServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('OpenAI-compatible embedder', () => {
  let fake: FakeEmbeddingsServer;
  beforeAll(async () => {
    fake = await FakeEmbeddingsServer.start();
  });
  afterAll(async () => fake.close());

  it('embeds the corpus in batches, retries a busy endpoint, and finds clauses with its vectors', async () => {
    const base = loadCorpus('corpus/documents');
    const document = base.document('000')!;
    const corpus = { ...base, clauses: document.clauses.slice(0, 20), documents: [document] };
    fake.failures = 1;
    const embedder = new OpenAIEmbedder({ baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'bge-m3', batchSize: 8 });
    const retriever = await ClauseRetriever.create({ corpus, embedder });
    // Batches may be sent concurrently, so compare them as a multiset.
    expect([...fake.batches].sort((a, b) => a - b)).toEqual([4, 8, 8]);
    expect(embedder.dimension).toBe(256);
    expect(embedder.id).toContain('bge-m3');
    expect((await retriever.search('中小微企业稳岗返还比例', { k: 1 })).hits[0]!.clause.citeLabel).toBe('(二)');
  });

  it('says which setting to check when the endpoint is unreachable', async () => {
    const embedder = new OpenAIEmbedder({ baseUrl: 'http://127.0.0.1:9/v1', model: 'bge-m3', timeoutMs: 2000 });
    const error = await embedder.embedQuery('稳岗返还').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyBotError);
    expect((error as PolicyBotError).code).toBe('EMBEDDING_UNREACHABLE');
    expect((error as Error).message).toMatch(/OPENAI_BASE_URL|EMBEDDING_MODEL/);
  });
});
