import { mkdtempSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCorpus, loadCorpus, type Corpus } from '../../corpus/corpus-library.ts';
import { analyseQuery } from '../../retrieval/query-analysis.ts';
import { ClauseRetriever } from '../../retrieval/clause-retriever.ts';
import type { Embedder } from '../../retrieval/embedder.ts';
import { HashedEmbedder } from '../../retrieval/embedder/hashed-embedder.ts';

const TODAY = '2026-11-23';
const corpus = loadCorpus('corpus/documents');

/** The offline embedder, counting how many texts it was asked to embed. */
class CountingEmbedder implements Embedder {
  embedded = 0;
  private readonly inner: HashedEmbedder;
  constructor(
    dimension = 512,
    readonly id = `hashed-jieba-ngram/v1/${dimension}`,
  ) {
    this.inner = new HashedEmbedder(dimension);
  }
  get dimension() {
    return this.inner.dimension;
  }
  async embedDocuments(texts: string[]) {
    this.embedded += texts.length;
    return this.inner.embedDocuments(texts);
  }
  async embedQuery(text: string) {
    return this.inner.embedQuery(text);
  }
}

let retriever: ClauseRetriever;
beforeAll(async () => {
  retriever = await ClauseRetriever.create({ corpus, embedder: new HashedEmbedder(), today: () => TODAY });
});

const top = async (question: string, options = {}) => (await retriever.search(question, { k: 5, today: TODAY, ...options })).hits;

