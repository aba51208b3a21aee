import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolicybot } from '../../helpers.ts';

/** The `policybot` command as `npx policybot` runs it: the package's bin through node. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-cli-'));
const run = (args: string[], input?: string, env: Record<string, string> = {}) => runPolicybot(args, { input, env: { POLICYBOT_DATA_DIR: dataDir, ...env } });

describe('policybot command', () => {
  it('lists the corpus with clause counts and warnings', async () => {
    const result = await run(['corpus', 'list']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/000 .*清远市关于促进民营经济高质量发展的若干意见.*清府办〔2021〕34号 +68 条/);
    expect(result.stdout).toContain('附件《茂名市优化营商环境三年行动方案任务清单》正文缺失');
  });

  it('prints every document as JSON', async () => {
    const documents = JSON.parse((await run(['corpus', 'show', '--json'])).stdout);
    expect(documents.map((document: { doc_id: string }) => document.doc_id)).toEqual(['000', '001', '002', '003', '004']);
    const second = documents[0].clauses[1];
    expect(second).toMatchObject({ clause_label: '(二)', lead_departments: ['市人力资源社会保障局'] });
  });

  it('answers a batch from stdin, one JSON object per line, each its own conversation', async () => {
    const result = await run(
      ['ask', '--json'],
      '我们公司25个员工,稳岗返还比例是多少?找哪个部门?\n那这个找哪个部门?\n东莞企业被认定为专精特新小巨人,市里奖励多少钱?\n',
    );
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers).toHaveLength(3);
    expect(answers[0]).toMatchObject({ refused: false, mode: 'extractive' });
    expect(answers[0].citations[0]).toMatchObject({ doc_id: '000', clause_label: '(二)', doc_number: '清府办〔2021〕34号' });
    expect(answers[2]).toMatchObject({ refused: true, citations: [] });
    expect(Object.keys(answers[0].timing_ms)).toContain('total');
  });

  it('searches with --json and filters', async () => {
    const result = JSON.parse((await run(['search', '--json', '-k', '3', '--region', '乐清', '工业用地'])).stdout);
    expect(result.question).toBe('工业用地');
    expect(result.hits).toHaveLength(3);
    expect(result.hits.every((hit: { doc_id: string }) => hit.doc_id === '003')).toBe(true);
  });

  it('adds a document to a corpus, and refuses a bad one with exit code 1 and nothing changed', async () => {
    const corpusDir = mkdtempSync(path.join(tmpdir(), 'policybot-cli-corpus-'));
    const file = path.join(dataDir, 'measures.txt');
    writeFileSync(file, '某区促进消费若干措施\n一、发放消费券。对参与活动的商户给予补贴。(区商务局牵头,区财政局配合)\n二、支持夜间经济。(区商务局负责)\n');
    const added = await run(['corpus', 'add', file, '--region', '某省某市某区'], undefined, { CORPUS_DIR: corpusDir });
    expect(added.status).toBe(0);
    expect(added.stdout).toContain('2 条');
    const empty = path.join(dataDir, 'empty.txt');
    writeFileSync(empty, '');
    const refused = await run(['corpus', 'add', empty], undefined, { CORPUS_DIR: corpusDir });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('empty.txt 是空文件');
    expect(execFileSync('ls', [corpusDir], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2);
  });
});
