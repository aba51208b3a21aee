/**
 * `npm run bench`: a benchmark, not a test. Indexing cost, memory, query latency and HNSW recall on the real
 * corpus and on synthetic corpora of N clauses recombined from real clause sentences (seeded PRNG).
 *
 *   BENCH_SIZES="real,100000"        which corpora (default); "1000000" is allowed but slow (an estimate is printed first)
 *   BENCH_EF_CONSTRUCTION=200        HNSW efConstruction for the SYNTHETIC builds only (real corpus: production default 200)
 *   BENCH_BM25_MAX=200000            build BM25 for synthetic corpora up to this size (it is an in-memory postings map)
 *   BENCH_QUERIES=200                queries drawn from tests/eval/questions.jsonl
 *   BENCH_EF_SWEEP=128,256,512,1024  efSearch values whose recall@10 and HNSW latency are also measured
 *   BENCH_M=32                       HNSW M (links per node) for every build of the run (default: production's linksFor)
 *   BENCH_RESULTS=last-results.json  file (beside this script) the results are written to
 *   BENCH_CONSOLE=43000              optional: exports of a log of this many exchanges and the WeCom callback latency
 *                                    meanwhile (tests/bench/console-bench.ts; off by default; BENCH_SIZES= runs it alone)
 *
 *   BENCH_FAULT=1                    then the fault section (tests/bench/fault-bench.ts: WeCom callback answers
 *                                    with the server killed mid-run and the send API failing); 0 skips it, "only"
 *                                    runs nothing else. BENCH_FAULT_SECONDS (120), BENCH_FAULT_ASKERS (100),
 *                                    BENCH_FAULT_RATE (0.1), BENCH_FAULT_SETTLE_SECONDS (300).
 *
 * Single process; every query runs sequentially on one core. Writes tests/bench/last-results.json (the fault section:
 * tests/bench/fault-results.json).
 */
import { createAssistant } from '../../bot/core/policy-assistant.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCorpus, type Corpus } from '../../corpus/corpus-library.ts';
import { toHalfWidth, toSimplified } from '../../corpus/script-converter.ts';
import { Bm25 } from '../../retrieval/bm25.ts';
import { ClauseRetriever, clauseContentHash, indexText } from '../../retrieval/clause-retriever.ts';
import { HashedEmbedder } from '../../retrieval/embedder/hashed-embedder.ts';
import { terms } from '../../retrieval/text-analysis.ts';
import { efSearchFor, HnswIndex, linksFor } from '../../retrieval/vector-index/hnsw-index.ts';
import { runConsoleBench } from './console-bench.ts';
import { prng } from './prng.ts';
import { syntheticCorpus } from './synthetic-corpus.ts';
import { benchMachine } from './wecom-callback-rig.ts';

const faultSection = process.env.BENCH_FAULT ?? '1';
/** The fault section: its own child server and fake API, its figures in fault-results.json. */
async function runFaultSection(): Promise<void> {
  const { runFaultBench } = await import('./fault-bench.ts');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const result = await runFaultBench(path.resolve(here, '../..'), (line) => console.error(line));
  console.log(`fault section: ${JSON.stringify(result)}`);
  writeFileSync(path.join(here, 'fault-results.json'), `${JSON.stringify({ ...benchMachine(), result }, null, 2)}\n`);
}
if (faultSection === 'only') {
  await runFaultSection();
  process.exit(0);
}

const TODAY = '2026-11-23';
const SEED = 20261123;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const sizes = (process.env.BENCH_SIZES ?? 'real,100000')
  .split(',')
  .map((size) => size.trim())
  .filter(Boolean);
const efConstructionSynthetic = Number(process.env.BENCH_EF_CONSTRUCTION ?? 200);
const bm25Max = Number(process.env.BENCH_BM25_MAX ?? 200_000);
const queryCount = Number(process.env.BENCH_QUERIES ?? 200);
const efSweepValues = (process.env.BENCH_EF_SWEEP ?? '128,256,512,1024')
  .split(',')
  .map(Number)
  .filter((ef) => ef > 0);
/** HNSW M: production's choice per size (linksFor) unless BENCH_M sets one for every build. */
const M_OVERRIDE = process.env.BENCH_M ? Number(process.env.BENCH_M) : null;
const linksOf = (size: number) => M_OVERRIDE ?? linksFor(size);

