import { Hono } from 'hono';
import { sameDepartment } from '../../corpus/index.ts';
import { decisions, type Question } from '../core/index.ts';
import type { Config } from '../app/config.ts';
import type { Desk } from '../desk/index.ts';
import { handoffReasons, verdicts, type ExchangeRecord, type HandoffReason, type Store, type Verdict } from '../store/index.ts';
import {
  exchangeJson,
  type AskJson,
  type DocumentListJson,
  type ExchangeDetailJson,
  type SearchJson,
  type MeJson,
  feedbackJson,
  reviewJson,
  reviewedAnswerJson,
  type ExchangeJson,
  type FacetsJson,
  type OverviewJson,
  type PageJson,
  type ReviewOutcomeJson,
} from './api-json.ts';
import { clauseContext } from './clause-context.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import type { CorpusAdmin } from './corpus-admin.ts';
import { createCorpusRoutes } from './corpus-routes.ts';
import type { CorpusView, DocumentDetail } from './corpus-view.ts';
import { departmentFilter, departmentGroups, type DepartmentGroup } from './department-index.ts';
import { chatBefore, createHandoffRoutes } from './handoff-routes.ts';
import { chinaUtcOffsetMinutes, dayStart, daysBetween, localDay, nextDay } from './local-day.ts';
import { exportPageSize, logCsvStream, logWorkbookStream } from './log-export.ts';
import { channelNames, parseLogQuery } from './log-query.ts';
import { createOfficerRoutes } from './officer-routes.ts';
import { idParameter, jsonBody, text } from './request-body.ts';
import { createReviewedAnswerRoutes } from './reviewed-answer-routes.ts';
import { endSession, type ConsoleEnv } from './session-auth.ts';
import type { StatusJson, StatusSource } from './system-status.ts';
import { mountMatchingRoutes, type MatchingRouteDependencies } from './matching-routes.ts';
import { clippedQuestion, questionTooLong } from '../core/index.ts';

export interface ApiDependencies {
  store: Store;
  desk: Desk;
  corpus: CorpusView;
  /** Corpus changes (upload, corrections, reload); without it the corpus is read-only in the console. */
  corpusAdmin?: CorpusAdmin;
  /** The status panel's source; without it the panel shows the console alone. */
  status?: StatusSource;
  config: Pick<Config, 'maxQuestionChars'>;
  clock: () => Date;
  /** Policy matching, when the server runs it: conditions, corrections, the matching form, subscriptions. */
  matching?: Omit<MatchingRouteDependencies, 'store' | 'clock'>;
}

