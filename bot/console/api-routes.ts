import { Hono, type Context } from 'hono';
import type { Question } from '../answer.ts';
import type { Config } from '../config.ts';
import type { Desk } from '../desk.ts';
import { verdicts, type ExchangeRecord, type HandoffStatus, type Store, type Verdict } from '../store.ts';
import { exchangeJson, feedbackJson, handoffJson, reviewJson, reviewedAnswerJson } from './api-json.ts';
import { clauseContext, departmentsOf } from './clause-context.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import type { CorpusView, DocumentDetail } from './corpus-view.ts';
import { chinaUtcOffsetMinutes, dayStart, daysBetween, localDay, nextDay } from './local-day.ts';
import { logCsv, logWorkbook } from './log-export.ts';
import { channelNames, parseLogQuery } from './log-query.ts';
import { endSession, type ConsoleEnv } from './session-auth.ts';
import { mountMatchingRoutes, type MatchingRouteDependencies } from './matching-routes.ts';

export interface ApiDependencies {
  store: Store;
  desk: Desk;
  corpus: CorpusView;
  config: Pick<Config, 'maxQuestionChars'>;
  clock: () => Date;
  /** Policy matching, when the server runs it: conditions, corrections, the matching form, subscriptions. */
  matching?: Omit<MatchingRouteDependencies, 'store' | 'clock'>;
}

/** The JSON API behind the console page; mounted at /api/ behind the session guard. */
export function createApiRoutes({ store, desk, corpus, config, clock, matching }: ApiDependencies): Hono<ConsoleEnv> {
  const api = new Hono<ConsoleEnv>();

  api.get('/me', (context) => context.json({ officer: context.get('officer'), expires: context.get('session').expires.toISOString() }));

  api.delete('/session', async (context) => {
    await endSession(context, store);
    return context.json({ signed_out: true });
  });

  api.get('/facets', async (context) => {
    const documents = await corpus.documents();
    const details = await Promise.all(documents.map((document) => corpus.document(document.doc_id)));
    const departments = new Set(details.flatMap((detail) => detail ? departmentsOf(detail) : []));
    return context.json({
      channels: channelNames,
      verdicts,
      documents: documents.map((document) => ({ doc_id: document.doc_id, doc_title: document.doc_title })),
      departments: [...departments].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    });
  });

  api.get('/exchanges', async (context) => {
    const { filter, page, pageSize } = parseLogQuery(context.req.query());
    const result = await store.listExchanges(filter, { limit: pageSize, offset: (page - 1) * pageSize });
    return context.json({ total: result.total, page, page_size: pageSize, items: result.items.map(exchangeJson) });
  });

  api.get('/exchanges/:id', async (context) => {
    const exchange = await exchangeOr404(store, context.req.param('id'));
    const documents = new Map<string, DocumentDetail | undefined>();
    for (const citation of exchange.citations) {
      if (!documents.has(citation.doc_id)) documents.set(citation.doc_id, await corpus.document(citation.doc_id));
    }
    const chat = await chatBefore(store, exchange);
    return context.json({
      exchange: exchangeJson(exchange),
      reviews: (await store.reviewsOf(exchange.id)).map(reviewJson),
      feedback: (await store.feedbackOf(exchange.id)).map(feedbackJson),
      // The citation as the user saw it, and the clause as the corpus has it now (null when it is gone).
      citations: exchange.citations.map((citation) => {
        const document = documents.get(citation.doc_id);
        return { citation, context: document ? clauseContext(document, citation.clause_id) ?? null : null };
      }),
      chat: chat.map(exchangeJson),
    });
  });

  api.post('/exchanges/:id/reviews', async (context) => {
    const exchange = await exchangeOr404(store, context.req.param('id'));
    const body = await jsonBody(context);
    const verdict = body.verdict;
    if (typeof verdict !== 'string' || !verdicts.includes(verdict as Verdict)) {
      throw new ConsoleRequestError(400, 'BAD_VERDICT', '审核结论须为 correct、wrong 或 incomplete');
    }
    const keep = body.keep_clause_ids;
    if (keep !== undefined && !(Array.isArray(keep) && keep.every((id) => typeof id === 'string'))) {
      throw new ConsoleRequestError(400, 'BAD_REQUEST', 'keep_clause_ids 须为条款编号数组');
    }
    const outcome = await desk.review({
      exchangeId: exchange.id, verdict: verdict as Verdict, note: text(body.note, 2000), reviewer: context.get('officer'),
      correctedAnswer: text(body.corrected_answer, 5000) || null, keepClauseIds: keep as string[] | undefined,
    });
    return context.json({
      review: reviewJson(outcome.review),
      reviewed_answer: outcome.reviewedAnswer && reviewedAnswerJson(outcome.reviewedAnswer),
      retired_answer_id: outcome.retiredAnswerId,
    }, 201);
  });

  api.get('/handoffs', async (context) => {
    const status = context.req.query('status') ?? 'open';
    if (status !== 'open' && status !== 'answered' && status !== 'all') {
      throw new ConsoleRequestError(400, 'BAD_QUERY', 'status 须为 open、answered 或 all');
    }
    const handoffs = await store.listHandoffs(status === 'all' ? undefined : status as HandoffStatus);
    return context.json({
      items: await Promise.all(handoffs.map(async (handoff) => {
        const origin = await store.getExchange(handoff.exchangeId);
        const chat = origin ? await chatBefore(store, origin) : [];
        return { ...handoffJson(handoff), exchange: origin && exchangeJson(origin), chat: chat.map(exchangeJson) };
      })),
    });
  });

  api.post('/handoffs/:id/reply', async (context) => {
    const body = await jsonBody(context);
    const reply = text(body.text, 5000);
    if (!reply) throw new ConsoleRequestError(400, 'EMPTY_REPLY', '回复内容不能为空');
    const result = await desk.replyToHandoff(idParameter(context.req.param('id')), context.get('officer'), reply,
      body.save_as_reviewed === true);
    return context.json({ handoff: result.handoff && handoffJson(result.handoff), exchange: exchangeJson(result.exchange) });
  });

  api.get('/documents', async (context) => context.json({ items: await corpus.documents() }));

  api.get('/documents/:id', async (context) => {
    const document = await corpus.document(context.req.param('id'));
    if (!document) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该文件');
    return context.json(document);
  });

  api.get('/search', async (context) => {
    const query = (context.req.query('q') ?? '').trim();
    if (!query) return context.json({ items: [] });
    return context.json({ items: await corpus.search(query.slice(0, config.maxQuestionChars), 10) });
  });

  api.post('/ask', async (context) => {
    const body = await jsonBody(context);
    const asked = text(body.question, Number.MAX_SAFE_INTEGER);
    if (!asked) throw new ConsoleRequestError(400, 'EMPTY_QUESTION', '请输入问题');
    if ([...asked].length > config.maxQuestionChars) {
      throw new ConsoleRequestError(400, 'QUESTION_TOO_LONG', `问题不能超过 ${config.maxQuestionChars} 字`);
    }
    const officer = context.get('officer');
    // Each officer's console questions form one chat, so the log can show them together.
    const question: Question = { text: asked, channel: 'console', chatId: `officer:${officer}`, userId: officer };
    const { answer, exchange } = await desk.handle(question);
    return context.json({ exchange_id: exchange.id, answer });
  });

  api.get('/overview', async (context) => {
    const today = localDay(clock());
    const to = context.req.query('to') || today;
    const from = context.req.query('from') || localDay(new Date(dayStart(to).getTime() - 29 * 86_400_000));
    if (from > to) throw new ConsoleRequestError(400, 'BAD_DATE', '开始日期晚于结束日期');
    const counts = await store.overview({ from: dayStart(from), to: dayStart(nextDay(to)) }, chinaUtcOffsetMinutes);
    const pivot = <K extends string>(rows: ({ verdict: Verdict; exchanges: number } & Record<K, string>)[], key: K) => {
      const table = new Map<string, Record<Verdict, number>>();
      for (const row of rows) {
        const entry = table.get(row[key]) ?? { correct: 0, wrong: 0, incomplete: 0 };
        entry[row.verdict] += row.exchanges;
        table.set(row[key], entry);
      }
      return table;
    };
    const byDocument = pivot(counts.verdictsByDocument, 'docId');
    const titles = new Map(counts.verdictsByDocument.map((row) => [row.docId, row.docTitle]));
    return context.json({
      from, to, days: daysBetween(from, to),
      channels: [...new Set(counts.perDay.map((row) => row.channel))],
      per_day: counts.perDay,
      totals: {
        questions: counts.totals.questions, refused: counts.totals.refused,
        refusal_rate: counts.totals.questions ? counts.totals.refused / counts.totals.questions : 0,
      },
      verdicts_by_document: [...byDocument].map(([docId, tally]) => ({ doc_id: docId, doc_title: titles.get(docId) ?? docId, ...tally })),
      verdicts_by_department: [...pivot(counts.verdictsByDepartment, 'department')].map(([department, tally]) => ({ department, ...tally })),
    });
  });

  api.get('/export.csv', async (context) => {
    const rows = await exportedExchanges(store, context.req.query());
    return context.body(logCsv(rows), 200, {
      'content-type': 'text/csv; charset=utf-8', 'content-disposition': attachment(`policybot-log-${localDay(clock())}.csv`),
    });
  });

  api.get('/export.xlsx', async (context) => {
    const rows = await exportedExchanges(store, context.req.query());
    const workbook = await logWorkbook(rows);
    return context.body(new Uint8Array(workbook), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': attachment(`policybot-log-${localDay(clock())}.xlsx`),
    });
  });

  if (matching) mountMatchingRoutes(api, { ...matching, store, clock });

  api.all('*', () => {
    throw new ConsoleRequestError(404, 'NOT_FOUND', '没有这个接口');
  });

  return api;
}

