import { provides } from '../../retrieval/asked-kind.ts';
import { describe, expect, it } from 'vitest';
import { contradicts } from '../../retrieval/contrast.ts';
import { RELATION_CREDIT } from '../../retrieval/lexicon.ts';
import { analyseQuery, askingParts, namesItsPolicy } from '../../retrieval/query-analysis.ts';
import { statesQuantity, termsWithEmbedded } from '../../retrieval/text-analysis.ts';

describe('query analysis', () => {
  it('reads traditional script and full-width text, drops fillers and "who is responsible" phrasing', () => {
    const query = analyseQuery('您好，請問一下稳岗返还比例是多少？找哪个部门？');
    expect(query.text).not.toMatch(/您好|请问|找哪个部门/);
    expect(query.text).toContain('稳岗返还比例是多少?');
    expect(query.asksResponsibility).toBe(true);
  });

  it.each(['工程建设项目审批改革这块是哪几个部门在牵头?', '这事哪些部门负责?', '谁来管?', '应该去找哪个部门?'])(
    'hears "%s" as asking who is responsible',
    (question) => {
      expect(analyseQuery(question).asksResponsibility).toBe(true);
    },
  );

  it('maps how enterprises talk to how policies are written, word by word', () => {
    const query = analyseQuery('机关单位欠我们货款一年多了,去哪里投诉?');
    expect(query.expansionTerms).toEqual(expect.arrayContaining(['账款', '举报']));
    const synonymsOf = (word: string) => (query.synonyms.get(word) ?? []).map((synonym) => synonym.word);
    expect(synonymsOf('货款')).toEqual(expect.arrayContaining(['账款', '拖欠']));
    expect(synonymsOf('投诉')).toContain('举报');
    expect(synonymsOf('货款')).not.toContain('举报');
    // A procedure as the documents write it, four words long: 个体户转公司 is 个体+工商户+转型+企业.
    const converting = analyseQuery('个体户转公司要重新注册吗');
    expect((converting.synonyms.get('个体户') ?? []).map((synonym) => synonym.parts)).toContainEqual(['个体', '工商户', '转型', '企业']);
    // A phrase sharing a word with the asked term restates the rest of it, for its share: 补交土地出让金 is
    // 增收+土地+价款, so 补交 and 出让金 find 增收 and 价款 (two of its three words) — not a one-character 岗 of 稳岗.
    const paying = analyseQuery('在自己厂里空地上加盖车间,要补交土地出让金吗');
    const restated = (paying.synonyms.get('出让金') ?? []).find((synonym) => synonym.word === '增收土地价款');
    expect(restated?.parts).toEqual(['增收', '土地', '价款']);
    expect(restated?.credit).toBeCloseTo((RELATION_CREDIT.same * 2) / 3);
    expect(paying.synonyms.get('土地')?.some((synonym) => synonym.word === '增收土地价款')).toBeFalsy();
  });

  it('marks the words that only carry the question, not its topic', () => {
    const query = analyseQuery('我们这块一直想知道,首违不罚的事项总共大概有哪几个?');
    for (const word of ['这块', '一直', '总共', '大概', '哪几个']) expect(query.functionWords.has(word)).toBe(true);
    for (const word of ['首违', '不罚', '事项']) expect(query.functionWords.has(word)).toBe(false);
    // An "A not A" question jieba cuts in two (会 + 不会) only asks, both halves.
    const punished = analyseQuery('企业有点小违规被查到,会不会直接罚款?');
    for (const word of ['会', '不会']) expect(punished.functionWords.has(word)).toBe(true);
    expect(punished.functionWords.has('罚款')).toBe(false);
    // A piece jieba cuts starting inside it is part of it: 能 + 不能不要 of 能不能不要全封死.
    expect(analyseQuery('设备能不能不要全封死?').functionWords.has('不能不要')).toBe(true);
    // 有没有说法 asks whether there is a policy, as 有没有规定 does: 说法 is no topic.
    expect(analyseQuery('贷款快到期了怕银行给抽回去,市里有没有说法').functionWords.has('说法')).toBe(true);
    const modal = analyseQuery('听说会配项目主管,一般能是什么级别的领导?');
    for (const word of ['会', '能']) expect(modal.functionWords.has(word)).toBe(true);
    // A vague stretch of time in the story says when, not what.
    for (const [text, word] of [
      ['前段时间生意差水费交不上了,能缓交多久', '前段时间'],
      ['这段时间订单少,稳岗返还还有吗', '段时间'],
      ['前阵子被查了一次,会罚吗', '阵子'],
    ])
      expect(analyseQuery(text!).functionWords.has(word!)).toBe(true);
  });

  it('takes asking for a person as no policy question (the desk hands it to an officer)', () => {
    expect(analyseQuery('问了这么久都不对,能不能给我转个人工客服').smallTalk).toBe(true);
    expect(analyseQuery('人工成本太高,有没有社保补贴?').smallTalk).toBe(false);
  });

  it('splits the situation from what is asked, and reads what is asked besides the topic', () => {
    const query = analyseQuery('我们厂二十几个人,去年交了不少失业保险,稳岗返还能返多少?要准备什么材料?');
    // The situation ("我们厂二十几个人", "去年交了不少失业保险") chooses among measures; it is not what is asked.
    expect(query.situationWords.has('去年')).toBe(true);
    expect(query.situationWords.has('稳岗')).toBe(false);
    expect(query.asked).toEqual(['money', 'materials']);
    expect(analyseQuery('稳岗返还怎么申请?去哪里办?').asked).toEqual(['procedure']);
    // How the money reaches the enterprise is asked as its procedure.
    expect(analyseQuery('这笔补助是直接打到公司账户上吗?').asked).toEqual(['procedure']);
    expect(analyseQuery('奖励怎么发放?').asked).toEqual(['procedure']);
    expect(analyseQuery('技改项目要到哪里备案?').asked).toEqual(['procedure']);
    // "怎么定" asks a figure only of one: a standard's ("补贴标准怎么定"), not a post's ("政策专员是怎么定的").
    expect(analyseQuery('普洱的补贴标准怎么定的').asksQuantity).toEqual(['any']);
    expect(analyseQuery('普洱的政策专员是怎么定的').asksQuantity).toEqual([]);
    expect(analyseQuery('变更以后去哪儿登记?').asked).toEqual(['procedure']);
    expect(analyseQuery('申请专精特新要满足什么条件?').asked).toEqual(['condition']);
    expect(analyseQuery('哪些新公司符合条件?').asked).toEqual(['condition']);
    expect(analyseQuery('哪些小微企业可以申请?').asked).toEqual(['condition']);
    expect(analyseQuery('稳岗返还比例是多少?').asked).toEqual(['share']);
    expect(analyseQuery('清远有哪些扶持民营企业的措施').asked).toEqual([]);
  });

  it.each([
    ['稳岗返还比例是多少?', ['share']],
    ['全部弄完大概要几天?', ['period']],
    // 多久 asks, after the last question mark too ("技改备案要去市里办?要等多久").
    ['技改项目备案是不是要跑去市里办?要等多久', ['period']],
    ['续贷的过桥资金总共多大规模?', ['money']],
    ['租金补贴每平方米补多少钱?能补几年?', ['money', 'period']],
    ['免费能刻几枚?', ['count']],
    ['环评审批时间压缩到多少', ['any']],
    ['能不能先租着用、以后再买下来?', []],
    ['涉企案件挂了好几年一直没结,有专门清理的吗?', []],
    ['帮上游十几家小供应商拿应收账款融到了钱,能拿到什么奖励?', []],
    ['民营企业想进这个领域得额外满足几个条件,这种做法合规吗?', []],
    ['找银行能不能拿到利率低一点的贷款?', []],
    ['清远是哪几个部门负责这块?', []],
    // Two figures offered to choose from ask which holds.
    ['小规模纳税人增值税现在到底按1%还是3%交', ['share']],
    ['扩岗补助一个人补1000元还是1500元', ['money']],
    ['抵押登记是3个工作日还是5个工作日办完', ['period']],
    ['我们厂还是10个人,能申请吗', []],
    // Time spent, told: "花几年研发的" is no period asked.
    ['配方是自己花几年研发的,有没有商业秘密保护的服务', []],
  ])('knows what number "%s" asks for', (question, kinds) => {
    expect(analyseQuery(question).asksQuantity).toEqual(kinds);
  });

  it.each([
    ['对新建投产纳规的工业企业,给予一次性不超过50万元补助', 'money', true],
    ['实现我市企业开办1个工作日内完成', 'period', true],
    ['将项目环评审批时间压缩至法定时限的一半', 'share', true],
    ['中小微企业按上年度实际缴纳失业保险费的60%返还', 'share', true],
    ['免费刻制三枚公章', 'count', true],
    ['出台《大孵化集群发展三年行动计划(2022-2024年)》,提供租金补贴', 'money', false],
    ['对首次获得海关AEO高级认证的给予一次性奖励', 'any', false],
    ['持续开展涉企“挂案”清理活动', 'any', false],
    ['设置一批精品课程', 'any', false],
  ] as const)('knows whether "%s" states a number of kind %s', (sentence, kind, states) => {
    expect(statesQuantity(sentence, kind)).toBe(states);
  });
});

