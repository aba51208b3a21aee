import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../corpus/corpus-library.ts';
import { profileFromInput, readProfile } from '../../../bot/matching/enterprise-profile.ts';
import { createPolicyMatcher } from '../../../bot/matching/policy-matching.ts';
import { corpusCities } from '../../../corpus/measures.ts';
import { createMatchChat, isMatchRequest } from '../../../bot/matching/policy-match-chat.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';

const corpus = loadCorpus('corpus/documents');
const cities = corpusCities(corpus);
const matcher = createPolicyMatcher({ corpus, today: () => '2026-12-01' });

describe('enterprise profiles', () => {
  it('reads place, headcount, revenue, size and industry from the message', () => {
    const profile = readProfile('我们是清远一家28人的小微制造企业，去年营收3000万，能享受哪些政策？', cities);
    expect(profile.region).toMatchObject({ province: '广东省', city: '清远市' });
    expect(profile).toMatchObject({ employees: 28, revenueWan: 3000, size: 'small', sizeStated: true });
    expect(profile.kinds).toEqual(expect.arrayContaining(['micro_small', 'manufacturing']));
    expect(readProfile('乐清一家二百来人的电气厂，营收1.2亿', cities)).toMatchObject({
      region: { district: '乐清市', city: '温州市' },
      employees: 200,
      revenueWan: 12_000,
      size: 'small',
    });
    expect(readProfile('我们在清远高新区', cities).region).toMatchObject({ city: '清远市', park: '清远高新区' });
    expect(readProfile('想冲一冲规上的五金厂', cities)).toMatchObject({ aboveScale: false, needs: expect.arrayContaining(['upscale']) });
  });

  it('takes JSON fields and refuses unknown ones with a clear message', () => {
    expect(profileFromInput({ text: '清远', employees: 500, kinds: ['高新技术企业'] }, cities)).toMatchObject({ employees: 500, kinds: ['high_tech'] });
    expect(() => profileFromInput({ staff: 3 } as never, cities)).toThrow(/未知的字段:staff/);
    expect(() => profileFromInput({ kinds: ['外星企业'] }, cities)).toThrow(/不认识/);
  });

  it('tells a profile asking what applies from a question about one measure', () => {
    const ask = (text: string) => isMatchRequest(text, readProfile(text, cities));
    expect(ask('我们是清远一家28人的小微制造企业，去年营收3000万，能享受哪些政策？')).toBe(true);
    expect(ask('乐清的个体工商户有哪些税费优惠政策?')).toBe(true);
    expect(ask('小微企业稳岗返还比例是多少?')).toBe(false);
    // Nothing told and nothing else asked: matching asks for the facts rather than the assistant citing one measure.
    expect(ask('我们这种企业能享受哪些政策？')).toBe(true);
    expect(ask('我们公司现在都能申请哪些优惠?')).toBe(true);
    expect(ask('我们公司能申请哪些研发费用加计扣除?')).toBe(false);
    expect(ask('我们厂在清远,二十来个人,失业保险交了好几年,听说能返一部分,小微企业返多少?')).toBe(false);
  });
});

describe('what an enterprise asks about', () => {
  it('reads no tax question from the tax it pays, no need from what it does not mean to do, and hiring from hiring graduates', () => {
    expect(readProfile('清远清城区一家28人的小微制造企业,去年营收3000万左右,交税一百来万,能享受哪些政策?', cities)).toMatchObject({
      taxPaidWan: 100,
      needs: [],
    });
    expect(readProfile('乐清的小厂,是小规模纳税人,有什么政策?', cities).needs).not.toContain('tax');
    expect(readProfile('乐清的个体户,暂时不打算转公司,有什么扶持?', cities).needs).not.toContain('approvals');
    expect(readProfile('乐清的个体户,想把个体户转成公司', cities).needs).toContain('approvals');
    expect(readProfile('清远连州的小微企业,今年想招两个应届毕业生', cities).needs).toEqual(expect.arrayContaining(['hire_graduates', 'hiring']));
    expect(readProfile('乐清的电子厂,120人,营收1.8亿,利润1500万', cities)).toMatchObject({ profitWan: 1500 });
  });
});