/** The last few exchanges of the same chat up to this one, oldest first: what the officer needs to follow it. */
async function chatBefore(store: Store, exchange: ExchangeRecord): Promise<ExchangeRecord[]> {
  const page = await store.listExchanges({ channel: exchange.channel, chatId: exchange.chatId, upToId: exchange.id }, { limit: 6, offset: 0 });
  return page.items.reverse();
}

async function exportedExchanges(store: Store, query: Record<string, string>): Promise<ExchangeRecord[]> {
  return (await store.listExchanges(parseLogQuery(query).filter)).items;
}

function attachment(filename: string): string {
  return `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function idParameter(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该记录');
  return id;
}

async function exchangeOr404(store: Store, raw: string): Promise<ExchangeRecord> {
  const exchange = await store.getExchange(idParameter(raw));
  if (!exchange) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该问答记录');
  return exchange;
}

async function jsonBody(context: Context<ConsoleEnv>): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await context.req.json();
  } catch (cause) {
    throw new ConsoleRequestError(400, 'BAD_JSON', '请求内容不是有效的 JSON', { cause });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConsoleRequestError(400, 'BAD_JSON', '请求内容须为 JSON 对象');
  }
  return body as Record<string, unknown>;
}

function text(value: unknown, maximum: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ConsoleRequestError(400, 'BAD_REQUEST', '字段须为文本');
  const trimmed = value.trim();
  if ([...trimmed].length > maximum) throw new ConsoleRequestError(400, 'TOO_LONG', `内容不能超过 ${maximum} 字`);
  return trimmed;
}
