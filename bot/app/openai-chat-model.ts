import type { ChatOpenAI } from '@langchain/openai';
import type { ChatMessage, ChatModel } from '../core/index.ts';

export interface OpenAIChatModelOptions {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  timeoutMs: number;
  streaming?: boolean;
}

/** ChatOpenAI from @langchain/openai against any OpenAI-compatible endpoint (DeepSeek, Qwen, GLM, vLLM, Ollama). */
export class OpenAIChatModel implements ChatModel {
  readonly name: string;
  /** Imported when a model is configured (LangChain takes 0.25 s to load), starting here; see OpenAIEmbedder. */
  private readonly client: Promise<ChatOpenAI>;

  constructor(private readonly options: OpenAIChatModelOptions) {
    this.name = options.model;
    this.client = import('@langchain/openai').then(
      ({ ChatOpenAI }) =>
        new ChatOpenAI({
          model: options.model,
          apiKey: options.apiKey ?? 'not-needed',
          temperature: 0,
          // Retries are the assistant's job: it falls back to the extractive answer within a bounded time.
          maxRetries: 0,
          timeout: options.timeoutMs,
          configuration: options.baseUrl ? { baseURL: options.baseUrl } : undefined,
        }),
    );
    this.client.catch(() => undefined);
  }

  async complete(messages: ChatMessage[], options: { onText?: (textSoFar: string) => void; signal?: AbortSignal } = {}): Promise<string> {
    const client = await this.client;
    const input = messages.map(
      (message) => [message.role === 'assistant' ? 'ai' : message.role === 'user' ? 'human' : 'system', message.content] as [string, string],
    );
    if (this.options.streaming === false || !options.onText) {
      const result = await client.invoke(input, { signal: options.signal });
      return typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
    }
    let text = '';
    for await (const chunk of await client.stream(input, { signal: options.signal })) {
      text += typeof chunk.content === 'string' ? chunk.content : '';
      options.onText(text);
    }
    return text;
  }
}
