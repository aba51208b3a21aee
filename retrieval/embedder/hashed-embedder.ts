import { createHash } from 'node:crypto';
import { normalize, type Embedder } from '../embedder.ts';
import { characterBigrams, generalIdf, words } from '../text-analysis.ts';

/**
 * The offline default: jieba words weighted by general-Chinese IDF, plus character bigrams and trigrams,
 * hashed with a sign into a fixed-size vector. Needs no model download and no corpus statistics, so a
 * clause's vector never changes when other clauses do (incremental updates stay exact).
 */
export class HashedEmbedder implements Embedder {
  readonly id: string;
  constructor(readonly dimension = 512) {
    this.id = `hashed-jieba-ngram/v1/${dimension}`;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed(text);
  }

  embed(text: string): Float32Array {
    const vector = new Float32Array(this.dimension);
    const add = (feature: string, weight: number) => {
      const digest = hash(feature);
      const slot = digest % this.dimension;
      vector[slot]! += (digest & 0x80000000) === 0 ? weight : -weight;
    };
    for (const word of words(text)) add(`w:${word}`, Math.min(generalIdf(word), 14) / 7);
    for (const gram of characterBigrams(text)) add(`b:${gram}`, 0.6);
    const cjk = text.replace(/[^\u4e00-\u9fff]/g, '');
    for (let index = 0; index + 2 < cjk.length; index += 1) add(`t:${cjk.slice(index, index + 3)}`, 0.4);
    return normalize(vector);
  }
}

const cache = new Map<string, number>();
function hash(feature: string): number {
  let value = cache.get(feature);
  if (value === undefined) {
    value = createHash('md5').update(feature).digest().readUInt32LE(0);
    if (cache.size < 500_000) cache.set(feature, value);
  }
  return value;
}
