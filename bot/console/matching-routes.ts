import type { Hono } from 'hono';
import { activityIds, activityLabel, clauseTextHash, kindIds, kindLabel, topicLabel, topics } from '../../corpus/measures.ts';
import { departmentsText, PolicyBotError } from '../../corpus/index.ts';
import type { Corpus } from '../../corpus/index.ts';
import type { Answer, ChannelName } from '../core/index.ts';
import { findChannel, type Channel } from '../desk/index.ts';
import { profileFromInput, type EnterpriseProfile, type ProfileInput } from '../matching/index.ts';
import { composeMatchAnswer, followUpQuestion, profileSummary } from '../matching/index.ts';
import { corpusCities, industryKinds, type MatchResult, type PolicyMatcher } from '../matching/index.ts';
import type { PushRecord, Store, SubscriptionRecord } from '../store/index.ts';
import { conditionsView, correctionFrom } from './conditions-json.ts';
import { parseLogQuery } from './log-query.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import type { ConsoleEnv } from './session-auth.ts';

export interface MatchingRouteDependencies {
  store: Store;
  matcher: PolicyMatcher;
  corpus: () => Corpus;
  /** The running chat channels, to send a match result to the enterprise's chat. */
  channels: () => Channel[];
  clock: () => Date;
}

/**
 * The console's policy matching: conditions of a clause and officers' corrections, the matching form (while on
 * the phone with an enterprise), its export and sending it to the enterprise's chat, and subscriptions with pushes.
 */
