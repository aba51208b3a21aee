/**
 * "What can my company get?" in the chat: reads the enterprise's profile from its message, asks one short
 * follow-up when a missing fact (region, size, industry) decides between many measures, answers with the matching
 * measures grouped by topic, and handles 订阅 / 取消订阅. No channel SDK, no HTTP, no environment here.
 */
import { topicLabel, topics, type Topic } from '../../corpus/measures.ts';
import { toHalfWidth, toSimplified } from '../../corpus/index.ts';
import type { Answer, AnswerPart, Citation, Question } from '../core/index.ts';
import { makeAnswer } from '../core/index.ts';
import { departmentsText } from '../../corpus/index.ts';
import { readProfile, type EnterpriseProfile } from './enterprise-profile.ts';
import type { MatchResult, MeasureMatch, MissingFact, PolicyMatcher } from './policy-matching.ts';
import type { Store } from '../store/index.ts';
import vocabularyFile from '../../corpus/measure-vocabulary.json' with { type: 'json' };

export interface MatchChat {
  /** The answer when the message is for matching (a profile asking what applies, the follow-up's reply, 订阅, 取消订阅); null otherwise. */
  handle(question: Question): Promise<Answer | null>;
}

export interface MatchChatOptions {
  matcher: PolicyMatcher;
  store: Store;
  /** Cities the corpus covers, so "清城" and "乐清" are read as places. */
  knownCities: () => string[];
  clock?: () => Date;
  /** Measures shown in the main list at most; the answer says how many more there are. */
  maxListed?: number;
  maxChats?: number;
}

/** Consent stated whenever a profile is kept. */
export const subscriptionConsent = '我们将保存您在本会话中提供的企业情况,仅用于匹配今后新增的政策并在本会话中推送,不作其他用途;回复“取消订阅”即删除。';

const asksWhatApplies =
  /(能|可以|可|可能|还能)(享受|申请|申报|拿到|获得|领|用上|享有)(到)?(哪些|什么|啥|哪几|哪类)|有(哪些|什么|啥|哪几项|哪类)[^,。?]{0,6}(政策|优惠|补贴|扶持|支持|补助|奖励|减免)|适用(哪些|什么|的)(政策|措施)|符合(哪些|什么)(政策|条件)|哪些(政策|措施|优惠|补贴)(可以|能|适用|符合)|政策体检|惠企政策(匹配|计算)|(帮|给)(我|我们)(匹配|查查?|看看)(一下)?(政策|有什么)/;
const selfDescribed = /我们|我司|我公司|本公司|我家|我厂|我是|我在|咱们|一家|本企业|我单位/;
const subscribeCommand = /^(\/subscribe|订阅|订阅政策|订阅推送|订阅新政策|我要订阅|好的?订阅|确认订阅)[!！。.]*$/i;
const unsubscribeCommand = /^(\/unsubscribe|取消订阅|退订|取消推送|不要推送了?)[!！。.]*$/i;
const includeExpiredWords = /过期|失效|到期的|已废止|以前的政策|历史政策|包括过期/;

/**
 * True when the message asks which policies apply to the enterprise it describes
 * ("我们是清远一家28人的小微制造企业…能享受哪些政策?"), not a question about one measure.
 */
export function isMatchRequest(text: string, profile: EnterpriseProfile): boolean {
  const form = toHalfWidth(toSimplified(text)).replace(/\s+/g, '');
  if (!asksWhatApplies.test(form)) return false;
  const facts = [profile.region, profile.size, profile.employees, profile.revenueWan, profile.kinds.length > 0 ? 1 : null].filter(
    (fact) => fact !== null,
  ).length;
  // "我们这种企业能享受哪些政策?" tells nothing about the enterprise and asks nothing else: matching asks for the facts.
  const nothingElse = selfDescribed.test(form) && form.replace(asksWhatApplies, '').replace(onlyTheAsker, '').length === 0;
  return facts >= 2 || (facts >= 1 && selfDescribed.test(form)) || nothingElse;
}

