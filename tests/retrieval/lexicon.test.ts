import { describe, expect, it } from 'vitest';
import { defaultLexicon, Lexicon, RELATION_CREDIT } from '../../retrieval/lexicon.ts';

describe('domain lexicon', () => {
  it('ships several thousand terms across the fields of enterprise policy', () => {
    expect(defaultLexicon().size).toBeGreaterThan(5000);
  });

  it('relates a term to its synonyms, narrower and broader terms, a synonym earning more than a broader word', () => {
    const lexicon = new Lexicon([{ same: ['贷款', '融资', '缺钱'], narrower: ['首贷', '续贷'], broader: ['金融支持'] }]);
    const [expansion] = lexicon.expand('公司缺钱怎么办');
    expect(expansion?.term).toBe('缺钱');
    const relation = (word: string) => expansion?.related.find((entry) => entry.word === word)?.relation;
    expect(relation('贷款')).toBe('same');
    expect(relation('首贷')).toBe('narrower');
    expect(relation('金融支持')).toBe('broader');
    expect(RELATION_CREDIT.same).toBeGreaterThan(RELATION_CREDIT.narrower);
    expect(RELATION_CREDIT.narrower).toBeGreaterThan(RELATION_CREDIT.broader);
    // Asked about a narrower term, the group's own words are broader than what was asked.
    const [narrow] = lexicon.expand('首贷有补贴吗');
    expect(narrow?.related.find((entry) => entry.word === '贷款')?.relation).toBe('broader');
  });

  it('takes the longest term where terms overlap', () => {
    const lexicon = new Lexicon([
      { same: ['稳岗返还', '稳岗补贴'], narrower: [], broader: [] },
      { same: ['返还', '退还'], narrower: [], broader: [] },
    ]);
    expect(lexicon.expand('稳岗返还比例').map((expansion) => expansion.term)).toEqual(['稳岗返还']);
  });

  it('finds a phrase the asker spreads over a few words of one clause, not across a comma or too far apart', () => {
    const lexicon = new Lexicon([
      { meaning: '容缺受理', same: ['容缺受理', '材料…没准备好'], everyday: new Set(['材料…没准备好']), narrower: [], broader: [] },
    ]);
    const [spread] = lexicon.expand('有一两份材料还没准备好,能先收吗');
    expect(spread?.term).toBe('材料还没准备好');
    expect(spread?.named).toBe('容缺受理（材料还没准备好）');
    expect(spread?.related.map((entry) => entry.word)).toContain('容缺受理');
    expect(lexicon.expand('材料交了,人还没准备好')).toEqual([]);
    // The words a spread phrase spans keep their own meanings: 货款 of "货款一直不给" is still 账款.
    const owed = new Lexicon([
      { same: ['账款', '货款'], narrower: [], broader: [] },
      { same: ['拖欠账款', '货款…不给'], narrower: [], broader: [] },
    ]);
    expect(owed.expand('货款一直不给').map((expansion) => expansion.term)).toEqual(['货款', '货款一直不给']);
    expect(owed.expand('货款一直不给').find((expansion) => expansion.term === '货款一直不给')?.pieces).toEqual(['货款', '不给']);
    expect(lexicon.expand('材料送去审核以后我们的新车间一直没准备好')).toEqual([]);
  });

  it('hears how enterprises say things in the shipped data (everyday words, department names)', () => {
    const related = (text: string) =>
      defaultLexicon()
        .expand(text)
        .flatMap((expansion) => expansion.related.map((entry) => entry.word));
    expect(related('招人难')).toEqual(expect.arrayContaining(['招聘']));
    expect(related('社保局')).toEqual(expect.arrayContaining(['人力资源社会保障局']));
    // Everyday verbs of doing business: 拿到 → 获得/享受, 免掉 → 减免, 卖掉 → 转让, 办完 → 办结.
    expect(related('能拿到多少')).toEqual(expect.arrayContaining(['获得', '享受']));
    expect(related('这笔钱能免掉吗')).toEqual(expect.arrayContaining(['减免']));
    expect(related('厂房能卖掉一部分吗')).toEqual(expect.arrayContaining(['转让']));
    expect(related('全部办完要几天')).toEqual(expect.arrayContaining(['办结']));
    // Money owed told as the asker names it (尾款, 货款) and its delay (拖到现在, 一直不付); a permit as 办证.
    expect(related('三十多万尾款拖到现在')).toEqual(expect.arrayContaining(['账款', '款项', '拖欠']));
    expect(related('货款就是一直不付')).toEqual(expect.arrayContaining(['账款', '拖欠']));
    expect(related('办证的时候被卡')).toEqual(expect.arrayContaining(['办理证照']));
    // Recruiting experts as owners say it (请大学教授来厂里) reaches the schemes that second them (科技副总).
    expect(related('能不能请大学教授来帮忙')).toEqual(expect.arrayContaining(['科技副总', '科技特派员']));
    expect(related('个体户想转成公司')).toEqual(expect.arrayContaining(['个转企']));
    // Dropping out of the statistics' tiers as owners say it (又掉下去了), and social insurance paid (社保费).
    expect(related('要是年底又掉下去了还给不给')).toEqual(expect.arrayContaining(['掉库']));
    expect(related('土地出让金要不要补交')).toEqual(expect.arrayContaining(['增收土地价款']));
    expect(related('60多万货款拖了半年')).toEqual(expect.arrayContaining(['拖欠账款']));
    expect(related('社保费能不能在公司里交')).toEqual(expect.arrayContaining(['社会保险', '社保缴费不出企']));
    // Near misses are their own meanings: 最低工资 is not 工资, 出口退税 not every 退税.
    expect(
      defaultLexicon()
        .expand('最低工资')
        .flatMap((expansion) => expansion.related.filter((entry) => entry.relation === 'same').map((entry) => entry.word)),
    ).not.toContain('工资');
  });
});
