import type { OpenAIEmbeddings } from '@langchain/openai';
import { PolicyBotError } from '../../corpus/index.ts';
import { normalize, type Embedder } from '../embedder.ts';

export interface OpenAIEmbedderOptions {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  /** Texts per request. */
  batchSize?: number;
  timeoutMs?: number;
}

/** Any OpenAI-compatible embeddings endpoint (bge-m3 on Ollama/Xinference/vLLM, or a cloud provider). */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  dimension = 0;
  /**
   * LangChain takes 0.25 s to load, so it is imported when an endpoint is configured, not by every command that
   * imports the runtime; the import starts here, so it overlaps with loading the corpus.
   */
  private readonly client: Promise<OpenAIEmbeddings>;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.id = `openai/${options.model}@${options.baseUrl ?? 'default'}`;
    this.client = import('@langchain/openai').then(
      ({ OpenAIEmbeddings }) =>
        new OpenAIEmbeddings({
          model: options.model,
          apiKey: options.apiKey ?? 'not-needed',
          batchSize: options.batchSize ?? 64,
          maxRetries: 3, // with exponential backoff, by the client
          timeout: options.timeoutMs ?? 30_000,
          configuration: options.baseUrl ? { baseURL: options.baseUrl } : undefined,
        }),
    );
    // Awaited by each call; marked handled so a failed import is reported there, not as an unhandled rejection.
    this.client.catch(() => undefined);
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const vectors = await this.call(async () => (await this.client).embedDocuments(texts));
    return vectors.map((vector) => this.accept(vector));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.accept(await this.call(async () => (await this.client).embedQuery(text)));
  }

  private accept(vector: number[]): Float32Array {
    if (this.dimension === 0) this.dimension = vector.length;
    if (vector.length !== this.dimension)
      throw new PolicyBotError('EMBEDDING_DIMENSION', `Embedding endpoint returned ${vector.length} dimensions, expected ${this.dimension}.`);
    return normalize(Float32Array.from(vector));
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new PolicyBotError(
        'EMBEDDING_UNREACHABLE',
        `Embedding endpoint ${this.options.baseUrl ?? '(OpenAI default)'} failed for model ${this.options.model}: ${(error as Error).message}. Check OPENAI_BASE_URL / EMBEDDING_MODEL in .env, or unset EMBEDDING_MODEL to use the offline embedder.`,
        { cause: error },
      );
    }
  }
}
