import { describe, expect, it } from 'vitest';
import { Bm25 } from '../../retrieval/bm25.ts';

describe('Bm25', () => {
  const documents = [['稳岗', '返还', '失业保险'], ['稳岗', '返还', '稳岗', '中小企业'], ['用地', '厂房'], ['返还', '工会', '经费'], ['稳岗']];
  const bm25 = new Bm25(documents);

  it('ranks documents sharing more and rarer query terms first, best first, up to the limit', () => {
    const ranked = bm25.top(['稳岗', '返还'], 3);
    expect(ranked.map(([position]) => position)).toEqual([1, 0, 4]);
    expect(ranked[0]![1]).toBeGreaterThan(ranked[1]![1]);
    expect(bm25.top(['厂房'], 10).map(([position]) => position)).toEqual([2]);
    expect(bm25.top(['没有的词'], 10)).toEqual([]);
  });

  it('leaves out what the filter rejects, and gives the same scores when asked again', () => {
    const first = bm25.top(['稳岗', '返还'], 5);
    expect(bm25.top(['稳岗', '返还'], 5, { accept: (position) => position !== 1 }).map(([position]) => position)).not.toContain(1);
    expect(bm25.top(['稳岗', '返还'], 5)).toEqual(first);
  });

  it('weighs expansion terms less', () => {
    const plain = bm25.top(['工会'], 1)[0]![1];
    const lowered = bm25.top(['工会'], 1, { weights: new Map([['工会', 0.35]]) })[0]![1];
    expect(lowered).toBeCloseTo(plain * 0.35);
  });
});
