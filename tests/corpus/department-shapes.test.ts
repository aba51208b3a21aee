import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../corpus/document-parser.ts';
import type { PolicyDocument } from '../../corpus/document.ts';

/** Each document here is written for the test, in a convention seen in other cities' policies. */
const parse = (text: string, docId = '900'): PolicyDocument => parseDocument({ docId, file: `${docId}.txt`, text, metadata: { doc_id: docId } });
const departments = (document: PolicyDocument) => document.clauses.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments]);

describe('a note that declares "列第一位的为牵头单位,下同"', () => {
  const document = parse(`某某市促进商贸流通发展若干措施
一、培育消费新场景
(一)打造特色商业街区。对新认定的市级特色商业街区给予一次性奖励50万元。(市商务局、市财政局,各区县人民政府,列第一位的为牵头单位,下同)
(二)发展夜间经济。支持各区县建设夜间经济集聚区。(市商务局、市文化旅游局、市公安局)
二、畅通流通渠道
(三)完善县域商业体系。支持建设县级物流配送中心。(市商务局、市交通运输局、市供销社)
(四)支持老字号创新发展。(市市场监管局牵头,市商务局配合)
`);

  it('reads the declaring note itself with its first unit as lead', () => {
    expect(departments(document)[0]).toEqual(['(一)', ['市商务局'], ['市财政局', '各区县人民政府']]);
  });

  it('applies the convention to every later plain list, and leaves explicit roles as written', () => {
    expect(departments(document).slice(1)).toEqual([
      ['(二)', ['市商务局'], ['市文化旅游局', '市公安局']],
      ['(三)', ['市商务局'], ['市交通运输局', '市供销社']],
      ['(四)', ['市市场监管局'], ['市商务局']],
    ]);
  });

  it('does not apply "下同" to lists before the declaration', () => {
    const before = parse(`某某区稳就业若干措施
一、扩大就业岗位。支持企业吸纳就业。(区人社局、区财政局)
二、加强职业培训。(区人社局、区教育局,列第一位的为牵头单位,下同)
三、兜底困难群体就业。(区人社局、区民政局)
`);
    expect(departments(before)).toEqual([
      ['一', ['区人社局', '区财政局'], []],
      ['二', ['区人社局'], ['区教育局']],
      ['三', ['区人社局'], ['区民政局']],
    ]);
  });
});

describe('regulations: the subject of a duty sentence is the responsible body', () => {
  const document = parse(`某某市外贸促进条例
第一条 为了促进本市对外贸易发展,根据有关法律、法规,结合本市实际,制定本条例。
第二条 市人民政府商务主管部门负责本市对外贸易促进工作的统筹协调和监督管理。发展改革、财政、税务等部门按照各自职责,做好对外贸易促进相关工作。
第三条 县级以上人民政府人力资源社会保障部门应当为外贸企业招用人员提供免费的职业介绍服务。
第四条 外贸企业登记注册的便利化工作,由市场监督管理部门会同税务、公安等部门组织实施。
第五条 企业应当依法开展对外贸易经营活动,诚实守信。
第六条 本条例自2025年1月1日起施行。
`);

  it('finds every article', () => {
    expect(document.clauses.map((clause) => clause.citeLabel)).toEqual(['第一条', '第二条', '第三条', '第四条', '第五条', '第六条']);
  });

  it('takes the subject of 负责/应当 as lead and the bodies acting "按照各自职责" as support', () => {
    expect(departments(document)[1]).toEqual(['第二条', ['市人民政府商务主管部门'], ['发展改革部门', '财政部门', '税务部门']]);
    expect(departments(document)[2]).toEqual(['第三条', ['县级以上人民政府人力资源社会保障部门'], []]);
  });

  it('takes the body before 会同 as lead and the bodies after it as support', () => {
    expect(departments(document)[3]).toEqual(['第四条', ['市场监督管理部门'], ['税务部门', '公安部门']]);
  });

  it('names no body where the subject is an enterprise or the article is about the text itself', () => {
    expect(departments(document)[0]![1]).toEqual([]);
    expect(departments(document)[4]![1]).toEqual([]);
    expect(departments(document)[5]![1]).toEqual([]);
  });
});

describe('labelled notes: 牵头单位 / 配合单位 and 责任单位 with (牵头)', () => {
  it('reads "(牵头单位:A;配合单位:B、C)" in half- and full-width punctuation', () => {
    const document = parse(`某某县支持外贸企业若干措施
一、支持企业开拓国际市场。对参加境外展会的企业按展位费的50%给予补助。(牵头单位:县商务局;配合单位:县财政局、县贸促会)
二、加大出口信用保险支持。按保费的30%给予补贴。（牵头单位：县商务局；配合单位：县财政局、县金融办）
三、支持跨境电商发展。（牵头单位：县商务局，配合单位：县邮政分公司）
`);
    expect(departments(document)).toEqual([
      ['一', ['县商务局'], ['县财政局', '县贸促会']],
      ['二', ['县商务局'], ['县财政局', '县金融办']],
      ['三', ['县商务局'], ['县邮政分公司']],
    ]);
  });

  it('reads "责任单位:A(牵头)、B" closing a measure, bracketed or not', () => {
    const document = parse(`某某市优化营商环境行动方案
一、深化商事制度改革
1.推行企业开办一网通办,开办时间压缩至1个工作日内。责任单位:市市场监管局(牵头)、市税务局、市公安局
2.推进证照分离改革全覆盖。责任单位：市市场监管局（牵头）、市司法局
3.优化工程建设项目审批。(责任单位:市住房城乡建设局(牵头)、市自然资源局)
`);
    expect(departments(document)).toEqual([
      ['1', ['市市场监管局'], ['市税务局', '市公安局']],
      ['2', ['市市场监管局'], ['市司法局']],
      ['3', ['市住房城乡建设局'], ['市自然资源局']],
    ]);
    expect(document.clauses[0]!.text).toContain('开办时间压缩至1个工作日内');
  });
});
