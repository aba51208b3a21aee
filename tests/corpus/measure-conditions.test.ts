import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../corpus/corpus-library.ts';
import { applyCorrection, clauseTextHash, conditionsOf, type Condition, type MeasureConditions } from '../../corpus/measure-conditions.ts';

const corpus = loadCorpus('corpus/documents');
const measures = new Map(corpus.documents.flatMap(conditionsOf).map((measure) => [measure.clauseId, measure]));
const measure = (clauseId: string): MeasureConditions => measures.get(clauseId)!;
const conditions = (clauseId: string): Condition[] => measure(clauseId).offers.flatMap((offer) => offer.conditions);

/** Conditions read from the real documents, each with the sentence it came from. */
describe('measure conditions on the real documents', () => {
  it('reads a headcount threshold: 参保职工30人(含)以下的企业 (清远 (二))', () => {
    const threshold = conditions('000:一(二)').find((condition) => condition.type === 'threshold' && condition.op === '<=');
    expect(threshold).toMatchObject({ metric: 'employees', op: '<=', value: 30, unit: '人' });
    expect(threshold!.source).toContain('对参保职工30人(含)以下的企业');
    expect(conditions('000:一(二)')).toContainEqual(expect.objectContaining({ type: 'threshold', metric: 'employees', op: '>', value: 30 }));
    // The 60% return is for 中小微 enterprises, the 30% for large ones, in the same sentence: each its own offer.
    const kindsOf = (percent: number) =>
      measure('000:一(二)')
        .offers.find((offer) => offer.gives.some((benefit) => benefit.percent === percent))!
        .conditions.flatMap((condition) => (condition.type === 'kind' ? [condition.kind] : []));
    expect(kindsOf(60)).toEqual(['sme']);
    expect(kindsOf(30)).toEqual(['large']);
  });

  it('splits a sentence listing reliefs for different kinds into one offer each (乐清 附件 序号1 全市目标1)', () => {
    const offers = measure('003:附件:序号1:全市目标1').offers;
    const kindsOf = (words: string) =>
      offers.find((offer) => offer.source.includes(words))!.conditions.flatMap((condition) => (condition.type === 'kind' ? [condition.kind] : []));
    expect(kindsOf('增值税小规模纳税人减免增值税')).toEqual(['small_taxpayer']);
    expect(kindsOf('小微企业减按25%')).toEqual(['micro_small']);
    // 农户 is one of the beneficiaries listed of the 融资担保 relief, not an industry every relief of the sentence requires.
    expect(kindsOf('为农户')).toEqual(expect.arrayContaining(['agriculture', 'micro_small', 'individual']));
    // "…等政策延续执行至2027年底" holds for every relief of the sentence.
    expect(offers.every((offer) => offer.conditions.some((condition) => condition.type === 'period' && condition.until === '2027-12-31'))).toBe(true);
  });

  it('reads "高企" as 高新技术企业 but not inside "提高企业贷款获得率" (普洱 (三))', () => {
    const renewal = measure('001:二(三)').offers.find((offer) => offer.source.includes('提高企业贷款获得率'))!;
    expect(renewal.conditions.filter((condition) => condition.type === 'kind')).toEqual([]);
    expect(renewal.gives).toContainEqual(expect.objectContaining({ kind: 'finance' }));
  });

  it("does not read a reply letter's reported totals as amounts given (清远 答复函 三(一), 三(三))", () => {
    const gives = (clauseId: string) => measure(clauseId).offers.flatMap((offer) => offer.gives.map((benefit) => benefit.text));
    // "发放社会补贴、岗位补贴、吸纳就业补贴合1493.76万元,惠及6076人次" reports what was paid, to whom it may concern.
    expect(measure('004:三(一)').offers.map((offer) => offer.source)).toEqual(['为符合条件的企业发放就业创业相关补贴,减轻企业运行成本。']);
    expect(gives('004:三(一)').join('')).not.toContain('1493.76');
    expect(gives('004:三(三)').join('')).not.toMatch(/4118|550\.63/);
    expect(gives('004:三(三)')).toEqual(['为有资金需求的企业发放创业担保贷款']);
  });

  it("dates a payout of one year to that year, and an offer carrying out a dated plan to the plan's end", () => {
    const periods = (clauseId: string) => measure(clauseId).offers.flatMap((offer) => offer.conditions.filter((condition) => condition.type === 'period'));
    // "三是落实专项资金。兑现2022年促进小微工业企业上规模发展专项资金2740万元。" is one offer, 2022's.
    expect(measure('004:一(二)').offers).toHaveLength(1);
    expect(periods('004:一(二)')).toContainEqual(expect.objectContaining({ until: '2022-12-31' }));
    // "2022年5月1日起…免费刻制公章" starts something; "2022年省出台政策,向…发放一次性扩岗补助" dates the policy, not its end.
    expect(periods('004:四(一)')).toEqual([]);
    expect(periods('004:三(二)')).toEqual([]);
    // 出台《乐清市大孵化集群发展三年行动计划(2022-2024年)》,为…提供租金补贴: the row says 长期实施, the plan ended in 2024.
    expect(periods('003:附件:序号8:落实举措6')).toContainEqual(expect.objectContaining({ until: '2024-12-31' }));
    // 对受疫情影响…的个体工商户用水实行“欠费不停供”: an epidemic relief.
    expect(measure('004:一(五)').offers.filter((offer) => offer.source.includes('受疫情影响'))[0]!.conditions).toContainEqual(
      expect.objectContaining({ type: 'period', until: '2023-12-31' }),
    );
  });

  it('reads a tax threshold and an enterprise kind: 个体工商户年应纳税所得额不超过200万元 (乐清 附件 序号1)', () => {
    const found = conditions('003:附件:序号1:全市目标2');
    expect(found).toContainEqual(expect.objectContaining({ type: 'kind', kind: 'individual' }));
    expect(found).toContainEqual(expect.objectContaining({ type: 'threshold', metric: 'taxable_income', op: '<=', value: 200, unit: '万元' }));
    // The table row's 实施阶段 and the document's region are conditions of the whole measure.
    expect(measure('003:附件:序号1:全市目标2').conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'place', place: '浙江省温州市乐清市' }),
        expect.objectContaining({ type: 'period', from: '2023-01-01', until: '2027-12-31' }),
      ]),
    );
  });

  it('reads first-time conditions and what each sentence gives (普洱 (五))', () => {
    const offers = measure('001:二(五)').offers;
    const firstListing = offers.find((offer) => offer.source.includes('首次纳规'))!;
    expect(firstListing.conditions).toContainEqual(expect.objectContaining({ type: 'first_time', text: expect.stringContaining('首次纳规') }));
    expect(firstListing.gives).toContainEqual(expect.objectContaining({ kind: 'amount', amountWan: 45 }));
    const newPlant = offers.find((offer) => offer.source.includes('新建投产纳规'))!;
    expect(newPlant.gives).toContainEqual(expect.objectContaining({ kind: 'amount', amountWan: 50, cap: true }));
    expect(newPlant.conditions).toContainEqual(expect.objectContaining({ type: 'first_time' }));
    const champion = offers.find((offer) => offer.source.includes('单项冠军'))!;
    expect(champion.conditions).toContainEqual(expect.objectContaining({ type: 'kind', kind: 'specialized' }));
    expect(measure('003:附件:序号17:落实举措5').offers[0]!.conditions).toContainEqual(
      expect.objectContaining({ type: 'first_time', text: expect.stringContaining('当年度首次获得') }),
    );
  });

  it('reads deadlines in the text and marks conditions it cannot read', () => {
    expect(conditions('000:一(四)')).toContainEqual(expect.objectContaining({ type: 'period', until: '2021-12-31' }));
    expect(conditions('003:附件:序号1:全市目标4')).toContainEqual(expect.objectContaining({ type: 'period', from: '2023-01-01', until: '2027-12-31' }));
    expect(measure('004:三(一)').unread).toContainEqual(expect.objectContaining({ reason: expect.stringContaining('符合条件') }));
    expect(measure('000:二(二十一)').unread).toContainEqual(expect.objectContaining({ reason: '具体条件见所引文件,本文未写明' }));
  });

  it("offers nothing for the government's own work, and something for measures that give", () => {
    expect(measure('001:一(一)').offers).toEqual([]); // 健全民营经济领导机制
    expect(measure('003:三(三)').offers).toEqual([]); // 强化督查考核
    expect(measure('004:三(五)').offers[0]!.gives).toContainEqual(expect.objectContaining({ kind: 'amount', amountWan: 50 }));
    expect(measure('004:三(五)').topic).toBe('staff');
  });

  it("applies an officer's correction, and flags it when the clause text has changed since", () => {
    const clause = corpus.clause('004:三(一)')!;
    const correction = {
      clauseId: clause.clauseId,
      offered: true,
      kinds: ['micro_small' as const],
      thresholds: [{ metric: 'employees' as const, op: '<=' as const, value: 100 }],
      firstTime: false,
      gives: '社保补贴、岗位补贴',
      verified: true,
      note: '按“促进就业九条”核定',
      officer: 'wang',
      time: new Date('2026-11-30T00:00:00Z'),
      textHash: clauseTextHash(clause),
    };
    const corrected = applyCorrection(measure('004:三(一)'), correction, clause);
    expect(corrected.unread).toEqual([]);
    expect(corrected.offers[0]!.conditions).toContainEqual(expect.objectContaining({ type: 'threshold', metric: 'employees', value: 100 }));
    expect(corrected.correctedBy).toMatchObject({ officer: 'wang', note: '按“促进就业九条”核定', stale: false });
    const stale = applyCorrection(measure('004:三(一)'), { ...correction, textHash: 'old' }, clause);
    expect(stale.correctedBy).toMatchObject({ note: '按“促进就业九条”核定', stale: true });
  });
});