describe('what a sentence provides', () => {
  it("does not take a fund's size for the amount one enterprise gets, pays or borrows", () => {
    const sentence = '继续加快规模1亿元的应急转贷(过桥)资金周转频次,为贷款即将到期的企业提供短期周转资金服务';
    expect(provides(sentence, 'money', analyseQuery('过桥资金用一次要收多少费用?'))).toBe(false);
    expect(provides(sentence, 'money', analyseQuery('应急转贷资金的规模有多大?一共多少钱?'))).toBe(true);
    expect(provides('对新认定的企业给予一次性奖励10万元', 'money', analyseQuery('新认定的企业奖励多少钱?'))).toBe(true);
  });

  it('takes conditions stated for conditions, not "符合条件的" which only refers to them', () => {
    expect(provides('将符合条件的民营企业高层次人才纳入服务对象', 'condition')).toBe(false);
    expect(provides('为符合国家产业政策和银行信贷条件的企业提供短期周转资金服务', 'condition')).toBe(true);
    expect(provides('对营业收入不低于2000万元的企业给予奖励', 'condition')).toBe(true);
  });

  it('does not take a total a reply letter reports, or a goal, for what one enterprise gets', () => {
    const reported = '自政策实施以来,全市共发放一次性扩岗补贴500.7万余元,惠及1070家企业';
    expect(provides(reported, 'money', analyseQuery('招了应届生,扩岗补助一个人多少钱?'))).toBe(false);
    const goal = '到2025年,推动规上工业企业研发费用占营业收入的比例达到3.4%以上';
    expect(provides(goal, 'share', analyseQuery('研发后补助按多少比例补?'))).toBe(false);
    expect(provides(goal, 'share', analyseQuery('研发费用占营业收入的比例要达到多少?'))).toBe(true);
    const letter = '1-5月,全市发放创业担保贷款54笔合计4118万元,贴息550.63万元';
    expect(provides(letter, 'money', analyseQuery('创业担保贷款企业最高能贷多少?'))).toBe(false);
    expect(provides(letter, 'money', analyseQuery('今年1-5月发放了多少创业担保贷款?'))).toBe(true);
  });

  it('does not take a date for an amount, nor fewer papers for a list of them', () => {
    const relief = '继续按不高于2017年征收标准征收残疾人就业保障金,期限至2022年12月31日';
    expect(provides(relief, 'any', analyseQuery('残保金能减缴多少?'))).toBe(false);
    expect(provides('按实际缴纳的60%返还', 'any')).toBe(true);
    expect(provides('让企业群众办事实现少填信息、少报材料、少带证件', 'materials')).toBe(false);
    expect(provides('申请人须提交营业执照复印件和申请表', 'materials')).toBe(true);
  });

  it('takes the figure of a benefit named by what it is for as stated only by a sentence naming it', () => {
    const living = analyseQuery('进站的博士每年生活补助多少?');
    expect(living.askedBenefit).toContain('生活');
    const heading = '支持创建博士后科研工作站、博士工作站,由市财政分别一次性给予50万元、20万元建站补助';
    expect(provides(heading, 'money', living)).toBe(false);
    expect(provides('对在站博士每人每年发放15万元生活补助', 'money', living)).toBe(true);
    // Who pays, a place or when is not which benefit: "市财政补助多少", "清远奖励多少", "每年奖励多少".
    for (const question of ['市财政补助多少?', '清远奖励具体多少钱?', '新认定的企业每年奖励多少?']) expect(analyseQuery(question).askedBenefit).toBeNull();
    // One part asks a figure without naming its benefit: any figure may answer it.
    expect(analyseQuery('建博士后工作站市里补多少钱?进站的博士后每年生活补助又是多少?').askedBenefit).toBeNull();
  });

  it('takes "要多久办好" for how long, answered by a number of days or by "当场办结", not for how often', () => {
    const query = analyseQuery('企业之间的转移登记现在还要网签吗 要多久办好');
    expect(query.asked).toContain('period');
    expect(query.asksFrequency).toBe(false);
    expect(provides('取消企业间转移登记网签、预约取号,实行全流程1个环节当场限时办结', 'period', query)).toBe(true);
    expect(provides('推行不动产登记全业务“一窗办理”', 'period', query)).toBe(false);
    expect(analyseQuery('政企见面会多久开一次').asksFrequency).toBe(true);
  });

  it("reads a province's or the state's own schemes asked, not a title's level or the province one deals with", () => {
    expect(analyseQuery('云南省有没有给民营企业的贷款贴息?').higherLevel).toBe('云南省');
    expect(analyseQuery('有没有省级的补贴政策').higherLevel).not.toBeNull();
    expect(analyseQuery('国家层面有什么支持').higherLevel).toBe('国家层面');
    for (const question of ['认定省级专精特新能奖多少', '能向省里申请用地指标吗', '国家级小巨人奖多少', '中了省里的采购项目能贷款吗'])
      expect(analyseQuery(question).higherLevel).toBeNull();
  });

  it('takes a total reported with whom it reached, who may qualify, and a contact detail for what they are', () => {
    // "…补贴合1493.76万元,惠及6076人次": what the city paid out in all, not what one hire brings.
    expect(provides('发放社会补贴、岗位补贴、吸纳就业补贴合1493.76万元,惠及6076人次', 'money', analyseQuery('吸纳就业补贴一个人给多少?'))).toBe(false);
    expect(analyseQuery('什么样的人才才有资格申请人才公寓').asked).toContain('condition');
    // Keeping in touch with enterprises is not a contact detail; a telephone number is.
    const contact = analyseQuery('政策专员怎么联系,有没有电话');
    expect(provides('建立政策专员制度,定期联系重点企业', 'contact', contact)).toBe(false);
    expect(provides('联系电话:0879-2123456', 'contact', contact)).toBe(true);
  });

  it('takes a supposition for part of what is asked, and "有点" for a hedge', () => {
    const query = analyseQuery('在茂名开公司 要是有点轻微违规 会不会直接罚?');
    expect(query.situationWords.has('轻微')).toBe(false);
    expect(query.functionWords.has('有点')).toBe(true);
    expect(analyseQuery('我们去年有点亏损,今年稳岗返还能返多少?').situationWords.has('亏损')).toBe(true);
  });

  it('takes a price asked as stated only by a sentence naming a price', () => {
    const query = analyseQuery('改造后多出来的厂房卖给别的企业,价格怎么定?');
    expect(query.asksPrice).toBe(true);
    expect(provides('允许新增改造面积不超过50%转让给其他企业', 'any', query)).toBe(false);
    expect(provides('转让价格按不低于评估价的70%确定', 'any', query)).toBe(true);
  });

  it('takes "多少个工作日" as asking a number of days, which a year or a date does not state', () => {
    const query = analyseQuery('企业注销要多少个工作日能办完?');
    expect(query.asksDuration).toBe(true);
    expect(provides('2022年以来,全市简易注销登记占同期注销企业总数超四成', 'period', query)).toBe(false);
    expect(provides('2023年2月1日至7月31日对符合条件的用户实施欠费不停供', 'period', query)).toBe(false);
    expect(provides('注销登记压缩至3个工作日内办结', 'period', query)).toBe(true);
    expect(provides('发布时间为招标公告发布之日前至少30日', 'period', query)).toBe(true);
    // "有效期多久" takes a date as well: it asks until when.
    expect(provides('本文件有效期至2025年12月31日', 'period', analyseQuery('有效期多久?'))).toBe(true);
  });

  it('takes a named rate as answered only by a sentence naming it', () => {
    const query = analyseQuery('汇率避险担保的担保费率是多少?');
    expect(provides('将外贸企业汇率避险担保比例从5%提高至8%', 'share', query)).toBe(false);
    expect(provides('收取的年化担保费率原则上不高于1%', 'share', query)).toBe(true);
  });

  it('takes how often something is done as answered by a frequency, not by a count of other things', () => {
    const query = analyseQuery('我们这种守法经营的企业一年会被检查几次?');
    expect(query.asked).toContain('count');
    expect(provides('全市入库检查对象420750户,入库执法人员4526人', 'count', query)).toBe(false);
    expect(provides('对信用良好的企业每年抽查不超过1次', 'count', query)).toBe(true);
    expect(provides('每季度开展一次联合抽查', 'count', query)).toBe(true);
  });

  it('takes a website asked as answered only by an online address, not by a phone line', () => {
    const query = analyseQuery('那个帮企云投诉平台在哪个app里?网址多少?');
    expect(query.asked).toContain('contact');
    expect(provides('设立“帮企云”投诉平台和“96666”举报电话等渠道收集汇总拖欠案件', 'contact', query)).toBe(false);
    expect(provides('应在“广东省招标投标监管网”按全省统一招标计划发布范本向社会发布', 'contact', query)).toBe(true);
    expect(provides('设立“96666”举报电话', 'contact', analyseQuery('举报电话是多少?'))).toBe(true);
  });

  it('does not take 定期 (regularly) for how often', () => {
    const query = analyseQuery('政府和企业的见面会多久开一次?');
    expect(query.asked).toContain('period');
    expect(provides('定期在全市范围通报处理情况', 'period', query)).toBe(false);
    expect(provides('建立政企双月见面会制度', 'period', query)).toBe(true);
  });

  it('does not take the figure the asker already told for what it asks', () => {
    const query = analyseQuery('听说新上规的企业分2年给30万,每年各给多少?');
    expect(provides('对新上规企业分2年给予30万元奖励', 'money', query)).toBe(false);
    expect(provides('第一年给予20万元,第二年给予10万元', 'money', query)).toBe(true);
    // 35个亿 is how people say 35亿.
    expect(analyseQuery('听说乐清今年降本减负35个亿,我们厂能减多少?').toldFigures.some((figure) => figure.test('降本减负35亿元以上'))).toBe(true);
    // Asked without telling a figure, the same sentence answers.
    expect(provides('对新上规企业分2年给予30万元奖励', 'money', analyseQuery('新上规企业奖励多少?'))).toBe(true);
  });

  it('reads office hours asked, answered only by a sentence stating them', () => {
    const query = analyseQuery('那个投诉热线是24小时的吗?周末有人接吗');
    expect(query.asked).toContain('hours');
    expect(provides('开通12345企业服务热线受理企业诉求', 'hours', query)).toBe(false);
    expect(provides('热线实行7×24小时人工服务', 'hours', query)).toBe(true);
    expect(analyseQuery('营业执照24小时内能办好吗?').asked).not.toContain('hours');
  });

  it('reads a consequence asked, answered by a sentence saying what follows', () => {
    const query = analyseQuery('要是没按时报备会怎么样?');
    expect(query.asked).toContain('consequence');
    expect(provides('建立招标计划提前发布制度', 'consequence', query)).toBe(false);
    expect(provides('未按规定报备的,责令限期改正', 'consequence', query)).toBe(true);
    // Whether a document is still in force is its validity, not a consequence.
    expect(analyseQuery('这个办法还有效吗?').asked).not.toContain('consequence');
  });

  it('takes "那里" typed for "哪里" as asking where, and "会不会…", "多大…" as asking parts', () => {
    expect(analyseQuery('政策汇编去那里能领到').asked).toContain('contact');
    expect(askingParts('商铺装修要不要办许可证 多大面积以下可以不办')).toHaveLength(2);
    expect(askingParts('执法的说属于轻微违法,会不会被罚款?会不会影响贷款')).toEqual(['会不会被罚款?', '会不会影响贷款']);
  });
});