describe('matching', () => {
  it("lists in-force measures of the enterprise's city for its kind, leaves out expired and other cities' ones", async () => {
    const result = await matcher.match(readProfile('我们是清远一家28人的小微制造企业，去年营收3000万', cities));
    const ids = [...result.matches, ...result.mayApply].map((match) => match.clauseId);
    expect(ids).toContain('004:一(四)');
    expect(ids.every((id) => id.startsWith('004:'))).toBe(true);
    expect(result.expiredCount).toBeGreaterThan(5);
    const green = result.matches.find((match) => match.clauseId === '004:一(四)')!;
    expect(green.matchedOn).toEqual(expect.arrayContaining(['地区:清远市', '制造业/工业企业(文件原文“工业企业”)']));
    // "兑现2022年促进小微工业企业上规模发展专项资金" was 2022's payout: listed only with the expired ones.
    expect(ids).not.toContain('004:一(二)');
    const withExpired = await matcher.match(readProfile('我们是清远一家28人的小微制造企业', cities), { includeExpired: true });
    expect(withExpired.expired.map((match) => match.clauseId)).toEqual(expect.arrayContaining(['000:一(四)', '004:一(二)']));
    expect(withExpired.expired.find((match) => match.clauseId === '004:一(二)')!.validity).toMatchObject({ status: 'expired', note: '文件所写期限已过' });
  });

  it('lists a relief for the kind the enterprise is when the sentence lists reliefs for several kinds', async () => {
    const result = await matcher.match(readProfile('乐清柳市做低压电器配件的小厂,15个人,是小规模纳税人,税上面有什么优惠?', cities));
    const relief = result.matches.find((match) => match.clauseId === '003:附件:序号1:全市目标1')!;
    expect(relief.gives.join(';')).toContain('增值税小规模纳税人减免增值税');
    expect(relief.matchedOn).toEqual(expect.arrayContaining(['增值税小规模纳税人(文件原文“小规模纳税人”)', '小微企业']));
    expect(relief.validity.status).toBe('in_force');
  });

  it('reads 小微企业 in a tax relief as 小型微利企业: decided on headcount and profit, not the size class', async () => {
    const gives = async (text: string) =>
      (await matcher.match(readProfile(text, cities))).matches
        .filter((match) => match.clauseId === '003:附件:序号1:全市目标1')
        .flatMap((match) => match.gives)
        .join(';');
    expect(await gives('乐清一家做工业传感器的专精特新中小企业,120人,营收1.8亿,利润1500万,想贷款')).not.toContain('小微企业减按25%');
    expect(await gives('乐清一家8个人的小外贸公司,利润五十来万,想贷款')).toContain('小微企业减按25%计入应纳税所得额');
  });

  it('lists what the documents give besides money: loans kept and renewed, land price not charged, a complaint settled in 30 days', async () => {
    const ids = async (text: string) => {
      const result = await matcher.match(readProfile(text, cities));
      return [...result.matches, ...result.mayApply].map((match) => match.clauseId);
    };
    // 二(三) also says "为符合条件的民营企业贷款增信分险", so it comes under "可能适用".
    expect(await ids('澜沧的咖啡豆初加工企业,民营,30人,银行一笔300万的贷款下个月到期,普洱有没有续贷的政策?')).toContain('001:二(三)');
    expect(await ids('乐清柳市的规上机械厂,自有工业用地20亩,想在原地加盖厂房,土地款有什么政策?')).toContain('003:附件:序号3:落实举措7');
    const debt = (await matcher.match(readProfile('乐清的一家小型电缆企业,货款200多万被拖欠一年多,能找谁帮忙?', cities))).matches;
    expect(debt.map((match) => match.clauseId)).toContain('003:附件:序号29:全市目标3');
  });

  it('leaves out an offer whose cited plan has ended, and an epidemic relief', async () => {
    const tech = await matcher.match(readProfile('乐清一家做物联网模块的科技型中小企业,10个人,想入驻孵化器', cities), { includeExpired: true });
    expect([...tech.matches, ...tech.mayApply].map((match) => match.clauseId)).not.toContain('003:附件:序号8:落实举措6'); // 租金补贴, 计划(2022-2024年)
    expect(tech.expired.map((match) => match.clauseId)).toContain('003:附件:序号8:落实举措6');
    const shop = await matcher.match(readProfile('清远清城区开奶茶铺的个体户,水电费能不能缓缴?', cities));
    expect([...shop.matches, ...shop.mayApply].map((match) => match.clauseId)).not.toContain('004:一(五)');
  });

  it('leaves out measures whose size or threshold the enterprise fails', async () => {
    const large = await matcher.match(readProfile('清远一家3000人的大型制造企业，营收50亿', cities), { includeExpired: true });
    expect(large.expired.map((match) => match.clauseId)).not.toContain('000:一(四)'); // 小微企业工会经费 (expired anyway)
    expect([...large.matches, ...large.mayApply].map((match) => match.clauseId)).not.toContain('004:一(二)'); // 小微工业企业上规模
    const individual = await matcher.match(readProfile('乐清的个体工商户，年应纳税所得额不大，有哪些税费优惠', cities));
    expect(individual.matches.map((match) => match.clauseId)).toContain('003:附件:序号1:全市目标2');
  });

  it('says which missing fact decides between many measures', async () => {
    const result = await matcher.match(readProfile('我们是一家小微企业，能享受哪些政策', cities));
    expect(result.missing).toContain('region');
  });
});

describe('a match asked with nothing told', () => {
  it('asks for the region, size and industry, and matches on the reply', async () => {
    const store = openSqliteStore(':memory:');
    const chat = createMatchChat({ matcher, store, knownCities: () => cities });
    const asked = await chat.handle({ text: '我们这种企业能享受哪些政策？', channel: 'cli', chatId: 'wangwu', userId: 'wangwu' });
    expect(asked?.answer).toContain('为了找准适用的政策,请补充');
    expect(asked?.citations).toEqual([]);
    const matched = await chat.handle({ text: '清远清城区,30人,制造业', channel: 'cli', chatId: 'wangwu', userId: 'wangwu' });
    expect(matched?.mode).toBe('match');
    expect(matched?.citations.length).toBeGreaterThan(0);
    expect(matched?.citations.every((citation) => citation.doc_id === '000' || citation.doc_id === '004')).toBe(true);
    await store.close();
  });
});

describe('subscriptions kept before the WeCom modes were named apart', () => {
  it('end on 取消订阅 from the WeCom mode the chat uses now', async () => {
    const store = openSqliteStore(':memory:');
    const chat = createMatchChat({ matcher, store, knownCities: () => cities });
    const profile = readProfile('我们是清远一家28人的小微制造企业', cities);
    await store.saveSubscription({ channel: 'wecom', chatId: 'lisi', userId: 'lisi', profile, profileText: '清远一家28人的小微制造企业', time: new Date() });
    const cancelled = await chat.handle({ text: '取消订阅', channel: 'wecom-callback', chatId: 'lisi', userId: 'lisi' });
    expect(cancelled?.answer).toContain('已取消订阅');
    expect((await store.listSubscriptions()).filter((subscription) => subscription.chatId === 'lisi')).toEqual([]);
    await store.close();
  });
});