// ---- memory sampling: an interval while the event loop is free, plus explicit samples at every phase boundary
// (HNSW build and embedding are synchronous and block the interval). maxRSS is the kernel's process-lifetime peak.
let sampledPeak = 0;
const sample = () => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 100);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in kilobytes

const time = <T>(work: () => T): [T, number] => {
  const start = performance.now();
  const value = work();
  sample();
  return [value, performance.now() - start];
};
const timeAsync = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const value = await work();
  sample();
  return [value, performance.now() - start];
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
};
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const searchForm = (text: string) => toHalfWidth(toSimplified(text));
const directorySize = (directory: string) => readdirSync(directory).reduce((sum, file) => sum + statSync(path.join(directory, file)).size, 0);

// ---- inputs ----
const corpus = loadCorpus(path.join(root, 'corpus/documents'));

const allQuestions: string[] = readFileSync(path.join(root, 'tests/eval/questions.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line).question as string);
const queries = (() => {
  const random = prng(SEED);
  const pool = [...allQuestions];
  for (let index = pool.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [pool[index], pool[other]] = [pool[other]!, pool[index]!];
  }
  // 200 distinct questions when the set has them; otherwise cycle through it.
  return Array.from({ length: queryCount }, (_, index) => pool[index % pool.length]!);
})();
interface Result {
  corpus: string;
  clauses: number;
  averageChars: number;
  efConstruction: number;
  efSearch: number;
  m: number;
  embedSeconds: number;
  hnswBuildSeconds: number;
  saveSeconds: number;
  loadSeconds: number;
  indexOnDiskMb: number;
  bm25BuildSeconds: number | null;
  vectorQueryMs: { p50: number; p95: number };
  exactQueryMs: { p50: number; p95: number };
  bm25QueryMs: { p50: number; p95: number } | null;
  fullSearchMs: { p50: number; p95: number } | null;
  /** `createAssistant(…).ask` end to end (search, decision, quotes, parts, rendering). */
  answerMs: { p50: number; p95: number } | null;
  /** ClauseRetriever.create with the saved index: load + BM25 + term sets, as at `npm start`. */
  retrieverStartSeconds: number | null;
  /** The first start after a build: every clause tokenised, the terms saved. */
  firstStartSeconds: number | null;
  recallAt10: number;
  /** Recall@10 and HNSW-only latency (query vector given) at other efSearch values. */
  efSweep: { ef: number; recallAt10: number; hnswQueryMs: { p50: number; p95: number } }[];
  rssAfterMb: number;
  sampledPeakRssMb: number;
  maxRssMb: number;
  notes: string[];
}

const embedder = new HashedEmbedder();
const results: Result[] = [];
let perClauseEmbedMs = 0.5;
let perClauseBuildMs = 1;
let realClauseCount = 0;
let measuredEf = 200;

async function benchmark(name: string, clauseCorpus: Corpus, efConstruction: number, notes: string[]): Promise<Result> {
  sample();
  const texts = clauseCorpus.clauses.map((clause) => indexText(clause, clauseCorpus.document(clause.docId)!));
  console.error(`[${name}] ${texts.length} clauses: embedding…`);
  const [vectors, embedMs] = await timeAsync(async () => {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += 256) out.push(...(await embedder.embedDocuments(texts.slice(start, start + 256))));
    return out;
  });
  console.error(`[${name}] embedded in ${(embedMs / 1000).toFixed(1)} s; building HNSW (M ${linksOf(vectors.length)}, efConstruction ${efConstruction})…`);
  const [index, buildMs] = time(() => HnswIndex.build(vectors, embedder.dimension, { m: linksOf(vectors.length), efConstruction }));
  vectors.length = 0; // the index keeps its own flat copy
  console.error(`[${name}] built in ${(buildMs / 1000).toFixed(1)} s; save/load…`);

  const directory = mkdtempSync(path.join(os.tmpdir(), 'policybot-bench-'));
  const indexDirectory = path.join(directory, 'index');
  // The manifest the retriever writes, so that ClauseRetriever.create below loads this index instead of rebuilding it.
  const entries = clauseCorpus.clauses.map((clause, position) => ({ clauseId: clause.clauseId, contentHash: clauseContentHash(texts[position]!) }));
  const [, saveMs] = time(() => index.save(indexDirectory, { embedderId: embedder.id, dimension: embedder.dimension, entries }));
  const onDisk = directorySize(indexDirectory);
  const [loaded, loadMs] = await timeAsync(async () => (await HnswIndex.load(indexDirectory)).index);

  let bm25: Bm25 | null = null;
  let bm25Ms: number | null = null;
  if (texts.length <= bm25Max) {
    console.error(`[${name}] building BM25…`);
    [bm25, bm25Ms] = time(() => new Bm25(texts.map((text) => terms(text))));
  } else {
    notes.push(`BM25 not built (N > BENCH_BM25_MAX = ${bm25Max})`);
  }

  console.error(`[${name}] ${queries.length} queries…`);
  const queryVectors = await Promise.all(queries.map((query) => embedder.embedQuery(searchForm(query))));
  for (const vector of queryVectors.slice(0, 20)) loaded.search(vector, 10); // warm-up
  const vectorTimes: number[] = [];
  const exactTimes: number[] = [];
  const bm25Times: number[] = [];
  const truths: Set<number>[] = [];
  let recall = 0;
  for (const query of queries) {
    const start = performance.now();
    const vector = await embedder.embedQuery(searchForm(query));
    const approximate = loaded.search(vector, 10);
    vectorTimes.push(performance.now() - start);
    const exactStart = performance.now();
    const exact = loaded.exactSearch(vector, 10);
    exactTimes.push(performance.now() - exactStart);
    truths.push(new Set(exact));
    recall += approximate.filter((hit) => truths.at(-1)!.has(hit.position)).length / Math.max(1, exact.length);
    if (bm25) {
      const bm25Start = performance.now();
      bm25.top(terms(searchForm(query)), 200);
      bm25Times.push(performance.now() - bm25Start);
    }
  }
  sample();

  // Recall and latency for other efSearch values, against the same exact neighbours.
  const efSweep: Result['efSweep'] = [];
  for (const ef of efSweepValues) {
    loaded.setEfSearch(ef);
    for (const vector of queryVectors.slice(0, 20)) loaded.search(vector, 10);
    const times: number[] = [];
    let found = 0;
    queryVectors.forEach((vector, index) => {
      const start = performance.now();
      const hits = loaded.search(vector, 10);
      times.push(performance.now() - start);
      found += hits.filter((hit) => truths[index]!.has(hit.position)).length / Math.max(1, truths[index]!.size);
    });
    efSweep.push({
      ef,
      recallAt10: round(found / queryVectors.length, 4),
      hnswQueryMs: { p50: round(percentile(times, 50), 3), p95: round(percentile(times, 95), 3) },
    });
  }
  loaded.setEfSearch(efSearchFor(loaded.size));

  let fullTimes: number[] | null = null;
  let answerTimes: number[] | null = null;
  let retrieverStartSeconds: number | null = null;
  let firstStartSeconds: number | null = null;
  if (bm25) {
    bm25 = null; // the retriever builds its own
    // The production path end to end: the retriever loads the saved index (no re-embedding), then query analysis
    // + BM25 + embedding + HNSW + fusion + place filter + coverage rerank + sentence coverage + citations.
    console.error(`[${name}] ClauseRetriever.create (loads the saved index) and full searches…`);
    // The first start after the index was built tokenises every clause and saves the terms beside the index;
    // "retriever start" is the next one, as at every later `npm start`.
    const [, firstStartMs] = await timeAsync(() =>
      ClauseRetriever.create({ corpus: clauseCorpus, embedder, indexDirectory, today: () => TODAY, log: (message) => notes.push(message) }),
    );
    firstStartSeconds = round(firstStartMs / 1000, 3);
    const [retriever, startMs] = await timeAsync(() =>
      ClauseRetriever.create({ corpus: clauseCorpus, embedder, indexDirectory, today: () => TODAY, log: (message) => notes.push(message) }),
    );
    retrieverStartSeconds = round(startMs / 1000, 3);
    for (const query of queries.slice(0, 20)) await retriever.search(query, { k: 10, today: TODAY });
    fullTimes = [];

    for (const query of queries) {
      const start = performance.now();
      await retriever.search(query, { k: 10, today: TODAY });
      fullTimes.push(performance.now() - start);
    }
    // The whole answer (decision, quotes, parts, plain rendering) on the same retriever, one chat per question.
    const assistant = createAssistant({ retriever, today: () => TODAY });
    answerTimes = [];
    for (const [index, query] of queries.entries()) {
      const start = performance.now();
      await assistant.ask({ text: query, channel: 'cli', chatId: `bench-${index}`, userId: 'bench' });
      answerTimes.push(performance.now() - start);
    }
  } else {
    notes.push('full search not run: it needs BM25 (N > BENCH_BM25_MAX)');
  }
  rmSync(directory, { recursive: true, force: true });

  const summary = (values: number[]) => ({ p50: round(percentile(values, 50), 3), p95: round(percentile(values, 95), 3) });
  return {
    corpus: name,
    clauses: texts.length,
    averageChars: Math.round(texts.reduce((sum, text) => sum + text.length, 0) / texts.length),
    efConstruction,
    efSearch: efSearchFor(texts.length),
    m: linksOf(texts.length),
    embedSeconds: round(embedMs / 1000, 3),
    hnswBuildSeconds: round(buildMs / 1000, 3),
    saveSeconds: round(saveMs / 1000, 3),
    loadSeconds: round(loadMs / 1000, 3),
    indexOnDiskMb: round(onDisk / 1024 / 1024, 1),
    bm25BuildSeconds: bm25Ms === null ? null : round(bm25Ms / 1000, 3),
    vectorQueryMs: summary(vectorTimes),
    exactQueryMs: summary(exactTimes),
    bm25QueryMs: bm25Times.length > 0 ? summary(bm25Times) : null,
    fullSearchMs: fullTimes ? summary(fullTimes) : null,
    answerMs: answerTimes ? summary(answerTimes) : null,
    retrieverStartSeconds,
    firstStartSeconds,
    recallAt10: round(recall / queries.length, 4),
    efSweep,
    rssAfterMb: mb(process.memoryUsage().rss),
    sampledPeakRssMb: mb(sampledPeak),
    maxRssMb: maxRssMb(),
    notes,
  };
}

// One-time costs (jieba dictionary, IDF table) are paid here, not inside the first row's embedding time.
embedder.embed('预热');
console.error(
  `policybot bench: sizes ${sizes.join(', ')}; ${queries.length} queries; ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`,
);
for (const size of sizes) {
  const notes: string[] = [];
  let result: Result;
  if (size === 'real') {
    result = await benchmark('real', corpus, 200, notes);
  } else {
    const count = Number(size);
    if (!Number.isInteger(count) || count <= 0) throw new Error(`BENCH_SIZES: "${size}" is neither "real" nor a positive integer`);
    // Crude estimate from the largest corpus measured so far: embedding is linear; HNSW insertion grows ~log N.
    const estimateSeconds =
      (count * perClauseEmbedMs +
        count * perClauseBuildMs * (realClauseCount > 1 ? Math.log(count) / Math.log(realClauseCount) : 1) * (efConstructionSynthetic / measuredEf)) /
      1000;
    const estimateMemoryMb = mb(count * embedder.dimension * 4 * 2 + count * linksOf(count) * 2 * 4 * 1.5);
    console.error(
      `[synthetic ${count}] estimate (crude, scaled from the largest corpus measured so far): ~${Math.round(estimateSeconds)} s for embedding + HNSW build, ~${estimateMemoryMb} MB for vectors + graph (+ BM25 if built).`,
    );
    if (efConstructionSynthetic !== 200) notes.push(`efConstruction lowered to ${efConstructionSynthetic} for synthetic builds (production default 200)`);
    result = await benchmark(`synthetic ${count}`, syntheticCorpus(corpus, count, SEED + count), efConstructionSynthetic, notes);
  }
  results.push(result);
  if (result.clauses >= realClauseCount || results.length === 1) {
    realClauseCount = result.clauses;
    measuredEf = result.efConstruction;
    perClauseEmbedMs = (result.embedSeconds * 1000) / result.clauses;
    perClauseBuildMs = (result.hnswBuildSeconds * 1000) / result.clauses;
  }
  console.error(`[${result.corpus}] done: ${JSON.stringify(result)}`);
}
clearInterval(sampler);

const cell = (value: { p50: number; p95: number } | null) => (value ? `${value.p50} / ${value.p95}` : '—');
const header = [
  'corpus',
  'clauses',
  'avg chars',
  'efC',
  'embed s',
  'HNSW build s',
  'save s',
  'load s',
  'index MB',
  'BM25 build s',
  'vector query p50/p95 ms',
  'BM25 query p50/p95 ms',
  'retriever start s',
  'full search p50/p95 ms',
  'answer p50/p95 ms',
  'exact scan p50/p95 ms',
  'recall@10',
  'peak RSS sampled MB',
  'maxRSS MB',
];
const lines = [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...results.map(
    (r) =>
      `| ${[
        r.corpus,
        r.clauses,
        r.averageChars,
        r.efConstruction,
        r.embedSeconds,
        r.hnswBuildSeconds,
        r.saveSeconds,
        r.loadSeconds,
        r.indexOnDiskMb,
        r.bm25BuildSeconds ?? '—',
        cell(r.vectorQueryMs),
        cell(r.bm25QueryMs),
        r.retrieverStartSeconds ?? '—',
        cell(r.fullSearchMs),
        cell(r.answerMs),
        cell(r.exactQueryMs),
        r.recallAt10,
        r.sampledPeakRssMb,
        r.maxRssMb,
      ].join(' | ')} |`,
  ),
];
const legend = [
  `HashedEmbedder (${embedder.id}); HNSW M as in production (linksFor: ${[...new Set(results.map((r) => r.m))].join('/')}), efSearch as in production (efSearchFor: ${[...new Set(results.map((r) => r.efSearch))].join('/')}); ${queries.length} queries from tests/eval/questions.jsonl, sequential, one core; ${os.cpus().length} CPU(s), node ${process.version}.`,
  'vector query = embed query + HNSW top 10; BM25 query = terms + score + top 200; retriever start = ClauseRetriever.create loading the saved index (+ BM25, term sets); full search = ClauseRetriever.search end to end (query analysis, BM25, vector, RRF, place filter, coverage rerank, sentence coverage, citations), up to BENCH_BM25_MAX clauses;',
  'exact scan = HnswIndex.exactSearch (brute force in JS), the reference for recall@10. maxRSS is the process-lifetime peak, so later rows include earlier ones; sampled peak is taken every 100 ms and at phase boundaries.',
  ...results.map(
    (r) =>
      `${r.corpus}: efSearch sweep (recall@10, HNSW-only p50/p95 ms): ${r.efSweep.map((entry) => `${entry.ef} → ${entry.recallAt10}, ${entry.hnswQueryMs.p50}/${entry.hnswQueryMs.p95}`).join('; ')}`,
  ),
  ...results.flatMap((r) => r.notes.map((note) => `${r.corpus}: ${note}`)),
];
if (results.length) {
  console.log(lines.join('\n'));
  console.log('');
  for (const line of legend) console.log(`- ${line}`);
}
if (results.length)
  writeFileSync(
    path.join(here, process.env.BENCH_RESULTS ?? 'last-results.json'),
    `${JSON.stringify({ today: TODAY, seed: SEED, sizes, cpus: os.cpus().length, node: process.version, results, table: lines.join('\n'), legend }, null, 2)}\n`,
  );

const consoleExchanges = Number(process.env.BENCH_CONSOLE ?? 0);
if (consoleExchanges > 0) {
  const consoleResult = await runConsoleBench(consoleExchanges);
  const rows = consoleResult.exports.map(
    (entry) =>
      `| ${[
        entry.format.toUpperCase(),
        entry.seconds,
        entry.firstByteMs,
        entry.megabytes,
        entry.callbacks,
        `${entry.callbackMs.p50} / ${entry.callbackMs.p95} / ${entry.callbackMs.max}`,
      ].join(' | ')} |`,
  );
  console.log(
    [
      '',
      `console, ${consoleExchanges} exchanges (idle WeCom callback p50 ${consoleResult.idleCallbackMs.p50} ms, max ${consoleResult.idleCallbackMs.max} ms):`,
      '| export | seconds | first byte ms | MB | callbacks during | callback p50 / p95 / max ms |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
  writeFileSync(path.join(here, 'console-results.json'), `${JSON.stringify({ cpus: os.cpus().length, node: process.version, ...consoleResult }, null, 2)}\n`);
}
if (faultSection !== '0') await runFaultSection();
process.exit(0);
