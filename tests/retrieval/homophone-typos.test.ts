import { describe, expect, it } from 'vitest';
import { correctTypos, type KnownText } from '../../retrieval/homophone-typos.ts';

/** A corpus that uses these words and holds this text. */
const corpus = (words: string[], text = words.join('。')): KnownText => ({
  isWord: (word) => words.includes(word),
  holds: (part) => text.includes(part),
});

describe('homophone typos', () => {
  it('reads a pair no dictionary knows as the homophone word the documents use, keeping the rest as written', () => {
    const known = corpus(['贷款', '担保', '意见', '潜能']);
    expect(correctTypos('ICP备案好了,创业担保代款能贷多少', known)).toEqual({
      text: 'ICP备案好了,创业担保贷款能贷多少',
      corrections: [{ written: '代款', meant: '贷款' }],
    });
    expect(correctTypos('若干意件哪天起执行', known).text).toBe('若干意见哪天起执行');
  });

  it('leaves two words side by side that general Chinese writes as themselves (钱能, 要建) and pairs the documents write', () => {
    const known = corpus(['潜能', '要件', '一照'], '一照通行');
    expect(correctTypos('我们装修的钱能要回来吗', known).corrections).toEqual([]);
    expect(correctTypos('普洱说要建补偿机制', known).corrections).toEqual([]);
    // 打几折: 几 asks; 一照 of 一照通行 is the documents' own.
    expect(correctTypos('一照通行 打几折', corpus(['打击'], '一照通行')).corrections).toEqual([]);
  });

  it('reads 被 before a noun as the slip it is (被案 → 备案), and leaves the passive before a verb (被查, 被罚)', () => {
    const known = corpus(['备案', '备查']);
    expect(correctTypos('技改项目被案要几天', known).corrections).toEqual([{ written: '被案', meant: '备案' }]);
    expect(correctTypos('上个月被查了一次', known).corrections).toEqual([]);
  });

  it('corrects only to a word of the same reading and tone, and only when one word fits', () => {
    // 审皮 (shěn pí) is not 审批 (shěn pī): a tone apart, left for the asker to say again.
    expect(correctTypos('环评审皮要多久', corpus(['审批'])).corrections).toEqual([]);
    expect(correctTypos('出口退税几天能办洁', corpus(['办结'])).corrections).toEqual([{ written: '办洁', meant: '办结' }]);
    expect(correctTypos('出口退税几天能办洁', corpus([])).corrections).toEqual([]);
  });
});
