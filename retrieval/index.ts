/**
 * The retrieval layer: clauses found for a question (BM25 ⊕ HNSW), citations, query analysis.
 * Imports `corpus/` only. Other layers import from here only.
 */

// Commonly used
export { ClauseRetriever, documentsNotInIndex } from './clause-retriever.ts';
export type { SearchOptions, SearchResult } from './clause-retriever.ts';
export type { TypoCorrection } from './homophone-typos.ts';
export { toCitation } from './citation.ts';
export type { Citation } from './citation.ts';
export type { Embedder } from './embedder.ts';

// Advanced
export { ASKED_KIND_NAMES } from './asked-kind.ts';
export { askingParts, asksSomething } from './query-analysis.ts';
export type { AskedKind } from './asked-kind.ts';
export { DOCUMENT_ASPECT_NAMES, type DocumentQuestion } from './document-question.ts';
export { HashedEmbedder } from './embedder/hashed-embedder.ts';
export { OpenAIEmbedder } from './embedder/openai-embedder.ts';
export { characterBigrams, generalIdf, segment } from './text-analysis.ts';
export { clauseContentHash } from './clause-retriever.ts';
