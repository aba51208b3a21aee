import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../corpus/corpus-library.ts';
import { runPolicybot } from '../../helpers.ts';

/** A corpus directory holding the five real documents, and a data directory for its index. */
function corpusCopy(): { corpusDir: string; env: Record<string, string> } {
  const root = mkdtempSync(path.join(tmpdir(), 'policybot-add-'));
  const corpusDir = path.join(root, 'documents');
  cpSync(path.resolve('corpus/documents'), corpusDir, { recursive: true });
  return { corpusDir, env: { CORPUS_DIR: corpusDir, POLICYBOT_DATA_DIR: path.join(root, 'data') } };
}

const cities = ['甲', '乙', '丙', '丁'];
/** Four different documents, each naming its own city in its title and measures. */
function measures(directory: string): string[] {
  return cities.map((city) => {
    const file = path.join(directory, `${city}市措施.txt`);
    writeFileSync(
      file,
      `${city}市促进消费若干措施\n一、发放${city}市消费券。对参与活动的商户给予补贴。(${city}市商务局牵头,${city}市财政局配合)\n二、支持${city}市夜间经济。(${city}市商务局负责)\n`,
    );
    return file;
  });
}

describe('policybot corpus add, under load and with bad input', () => {
  it('adds documents from concurrent processes under distinct numbers, each with its own title and clauses', async () => {
    // Before, two adds at once both became 005, and a search cited one city's clauses under the other's title.
    const { corpusDir, env } = corpusCopy();
    const files = measures(path.dirname(corpusDir));
    const results = await Promise.all(files.map((file) => runPolicybot(['corpus', 'add', file], { env })));
    const added = results.filter((result) => result.status === 0);
    const refused = results.filter((result) => result.status !== 0);
    for (const result of refused) expect(result.stderr).toContain('文件库正由进程');
    expect(added.length).toBeGreaterThanOrEqual(1);
    const numbers = added.map((result) => /已加入 (\d{3})/.exec(result.stdout)?.[1]);
    expect(new Set(numbers).size).toBe(added.length);

    const corpus = loadCorpus(corpusDir);
    expect(corpus.documents).toHaveLength(5 + added.length);
    expect(new Set(corpus.documents.map((document) => document.docId)).size).toBe(corpus.documents.length);
    for (const document of corpus.documents.slice(5)) {
      const city = /^(.)市促进消费若干措施$/.exec(document.title)?.[1];
      expect(cities).toContain(city);
      expect(document.clauses.every((clause) => clause.leadDepartments.every((name) => name.startsWith(`${city}市`)))).toBe(true);
      expect(document.file.startsWith(`${document.docId}_${city}市措施`)).toBe(true);
    }
    // The index was brought up to date by the adds: a search finds each city's measure under its own document.
    for (const result of added) expect(result.stdout).toContain('向量索引已更新');
    const search = await runPolicybot(['search', '--json', '-k', '1', '乙市夜间经济'], { env });
    const [hit] = JSON.parse(search.stdout).hits;
    if (corpus.documents.some((document) => document.title.startsWith('乙市'))) expect(hit.doc_title).toBe('乙市促进消费若干措施');
    expect(readdirSync(corpusDir).filter((file) => file.startsWith('.corpus.lock'))).toEqual([]);
  }, 120_000);

  it('refuses a document past the clause or length limit, saying why, with the corpus unchanged', async () => {
    const { corpusDir, env } = corpusCopy();
    const before = readdirSync(corpusDir).sort();
    const many = path.join(path.dirname(corpusDir), 'many.txt');
    writeFileSync(
      many,
      ['某市支持企业发展若干措施', ...Array.from({ length: 3001 }, (_, index) => `${index + 1}.对符合条件的企业给予第${index + 1}项支持。(市商务局负责)`)].join(
        '\n',
      ),
    );
    const tooMany = await runPolicybot(['corpus', 'add', many], { env });
    expect(tooMany.status).toBe(1);
    expect(tooMany.stderr).toBe(
      'policybot: many.txt 解析出 3001 条条款，超过每份文件 3000 条的上限（现有最多的文件 338 条）：请确认这是一份政策文件，或拆分后分别加入。\n',
    );
    const long = path.join(path.dirname(corpusDir), 'long.txt');
    writeFileSync(long, `某市支持企业发展若干措施\n一、支持企业。${'企业发展'.repeat(260_000)}\n`);
    const tooLong = await runPolicybot(['corpus', 'add', long], { env });
    expect(tooLong.status).toBe(1);
    expect(tooLong.stderr).toContain('long.txt 读出约 104.0 万字，超过每份文件 100 万字的上限');
    expect(readdirSync(corpusDir).sort()).toEqual(before);
  }, 60_000);

  it('answers a folder given as the file with a message, not a stack trace', async () => {
    const { corpusDir, env } = corpusCopy();
    const folder = path.dirname(corpusDir);
    const result = await runPolicybot(['corpus', 'add', folder], { env });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `policybot: ${folder} 是文件夹，不是文件：请给出要加入的文件，如 policybot corpus add ${path.join(folder, '文件.pdf')}（文件夹中的文件须逐个加入）。\n`,
    );
  }, 60_000);
});
