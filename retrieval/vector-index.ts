/** Nearest-neighbour search over clause vectors. */
export interface VectorIndex {
  readonly size: number;
  /** Up to `k` entries nearest to `query`, best first, with cosine similarity. */
  search(query: Float32Array, k: number, accept?: (position: number) => boolean): { position: number; similarity: number }[];
  /** The stored vector at `position` (for incremental rebuilds and exact-search checks). */
  vector(position: number): Float32Array;
}