describe('offline embedder', () => {
  it('gives unit vectors, the same for the same text, closer for related texts', async () => {
    const embedder = new HashedEmbedder();
    const [a, b, c] = await embedder.embedDocuments(['小微企业稳岗返还', '中小微企业失业保险稳岗返还政策', '知识产权案件跨区域联动执行']);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((sum, value, index) => sum + value * y[index]!, 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(await embedder.embedQuery('小微企业稳岗返还')).toEqual(a);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
  });
});

describe('hybrid search on the real corpus', () => {
  it('finds the measure for an exact term and for a paraphrase', async () => {
    expect((await top('专精特新 小巨人 单项冠军 清远'))[0]!.citation.clause_label).toBe('(二十八)');
    const hits = await top('我们厂参保员工28个,去年走了5个算裁员,还能拿失业保险稳岗返还吗?');
    expect(hits[0]!.citation).toMatchObject({ doc_id: '000', clause_label: '(二)', lead_departments: ['市人力资源社会保障局'] });
  });

  it('still ranks the measure when the question asks who is responsible', async () => {
    const hits = await top('小微企业交的工会经费能退回来吗?这个事归哪个部门管?');
    expect(hits[0]!.citation).toMatchObject({ clause_label: '(四)', lead_departments: ['市总工会'] });
  });

  it("cites the measure itself before its task list's restatement of it", async () => {
    const hits = await top('乐清招标代理五色清单管理由谁牵头');
    expect(hits[0]!.citation).toMatchObject({ doc_id: '003', clause_label: '二(三)', lead_departments: ['市发改局'] });
    // A row that states what the measure does not (a figure) still leads for the question asking it.
    const figure = await top('乐清政府采购授予中小企业合同金额的目标占比是多少?');
    expect(figure[0]!.citation.clause_label).toMatch(/^附件/);
  });

  it("quotes a task's target and measure together when both rows say what is asked", async () => {
    // 序号6's 全市目标 row names the 单工伤险 policy, its 落实举措 row the provincial rules behind it: one task, one answer.
    const hits = await top('平台上跑外卖的骑手没签劳动合同，在乐清能不能单独给他们买工伤保险？');
    const first = hits[0]!.citation;
    expect(first.clause_label).toMatch(/^附件 序号6 (落实举措6、全市目标6|全市目标6、落实举措6)$/);
    expect(first.text).toContain('落实“单工伤险”参保新政');
    expect(first.text).toContain('浙人社发〔2023〕21号');
    expect(first.lead_departments).toEqual(['市人力社保局']);
    // The joined row is not listed again, and rows of different tasks or measures of the main text are never joined.
    expect(hits.slice(1).some((hit) => hit.clause.clauseId.startsWith('003:附件:序号6:'))).toBe(false);
    for (const question of ['小微企业交的工会经费能退回来吗?', '乐清到2025年底要培育多少家专精特新中小企业?'])
      for (const hit of await top(question)) expect(hit.citation.clause_label).not.toContain('、');
  });

  it('asked who is responsible, leads with a measure naming its departments over a reply letter naming none', async () => {
    const hits = await top('清远新建的厂房,水电气市政接入报装拖了好久,工程建设项目审批改革是哪几个部门在牵头?');
    expect(hits[0]!.citation).toMatchObject({ doc_id: '000', clause_label: '(三十三)' });
    expect(hits[0]!.citation.lead_departments).toContain('市住房城乡建设局');
  });

  it('matches a question in traditional characters', async () => {
    const hits = await top('茂名企業註銷的時候,稅務、社保這些能不能一次辦完?');
    expect(hits[0]!.citation.doc_id).toBe('002');
  });

  it('expands how enterprises talk with the thesaurus (缺钱 → 贷款/融资)', async () => {
    const hits = await top('乐清的企业缺钱周转怎么办');
    expect(hits.some((hit) => /贷|融资/.test(hit.citation.text))).toBe(true);
  });

  it('filters by region, document, validity date and department', async () => {
    expect((await top('工业用地', { region: '乐清' })).every((hit) => hit.citation.doc_id === '003')).toBe(true);
    expect((await top('工业用地', { docId: '002' })).every((hit) => hit.citation.doc_id === '002')).toBe(true);
    const inForce = await top('稳岗返还', { inForceOn: TODAY });
    expect(inForce.some((hit) => hit.citation.doc_id === '000')).toBe(false);
    const expired = await top('稳岗返还');
    expect(expired[0]!.citation).toMatchObject({ doc_id: '000', validity_status: 'expired' });
    expect(
      (await top('培训', { department: '人社局' })).every((hit) =>
        [...hit.citation.lead_departments, ...hit.citation.support_departments].some((name) => name.includes('人力资源社会保障') || name.includes('人力社保')),
      ),
    ).toBe(true);
  });

  it('lists a department\'s measures for "人社局负责哪些措施"', async () => {
    const result = await retriever.search('清远人社局负责哪些措施?', { today: TODAY });
    expect(result.hits.length).toBeGreaterThanOrEqual(4);
    expect(result.hits.every((hit) => hit.citation.lead_departments.some((name) => name === '市人力资源社会保障局'))).toBe(true);
  });

  it('reports low coverage and foreign places for what the corpus cannot answer', async () => {
    const result = await retriever.search('东莞企业被认定为国家级专精特新小巨人,市里奖励多少钱?', { today: TODAY });
    expect(result.foreignPlaces).toEqual(['东莞']);
    const unrelated = await retriever.search('公司要招一个外籍工程师,外国人工作许可证怎么办?', { today: TODAY });
    const related = await retriever.search('小微企业工会经费能全额返还吗', { today: TODAY });
    expect(unrelated.coverage).toBeLessThan(related.coverage);
  });

  it("does not let the asker's own verbs and places (搭一层, 提上去, 思茅) outweigh the measure's words", async () => {
    const plain = await retriever.search('乐清在自有工业用地上提高容积率,土地价款还要交吗?', { today: TODAY });
    const told = await retriever.search('乐清我们厂想在自己的工业用地上再搭一层,容积率提上去了,土地价款还要多交吗?', { today: TODAY });
    expect(told.hits[0]?.clause.clauseId).toBe(plain.hits[0]?.clause.clauseId);
    expect(told.hits[0]?.clause.text).toContain('不增收土地价款');
    // At full weight the two verbs no clause uses took half the question's weight (coverage 0.56).
    expect(told.coverage).toBeGreaterThan(0.6);
    const county = await retriever.search('普洱思茅的小升规工业企业补助多少?', { today: TODAY });
    const city = await retriever.search('普洱的小升规工业企业补助多少?', { today: TODAY });
    expect(county.coverage).toBeCloseTo(city.coverage, 5);
    // Nor a town below the counties the gazetteer lists (柳市 of 乐清), nor a place name jieba would cut into another
    // word (乐清政府 as 乐 + 清政府, the Qing government).
    const town = await retriever.search('乐清柳市的个体户转企业能直接变更登记吗?', { today: TODAY });
    const inCity = await retriever.search('乐清的个体户转企业能直接变更登记吗?', { today: TODAY });
    expect(town.coverage).toBeCloseTo(inCity.coverage, 5);
    expect(town.hits[0]?.clause.clauseId).toBe(inCity.hits[0]?.clause.clauseId);
    // 给抽回去 is the bank's 抽贷 (不简单抽贷、压贷、断贷), and 有没有说法 asks whether there is a policy: 0.32 before.
    const withdrawn = await retriever.search('普洱 做咖啡的 经营一直正常 就是担心银行贷款到期给抽回去 有没有说法', { today: TODAY });
    expect(withdrawn.hits[0]?.citation).toMatchObject({ doc_id: '001', clause_label: '(三)' });
    expect(withdrawn.coverage).toBeGreaterThan(0.45);
    // 一年开几次 is how often a meeting is 召开: the verb alone weighed half the question (0.45 before).
    const meeting = await retriever.search('普洱的民营经济发展大会一年开几次?', { today: TODAY });
    expect(meeting.hits[0]?.citation).toMatchObject({ doc_id: '001', clause_label: '(一)' });
    expect(meeting.coverage).toBeGreaterThan(0.6);
    const government = analyseQuery('在乐清政府办事要多久');
    expect(government.terms).toEqual(expect.arrayContaining(['乐清', '政府']));
    expect(government.terms).not.toContain('清政府');
  });

  it('names the subject no clause holds from the parts that ask, not from a policy word told in the story', async () => {
    // 仓库 is told (what the asker builds); 审批 and 工作日 are asked, and the approvals measure holds them.
    const told = await retriever.search('清远我们想在厂区空地上搭个一层的小仓库,低风险的,审批几个工作日能批下来?', { today: TODAY });
    expect(told.hits[0]?.clause.docId).toBe('004');
    expect(told.absentSubject).toBeNull();
    // Asked, a subject no clause holds is still named, whatever the story's words (贷款 is in the documents).
    const asked = await retriever.search('我们厂贷款刚办下来,想问下员工的探亲假有几天?', { today: TODAY });
    expect(asked.absentSubject).toBe('探亲假');
    expect((await retriever.search('厂里的灭火器多久要换一次?', { today: TODAY })).absentSubject).toBe('灭火器');
    // No noun asked, the asking part says the measure as a lexicon phrase the clause holds (合到一起查 → 综合查一次):
    // the inspections told in the story (应急, 消防) are not the subject.
    const combined = await retriever.search('茂名我们做化工的,一个月来了三拨检查,应急消防轮着来,能不能合到一起查一次', { today: TODAY });
    expect(combined.hits[0]?.citation).toMatchObject({ doc_id: '002', clause_label: '26' });
    expect(combined.absentSubject).toBeNull();
  });

  it('measures coverage by the best sentence, and for a question asking a number only by sentences stating one', async () => {
    // The corpus states no wage figure anywhere, so no sentence can answer "how much".
    const howMuch = await retriever.search('乐清现在的月最低工资标准是多少?', { today: TODAY });
    expect(howMuch.query.asksQuantity).toEqual(['any']);
    expect(howMuch.coverage).toBe(0);
    expect(howMuch.missing).toEqual(['any']);
    const rate = await retriever.search('我们公司25个员工,稳岗返还比例是多少?', { today: TODAY });
    expect(rate.query.asksQuantity).toEqual(['share']);
    expect(rate.coverage).toBeGreaterThan(0.3);
    // "挂了好几年" tells how long, it does not ask.
    const pending = await retriever.search('我们公司有个涉企案件挂了好几年一直没结,乐清有专门清理“挂案”的吗?', { today: TODAY });
    expect(pending.query.asksQuantity).toEqual([]);
    expect(pending.hits[0]!.clause.text).toContain('挂案');
    expect(pending.coverage).toBeGreaterThan(0.3);
  });
});

describe('index life cycle', () => {
  const small = (texts: Record<string, string>): Corpus => {
    const base = corpus.document('000')!;
    const clauses = base.clauses.slice(0, 10).map((clause) => ({ ...clause, text: texts[clause.clauseId] ?? clause.text }));
    return createCorpus([{ ...base, clauses }]);
  };

  it('builds, saves, loads without re-embedding, re-embeds only what changed, and rebuilds a corrupt or foreign index', async () => {
    const directory = path.join(mkdtempSync(path.join(tmpdir(), 'policybot-index-')), 'index');
    const messages: string[] = [];
    const log = (message: string) => messages.push(message);

    const first = new CountingEmbedder();
    await ClauseRetriever.create({ corpus: small({}), embedder: first, indexDirectory: directory, log });
    expect(first.embedded).toBe(10);
    expect(readdirSync(directory).sort()).toEqual(['graph.hnsw', 'manifest.json', 'vectors.f32']);

    const reload = new CountingEmbedder();
    const loaded = await ClauseRetriever.create({ corpus: small({}), embedder: reload, indexDirectory: directory, log });
    expect(reload.embedded).toBe(0);
    expect(loaded.size).toBe(10);

    const changedId = corpus.document('000')!.clauses[3]!.clauseId;
    const update = new CountingEmbedder();
    const updated = await ClauseRetriever.create({
      corpus: small({ [changedId]: '(四)对小微企业发放数字人民币消费券。(市商务局负责)' }),
      embedder: update,
      indexDirectory: directory,
      log,
    });
    expect(update.embedded).toBe(1);
    expect((await updated.search('数字人民币消费券', { k: 1 })).hits[0]!.clause.clauseId).toBe(changedId);

    truncateSync(path.join(directory, 'graph.hnsw'), 100);
    const repair = new CountingEmbedder();
    const repaired = await ClauseRetriever.create({ corpus: small({}), embedder: repair, indexDirectory: directory, log });
    expect(messages.some((message) => /不完整|被改动|无法读取/.test(message))).toBe(true);
    expect(repair.embedded).toBe(10);
    expect((await repaired.search('稳岗返还', { k: 1 })).hits[0]!.clause.citeLabel).toBe('(二)');

    const other = new CountingEmbedder(256, 'hashed-jieba-ngram/v1/256');
    await ClauseRetriever.create({ corpus: small({}), embedder: other, indexDirectory: directory, log });
    expect(other.embedded).toBe(10);
    expect(messages.some((message) => message.includes('由 hashed-jieba-ngram/v1/512 生成'))).toBe(true);
  });
});
