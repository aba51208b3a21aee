import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { PolicyBotError } from '../../corpus/index.ts';

/** What is stored beside the graph: the vector space, and which clause (by content hash) each position holds. */
export interface IndexManifest {
  embedderId: string;
  dimension: number;
  entries: { clauseId: string; contentHash: string }[];
  /** SHA-256 of the graph and vector files, to detect truncation or corruption. */
  checksums: { graph: string; vectors: string };
  builtAt: string;
}

export class IndexCorruptError extends PolicyBotError {
  constructor(
    message: string,
    readonly directory: string,
    options: { cause?: unknown } = {},
  ) {
    super('INDEX_CORRUPT', message, options);
  }
}

/**
 * Candidates examined per query for an index of `size` vectors, from the efSearch sweep of npm run bench:
 * recall@10 0.97 at 256 up to 100 000 clauses (128: 0.93); at a million clauses (graph of M 32, below) 256 finds
 * 0.86, 1024 finds 0.96 in 13 ms p95 (2048: 0.97 in 25 ms).
 */
export function efSearchFor(size: number): number {
  return size > 200_000 ? 1024 : 256;
}

/**
 * Links per node of a graph built over `size` vectors. At a million clauses M 16 reached recall@10 0.91 at efSearch
 * 1024 and M 32 reaches 0.96 (npm run bench, BENCH_M=32: graph built in 29 min on the 2-core machine, M 16's in 27 min
 * on the earlier one; peak memory 12.1 GB either way, 4.2 GB on disk against 4.1); below 200 000 clauses M 16 finds 0.97.
 */
export function linksFor(size: number): number {
  return size > 200_000 ? 32 : 16;
}
const GRAPH = 'graph.hnsw';
const VECTORS = 'vectors.f32';
const MANIFEST = 'manifest.json';

/** hnswlib-node's HNSW graph over unit vectors, with the raw vectors kept for reuse and exact search. */
export class HnswIndex {
  private constructor(
    private readonly graph: hnswlib.HierarchicalNSW,
    private readonly vectors: Float32Array,
    readonly dimension: number,
    readonly size: number,
  ) {
    graph.setEf(efSearchFor(size));
  }

  static build(vectors: Float32Array[], dimension: number, options: { m?: number; efConstruction?: number } = {}): HnswIndex {
    const graph = new hnswlib.HierarchicalNSW('ip', dimension);
    graph.initIndex({
      maxElements: Math.max(1, vectors.length),
      m: options.m ?? linksFor(vectors.length),
      efConstruction: options.efConstruction ?? 200,
      randomSeed: 100,
    });
    const flat = new Float32Array(vectors.length * dimension);
    vectors.forEach((vector, position) => {
      flat.set(vector, position * dimension);
      graph.addPoint(Array.from(vector), position);
    });
    return new HnswIndex(graph, flat, dimension, vectors.length);
  }

  search(query: Float32Array, k: number, accept?: (position: number) => boolean): { position: number; similarity: number }[] {
    if (this.size === 0) return [];
    const count = Math.min(k, this.size);
    const result = accept ? this.graph.searchKnn(Array.from(query), count, accept) : this.graph.searchKnn(Array.from(query), count);
    return result.neighbors.map((position, index) => ({ position, similarity: 1 - (result.distances[index] ?? 1) }));
  }

