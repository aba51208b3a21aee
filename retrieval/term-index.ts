import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { toHalfWidth, toSimplified } from '../corpus/index.ts';
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
   * From each clause's text (`texts`, or a function giving clause `position`'s text, called only for clauses not in
   * `saved`). `saved` (from `readTermCache`) supplies the ids of clauses whose content hash it holds, so only new or
   * changed clauses are tokenised; when it holds exactly these clauses in this order, its arrays are used as they are.
   */
  static build(
    texts: readonly string[] | ((position: number) => string),
    hashes: readonly string[] = [],
    saved: SavedTerms | null = null,
  ): { index: TermIndex; tokenised: number } {
    const textOf = typeof texts === 'function' ? texts : (position: number) => texts[position]!;
    const count = typeof texts === 'function' ? hashes.length : texts.length;
    if (saved && saved.hashes.length === count && hashes.length === count && hashes.every((hash, position) => saved.hashes[position] === hash)) {
      const idOf = new Map(saved.vocabulary.map((term, id) => [term, id] as const));
      return { index: new TermIndex(saved.vocabulary, idOf, saved.offsets, saved.ids, saved.clauseCounts), tokenised: 0 };
    }
    return TermIndex.assemble(count, (position) => terms(textOf(position)), hashes, saved);
  }

  /** From terms already cut (tests, the chunk baseline). */
  static fromTerms(lists: string[][]): TermIndex {
    return TermIndex.assemble(lists.length, (position) => lists[position]!, [], null).index;
  }

  private static assemble(
    count: number,
    cut: (position: number) => string[],
    hashes: readonly string[],
    saved: SavedTerms | null,
  ): { index: TermIndex; tokenised: number } {
    const vocabulary = saved ? [...saved.vocabulary] : [];
    const idOf = new Map(vocabulary.map((term, id) => [term, id] as const));
    const intern = (term: string) => {
      let id = idOf.get(term);
      if (id === undefined) {
        id = vocabulary.length;
        vocabulary.push(term);
        idOf.set(term, id);
      }
      return id;
    };
    let tokenised = 0;
    const lists: Uint32Array[] = Array.from({ length: count }, (_, position) => {
      const cached = saved?.byHash.get(hashes[position] ?? '');
      if (cached) return cached;
      tokenised += 1;
      return Uint32Array.from(cut(position), intern).sort();
    });
    const offsets = new Uint32Array(lists.length + 1);
    lists.forEach((list, position) => {
      offsets[position + 1] = offsets[position]! + list.length;
    });
    const ids = new Uint32Array(offsets[lists.length]!);
    lists.forEach((list, position) => ids.set(list, offsets[position]!));
    const clauseCounts = new Uint32Array(vocabulary.length);
    for (let position = 0; position < lists.length; position += 1) {
      for (let at = offsets[position]!; at < offsets[position + 1]!; at += 1)
        if (at === offsets[position] || ids[at] !== ids[at - 1]) clauseCounts[ids[at]!]! += 1;
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

/**
 * Saved terms: every clause's ids in the saved vocabulary, with the content hash (and index-text source hash) of
 * the clause they were cut from, in the order of the corpus when saved.
 */
export class SavedTerms {
  private byHashMap: Map<string, Uint32Array> | null = null;
  private bySourceMap: Map<string, string> | null = null;

  constructor(
    readonly vocabulary: string[],
    /** Content hash (`clauseContentHash`: 16 hex digits) of each saved clause. */
    readonly hashes: string[],
    /** Hash of each saved clause's index text before conversion (`indexSource`), to skip the conversion. */
    readonly sources: string[],
    readonly offsets: Uint32Array,
    readonly ids: Uint32Array,
    readonly clauseCounts: Uint32Array,
    /** The `corpus` digest given when saved: equal to the current one, every saved hash applies as it is. */
    readonly corpus: string,
  ) {}

  /** The ids of each saved clause by content hash. */
  get byHash(): Map<string, Uint32Array> {
    this.byHashMap ??= new Map(this.hashes.map((hash, position) => [hash, this.ids.subarray(this.offsets[position]!, this.offsets[position + 1]!)]));
    return this.byHashMap;
  }

  /** The content hash saved for a source hash (the clause's index text is then the same), or undefined. */
  hashOfSource(source: string, position: number): string | undefined {
    if (this.sources[position] === source) return this.hashes[position];
    this.bySourceMap ??= new Map(this.sources.map((saved, at) => [saved, this.hashes[at]!]));
    return this.bySourceMap.get(source);
  }
}

/**
 * Changes whenever what `terms()` returns could change: its own version, and the terms of a probe sentence (a new
 * jieba dictionary or stopword list cuts it otherwise), so a cache written by another tokeniser is never used. The
 * probe is traditional and full-width, so a change of the script conversion (the source hashes rely on it) counts too.
 */
const TOKENISER = `terms/1:${createHash('sha256')
  .update(terms(toHalfWidth(toSimplified('清遠市人力資源社會保障局對小微企業穩崗返還比例提高至６０％，有效期至2025年1月31日。'))).join('|'))
  .digest('hex')
  .slice(0, 12)}`;

/**
 * The file's layout (version 2). Little-endian throughout:
 *
 *   "PBTERMS\n" · u32 version · u32 length of the JSON header · JSON header, padded with spaces to a multiple of 8
 *   then the sections, each starting on a multiple of 8 bytes, in this order:
 *   sources (8 bytes per clause) · hashes (8 per clause) · offsets (u32, clauses + 1) · clause counts (u32 per term)
 *   · ids (u32 per term occurrence) · vocabulary (UTF-8, terms joined by NUL)
 *
 * The header holds the tokeniser, the counts, and the SHA-256 of everything after it. Arrays are read as views of the
 * file's bytes, without parsing: JSON arrays of 100 000 offsets and hashes took a third of a second to read.
 */
const MAGIC = Buffer.from('PBTERMS\n');
const FORMAT_VERSION = 2;
interface CacheHeader {
  tokeniser: string;
  corpus: string;
  clauses: number;
  terms: number;
  occurrences: number;
  vocabularyBytes: number;
  checksum: string;
}

const padded = (length: number) => Math.ceil(length / 8) * 8;

/** Writes the term cache; to a temporary file then renamed, so a crash leaves the old cache or none. */
export function writeTermCache(file: string, index: TermIndex, hashes: string[], sources: string[] = hashes.map(() => ''), corpus = ''): void {
  const count = index.size;
  const vocabulary = Buffer.from(index.vocabulary.join('\0'), 'utf8');
  const sections = [hexColumn(sources, count), hexColumn(hashes, count), bytesOf(index.offsets), bytesOf(index.clauseCounts), bytesOf(index.ids), vocabulary];
  const body = Buffer.concat(sections.flatMap((section) => [section, Buffer.alloc(padded(section.length) - section.length)]));
  const header: CacheHeader = {
    tokeniser: TOKENISER,
    corpus,
    clauses: count,
    terms: index.vocabulary.length,
    occurrences: index.ids.length,
    vocabularyBytes: vocabulary.length,
    checksum: createHash('sha256').update(body).digest('hex'),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(16);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(FORMAT_VERSION, 8);
  head.writeUInt32LE(padded(json.length), 12);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([head, json, Buffer.alloc(padded(json.length) - json.length, 0x20), body]));
  renameSync(temporary, file);
}

/**
 * The saved terms, or null with the reason when the file is damaged or was written by another format or tokeniser
 * (both null when there is no file).
 */
export function readTermCache(file: string): { saved: SavedTerms | null; problem: string | null } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { saved: null, problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : (error as Error).message };
  }
  try {
    if (bytes.length < 16 || !bytes.subarray(0, 8).equals(MAGIC)) return { saved: null, problem: '不是本版本的缓存文件' };
    const version = bytes.readUInt32LE(8);
    if (version !== FORMAT_VERSION) return { saved: null, problem: `缓存格式版本 ${version}，当前为 ${FORMAT_VERSION}` };
    const headerLength = bytes.readUInt32LE(12);
    if (16 + headerLength > bytes.length) return { saved: null, problem: '文件不完整' };
    const header = JSON.parse(bytes.subarray(16, 16 + headerLength).toString('utf8')) as CacheHeader;
    if (header.tokeniser !== TOKENISER) return { saved: null, problem: '由另一版本的分词生成' };
    const body = bytes.subarray(16 + headerLength);
    const { clauses, terms: termCount, occurrences, vocabularyBytes } = header;
    const lengths = [clauses * 8, clauses * 8, (clauses + 1) * 4, termCount * 4, occurrences * 4, vocabularyBytes];
    if (body.length !== lengths.reduce((sum, length) => sum + padded(length), 0)) return { saved: null, problem: '文件不完整' };
    if (createHash('sha256').update(body).digest('hex') !== header.checksum) return { saved: null, problem: '校验和不符' };
    const starts = lengths.map((_, at) => lengths.slice(0, at).reduce((sum, length) => sum + padded(length), 0));
    const section = (at: number) => body.subarray(starts[at]!, starts[at]! + lengths[at]!);
    const offsets = uint32View(section(2));
    const clauseCounts = uint32View(section(3));
    const ids = uint32View(section(4));
    const vocabulary = termCount === 0 ? [] : section(5).toString('utf8').split('\0');
    // The checksum rules out damage, these a writer's mistake: ids outside the vocabulary would answer wrongly.
    if (vocabulary.length !== termCount || offsets[0] !== 0 || offsets[clauses] !== occurrences || !ascending(offsets))
      return { saved: null, problem: '长度不符' };
    if (ids.length > 0 && largest(ids) >= termCount) return { saved: null, problem: '词表不符' };
    const hashes = readHexColumn(section(1), clauses);
    const sources = readHexColumn(section(0), clauses);
    return { saved: new SavedTerms(vocabulary, hashes, sources, offsets, ids, clauseCounts, header.corpus), problem: null };
  } catch (error) {
    return { saved: null, problem: (error as Error).message };
  }
}

