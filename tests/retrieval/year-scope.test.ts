import { describe, expect, it } from 'vitest';
import { analyseQuery } from '../../retrieval/query-analysis.ts';
import { forOtherYears } from '../../retrieval/year-scope.ts';

describe('the years a sentence is written for', () => {
  it('reads the year the asking part names, not one told in the story', () => {
    expect(analyseQuery('2025年计划新增多少家规上企业?').years).toEqual([2025]);
    expect(analyseQuery('我们是2019年成立的,能申请创新券吗?').years).toEqual([]);
  });

  it('takes a sentence for another year as not answering, one whose span reaches the year as answering', () => {
    const asked = [2025];
    expect(forOtherYears(asked, '2024年度完成工业用地改革供地30家、1000亩')).toBe(true);
    expect(forOtherYears(asked, '对小微企业工会经费实行全额返还,期限至2022年12月31日')).toBe(true);
    expect(forOtherYears(asked, '2023—2026年,每年安排专项资金')).toBe(false);
    expect(forOtherYears(asked, '到2027年累计培育创新型中小企业850家')).toBe(false);
    expect(forOtherYears(asked, '自2023年5月1日起,免费刻制公章扩大至5枚')).toBe(false);
    expect(forOtherYears(asked, '对首次纳规的企业给予奖励')).toBe(false);
    expect(forOtherYears([], '2024年度完成供地30家')).toBe(false);
  });
});
