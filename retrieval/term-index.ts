import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { terms } from './text-analysis.ts';

/**
 * Every clause's search terms (jieba words and character bigrams) as ids into one vocabulary, each clause's ids
 * sorted: BM25 is built from it, coverage asks it whether a clause holds a word, and it is saved beside the index
 * so that a start with a saved index does not tokenise every clause again (33 s at 100 000 clauses before;
 * README "Benchmarks"). One Uint32 per term occurrence: about 100 MB at 100 000 clauses, where a Set of strings
 * per clause took several times that.
 */
export class TermIndex {
  private constructor(
    /** Term of each id. */
    readonly vocabulary: string[],
    private readonly idOf: Map<string, number>,
    /** Clause `position`'s ids are `ids[offsets[position]] … ids[offsets[position + 1] - 1]`, sorted, with repeats. */
    readonly offsets: Uint32Array,
    readonly ids: Uint32Array,
    /** In how many clauses each id occurs (BM25 sizes its postings by it). */
    readonly clauseCounts: Uint32Array,
  ) {}

  get size(): number {
    return this.offsets.length - 1;
  }

  /**
   * From each clause's text. `saved` (from `readTermCache`) supplies the ids of clauses whose content hash it
   * holds, so only new or changed clauses are tokenised.
   */
  static build(texts: string[], hashes: string[] = [], saved: SavedTerms | null = null): { index: TermIndex; tokenised: number } {
    return TermIndex.assemble(texts.map((text) => () => terms(text)), hashes, saved);
  }

  /** From terms already cut (tests, the chunk baseline). */
  static fromTerms(lists: string[][]): TermIndex {
    return TermIndex.assemble(lists.map((list) => () => list), [], null).index;
  }

  private static assemble(termsOf: (() => string[])[], hashes: string[], saved: SavedTerms | null): { index: TermIndex; tokenised: number } {
    const vocabulary = saved ? [...saved.vocabulary] : [];
    const idOf = new Map(vocabulary.map((term, id) => [term, id] as const));
    const intern = (term: string) => {
      let id = idOf.get(term);
      if (id === undefined) { id = vocabulary.length; vocabulary.push(term); idOf.set(term, id); }
      return id;
    };
    let tokenised = 0;
    const lists: Uint32Array[] = termsOf.map((cut, position) => {
      const cached = saved?.byHash.get(hashes[position] ?? '');
      if (cached) return cached;
      tokenised += 1;
      return Uint32Array.from(cut(), intern).sort();
    });
    const offsets = new Uint32Array(lists.length + 1);
    lists.forEach((list, position) => { offsets[position + 1] = offsets[position]! + list.length; });
    const ids = new Uint32Array(offsets[lists.length]!);
    lists.forEach((list, position) => ids.set(list, offsets[position]!));
    const clauseCounts = new Uint32Array(vocabulary.length);
    for (let position = 0; position < lists.length; position += 1) {
      for (let at = offsets[position]!; at < offsets[position + 1]!; at += 1) if (at === offsets[position] || ids[at] !== ids[at - 1]) clauseCounts[ids[at]!]! += 1;
    }
    return { index: new TermIndex(vocabulary, idOf, offsets, ids, clauseCounts), tokenised };
  }

  /** The id of `term`, or undefined when no clause holds it. */
  id(term: string): number | undefined {
    return this.idOf.get(term);
  }

  /** Whether clause `position` holds `term`. */
  has(position: number, term: string): boolean {
    const id = this.idOf.get(term);
    if (id === undefined) return false;
    let low = this.offsets[position]!;
    let high = this.offsets[position + 1]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.ids[middle]! < id) low = middle + 1;
      else high = middle;
    }
    return low < this.offsets[position + 1]! && this.ids[low] === id;
  }

  /** The terms of clause `position`, as a lookup for coverage. */
  clause(position: number): { has(term: string): boolean } {
    return { has: (term) => this.has(position, term) };
  }

  /** In how many clauses `term` occurs. */
  clauseCount(term: string): number {
    const id = this.idOf.get(term);
    return id === undefined ? 0 : this.clauseCounts[id]!;
  }
}

/** Saved terms: the ids of each clause by content hash, in the saved vocabulary. */
export interface SavedTerms {
  vocabulary: string[];
  byHash: Map<string, Uint32Array>;
}

/**
 * Changes whenever what `terms()` returns could change: its own version, and the terms of a probe sentence (a new
 * jieba dictionary or stopword list cuts it otherwise), so a cache written by another tokeniser is never used.
 */
const TOKENISER = `terms/1:${createHash('sha256').update(terms('清远市人力资源社会保障局对小微企业稳岗返还比例提高至60%，有效期至2025年1月31日。').join('|')).digest('hex').slice(0, 12)}`;

/**
 * Writes the term cache: a JSON header line (tokeniser, vocabulary, hashes, lengths, checksum) and the ids as
 * little-endian Uint32. Written to a temporary file and renamed, so a crash leaves the old cache or none.
 */
export function writeTermCache(file: string, index: TermIndex, hashes: string[]): void {
  const body = Buffer.from(index.ids.buffer, index.ids.byteOffset, index.ids.byteLength);
  const header = {
    tokeniser: TOKENISER, vocabulary: index.vocabulary, hashes, offsets: Array.from(index.offsets),
    checksum: createHash('sha256').update(body).digest('hex'),
  };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]));
  renameSync(temporary, file);
}

/** The saved terms, or null (with the reason) when the file is missing, damaged or from another tokeniser. */
export function readTermCache(file: string): { saved: SavedTerms | null; problem: string | null } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { saved: null, problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : (error as Error).message };
  }
  try {
    const newline = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as { tokeniser: string; vocabulary: string[]; hashes: string[]; offsets: number[]; checksum: string };
    if (header.tokeniser !== TOKENISER) return { saved: null, problem: null };
    const body = bytes.subarray(newline + 1);
    if (createHash('sha256').update(body).digest('hex') !== header.checksum || body.length % 4 !== 0) return { saved: null, problem: '校验和不符' };
    // A copy aligned for Uint32Array; the file is little-endian, like every machine Node runs on here.
    const ids = endianness() === 'LE' ? new Uint32Array(Uint8Array.prototype.slice.call(body).buffer) : Uint32Array.from({ length: body.length / 4 }, (_, at) => body.readUInt32LE(at * 4));
    const { offsets, hashes, vocabulary } = header;
    if (offsets.length !== hashes.length + 1 || offsets[hashes.length] !== ids.length) return { saved: null, problem: '长度不符' };
    let largest = 0;
    for (let at = 0; at < ids.length; at += 1) if (ids[at]! > largest) largest = ids[at]!;
    if (ids.length > 0 && largest >= vocabulary.length) return { saved: null, problem: '词表不符' };
    const byHash = new Map<string, Uint32Array>();
    hashes.forEach((hash, position) => byHash.set(hash, ids.subarray(offsets[position]!, offsets[position + 1]!)));
    return { saved: { vocabulary, byHash }, problem: null };
  } catch (error) {
    return { saved: null, problem: (error as Error).message };
  }
}
