import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../corpus/corpus-library.ts';
import { profileFromInput, readProfile } from '../../../bot/matching/enterprise-profile.ts';
import { corpusCities, createPolicyMatcher } from '../../../bot/matching/policy-matching.ts';
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
    expect(readProfile('乐清一家二百来人的电气厂，营收1.2亿', cities)).toMatchObject({ region: { district: '乐清市', city: '温州市' }, employees: 200, revenueWan: 12_000, size: 'small' });
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
    expect(ask('我们厂在清远,二十来个人,失业保险交了好几年,听说能返一部分,小微企业返多少?')).toBe(false);
  });
});

describe('matching', () => {
  it('lists in-force measures of the enterprise\'s city for its kind, leaves out expired and other cities\' ones', async () => {
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