describe('the place asked about', () => {
  it('is not the one named as the model compared with, and 好像 compares nothing', () => {
    expect(analyseQuery('湛江那边优化营商环境，有没有类似茂名这样的措施？').places).toEqual(['湛江']);
    expect(analyseQuery('我在乐清开厂，像清远那样的补贴有吗').places).toEqual(['乐清']);
    expect(analyseQuery('我在乐清开厂，好像清远那边也有这个补贴').places).toContain('清远');
  });
});

describe('words a text holds inside its cut', () => {
  it('gives the head of a longer word and the pair across a cut, never the start of a word', () => {
    const inside = termsWithEmbedded('对外地户籍的高层次人才子女申请入读公办中小学');
    expect(inside).toEqual(expect.arrayContaining(['>小学', '>外地']));
    expect(termsWithEmbedded('开辟环评审批绿色通道')).not.toContain('>绿色');
  });
});

describe("the asker's story", () => {
  it('takes the trade as situation wherever it is said, unless the lexicon knows it as a policy term', () => {
    expect(analyseQuery('我们陶瓷厂之前有个项目环评登记表忘了备案,会不会罚').situationWords).toContain('陶瓷厂');
    expect(analyseQuery('乐清这边做开关插座外贸的,退税一般多久能到').situationWords).toContain('开关插座');
    expect(analyseQuery('我们是做外贸的,退税多久能到?').situationWords).not.toContain('外贸');
  });

  it('takes the place the asking parts name as the one asked about, one named only in the story as context', () => {
    expect(analyseQuery('资金池到底多大?清远那个是2个亿,茂名呢').places).toEqual(['茂名']);
    expect(analyseQuery('普洱那边是分3年给45万,我们清远的厂今年升规了一家能拿多少').places).toEqual(['清远']);
    // Asked with no place: every place said counts.
    expect(analyseQuery('我们是清远的小厂,稳岗返还能返多少?').places).toEqual(['清远']);
    expect(analyseQuery('清远和茂名的稳岗返还比例有什么不同?').places.sort()).toEqual(['清远', '茂名'].sort());
  });

  it('does not take 几 that tells for a count asked', () => {
    expect(analyseQuery('我们几个老板想合伙办个养老院,准入放宽是哪个部门负责').asked).not.toContain('count');
    expect(analyseQuery('补助批下来了钱还没到,问了几次都说财政紧张,能投诉吗').asked).not.toContain('count');
    expect(analyseQuery('一年要来几次?').asked).toContain('count');
    expect(analyseQuery('厂里十几个工人等着发工资,能找谁').asked).not.toContain('count');
  });
});

