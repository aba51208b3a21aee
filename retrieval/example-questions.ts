/**
 * Questions a model wrote for each clause ("企业会怎么问这条？"), searched as a third ranking beside BM25 and the
 * vectors: an enterprise's own words for a measure (交了失业保险能退钱吗) are found through the questions written
 * in such words, though the clause says 稳岗返还. Written once per clause text and cached by the application; the
 * retriever only indexes what it is given (the offline default has none).
 */
export interface WeightedWord {
  word: string;
  weight: number;
}

export class ExampleQuestionIndex {
  /** word → the clause positions whose example questions use it (each position once per word). */
  private readonly postings = new Map<string, number[]>();
  private readonly wordsOf = new Map<number, Set<string>>();

  get clauses(): number {
    return this.wordsOf.size;
  }

  /** Adds a clause's example questions, given as their words; a clause given again gets the new words too. */
  add(position: number, words: Iterable<string>): void {
    let known = this.wordsOf.get(position);
    if (!known) this.wordsOf.set(position, (known = new Set()));
    for (const word of words) {
      if (known.has(word)) continue;
      known.add(word);
      let list = this.postings.get(word);
      if (!list) this.postings.set(word, (list = []));
      list.push(position);
    }
  }

  /**
   * The clauses whose example questions hold at least `minimum` of the question's word weight, best first, with
   * that share. Only clauses sharing a word are visited (postings), so a large corpus costs what its matches do.
   */
  rank(weights: WeightedWord[], options: { limit: number; minimum: number; accept?: (position: number) => boolean }): [number, number][] {
    const total = weights.reduce((sum, { weight }) => sum + weight, 0);
    if (total === 0 || this.wordsOf.size === 0) return [];
    const found = new Map<number, number>();
    for (const { word, weight } of weights) {
      for (const position of this.postings.get(word) ?? []) found.set(position, (found.get(position) ?? 0) + weight);
    }
    const ranked: [number, number][] = [];
    for (const [position, weight] of found) {
      const share = weight / total;
      if (share >= options.minimum && (!options.accept || options.accept(position))) ranked.push([position, share]);
    }
    return ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, options.limit);
  }

  /** The share of the question's word weight found in one clause's example questions (0 when it has none). */
  match(position: number, weights: WeightedWord[]): number {
    const known = this.wordsOf.get(position);
    const total = weights.reduce((sum, { weight }) => sum + weight, 0);
    if (!known || total === 0) return 0;
    return weights.reduce((sum, { word, weight }) => sum + (known.has(word) ? weight : 0), 0) / total;
  }
}
