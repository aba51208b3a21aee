import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCorpus, loadCorpus } from '../../corpus/corpus-library.ts';
import { ClauseRetriever, clauseContentHash } from '../../retrieval/clause-retriever.ts';
import { HashedEmbedder } from '../../retrieval/embedder/hashed-embedder.ts';
import { readTermCache, TermIndex, writeTermCache } from '../../retrieval/term-index.ts';
import { terms } from '../../retrieval/text-analysis.ts';

const scratch = () => mkdtempSync(path.join(tmpdir(), 'policybot-terms-'));

describe('term index', () => {
  const texts = ['小微企业稳岗返还比例提高至60%', '工业用地先租后让', '首贷贴息'];

  it('answers whether a clause holds a term and in how many clauses a term occurs', () => {
    const { index, tokenised } = TermIndex.build(texts);
    expect(tokenised).toBe(3);
    for (const [position, text] of texts.entries()) for (const term of terms(text)) expect(index.has(position, term)).toBe(true);
    expect(index.has(0, '工业用地')).toBe(false);
    expect(index.has(1, '没有的词')).toBe(false);
    expect(index.clauseCount('#稳岗')).toBe(1);
    expect(TermIndex.build([...texts, '稳岗返还']).index.clauseCount('返还')).toBe(2);
  });

  it('reuses the saved terms of unchanged clauses and tokenises only the changed one', () => {
    const file = path.join(scratch(), 'index.terms');
    const hashes = texts.map(clauseContentHash);
    writeTermCache(file, TermIndex.build(texts, hashes).index, hashes);
    const { saved, problem } = readTermCache(file);
    expect(problem).toBeNull();
    const changed = [...texts.slice(0, 2), '专精特新企业认定奖励'];
    const { index, tokenised } = TermIndex.build(changed, changed.map(clauseContentHash), saved);
    expect(tokenised).toBe(1);
    expect(index.has(2, '专精')).toBe(true);
    expect(index.has(2, '贴息')).toBe(false);
    expect(index.has(1, '工业用地')).toBe(true);
  });

  it('does not trust a damaged cache', () => {
    const file = path.join(scratch(), 'index.terms');
    const hashes = texts.map(clauseContentHash);
    writeTermCache(file, TermIndex.build(texts, hashes).index, hashes);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(file, bytes);
    expect(readTermCache(file).saved).toBeNull();
    expect(readTermCache(file).problem).toBe('校验和不符');
    writeFileSync(file, 'not a cache');
    expect(readTermCache(file).saved).toBeNull();
  });
});

describe('a retriever started on a saved index', () => {
  it('answers exactly as one that tokenised every clause, and rebuilds a damaged term cache', async () => {
    const corpus = loadCorpus('corpus/documents');
    const embedder = new HashedEmbedder();
    const indexDirectory = path.join(scratch(), 'index');
    const fresh = await ClauseRetriever.create({ corpus, embedder, indexDirectory });
    expect(readTermCache(`${indexDirectory}.terms`).saved?.byHash.size).toBeGreaterThan(400);
    const questions = ['我们厂二十几个人,稳岗返还能返多少?', '茂名企業拿地後能不能先開工?', '乐清首违不罚的事项有哪些?'];
    const ranked = async (retriever: ClauseRetriever) =>
      Promise.all(
        questions.map(async (question) => {
          const result = await retriever.search(question, { k: 5, today: '2026-12-01' });
          return { ids: result.hits.map((hit) => hit.clause.clauseId), coverage: result.coverage };
        }),
      );
    const expected = await ranked(fresh);
    expect(await ranked(await ClauseRetriever.create({ corpus, embedder, indexDirectory }))).toEqual(expected);

    writeFileSync(`${indexDirectory}.terms`, 'damaged');
    const log: string[] = [];
    const rebuilt = await ClauseRetriever.create({ corpus, embedder, indexDirectory, log: (message) => log.push(message) });
    expect(log.join('\n')).toContain('条款词表缓存 index.terms 无法使用');
    expect(await ranked(rebuilt)).toEqual(expected);
    expect(readTermCache(`${indexDirectory}.terms`).saved).not.toBeNull();
  });
});