/** Words that only point at the asker or the question itself ("我们这种企业…政策?"). */
const onlyTheAsker =
  /我们|我司|我公司|本公司|我家|我厂|咱们|本企业|我单位|我是|这种|这类|这样的|像我们|企业|公司|厂子?|单位|政策|优惠|措施|都|还|现在|目前|呢|吗|啊|[?,。!、~…]/g;

interface ChatState {
  profile: EnterpriseProfile;
  text: string;
  /** The follow-up asked and not yet answered. */
  awaiting: MissingFact[] | null;
}

export function createMatchChat(options: MatchChatOptions): MatchChat {
  const clock = options.clock ?? (() => new Date());
  const states = new Map<string, ChatState>();
  const maxChats = options.maxChats ?? 2000;
  const remember = (key: string, state: ChatState) => {
    states.delete(key);
    states.set(key, state);
    while (states.size > maxChats) states.delete(states.keys().next().value!);
  };

  async function answerWith(question: Question, state: ChatState, includeExpired: boolean): Promise<Answer> {
    const started = clock();
    const result = await options.matcher.match(state.profile, { includeExpired });
    const timing = { total: clock().getTime() - started.getTime() };
    if (result.missing.length > 0 && state.awaiting === null) {
      remember(chatKey(question), { ...state, awaiting: result.missing });
      return makeAnswer({
        question: question.text,
        decision: 'answered',
        mode: 'match',
        citations: [],
        timing_ms: timing,
        parts: [{ kind: 'notice', text: followUpQuestion(result.missing) }],
      });
    }
    remember(chatKey(question), { ...state, awaiting: null });
    return composeMatchAnswer(question.text, result, { maxListed: options.maxListed, timing });
  }

  return {
    async handle(question) {
      const text = toHalfWidth(toSimplified(question.text)).trim().replace(/\s+/g, '');
      const key = chatKey(question);
      const state = states.get(key);
      const notice = (body: string) =>
        makeAnswer({
          question: question.text,
          decision: 'answered',
          mode: 'match',
          citations: [],
          parts: [{ kind: 'notice', text: body }],
          timing_ms: { total: 0 },
        });

      if (unsubscribeCommand.test(text)) {
        const removed =
          (await options.store.cancelSubscription(question.channel, question.chatId, clock())) ||
          // A subscription kept before the WeCom modes were named apart says `wecom`: 取消订阅 from either mode ends it.
          (question.channel.startsWith('wecom-') && (await options.store.cancelSubscription('wecom', question.chatId, clock())));
        return notice(removed ? '已取消订阅,本会话保存的企业情况已删除,今后不再推送。' : '本会话没有订阅,无需取消。');
      }
      if (subscribeCommand.test(text)) {
        if (!state)
          return notice('请先告诉我贵企业的情况(所在地区、人数或营收、行业),例如“我们是清远一家28人的小微制造企业,能享受哪些政策?”,匹配后再回复“订阅”。');
        await options.store.saveSubscription({
          channel: question.channel,
          chatId: question.chatId,
          userId: question.userId,
          profile: state.profile,
          profileText: state.text,
          time: clock(),
        });
        return notice(`已订阅:今后新增的政策文件中有适用于贵企业(${profileSummary(state.profile)})的措施时,将在本会话推送一次汇总。${subscriptionConsent}`);
      }

      const cities = options.knownCities();
      if (state?.awaiting) {
        // The reply to the follow-up: what it adds is merged into the profile; a new question of its own is not a reply.
        const added = readProfile(text, cities);
        const addsSomething = added.region !== null || added.size !== null || added.employees !== null || added.revenueWan !== null || added.kinds.length > 0;
        if (addsSomething && (text.length <= 40 || !isMatchRequest(text, added))) {
          const merged = mergeProfiles(state.profile, added);
          return answerWith(question, { profile: merged, text: `${state.text};${text}`, awaiting: state.awaiting }, includeExpiredWords.test(text));
        }
        remember(key, { ...state, awaiting: null });
      }
      const profile = readProfile(text, cities);
      if (!isMatchRequest(text, profile)) {
        // "包括过期的也列出来" right after a match lists the same profile again with expired measures apart.
        if (state && includeExpiredWords.test(text) && text.length <= 30) return answerWith(question, { ...state, awaiting: [] }, true);
        return null;
      }
      return answerWith(question, { profile, text, awaiting: null }, includeExpiredWords.test(text));
    },
  };
}

