/**
 * The naive baseline the evaluation compares against: the raw published texts cut into fixed-size chunks by
 * LangChain's RecursiveCharacterTextSplitter (chunkSize 500, chunkOverlap 0, default separators
 * "\n\n", "\n", " ", ""), ranked the same way as the clause retriever's core — BM25 over `terms` fused with
 * HashedEmbedder vectors in an HnswIndex by reciprocal rank (k = 60), top 200 of each list.
 *
 * What the baseline does NOT get (and the clause retriever does): clause structure, headings prepended to the
 * text, query analysis (expansion terms, place boosts, department listings) and the coverage rerank.
 * Both sides get the same script normalisation (traditional → simplified, full → half width) before terms
 * and embedding, so the comparison is about chunking and structure, not about character forms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { toHalfWidth, toSimplified } from '../../corpus/script-converter.ts';
import { Bm25 } from '../../retrieval/bm25.ts';
import type { Embedder } from '../../retrieval/embedder.ts';
import { terms } from '../../retrieval/text-analysis.ts';
import { HnswIndex } from '../../retrieval/vector-index/hnsw-index.ts';

export const BASELINE_SETTINGS = { splitter: 'RecursiveCharacterTextSplitter', chunkSize: 500, chunkOverlap: 0, rrfK: 60, candidates: 200 } as const;

export interface Chunk {
  /** The file's doc id (the `NNN` prefix of the file name). */
  docId: string;
  file: string;
  ordinal: number;
  text: string;
}

export interface ChunkHit {
  chunk: Chunk;
  score: number;
}

const searchForm = (text: string) => toHalfWidth(toSimplified(text));

export class ChunkBaseline {
  private constructor(
    readonly chunks: Chunk[],
    private readonly embedder: Embedder,
    private readonly index: HnswIndex,
    private readonly bm25: Bm25,
  ) {}

  /** Reads every `.txt` file of `directory` as it is and chunks it. */
  static async create(directory: string, embedder: Embedder): Promise<ChunkBaseline> {
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: BASELINE_SETTINGS.chunkSize, chunkOverlap: BASELINE_SETTINGS.chunkOverlap });
    const chunks: Chunk[] = [];
    for (const file of readdirSync(directory)
      .filter((name) => name.endsWith('.txt'))
      .sort()) {
      const text = readFileSync(path.join(directory, file), 'utf8');
      const pieces = await splitter.splitText(text);
      pieces.forEach((piece, ordinal) => chunks.push({ docId: file.split('_')[0]!, file, ordinal, text: piece }));
    }
    const forms = chunks.map((chunk) => searchForm(chunk.text));
    const vectors = await embedder.embedDocuments(forms);
    const index = HnswIndex.build(vectors, embedder.dimension || vectors[0]?.length || 1);
    return new ChunkBaseline(chunks, embedder, index, new Bm25(forms.map((form) => terms(form))));
  }

  async search(question: string, k = 10): Promise<ChunkHit[]> {
    const query = searchForm(question);
    const lexical = this.bm25.top(terms(query), BASELINE_SETTINGS.candidates);
    const vector = this.index.search(await this.embedder.embedQuery(query), BASELINE_SETTINGS.candidates);
    const fused = new Map<number, number>();
    lexical.forEach(([position], rank) => fused.set(position, (fused.get(position) ?? 0) + 1 / (BASELINE_SETTINGS.rrfK + rank)));
    vector.forEach(({ position }, rank) => fused.set(position, (fused.get(position) ?? 0) + 1 / (BASELINE_SETTINGS.rrfK + rank)));
    return [...fused]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([position, score]) => ({ chunk: this.chunks[position]!, score }));
  }
}
