import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../corpus/corpus-library.ts';
import { ClauseRetriever } from '../../retrieval/clause-retriever.ts';
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
    const hashes = ['a', 'b', 'c'];
    writeTermCache(file, TermIndex.build(texts, hashes).index, hashes);
    const { saved, problem } = readTermCache(file);
    expect(problem).toBeNull();
    const changed = [...texts.slice(0, 2), '专精特新企业认定奖励'];
    const { index, tokenised } = TermIndex.build(changed, ['a', 'b', 'd'], saved);
    expect(tokenised).toBe(1);
    expect(index.has(2, '专精')).toBe(true);
    expect(index.has(2, '贴息')).toBe(false);
    expect(index.has(1, '工业用地')).toBe(true);
  });

  it('does not trust a damaged cache', () => {
    const file = path.join(scratch(), 'index.terms');
    writeTermCache(file, TermIndex.build(texts, ['a', 'b', 'c']).index, ['a', 'b', 'c']);
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
    const ranked = async (retriever: ClauseRetriever) => Promise.all(questions.map(async (question) => {
      const result = await retriever.search(question, { k: 5, today: '2026-12-01' });
      return { ids: result.hits.map((hit) => hit.clause.clauseId), coverage: result.coverage };
    }));
    const expected = await ranked(fresh);
    expect(await ranked(await ClauseRetriever.create({ corpus, embedder, indexDirectory }))).toEqual(expected);

    writeFileSync(`${indexDirectory}.terms`, 'damaged');
    const log: string[] = [];
    const rebuilt = await ClauseRetriever.create({ corpus, embedder, indexDirectory, log: (message) => log.push(message) });
    expect(log.join('\n')).toContain('条款词表缓存无法使用');
    expect(await ranked(rebuilt)).toEqual(expected);
    expect(readTermCache(`${indexDirectory}.terms`).saved).not.toBeNull();
  });
});
