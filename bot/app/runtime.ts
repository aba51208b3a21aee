import path from 'node:path';
import { loadCorpus, type Corpus } from '../../corpus/index.ts';
import { ClauseRetriever } from '../../retrieval/index.ts';
import type { Embedder } from '../../retrieval/index.ts';
import { HashedEmbedder } from '../../retrieval/index.ts';
import { OpenAIEmbedder } from '../../retrieval/index.ts';
import type { Assistant, ChatModel } from '../core/index.ts';
import { applyCachedExampleQuestions } from './example-question-feed.ts';
import { OpenAIChatModel } from './openai-chat-model.ts';
import { projectRoot, type Config } from './config.ts';
import type { ChatHistory } from '../core/index.ts';
import { configSecrets, createLogger, type Logger } from '../logger.ts';
import { createAssistant, loadPrompts, type Turn } from '../core/index.ts';

/** The assistant core assembled from the configuration: corpus → retriever → assistant. */
export interface Runtime {
  corpus: Corpus;
  retriever: ClauseRetriever;
  assistant: Assistant;
  mode: 'extractive' | 'llm';
  /** The configured model (CHAT_MODEL), when there is one. */
  chatModel?: ChatModel;
}

export function createEmbedder(config: Config): Embedder {
  if (config.embedder === 'openai' && config.openai.embeddingModel) {
    return new OpenAIEmbedder({
      apiKey: config.openai.apiKey,
      baseUrl: config.openai.baseUrl,
      model: config.openai.embeddingModel,
      timeoutMs: config.openai.timeoutMs,
    });
  }
  return new HashedEmbedder();
}

export interface RuntimeOptions {
  /** Where chats' recent turns are kept (the store, when several workers share them); this process's memory by default. */
  chatHistory?: ChatHistory<Turn>;
  /** The documents to answer from: the corpus directory's by default (live-runtime.ts starts with part of it). */
  corpus?: Corpus;
}

/** The root logger of a process, from the configuration: debug lines with POLICYBOT_DEBUG, every configured secret redacted. */
export function loggerFor(config: Config): Logger {
  return createLogger({ level: config.debug ? 'debug' : 'info', secrets: configSecrets(config) });
}

export async function createRuntime(config: Config, logger: Logger = loggerFor(config), options: RuntimeOptions = {}): Promise<Runtime> {
  const corpus = options.corpus ?? loadCorpus(config.corpusDir);
  // retrieval/ imports nothing of bot/: it reports index progress through a plain callback.
  const retriever = await ClauseRetriever.create({
    corpus,
    embedder: createEmbedder(config),
    indexDirectory: config.indexDir,
    log: (message) => logger.info(message),
  });
  const llmConfigured = Boolean(config.openai.chatModel && (config.openai.apiKey || config.openai.baseUrl));
  const chatModel = llmConfigured
    ? new OpenAIChatModel({ apiKey: config.openai.apiKey, baseUrl: config.openai.baseUrl, model: config.openai.chatModel!, timeoutMs: config.openai.timeoutMs })
    : undefined;
  const assistant = createAssistant({
    retriever,
    chatModel,
    prompts: loadPrompts(path.join(projectRoot, 'prompts')),
    logger: logger.child('answer'),
    llmTimeoutMs: config.openai.timeoutMs,
    maxQuestionChars: config.maxQuestionChars,
    chatHistory: options.chatHistory,
  });
  const runtime: Runtime = { corpus, retriever, assistant, mode: chatModel ? 'llm' : 'extractive', chatModel };
  // Questions the model already wrote (EXAMPLE_QUESTIONS=1) count in every command; only the server writes new ones.
  if (config.openai.exampleQuestions) applyCachedExampleQuestions(runtime, config.indexDir, logger.child('examples'));
  return runtime;
}