export function mountMatchingRoutes(api: Hono<ConsoleEnv>, { store, matcher, corpus, channels, clock }: MatchingRouteDependencies): void {
  const conditionsOr404 = async (clauseId: string) => {
    const measure = await matcher.conditionsOf(clauseId);
    if (!measure) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该条款');
    return measure;
  };

  api.get('/conditions/:clauseId', async (context) => context.json(conditionsView(await conditionsOr404(context.req.param('clauseId')))));

  api.put('/conditions/:clauseId', async (context) => {
    const clauseId = context.req.param('clauseId');
    const before = conditionsView(await conditionsOr404(clauseId));
    const clause = corpus().clause(clauseId)!;
    const correction = correctionFrom(await body(context.req.json()), clauseId, context.get('officer'), clock(), clauseTextHash(clause));
    await store.saveConditionCorrection(correction);
    const after = conditionsView(await conditionsOr404(clauseId));
    // Any officer may correct conditions (they change what matching lists, not the published text), so admins see who did.
    await store.recordAudit({ time: correction.time, officer: correction.officer, action: 'conditions.correct', target: clauseId, details: { before, after } });
    return context.json(after);
  });

  api.delete('/conditions/:clauseId', async (context) => {
    const clauseId = context.req.param('clauseId');
    const before = conditionsView(await conditionsOr404(clauseId));
    const removed = await store.deleteConditionCorrection(clauseId);
    const after = conditionsView(await conditionsOr404(clauseId));
    if (removed)
      await store.recordAudit({ time: clock(), officer: context.get('officer'), action: 'conditions.restore', target: clauseId, details: { before, after } });
    return context.json(after);
  });

  const run = async (input: Record<string, unknown>) => {
    const profile = profileOf(input.profile, corpusCities(corpus()));
    const result = await matcher.match(profile, { includeExpired: input.include_expired === true });
    return { profile, result, answer: composeMatchAnswer(typeof input.profile === 'string' ? input.profile : profileSummary(profile), result) };
  };

  // The form's choices (industry: one of; the other kinds: boxes to tick; both reach the profile as kinds), from the vocabulary the matcher reads (so the page never lists a kind the matcher does not know).
  api.get('/match/choices', (context) => context.json(matchChoicesJson()));

  api.post('/match', async (context) => {
    return context.json(matchJson(await run(await body(context.req.json()))));
  });

  api.post('/match/export.csv', async (context) => {
    const { profile, result } = await run(await body(context.req.json()));
    const rows = [
      ['分组', '措施', '给予', '符合条件', '需确认', '有效期', '牵头单位', '出处'],
      ...[
        ...result.matches.map((match) => ['相符', match]),
        ...result.mayApply.map((match) => ['可能适用,请向责任部门确认', match]),
        ...result.expired.map((match) => ['已过有效期', match]),
      ].map(([group, match]) => {
        const entry = match as MatchResult['matches'][number];
        return [
          group as string,
          entry.name,
          entry.gives.join(';'),
          entry.matchedOn.join('、'),
          entry.toCheck.join('、'),
          entry.validity.note,
          departmentsText(entry.citation, 'cell'),
          `《${entry.citation.doc_title}》${entry.citation.clause_label}`,
        ];
      }),
    ];
    const csv = `\ufeff企业情况,${quote(profileSummary(profile))}\n${rows.map((row) => row.map(quote).join(',')).join('\n')}\n`;
    return context.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="policy-match.csv"` });
  });

  api.post('/match/send', async (context) => {
    const input = await body(context.req.json());
    const channelName = input.channel;
    const chatId = typeof input.chat_id === 'string' ? input.chat_id.trim() : '';
    // `wecom` (either WeCom mode, as before the modes were named apart) is still taken: findChannel picks the mode.
    if (!['wecom-bot', 'wecom-callback', 'wecom', 'telegram'].includes(channelName as string)) {
      throw new ConsoleRequestError(400, 'BAD_CHANNEL', '渠道须为 wecom-bot、wecom-callback、wecom 或 telegram');
    }
    if (!chatId) throw new ConsoleRequestError(400, 'BAD_CHAT', '请填写企业所在会话的编号');
    const channel = findChannel(channels(), channelName as ChannelName);
    if (!channel) throw new ConsoleRequestError(409, 'CHANNEL_UNAVAILABLE', `${channelName} 渠道未运行,无法发送`);
    const { answer } = await run(input);
    const officer = context.get('officer');
    const text = `【政策服务专员为您匹配的政策】\n${answer.answer}`;
    try {
      await channel.deliver(chatId, text);
    } catch (cause) {
      throw new ConsoleRequestError(502, 'DELIVERY_FAILED', '发送失败,请稍后再试', { cause });
    }
    const now = clock();
    const exchange = await store.recordExchange({
      time: now,
      channel: channel.name,
      chatId,
      userId: officer,
      messageId: null,
      question: answer.question,
      normalizedQuestion: '',
      answer: text,
      citations: answer.citations,
      decision: 'answered',
      mode: 'match',
      latencyMs: 0,
      answeredBy: officer,
      reviewedAnswerId: null,
    });
    return context.json({ sent: true, exchange_id: exchange.id } satisfies MatchSentJson);
  });

  api.get('/subscriptions', async (context) => {
    // Paged like the log: subscriptions by `page`, the pushes (newest first) by `push_page`, each page_size long.
    const { page, pageSize } = parseLogQuery({ page: context.req.query('page'), page_size: context.req.query('page_size') });
    const { page: pushPage } = parseLogQuery({ page: context.req.query('push_page') });
    const subscriptions = await store.listSubscriptions({ limit: pageSize + 1, offset: (page - 1) * pageSize });
    const pushes = await store.listPushes(undefined, { limit: pageSize + 1, offset: (pushPage - 1) * pageSize });
    const current = corpus();
    // The measures a push listed, named as cited, for links to the corpus browser (a clause since removed keeps its id).
    const measure = (clauseId: string) => {
      const clause = current.clause(clauseId);
      const document = clause && current.document(clause.docId);
      return {
        clause_id: clauseId,
        doc_id: clause?.docId ?? clauseId.split(':')[0]!,
        name: clause && document ? `《${document.title}》${clause.citeLabel}${clause.title ? ` ${clause.title}` : ''}` : clauseId,
      };
    };
    return context.json(subscriptionsJson({ page, pageSize, pushPage, subscriptions, pushes, measure }));
  });
}

/** `GET /api/subscriptions`: one page of subscriptions and one of pushes (one more was read to say whether more exist). */
function subscriptionsJson({
  page,
  pageSize,
  pushPage,
  subscriptions,
  pushes,
  measure,
}: {
  page: number;
  pageSize: number;
  pushPage: number;
  subscriptions: SubscriptionRecord[];
  pushes: PushRecord[];
  measure: (clauseId: string) => { clause_id: string; doc_id: string; name: string };
}) {
  return {
    page,
    page_size: pageSize,
    has_more: subscriptions.length > pageSize,
    push_page: pushPage,
    pushes_has_more: pushes.length > pageSize,
    items: subscriptions.slice(0, pageSize).map((subscription) => ({
      id: subscription.id,
      channel: subscription.channel,
      chat_id: subscription.chatId,
      user_id: subscription.userId,
      profile_text: subscription.profileText,
      summary: profileSummary(subscription.profile as EnterpriseProfile),
      time: subscription.time.toISOString(),
    })),
    pushes: pushes.slice(0, pageSize).map((push) => ({
      id: push.id,
      subscription_id: push.subscriptionId,
      channel: push.channel,
      chat_id: push.chatId,
      doc_id: push.docId,
      clause_ids: push.clauseIds,
      measures: push.clauseIds.map(measure),
      text: push.text,
      time: push.time.toISOString(),
      status: push.status,
      error: push.error,
      delivered_at: push.deliveredAt?.toISOString() ?? null,
    })),
  };
}
/** What the page reads (bot/console/public/view-subscriptions.js). */
export type SubscriptionsJson = ReturnType<typeof subscriptionsJson>;

function profileOf(value: unknown, cities: string[]): EnterpriseProfile {
  try {
    if (typeof value === 'string' && value.trim()) return profileFromInput({ text: value.trim().slice(0, 1000) }, cities);
    if (value && typeof value === 'object' && !Array.isArray(value)) return profileFromInput(value as ProfileInput, cities);
  } catch (error) {
    if (error instanceof PolicyBotError) throw new ConsoleRequestError(400, 'BAD_PROFILE', error.message);
    throw error;
  }
  throw new ConsoleRequestError(400, 'BAD_PROFILE', '请填写企业情况(文字),或以字段给出');
}

/** `GET /api/match/choices`: the form's choices. */
function matchChoicesJson() {
  return {
    kinds: kindIds.filter((kind) => !industryKinds.has(kind)).map((id) => ({ id, label: kindLabel(id) })),
    industries: [...industryKinds].map((id) => ({ id, label: kindLabel(id) })),
    needs: activityIds.map((id) => ({ id, label: activityLabel(id) })),
    // The order the chat groups a match in.
    topics: topics.map((id) => ({ id, label: topicLabel(id) })),
  };
}
export type MatchChoicesJson = ReturnType<typeof matchChoicesJson>;

/** `POST /api/match`: the profile read, what to ask next, the chat's answer and the measures found. */
function matchJson({ profile, result, answer }: { profile: EnterpriseProfile; result: MatchResult; answer: Answer }) {
  return {
    profile,
    summary: profileSummary(profile),
    missing: result.missing,
    // The one short question the chat would ask before answering; the officer asks it on the phone.
    follow_up: result.missing.length ? followUpQuestion(result.missing) : null,
    answer,
    result: resultJson(result),
  };
}
export type MatchJson = ReturnType<typeof matchJson>;
/** `POST /api/match/send`: the exchange the sent result was logged as. */
export interface MatchSentJson {
  sent: true;
  exchange_id: number;
}

function resultJson(result: MatchResult) {
  const entry = (match: MatchResult['matches'][number]) => ({
    clause_id: match.clauseId,
    doc_id: match.docId,
    topic: match.topic,
    topic_label: topicLabel(match.topic),
    name: match.name,
    gives: match.gives,
    matched_on: match.matchedOn,
    to_check: match.toCheck,
    unread: match.unread,
    validity: match.validity,
    relevance: match.relevance,
    citation: match.citation,
  });
  return { matches: result.matches.map(entry), may_apply: result.mayApply.map(entry), expired: result.expired.map(entry), expired_count: result.expiredCount };
}

async function body(json: Promise<unknown>): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = await json;
  } catch (cause) {
    throw new ConsoleRequestError(400, 'BAD_JSON', '请求内容不是有效的 JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConsoleRequestError(400, 'BAD_JSON', '请求内容须为 JSON 对象');
  return value as Record<string, unknown>;
}

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
