import { describe, expect, it } from 'vitest';
import { HnswIndex } from '../../retrieval/vector-index/hnsw-index.ts';

/** Unit vectors from a seeded generator, so a failure reproduces. */
function vectors(count: number, dimension: number, seed: number): Float32Array[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  return Array.from({ length: count }, () => {
    const vector = Float32Array.from({ length: dimension }, next);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
}

describe('HnswIndex', () => {
  const stored = vectors(2000, 32, 7);
  const index = HnswIndex.build(stored, 32);
  const queries = vectors(20, 32, 99);
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, position) => sum + value * b[position]!, 0);

  it('finds by exact scan the k vectors with the highest inner product, best first', () => {
    for (const query of queries) {
      const expected = stored
        .map((vector, position) => ({ position, score: dot(vector, query) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 10)
        .map((entry) => entry.position);
      expect(index.exactSearch(query, 10)).toEqual(expected);
    }
  });

  it('finds nearly all exact neighbours by graph search, and more with a wider search', () => {
    const recall = (ef: number) => {
      index.setEfSearch(ef);
      const found = queries.reduce((sum, query) => {
        const truth = new Set(index.exactSearch(query, 10));
        return sum + index.search(query, 10).filter((hit) => truth.has(hit.position)).length;
      }, 0);
      return found / (queries.length * 10);
    };
    const narrow = recall(10);
    const wide = recall(400);
    expect(wide).toBeGreaterThanOrEqual(0.98);
    expect(wide).toBeGreaterThanOrEqual(narrow);
  });
});
