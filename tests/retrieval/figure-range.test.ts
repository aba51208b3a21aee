import { describe, expect, it } from 'vitest';
import { outsideBrackets, spokenNumber, statedFigures } from '../../retrieval/figure-range.ts';

const GUARANTEE =
  '对单户担保金额1000万元及以下的小微企业和“三农”主体收取的年化担保费率原则上不高于1.5%,其中对单户担保金额500万元及以下小微企业和“三农”主体收取的年化担保费率原则上不高于1%';

describe('figures the asker states', () => {
  it('reads amounts, head counts and shares with their bounds and roughness', () => {
    expect(statedFigures('单户担保金额超过1000万的')).toEqual([{ unit: 'money', low: expect.closeTo(1e7, 0), high: Number.POSITIVE_INFINITY }]);
    expect(statedFigures('我们是二十几个人的小厂')).toEqual([{ unit: 'people', low: 20, high: 30 }]);
    expect(statedFigures('我们两百来号人')[0]).toMatchObject({ unit: 'people', low: 180 });
    expect(statedFigures('安排残疾人就业比例1%出头')).toEqual([{ unit: 'percent', low: 1, high: 1.5 }]);
    // A year, a date or a count of things is not a figure of the asker.
    expect(statedFigures('2023年3月的工会经费,安置了1个残疾人')).toEqual([]);
    // "N个" counts people beside a word for them, not working days or projects.
    expect(statedFigures('我们厂28个工人都交了社保')).toEqual([{ unit: 'people', low: 28, high: 28 }]);
    expect(statedFigures('参保员工25个')).toEqual([{ unit: 'people', low: 25, high: 25 }]);
    expect(statedFigures('3个工作日能办完吗,申报了5个项目')).toEqual([]);
  });
});

describe('brackets a sentence is written for', () => {
  it('excludes the asker only when every figure of a unit lies outside every bracket of that unit', () => {
    expect(outsideBrackets(statedFigures('担保金额超过1000万的,费率多少'), GUARANTEE)).toBe(true);
    expect(outsideBrackets(statedFigures('我们要担保800万,费率多少'), GUARANTEE)).toBe(false);
    expect(outsideBrackets(statedFigures('我们120人的公司'), '对职工人数50人以下的企业给予补贴')).toBe(true);
    expect(outsideBrackets(statedFigures('我们二十几个人'), '对职工人数50人以下的企业给予补贴')).toBe(false);
  });

  it('does not take a cap on what is given for a bracket', () => {
    expect(outsideBrackets(statedFigures('我们投资了1000万,能补多少'), '对新建投产纳规的工业企业,给予一次性不超过50万元补助')).toBe(false);
    expect(outsideBrackets(statedFigures('担保费要1.5%以上吗'), '年化担保费率原则上不高于1%,')).toBe(false);
  });
});

describe('numbers said in words', () => {
  it('reads a spoken figure as the digits a document writes, and leaves words that only hold a numeral alone', () => {
    expect(spokenNumber('两百万')).toBe('200');
    expect(spokenNumber('一千五')).toBe('1500');
    expect(spokenNumber('百分之六十')).toBe('60');
    for (const word of ['三年', '一次', '两费', '十几']) expect(spokenNumber(word)).toBeNull();
  });
});
