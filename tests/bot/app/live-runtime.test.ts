import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/app/config.ts';
import { startLiveRuntime } from '../../../bot/app/live-runtime.ts';
import { addDocument } from '../../../corpus/corpus-library.ts';
import { createLogger } from '../../../bot/logger.ts';

describe('the live runtime at start-up', () => {
  it('answers from the indexed documents at once and indexes a new one in the background', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'policybot-live-'));
    const corpusDir = path.join(root, 'documents');
    cpSync(path.resolve('corpus/documents'), corpusDir, { recursive: true });
    const config = loadConfig({ CORPUS_DIR: corpusDir, POLICYBOT_DATA_DIR: path.join(root, 'data') });

    // First run: no index at all, so the start builds it before answering (there is nothing else to answer from).
    const firstLog: string[] = [];
    const first = await startLiveRuntime(config, { watchMs: 0, logger: createLogger({ write: (line) => firstLog.push(line) }) });
    expect(first.current.corpus.documents).toHaveLength(5);
    expect(firstLog.join('\n')).not.toContain('后台');
    first.stop();

    // A large document copied in while the service was down (not through `corpus add`, which updates the index).
    const file = path.join(root, '渔业措施.txt');
    writeFileSync(
      file,
      [
        '某市支持渔业发展若干措施',
        ...Array.from({ length: 2000 }, (_, index) => `${index + 1}.对远洋渔船第${index + 1}类更新改造给予补助。(市海洋渔业局负责)`),
      ].join('\n'),
    );
    const added = await addDocument(corpusDir, file);
    expect(added.docId).toBe('005');

    const log: string[] = [];
    const live = await startLiveRuntime(config, { watchMs: 0, logger: createLogger({ write: (line) => log.push(line) }) });
    // Up before the new document's 2 000 clauses are embedded: the five indexed documents answer meanwhile.
    expect(live.current.corpus.documents.map((document) => document.docId)).toEqual(['000', '001', '002', '003', '004']);
    expect(log.join('\n')).toContain('policybot：1 份新文件（005）的向量索引在后台建立，建好前暂不参与检索');
    const answer = await live.assistant.ask({ text: '稳岗返还比例是多少？', channel: 'cli', chatId: 'c', userId: 'u' });
    expect(answer.citations[0]).toMatchObject({ doc_id: '000', clause_label: '(二)' });

    await live.ready;
    expect(live.current.corpus.documents).toHaveLength(6);
    expect(log.at(-1)).toBe(`INFO policybot：新文件的向量索引已建好，现有 6 份文件、${live.current.corpus.clauses.length} 条条款`);
    const found = await live.current.retriever.search('远洋渔船第17类更新改造补助', { k: 1 });
    expect(found.hits[0]!.citation.doc_id).toBe('005');
    live.stop();

    // The index was saved with it: the next start answers from all six at once.
    const againLog: string[] = [];
    const again = await startLiveRuntime(config, { watchMs: 0, logger: createLogger({ write: (line) => againLog.push(line) }) });
    expect(again.current.corpus.documents).toHaveLength(6);
    expect(againLog.join('\n')).not.toContain('后台');
    again.stop();
  }, 120_000);
});
