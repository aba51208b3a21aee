import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../corpus/corpus-library.ts';
import { matchingForm } from '../../corpus/script-converter.ts';
import { quoteFor } from '../../retrieval/citation.ts';

const corpus = loadCorpus('corpus/documents');
const clauseHolding = (docId: string, words: string) => {
  const clause = corpus.clauses.find((candidate) => candidate.docId === docId && matchingForm(candidate.text).includes(matchingForm(words)));
  if (!clause) throw new Error(`no clause of ${docId} holds ${words}`);
  return clause;
};

describe('the quoted sentences of a clause', () => {
  it('quotes the sentence that states the figure asked for, even when it is the heading', () => {
    const clause = clauseHolding('000', '500万元及以下小额票据贴现');
    const quote = quoteFor(clause.text, '手上有张300万的票据想贴现,再贴现重点支持多大金额以下的小额票据?', clause.title);
    expect(quote).toContain('500万元及以下');
    // The bracketed department note is said separately, never as the quote.
    expect(quote).not.toContain('牵头');
  });

  it('quotes a short clause whole, so the sentence that answers in other words is there', () => {
    const text =
      '(三)优化企业用电报装流程。通过压缩报装时间、减少报装环节、推行线上办电,进一步提高我市新建企业获得电力的便利度。推动供电企业公开办电服务标准和时限。对低压小微企业用电报装实行“零上门、零审批、零投资”,全过程办电时间不超过5个工作日。(市发展改革局牵头,供电局配合)';
    expect(text.length).toBeGreaterThan(120);
    const quote = quoteFor(text, '我们新建的厂接电要交钱吗?', '优化企业用电报装流程');
    expect(quote).toContain('零投资');
    expect(quote).toContain('压缩报装时间');
    expect(quote).not.toContain('牵头');
  });

  it("quotes, beside the figure, the rule written for the asker's own size", () => {
    const clause = clauseHolding('000', '裁员率放宽到不超过企业职工总数20%');
    const quote = quoteFor(clause.text, '我们参保员工26个,去年裁了3个,稳岗返还能返多少?', clause.title);
    expect(quote).toContain('60%');
    expect(quote).toContain('30人(含)以下');
    expect(quoteFor(clause.text, '我们厂26个工人,稳岗返还能返多少?', clause.title)).toContain('20%');
  });

  it('recognises figures written in traditional script (萬元)', () => {
    const text =
      '(一)支持企業上市。對在境內外掛牌上市的企業給予掛牌上市獎勵,掛牌上市獎勵標準按掛牌上市獎勵辦法執行,所需經費由市財政統籌解決。' +
      '建立重點上市後備企業庫,實行動態管理,加強培育輔導和跟蹤服務,協調解決企業改制過程中遇到的困難和問題。另給予100萬元獎勵。';
    expect(quoteFor(text, '掛牌上市獎勵多少錢?', '支持企業上市')).toContain('100萬元');
  });

  it('answers each part of a question in several parts', () => {
    const question = '在清远建博士后科研工作站,市财政补助多少?博士后每年生活补助有多少?';
    const clause = clauseHolding('004', '博士后科研工作站');
    const quote = quoteFor(clause.text, question, clause.title);
    expect(quote).toContain('50万元');
    expect(quote).toContain('15万元');
  });

  it.each(['普洱每年开不开民营经济发展大会?政企之间有没有定期见面的机制?', '普洱每年开不开民营经济发展大会？政企之间有没有定期见面的机制？'])(
    'finds the sentence for the second part too, whatever width the question marks: %s',
    (question) => {
      const clause = clauseHolding('001', '双月见面会');
      expect(quoteFor(clause.text, question, clause.title)).toContain('双月见面会');
    },
  );

  it('quotes a short clause whole', () => {
    const clause = clauseHolding('003', '单险种参加工伤保险');
    expect(quoteFor(clause.text, '外卖骑手能单独交工伤保险吗?', clause.title)).toBe(clause.text.trim());
  });

  it('never quotes the departments note, even one holding parentheses of its own', () => {
    const clause = clauseHolding('001', '健全投诉闭环机制');
    // The note "〔市纪委市监委、…市委办公室(市委督查室)…按职责分工负责〕" shares 政府 with the question.
    const quote = quoteFor(clause.text, '普洱有人欠钱不还 政府有啥说法没', clause.title);
    expect(quote).not.toContain('按职责分工负责');
    expect(quote.length).toBeGreaterThan(0);
  });
});
