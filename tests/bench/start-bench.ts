/**
 * Retriever start with a saved index, alone (the full `npm run bench` embeds and builds the graph first, 2 minutes at
 * 100 000 clauses): `node --import tsx tests/bench/start-bench.ts [clauses] [directory]`.
 *
 * Builds the synthetic corpus of `npm run bench` (same seed, so the same clauses), saves its index in `directory`
 * (default: a folder under the system's temporary directory, kept for the next run) unless one is there, starts the
 * retriever once so the term cache is written, then times five starts and prints each, the median and the load
 * average, as JSON on standard output. One process, as at `npm start`.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from '../../corpus/index.ts';
import { ClauseRetriever, HashedEmbedder } from '../../retrieval/index.ts';
import { syntheticCorpus } from './synthetic-corpus.ts';

const SEED = 20261123; // run-bench.ts's: its corpus of N clauses is seeded SEED + N
const count = Number(process.argv[2] ?? 100_000);
const directory = process.argv[3] ?? path.join(os.tmpdir(), `policybot-start-bench-${count}`, 'index');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = syntheticCorpus(loadCorpus(path.join(root, 'corpus/documents')), count, SEED + count);
const embedder = new HashedEmbedder();
embedder.embed('预热'); // jieba's dictionary, paid once per process before the first start too
const log = (message: string) => console.error(message);

let started = performance.now();
await ClauseRetriever.create({ corpus, embedder, indexDirectory: directory, log });
console.error(`first start (builds what is missing): ${((performance.now() - started) / 1000).toFixed(1)} s`);
const seconds: number[] = [];
// CPU time of the whole process (every thread): on this shared machine the wall time also says how busy it was.
const cpuSeconds: number[] = [];
for (let run = 0; run < 5; run += 1) {
  started = performance.now();
  const cpu = process.cpuUsage();
  await ClauseRetriever.create({ corpus, embedder, indexDirectory: directory, log });
  seconds.push(Number(((performance.now() - started) / 1000).toFixed(3)));
  const used = process.cpuUsage(cpu);
  cpuSeconds.push(Number(((used.user + used.system) / 1e6).toFixed(3)));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[2];
console.log(
  JSON.stringify({
    clauses: count,
    seconds,
    median: median(seconds),
    cpuSeconds,
    cpuMedian: median(cpuSeconds),
    load: os.loadavg().map((value) => Number(value.toFixed(1))),
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.version,
  }),
);
process.exit(0);