/** The JSON API behind the console page; mounted at /api/ behind the session guard. */
export function createApiRoutes({ store, desk, corpus, corpusAdmin, status, config, clock, matching }: ApiDependencies): Hono<ConsoleEnv> {
  const api = new Hono<ConsoleEnv>();
  const startedAt = clock();
  const resolveDepartment = async () => {
    const groups = await departmentGroups(corpus);
    return (value: string) => departmentFilter(value, groups);
  };

  api.get('/me', (context) =>
    context.json({
      officer: context.get('officer'),
      role: context.get('role'),
      expires: context.get('session').expires.toISOString(),
    } satisfies MeJson),
  );

  api.delete('/session', async (context) => {
    await endSession(context, store);
    return context.json({ signed_out: true });
  });

  api.get('/facets', async (context) => {
    const documents = await corpus.documents();
    const groups = await departmentGroups(corpus);
    return context.json({
      channels: channelNames,
      verdicts,
      decisions,
      documents: documents.map((document) => ({ doc_id: document.doc_id, doc_title: document.doc_title, place: document.place })),
      // Each department once per place, its spellings merged (市发改局 = 市发展改革局).
      department_groups: groups,
      departments: [...new Set(groups.flatMap((group) => group.departments.flatMap((department) => department.names)))].sort((a, b) =>
        a.localeCompare(b, 'zh-CN'),
      ),
    } satisfies FacetsJson);
  });

  api.get('/exchanges', async (context) => {
    const { filter, page, pageSize } = parseLogQuery(context.req.query(), await resolveDepartment());
    const result = await store.listExchanges(filter, { limit: pageSize, offset: (page - 1) * pageSize });
    return context.json({ total: result.total, page, page_size: pageSize, items: result.items.map(exchangeJson) } satisfies PageJson<ExchangeJson>);
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
        return { citation, context: document ? (clauseContext(document, citation.clause_id) ?? null) : null };
      }),
      chat: chat.map(exchangeJson),
    } satisfies ExchangeDetailJson);
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
      exchangeId: exchange.id,
      verdict: verdict as Verdict,
      note: text(body.note, 2000),
      reviewer: context.get('officer'),
      correctedAnswer: text(body.corrected_answer, 5000) || null,
      keepClauseIds: keep as string[] | undefined,
    });
    return context.json(
      {
        review: reviewJson(outcome.review),
        reviewed_answer: outcome.reviewedAnswer && reviewedAnswerJson(outcome.reviewedAnswer),
        retired_answer_id: outcome.retiredAnswerId,
      } satisfies ReviewOutcomeJson,
      201,
    );
  });

  api.route('/handoffs', createHandoffRoutes({ store, desk, clock }));
  api.route('/reviewed-answers', createReviewedAnswerRoutes({ store, clock }));
  api.route('/', createOfficerRoutes({ store, clock }));

  api.get('/status', async (context) => {
    const now = clock();
    const handoffs = await store.countHandoffs();
    const outbox = await store.outboxCounts();
    const base = status ? await status() : { started_at: startedAt.toISOString(), answers: 'extractive', channels: [], corpus: corpusAdmin?.state() ?? null };
    return context.json({
      ...base,
      now: now.toISOString(),
      handoffs: { open: handoffs.byStatus.open, oldest_open: handoffs.oldestOpen?.toISOString() ?? null },
      // Answers owed to chats (WeCom callback): still to send, and given up on.
      outbox: { pending: outbox.pending, failed: outbox.failed, delivered: outbox.delivered, oldest_pending: outbox.oldestPending?.toISOString() ?? null },
    } satisfies StatusJson);
  });

  api.get('/documents', async (context) => context.json({ items: await corpus.documents() } satisfies DocumentListJson));

  api.get('/documents/:id', async (context) => {
    const document = await corpus.document(context.req.param('id'));
    if (!document) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该文件');
    return context.json(document);
  });

  api.get('/search', async (context) => {
    const query = (context.req.query('q') ?? '').trim();
    if (!query) return context.json({ items: [] } satisfies SearchJson);
    return context.json({ items: await corpus.search(clippedQuestion(query, config.maxQuestionChars), 10) } satisfies SearchJson);
  });

  api.post('/ask', async (context) => {
    const body = await jsonBody(context);
    const asked = text(body.question, Number.MAX_SAFE_INTEGER);
    if (!asked) throw new ConsoleRequestError(400, 'EMPTY_QUESTION', '请输入问题');
    const tooLong = questionTooLong(asked, config.maxQuestionChars);
    if (tooLong) throw new ConsoleRequestError(400, 'QUESTION_TOO_LONG', tooLong);
    const officer = context.get('officer');
    // Each officer's console questions form one chat, so the log can show them together.
    const question: Question = { text: asked, channel: 'console', chatId: `officer:${officer}`, userId: officer };
    const { answer, exchange } = await desk.handle(question);
    return context.json({ exchange_id: exchange.id, answer } satisfies AskJson);
  });

  api.route('/', createCorpusRoutes({ store, corpusAdmin, clock }));

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
    const groups = await departmentGroups(corpus);
    const { handoffs } = counts;
    const now = clock();
    return context.json({
      from,
      to,
      days: daysBetween(from, to),
      channels: [...new Set(counts.perDay.map((row) => row.channel))],
      per_day: counts.perDay,
      totals: {
        questions: counts.totals.questions,
        refused: counts.totals.refused,
        uncertain: counts.totals.uncertain,
        refusal_rate: counts.totals.questions ? counts.totals.refused / counts.totals.questions : 0,
      },
      verdicts_by_document: [...byDocument].map(([docId, tally]) => ({ doc_id: docId, doc_title: titles.get(docId) ?? docId, ...tally })),
      verdicts_by_department: departmentVerdicts(counts.verdictsByDepartment, groups),
      handoffs: {
        opened: Object.values(handoffs.byStatus).reduce((sum, count) => sum + count, 0),
        by_status: handoffs.byStatus,
        // Every reason, in the order of handoffReasons (fromEntries types its keys as string).
        by_reason: Object.fromEntries(handoffReasons.map((reason) => [reason, handoffs.byReason[reason]])) as Record<HandoffReason, number>,
        median_wait_ms: median(handoffs.resolvedWaitsMs),
        open_now: handoffs.openSince.length,
        open_median_wait_ms: median(handoffs.openSince.map((since) => now.getTime() - since.getTime()).sort((a, b) => a - b)),
      },
    } satisfies OverviewJson);
  });

  // Exports stream page by page (bot/console/log-export.ts): the first bytes leave before the last row is read, and
  // chats are answered between pages. Filters are checked before the response starts, so bad ones still get a 400.
  api.get('/export.csv', async (context) => {
    const { filter } = parseLogQuery(context.req.query(), await resolveDepartment());
    return context.body(logCsvStream(store.exchangePages(filter, exportPageSize)), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': attachment(`policybot-log-${localDay(clock())}.csv`),
    });
  });

  api.get('/export.xlsx', async (context) => {
    const { filter } = parseLogQuery(context.req.query(), await resolveDepartment());
    return context.body(logWorkbookStream(store.exchangePages(filter, exportPageSize)), 200, {
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

/**
 * Verdicts per lead department, one row per department and place with its spellings merged
 * (市发改局 and 市发展改革局 in 清远's documents are one bar; 市发展改革局 in 乐清's another).
 */
function departmentVerdicts(
  rows: { department: string; docId: string; verdict: Verdict; exchanges: number }[],
  groups: DepartmentGroup[],
): ({ department: string; place: string | null } & Record<Verdict, number>)[] {
  const placeOf = new Map(groups.flatMap((group) => group.doc_ids.map((docId) => [docId, group] as const)));
  const table = new Map<string, { department: string; place: string | null } & Record<Verdict, number>>();
  for (const row of rows) {
    const group = placeOf.get(row.docId);
    const known = group?.departments.find((department) => department.names.some((name) => sameDepartment(name, row.department)));
    const label = known?.label ?? row.department;
    const key = `${group?.place ?? ''}|${label}`;
    const entry = table.get(key) ?? { department: label, place: group?.place ?? null, correct: 0, wrong: 0, incomplete: 0 };
    entry[row.verdict] += row.exchanges;
    table.set(key, entry);
  }
  return [...table.values()].sort((a, b) => (a.place ?? '').localeCompare(b.place ?? '', 'zh-CN') || a.department.localeCompare(b.department, 'zh-CN'));
}

/** The middle value of an ascending list (mean of the two middle ones), null when empty. */
function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function attachment(filename: string): string {
  return `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

async function exchangeOr404(store: Store, raw: string): Promise<ExchangeRecord> {
  const exchange = await store.getExchange(idParameter(raw));
  if (!exchange) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该问答记录');
  return exchange;
}