describe('the term cache after the corpus or the file changes', () => {
  const corpus = loadCorpus('corpus/documents');
  const embedder = new HashedEmbedder();
  const questions = ['我们厂二十几个人,稳岗返还能返多少?', '对小微企业发放数字人民币消费券吗?', '乐清首违不罚的事项有哪些?', '清远工业用地有什么支持'];
  const ranked = async (retriever: ClauseRetriever) =>
    Promise.all(
      questions.map(async (question) => {
        const result = await retriever.search(question, { k: 5, today: '2026-12-01' });
        return {
          ids: result.hits.map((hit) => hit.clause.clauseId),
          scores: result.hits.map((hit) => hit.score),
          coverage: result.coverage,
          topic: result.topicCoverage,
        };
      }),
    );
  /** The corpus with one clause of 000 rewritten: what `corpus add` of a changed document leaves. */
  const changed = () => {
    const base = corpus.document('000')!;
    const clauses = base.clauses.map((clause, position) =>
      position === 3 ? { ...clause, text: '(四)对小微企业发放数字人民币消费券。(市商务局负责)' } : clause,
    );
    return createCorpus(corpus.documents.map((document) => (document.docId === '000' ? { ...base, clauses } : document)));
  };

  it('tokenises only the changed clause, says so, and answers exactly as a retriever without any saved index', async () => {
    const indexDirectory = path.join(scratch(), 'index');
    await ClauseRetriever.create({ corpus, embedder, indexDirectory });
    const log: string[] = [];
    const updated = await ClauseRetriever.create({ corpus: changed(), embedder, indexDirectory, log: (message) => log.push(message) });
    expect(log.join('\n')).toContain('条款词表缓存中没有 1 条条款（新增或已修改），已为其分词。');
    const results = await ranked(updated);
    expect(results[1]!.ids[0]).toBe(corpus.document('000')!.clauses[3]!.clauseId);
    expect(results).toEqual(await ranked(await ClauseRetriever.create({ corpus: changed(), embedder })));
    // The next start uses the rewritten cache as it is.
    const again: string[] = [];
    expect(await ranked(await ClauseRetriever.create({ corpus: changed(), embedder, indexDirectory, log: (message) => again.push(message) }))).toEqual(results);
    expect(again).toEqual([]);
  });

  it('rebuilds a truncated cache or one of another format version, with the reason in the log, and answers the same', async () => {
    const indexDirectory = path.join(scratch(), 'index');
    const file = `${indexDirectory}.terms`;
    const expected = await ranked(await ClauseRetriever.create({ corpus, embedder, indexDirectory }));
    const whole = readFileSync(file);

    writeFileSync(file, whole.subarray(0, whole.length - 1000));
    expect(readTermCache(file)).toEqual({ saved: null, problem: '文件不完整' });
    let log: string[] = [];
    expect(await ranked(await ClauseRetriever.create({ corpus, embedder, indexDirectory, log: (message) => log.push(message) }))).toEqual(expected);
    expect(log).toEqual(['条款词表缓存 index.terms 无法使用（文件不完整），正在重新分词。']);
    expect(readFileSync(file).equals(whole)).toBe(true);

    const otherVersion = Buffer.from(whole);
    otherVersion.writeUInt32LE(1, 8);
    writeFileSync(file, otherVersion);
    log = [];
    expect(await ranked(await ClauseRetriever.create({ corpus, embedder, indexDirectory, log: (message) => log.push(message) }))).toEqual(expected);
    expect(log).toEqual(['条款词表缓存 index.terms 无法使用（缓存格式版本 1，当前为 2），正在重新分词。']);
    expect(readTermCache(file).saved?.hashes.length).toBe(corpus.clauses.length);

    // A file of the first format (a JSON header line) is refused by its first bytes.
    writeFileSync(file, `${JSON.stringify({ tokeniser: 'terms/1:x', vocabulary: [], hashes: [], offsets: [0], checksum: '' })}\n`);
    expect(readTermCache(file)).toEqual({ saved: null, problem: '不是本版本的缓存文件' });
  });
});