// Loops of their own, so V8 optimises them (inside readTermCache's try they took 0.4 s over 17 million ids).
function ascending(values: Uint32Array): boolean {
  for (let at = 1; at < values.length; at += 1) if (values[at]! < values[at - 1]!) return false;
  return true;
}

function largest(values: Uint32Array): number {
  let found = 0;
  for (let at = 0; at < values.length; at += 1) if (values[at]! > found) found = values[at]!;
  return found;
}

const bytesOf = (array: Uint32Array) => {
  const view = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return endianness() === 'LE' ? view : Buffer.from(view).swap32();
};

/** A Uint32Array over `bytes` without a copy when they are aligned (readFileSync's buffer of a file this size is). */
function uint32View(bytes: Buffer): Uint32Array {
  const source = endianness() === 'LE' ? bytes : Buffer.from(bytes).swap32();
  if (source.byteOffset % 4 === 0) return new Uint32Array(source.buffer, source.byteOffset, source.length / 4);
  return new Uint32Array(Uint8Array.prototype.slice.call(source).buffer);
}

/** 16-hex-digit hashes as 8 bytes each ('' as zeros). */
function hexColumn(values: string[], count: number): Buffer {
  const column = Buffer.alloc(count * 8);
  values.forEach((value, position) => {
    if (value) column.write(value, position * 8, 8, 'hex');
  });
  return column;
}

function readHexColumn(column: Buffer, count: number): string[] {
  const values = new Array<string>(count);
  for (let position = 0; position < count; position += 1) values[position] = column.toString('hex', position * 8, position * 8 + 8);
  return values;
}