const chatKey = (question: Question) => `${question.channel}:${question.chatId}`;

function mergeProfiles(base: EnterpriseProfile, added: EnterpriseProfile): EnterpriseProfile {
  return {
    ...base,
    region: added.region ?? base.region,
    size: added.sizeStated || !base.size ? (added.size ?? base.size) : base.size,
    sizeStated: base.sizeStated || added.sizeStated,
    employees: added.employees ?? base.employees,
    revenueWan: added.revenueWan ?? base.revenueWan,
    aboveScale: added.aboveScale ?? base.aboveScale,
    kinds: [...new Set([...base.kinds, ...added.kinds])],
    needs: [...new Set([...base.needs, ...added.needs])],
  };
}

const missingWords: Record<MissingFact, string> = { region: '所在地区(市、县区或园区)', size: '企业规模(人数或年营业收入)', industry: '所属行业' };

/** One short question naming only the facts that decide between many measures. */
export function followUpQuestion(missing: MissingFact[]): string {
  return `为了找准适用的政策,请补充:${missing.map((fact) => missingWords[fact]).join('、')}。例如“清远清城区,30人,制造业”。`;
}

/** "清远市清城区|小微企业|制造业/工业企业|28人|年营收约3000万元". */
export function profileSummary(profile: EnterpriseProfile): string {
  const sizeWords = { micro: '微型企业', small: '小微企业', medium: '中型企业', large: '大型企业' } as const;
  const parts = [
    profile.region ? [profile.region.city, profile.region.district].filter(Boolean).join('') + (profile.region.park ? `(${profile.region.park})` : '') : null,
    profile.size ? `${sizeWords[profile.size]}${profile.sizeStated ? '' : '(按人数、营收推定)'}` : null,
    ...profile.kinds.filter((kind) => kind !== 'micro_small' && kind !== 'sme').map((kind) => vocabularyFile.kinds[kind].label),
    profile.employees !== null ? `${profile.employees}人` : null,
    profile.revenueWan !== null ? `年营收约${profile.revenueWan}万元` : null,
    profile.needs.length ? `关注:${profile.needs.map((need) => vocabularyFile.activities[need].label).join('、')}` : null,
  ];
  return parts.filter(Boolean).join('|') || '未说明';
}

/**
 * The answer to a match: measures grouped by topic (资金、税费、融资、用工…), each with what it gives, the
 * conditions it matched on, validity and the lead department, citing the clause; then the ones whose conditions
 * could not be read ("可能适用,请向责任部门确认"), and expired ones apart when asked.
 */
