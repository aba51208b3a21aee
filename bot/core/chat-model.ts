/** One message of a chat completion. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chat-completion model (any OpenAI-compatible service), as the assistant needs it. */
export interface ChatModel {
  readonly name: string;
  /** Completes `messages`; `onToken` receives the text so far when streaming. Rejects on timeout or HTTP error. */
  complete(messages: ChatMessage[], options?: { onText?: (textSoFar: string) => void; signal?: AbortSignal }): Promise<string>;
}