  /** Exact search by scanning every vector: the reference that HNSW recall is measured against. */
  exactSearch(query: Float32Array, k: number): number[] {
    // The k best so far, kept sorted: sorting a million scores per query would cost more than the scan.
    const best: { position: number; score: number }[] = [];
    for (let position = 0; position < this.size; position += 1) {
      let dot = 0;
      const offset = position * this.dimension;
      for (let index = 0; index < this.dimension; index += 1) dot += this.vectors[offset + index]! * query[index]!;
      if (best.length === k && dot <= best[k - 1]!.score) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < dot) at -= 1;
      best.splice(at, 0, { position, score: dot });
      if (best.length > k) best.pop();
    }
    return best.map((entry) => entry.position);
  }

  /** How many candidates a query examines: more is slower and finds more of the true nearest neighbours. */
  setEfSearch(ef: number): void {
    this.graph.setEf(ef);
  }

  vector(position: number): Float32Array {
    return this.vectors.slice(position * this.dimension, (position + 1) * this.dimension);
  }

  /**
   * Writes graph, vectors and manifest into a fresh directory, then swaps it in by rename: a crash mid-write
   * leaves the previous index in place and usable.
   */
  save(directory: string, manifest: Omit<IndexManifest, 'checksums' | 'builtAt'>): void {
    const staging = `${directory}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    this.graph.writeIndexSync(path.join(staging, GRAPH));
    writeFloats(path.join(staging, VECTORS), this.vectors);
    const full: IndexManifest = {
      ...manifest,
      checksums: { graph: sha256(path.join(staging, GRAPH)), vectors: sha256(path.join(staging, VECTORS)) },
      builtAt: new Date().toISOString(),
    };
    writeFileSync(path.join(staging, MANIFEST), JSON.stringify(full));
    const previous = `${directory}.old`;
    rmSync(previous, { recursive: true, force: true });
    if (existsSync(directory)) renameSync(directory, previous);
    renameSync(staging, directory);
    rmSync(previous, { recursive: true, force: true });
  }

  /** The manifest of a saved index (which clauses it holds, by which embedder), without loading it; null when none. */
  static readManifest(directory: string): IndexManifest | null {
    for (const source of [directory, `${directory}.old`]) {
      try {
        return JSON.parse(readFileSync(path.join(source, MANIFEST), 'utf8')) as IndexManifest;
      } catch {
        // Missing or unreadable here: the other place, or none.
      }
    }
    return null;
  }

  /**
   * Loads a saved index; rejects with IndexCorruptError when any file is missing, truncated or altered.
   *
   * Nothing of it runs on the calling thread: the graph is read by hnswlib in libuv's pool, the vectors by
   * asynchronous reads, and both files are hashed in a worker thread, so the retriever cuts and counts terms
   * meanwhile. At 100 000 clauses (420 MB) the synchronous read-then-hash took 1.2 s of a 4.1 s start.
   * The graph is only returned once both checksums match.
   */
  static async load(directory: string): Promise<{ index: HnswIndex; manifest: IndexManifest }> {
    const source = existsSync(path.join(directory, MANIFEST)) ? directory : `${directory}.old`;
    let manifest: IndexManifest;
    try {
      manifest = JSON.parse(readFileSync(path.join(source, MANIFEST), 'utf8')) as IndexManifest;
    } catch (error) {
      throw new IndexCorruptError(`${directory} 中的索引清单缺失或无法读取。`, directory, { cause: error });
    }
    const files = [GRAPH, VECTORS] as const;
    for (const file of files) {
      if (!existsSync(path.join(source, file))) throw new IndexCorruptError(`${directory} 中的索引文件 ${file} 缺失、不完整或被改动。`, directory);
    }
    const corrupt = (file: string) => new IndexCorruptError(`${directory} 中的索引文件 ${file} 缺失、不完整或被改动。`, directory);
    const checked = hashInWorker(path.join(source, GRAPH), path.join(source, VECTORS));
    const graph = new hnswlib.HierarchicalNSW('ip', manifest.dimension);
    // hnswlib is handed the graph only once its checksum matches: damaged bytes never reach native code.
    const graphRead = checked.graph.then(async (digest) => {
      if (digest !== manifest.checksums?.graph) throw corrupt(GRAPH);
      try {
        await graph.readIndex(path.join(source, GRAPH));
      } catch (error) {
        throw new IndexCorruptError(`${directory} 中的索引图无法读取。`, directory, { cause: error });
      }
    });
    const vectorsRead = checked.vectors.then(({ digest, vectors }) => {
      if (digest !== manifest.checksums?.vectors) throw corrupt(VECTORS);
      return vectors;
    });
    const [vectors] = await Promise.all([vectorsRead, graphRead]);
    if (vectors.length !== manifest.entries.length * manifest.dimension) {
      throw new IndexCorruptError(
        `${directory} 中的索引有 ${vectors.length / manifest.dimension} 个向量，却对应 ${manifest.entries.length} 条条款。`,
        directory,
      );
    }
    return { index: new HnswIndex(graph, vectors, manifest.dimension, manifest.entries.length), manifest };
  }
}

/**
 * In a worker thread: the graph file's SHA-256, then the vectors read into shared memory and hashed as they are read
 * (one pass over the file). Each promise settles as its file is done, so the graph loads while the vectors are read.
 */
function hashInWorker(graphFile: string, vectorsFile: string): { graph: Promise<string>; vectors: Promise<{ digest: string; vectors: Float32Array }> } {
  const source = `
    const { createHash } = require('node:crypto');
    const { openSync, readSync, closeSync, fstatSync } = require('node:fs');
    const { parentPort, workerData } = require('node:worker_threads');
    const chunk = ${CHUNK};
    // Into 'into' (the whole file) when given, else through one reusable chunk.
    const pass = (file, into) => {
      const hash = createHash('sha256');
      const descriptor = openSync(file, 'r');
      try {
        const bytes = into ? into(fstatSync(descriptor).size) : Buffer.allocUnsafe(chunk);
        for (let offset = 0; ;) {
          const at = into ? offset : 0;
          const read = readSync(descriptor, bytes, at, Math.min(chunk, bytes.length - at), into ? offset : null);
          if (read <= 0) break;
          hash.update(bytes.subarray(at, at + read));
          offset += read;
        }
        return { digest: hash.digest('hex'), buffer: into ? bytes.buffer : null };
      } finally {
        closeSync(descriptor);
      }
    };
    parentPort.postMessage({ graph: pass(workerData.graphFile).digest });
    // A length not a multiple of 4 (a truncated file) is read short: its checksum then fails.
    const vectors = pass(workerData.vectorsFile, (size) => new Uint8Array(new SharedArrayBuffer(size - (size % 4))));
    parentPort.postMessage({ vectors: vectors.digest, buffer: vectors.buffer });`;
  const worker = new Worker(source, { eval: true, workerData: { graphFile, vectorsFile } });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`checksum worker exited with ${code}`)));
  });
  failed.catch(() => {}); // settled by the exit after success too; only the races below report it
  const graph = new Promise<string>((resolve) =>
    worker.on('message', (message: { graph?: string }) => {
      if (message.graph) resolve(message.graph);
    }),
  );
  const vectors = new Promise<{ digest: string; vectors: Float32Array }>((resolve) =>
    worker.on('message', (message: { vectors?: string; buffer?: SharedArrayBuffer }) => {
      if (message.vectors && message.buffer) resolve({ digest: message.vectors, vectors: new Float32Array(message.buffer) });
    }),
  );
  return { graph: Promise.race([graph, failed]), vectors: Promise.race([vectors, failed]) };
}

// Files are read and written in chunks: at a million clauses the vectors pass 2 GiB, Node's limit for one Buffer.
const CHUNK = 64 * 1024 * 1024;

function sha256(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const descriptor = openSync(file, 'r');
  try {
    for (let read = readSync(descriptor, buffer, 0, CHUNK, null); read > 0; read = readSync(descriptor, buffer, 0, CHUNK, null))
      hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(descriptor);
  }
  return hash.digest('hex');
}

function writeFloats(file: string, vectors: Float32Array): void {
  const bytes = new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  const descriptor = openSync(file, 'w');
  try {
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(descriptor, bytes, offset, Math.min(CHUNK, bytes.length - offset));
  } finally {
    closeSync(descriptor);
  }
}
