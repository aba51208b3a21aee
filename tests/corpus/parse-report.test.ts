import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../corpus/document-parser.ts';
import { describeDocument } from '../../corpus/document-summary.ts';

const parse = (text: string) => parseDocument({ docId: '901', file: '901.txt', text, metadata: { doc_id: '901' } });

describe('what a parse reports to the officer', () => {
  it('says what it found: clauses, departments, validity', () => {
    const document = parse(`某某市支持企业创新若干措施
某府办〔2024〕3号
一、支持研发投入。按研发费用的10%给予补助。(市科技局牵头,市财政局配合)
二、支持平台建设。对新认定的省级研发平台奖励50万元。(市科技局负责)
本措施自2024年5月1日起施行,有效期三年。
`);
    expect(describeDocument(document, '2025-01-01')).toEqual([
      '《某某市支持企业创新若干措施》某府办〔2024〕3号  发文:未载明',
      '条款:2 条(一 … 二)',
      '责任单位:2 条列明牵头单位,共 2 个单位(牵头:市科技局);0 条未列明',
      '有效期:本措施自2024年5月1日起施行,有效期三年。(有效期至2027年4月30日)',
    ]);
  });

  it('warns of a gap in the numbering and keeps the part after it', () => {
    const document = parse(`某某区促进消费若干措施
(一)发放消费券。(区商务局负责)
(二)支持夜间经济。(区商务局负责)
(四)支持老字号发展。(区商务局负责)
`);
    expect(document.clauses.map((clause) => clause.citeLabel)).toEqual(['(一)', '(二)', '(四)']);
    expect(document.warnings).toContain('编号不连续:(二)之后是(四),缺少(三),请核对原文是否遗漏');
  });

  it('warns when most measures come out without departments in a document that names them', () => {
    const document = parse(`某某县助企纾困若干措施
1.减免房租。(县国资局负责)
2.降低用电成本。(县发改局负责)
3.支持融资担保。(县金融办负责)
4.稳岗返还。由县人社局办理。
5.社保缓缴。由县人社局办理。
6.减免水费。由县水务局办理。
7.减免燃气费。由县住建局办理。
`);
    expect(document.warnings).toContain('本文件逐条列明责任单位,但多数条款(4/7)未识别出责任单位:请核对原文责任单位的写法');
  });
});
