/**
 * The assistant core: question + history → decision, answer parts, citations. Imports `corpus/` and `retrieval/`
 * only (and the Store type for chat history); no channel SDK, no HTTP framework, no environment.
 */

// Commonly used
export { decisions } from './answer.ts';
export type { Answer, AnswerMode, AnswerPart, ChannelName, Citation, Decision, Question, ValidityStatus } from './answer.ts';
export type { AskOptions, Assistant } from './assistant.ts';
export { createAssistant, loadPrompts } from './policy-assistant.ts';
export type { Turn } from './policy-assistant.ts';
export { escapeHtml, makeAnswer, renderAnswer, renderBody, renderSources } from './answer-render.ts';

// Advanced
export { chatHistoryTtlMs, createMemoryChatHistory, createStoreChatHistory } from './chat-history.ts';
export type { ChatHistory } from './chat-history.ts';
export type { ChatMessage, ChatModel } from './chat-model.ts';
export { readExampleQuestions, writeExampleQuestions } from './example-questions.ts';
export type { ExampleClause, ExampleQuestionCache, ExampleQuestionTally } from './example-questions.ts';
export { clippedQuestion, questionTooLong } from './question-length.ts';