export function composeMatchAnswer(questionText: string, result: MatchResult, options: { maxListed?: number; timing?: Record<string, number> } = {}): Answer {
  const maxListed = options.maxListed ?? 12;
  const citations: Citation[] = [];
  const parts: AnswerPart[] = [];
  const shown = result.matches.slice(0, maxListed);
  const mayApply = result.mayApply.slice(0, Math.max(3, maxListed - shown.length));
  const summary = profileSummary(result.profile);
  if (shown.length === 0 && mayApply.length === 0) {
    parts.push({
      kind: 'notice',
      text: `根据您提供的情况(${summary}),现有政策文件中没有找到明确适用的措施${result.expiredCount ? `(另有${result.expiredCount}项相符的措施已过有效期)` : ''}。`,
    });
    parts.push({
      kind: 'steps',
      title: '建议:',
      items: [
        '补充所在地区、人数或营收、行业及想办的事(如招用毕业生、技术改造、融资),再问一次;',
        '咨询当地工信、人社等部门或拨打12345政务服务便民热线;',
        '回复“转人工”,由政策服务专员跟进。',
      ],
    });
    return makeAnswer({ question: questionText, decision: 'uncertain', mode: 'match', parts, citations, timing_ms: options.timing ?? { total: 0 } });
  }
  parts.push({
    kind: 'notice',
    text: `根据您提供的情况(${summary}),以下${shown.length}项措施与贵企业相符${result.matches.length > shown.length ? `(另有${result.matches.length - shown.length}项,可补充需求后再问)` : ''}:`,
  });
  const byTopic = new Map<Topic, MeasureMatch[]>();
  for (const match of shown) byTopic.set(match.topic, [...(byTopic.get(match.topic) ?? []), match]);
  for (const topic of topics) {
    const group = byTopic.get(topic);
    if (!group) continue;
    parts.push({ kind: 'heading', text: topicLabel(topic) });
    for (const match of group) parts.push(...measureParts(match, citations));
  }
  if (mayApply.length > 0) {
    parts.push({ kind: 'heading', text: '可能适用,请向责任部门确认' });
    for (const match of mayApply) parts.push(...measureParts(match, citations, true));
  }
  if (result.expired.length > 0) {
    parts.push({ kind: 'heading', text: '已过有效期(仅供参考,请向责任部门确认是否有新政策)' });
    for (const match of result.expired.slice(0, 6)) parts.push(...measureParts(match, citations));
  } else if (result.expiredCount > 0) {
    parts.push({ kind: 'text', text: `另有${result.expiredCount}项相符的措施所在文件或实施阶段已过有效期,未列出;回复“包括过期的”可一并查看。` });
  }
  parts.push({ kind: 'text', text: '回复“订阅”,今后有新政策适用于贵企业时将在本会话推送;具体申报条件以责任部门解释为准。' });
  return makeAnswer({ question: questionText, decision: 'answered', mode: 'match', parts, citations, timing_ms: options.timing ?? { total: 0 } });
}

function measureParts(match: MeasureMatch, citations: Citation[], unread = false): AnswerPart[] {
  citations.push(match.citation);
  const source = citations.length;
  const parts: AnswerPart[] = [
    { kind: 'quote', source, intro: `[${source}] ${match.name}(${match.citation.clause_label})`, text: `给予:${match.gives.join(';') || '见原文'}` },
  ];
  const conditions = [match.matchedOn.length ? `符合:${match.matchedOn.join('、')}` : '', match.toCheck.length ? `需确认:${match.toCheck.join('、')}` : '']
    .filter(Boolean)
    .join(';');
  if (conditions) parts.push({ kind: 'fact', source, label: '条件', text: conditions });
  if (unread)
    parts.push({
      kind: 'fact',
      source,
      label: '未能读出的条件',
      text: [...new Set(match.unread.map((item) => `“${item.text}”:${item.reason}`))].slice(0, 2).join(';'),
    });
  parts.push({ kind: 'fact', source, label: '有效期', text: match.validity.note });
  parts.push({ kind: 'departments', source, text: departmentsText(match.citation) });
  return parts;
}

/** The one message pushed to a subscribed chat when a new document has measures for it. */
export function composePushText(documentTitle: string, matches: MeasureMatch[], profile: EnterpriseProfile): string {
  const lines = [
    `【新政策提醒】新收录的《${documentTitle}》中有${matches.length}项措施可能适用于贵企业(${profileSummary(profile)}):`,
    ...matches
      .slice(0, 10)
      .map(
        (match, index) =>
          `${index + 1}. ${match.name}(${match.citation.clause_label}):${match.gives.join(';') || '见原文'};${departmentsText(match.citation)}${match.unread.length ? ';部分条件未写明,请向责任部门确认' : ''}`,
      ),
    ...(matches.length > 10 ? [`另有${matches.length - 10}项,可发送企业情况查询全部。`] : []),
    '回复“取消订阅”即不再推送并删除保存的企业情况。',
  ];
  return lines.join('\n');
}