describe('what is asked, in the ways enterprises ask it', () => {
  it.each([
    ['民营经济发展大会一般是几月份开?', 'date'],
    ['茂商大会今年哪天开?', 'date'],
    ['政策通平台的网址是啥?', 'contact'],
    ['我们镇上的自助机在哪个位置?', 'contact'],
    ['电脑上怎么登录?', 'procedure'],
    ['这个表怎么填?', 'procedure'],
    ['认证的流程怎么走?', 'procedure'],
    ['上市服务费能打几折?', 'share'],
    ['孵化基地在哪?', 'contact'],
    ['专员怎么联系?', 'contact'],
    ['贴息怎么算', 'any'],
    ['这个费用怎么交?', 'procedure'],
    ['有没有补助?多少钱', 'money'],
  ])('"%s" asks %s', (question, kind) => {
    expect(analyseQuery(question).asked).toContain(kind);
  });

  it('takes "设在哪个单位" for the department asked, not an address', () => {
    const query = analyseQuery('助企纾困指挥部设在哪个单位?');
    expect(query.asked).not.toContain('contact');
    expect(query.asksResponsibility).toBe(true);
    expect(analyseQuery('首贷续贷服务中心设在哪?').asked).toContain('contact');
  });

  it('reads where to do it from a named platform ("应在“…监管网”…发布")', () => {
    expect(provides('应在“广东省招标投标监管网”按统一范本向社会发布', 'contact')).toBe(true);
    expect(provides('推行公用服务“线上办”改革', 'contact')).toBe(false);
  });
});

describe('neighbouring kinds the question names', () => {
  it('reads the size of enterprise, the level of a title and a degree, and what the asker says they are not', () => {
    const asked = analyseQuery('我们是中型企业,不算小微,省级认定的博士工作站(不是博士后)有什么补助?').contrasts;
    expect([...asked.values()].map((atoms) => [...atoms].sort())).toEqual([['中'], ['省'], ['博士']]);
  });

  it('tells apart credit classes, title grades, disputed debts and transport from trade, and reads what the asking part names', () => {
    const classA = analyseQuery('清远信用好的A类企业,抽查比例是多少?').contrasts;
    expect(contradicts(classA, '针对风险评级为C、D级(较高风险、高风险)的企业,抽查比例不低于…')).toBe(true);
    // Told one grade, asked another: the asking part decides.
    const senior = analyseQuery('今年推荐一家民企申报中级职称自主评审,那高级职称的自主评审企业能申请吗').contrasts;
    expect(contradicts(senior, '推荐1家民营企业向温州市申报中级职称自主评审权限')).toBe(true);
    const disputed = analyseQuery('被拖欠的货款有争议的那种,多久能处理完?').contrasts;
    expect(contradicts(disputed, '经核实未清偿且不存在分歧的逾期欠款,原则上在受理后30日内办结')).toBe(true);
    expect(contradicts(analyseQuery('没争议的欠款多久能办结?').contrasts, '经核实未清偿且不存在分歧的逾期欠款,原则上在受理后30日内办结')).toBe(false);
    const transport = analyseQuery('我们是做物流运输的,年度升限入库了,能补多少?').contrasts;
    expect(contradicts(transport, '对年度升限的批零、住餐企业(个体),分别给予不超过20万元、10万元补助')).toBe(true);
  });

  it('tells a fee for water or power from social-insurance contributions', () => {
    const query = analyseQuery('社保晚交了两个月,补缴要交滞纳金吗');
    expect(contradicts(query.contrasts, '对用水实行欠费不停供,缓缴期间免收欠费滞纳金')).toBe(true);
    expect(contradicts(query.contrasts, '对逾期缴纳社会保险费的企业免收滞纳金')).toBe(false);
  });

  it('takes a sentence for another member of the set as not answering, one that covers the member as answering', () => {
    const medium = analyseQuery('中型企业返还多少?').contrasts;
    expect(contradicts(medium, '对小微企业按60%返还')).toBe(true);
    expect(contradicts(medium, '对中小企业按60%返还')).toBe(false);
    // The sentence's own words decide; the heading only when the sentence names no member.
    expect(contradicts(analyseQuery('博士生活补助多少?').contrasts, '对在站博士后每人每年发放15万元生活补助', '支持创建博士博士后创新平台')).toBe(true);
    expect(contradicts(medium, '给予50%补贴', '支持小微企业发展')).toBe(true);
    expect(contradicts(medium, '给予50%补贴')).toBe(false);
    // Utilities: a deferral stated for water does not answer one asked for power; one for 水电气 does.
    const power = analyseQuery('电费能缓缴几个月?').contrasts;
    expect(contradicts(power, '对用水实行“欠费不停供”政策,并设立6个月的费用缓缴期')).toBe(true);
    expect(contradicts(power, '水电气费用缓缴6个月')).toBe(false);
    // The capital market: a listing award does not answer one asked for a 新三板 quotation.
    expect(contradicts(analyseQuery('新三板挂牌(不是上市)奖励多少?').contrasts, '对在境内上市的企业最高给予1000万元的奖励')).toBe(true);
    // A title written with its level in front but without 级 names the level.
    const provincial = analyseQuery('新评上省级制造业单项冠军给补多少?').contrasts;
    expect(contradicts(provincial, '对新评定的国家制造业单项冠军企业(产品),给予100万元一次性补助')).toBe(true);
    expect(contradicts(provincial, '按照国家政策给予补助')).toBe(false);
    // The sector: the statistical 规上服务业 is neither 工业 nor 批零住餐; 服务业 as people say it holds 住餐.
    const services = analyseQuery('去年进了规上服务业,有没有补助?').contrasts;
    expect(contradicts(services, '对新建投产纳规的工业企业,给予一次性不超过50万元补助;对年度升限的批零、住餐企业(个体),分档奖励')).toBe(true);
    expect(contradicts(analyseQuery('我们是服务业,升限有奖励吗?').contrasts, '对月度升限的批零、住餐企业给予奖励')).toBe(false);
  });

  it('reads a name the dictionary cuts into single characters as one topic word, wherever it is said', () => {
    const card = analyseQuery('我们总工想办那个优粤卡,需要满足什么条件?');
    expect(card.terms).toContain('优粤卡');
    expect(card.terms).not.toContain('卡');
    expect(card.situationWords.has('优粤卡')).toBe(false);
    expect(card.names.get('优粤卡')).toEqual(['优', '粤', '卡']);
    // Two plain nouns are no name; the lexicon's own words (工信 of 工信局) stay as they are.
    expect(analyseQuery('货款的钱数没争议,多久能办结?').names.size).toBe(0);
    expect([...analyseQuery('清远工信局管什么?').names.keys()]).toEqual([]);
  });

  it("takes a place named as whose policy it is for a place asked about, and a phone number's 多少 for no quantity", () => {
    expect(namesItsPolicy('台州的民营经济若干措施跟乐清的比有啥不一样', '台州')).toBe(true);
    expect(namesItsPolicy('肇庆有没有出类似清远那种促进民营经济发展的意见', '肇庆')).toBe(true);
    expect(namesItsPolicy('工人大部分是湖南过来的,清远的政策能享受吗', '湖南')).toBe(false);
    expect(analyseQuery('台州的民营经济若干措施 跟乐清的比有啥不一样').places).toContain('台州');
    expect(analyseQuery('政策专员的联系电话是多少').asksQuantity).toEqual([]);
    expect(analyseQuery('上限是多少').asksQuantity).toEqual(['any']);
  });

  it('tells chitchat from a policy question sharing its words', () => {
    expect(analyseQuery('今天清远下雨没 想过去办点事').smallTalk).toBe(true);
    expect(analyseQuery('下雨天停工了,稳岗返还还能拿吗?').smallTalk).toBe(false);
  });

  it('reads Cantonese as the Mandarin the documents use', () => {
    const query = analyseQuery('我哋公司喺茂名,有冇證照到期提醒?幾多錢?');
    expect(query.text).toContain('我们公司在茂名,有没有证照到期提醒?多少钱?');
    expect(query.asksQuantity).toEqual(['money']);
    expect(query.terms).not.toContain('冇');
  });

  it('does not take 那么 or 这么 for a question word', () => {
    expect(askingParts('淡季又养不起那么多工人,政府有没有共享用工的办法')).toEqual(['政府有没有共享用工的办法']);
  });
});
