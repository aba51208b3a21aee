import { Hono } from 'hono';
import { handoffKey, nearIdenticalThreshold, normalizeQuestion, questionSimilarity } from '../desk/index.ts';
import type { ReviewedAnswerRecord, Store } from '../store/index.ts';
import { reviewedAnswerJson, type ReviewedAnswerPageJson, type ReviewedMatchJson } from './api-json.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import { parseLogQuery } from './log-query.ts';
import { idParameter, jsonBody, text } from './request-body.ts';
import type { ConsoleEnv } from './session-auth.ts';

/** Below this an approved answer would go to questions about other things; 1 means the same words only. */
export const lowestMinSimilarity = 0.5;

/**
 * Officer-approved answers: list and search, how often each was served, edit the text, set how close a
 * question must be, disable and enable again. Every change is audited with what it was before.
 */
export function createReviewedAnswerRoutes({ store, clock }: { store: Store; clock: () => Date }): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();

  routes.get('/', async (context) => {
    const status = context.req.query('status') ?? 'active';
    if (!['active', 'retired', 'all'].includes(status)) throw new ConsoleRequestError(400, 'BAD_QUERY', 'status 须为 active、retired 或 all');
    // One page at a time (page, page_size as in the log); one row more than the page says whether another follows.
    const { page, pageSize } = parseLogQuery({ page: context.req.query('page'), page_size: context.req.query('page_size') });
    const answers = await store.listReviewedAnswers({
      includeRetired: status === 'all',
      retiredOnly: status === 'retired',
      text: context.req.query('q')?.trim() || undefined,
      page: { limit: pageSize + 1, offset: (page - 1) * pageSize },
    });
    return context.json({
      default_min_similarity: nearIdenticalThreshold,
      items: answers.slice(0, pageSize).map(reviewedAnswerJson),
      page,
      page_size: pageSize,
      has_more: answers.length > pageSize,
    } satisfies ReviewedAnswerPageJson);
  });

  routes.get('/:id', async (context) => {
    const answer = await answerOr404(store, context.req.param('id'));
    return context.json({ default_min_similarity: nearIdenticalThreshold, answer: reviewedAnswerJson(answer) });
  });

  // How close a question is to this answer's, and whether it would be served: for setting the threshold.
  routes.get('/:id/match', async (context) => {
    const answer = await answerOr404(store, context.req.param('id'));
    const question = text(context.req.query('q'), 500);
    if (!question) throw new ConsoleRequestError(400, 'EMPTY_QUESTION', '请输入问题');
    const similarity = questionSimilarity(normalizeQuestion(question), handoffKey(answer.question));
    const threshold = answer.minSimilarity ?? nearIdenticalThreshold;
    return context.json({
      similarity: Number(similarity.toFixed(2)),
      threshold,
      matches: similarity >= threshold && !answer.retired,
    } satisfies ReviewedMatchJson);
  });

  routes.post('/:id', async (context) => {
    const answer = await answerOr404(store, context.req.param('id'));
    const body = await jsonBody(context);
    const changes: { answer?: string; minSimilarity?: number | null } = {};
    if (body.answer !== undefined) {
      const edited = text(body.answer, 5000);
      if (!edited) throw new ConsoleRequestError(400, 'EMPTY_ANSWER', '答复内容不能为空');
      changes.answer = edited;
    }
    if (body.min_similarity !== undefined) {
      const value = body.min_similarity;
      if (value !== null && (typeof value !== 'number' || !(value >= lowestMinSimilarity && value <= 1))) {
        throw new ConsoleRequestError(400, 'BAD_SIMILARITY', `相似度须在 ${lowestMinSimilarity} 到 1 之间,或留空使用默认值 ${nearIdenticalThreshold}`);
      }
      changes.minSimilarity = value === null ? null : Math.round(value * 100) / 100;
    }
    if (Object.keys(changes).length === 0) throw new ConsoleRequestError(400, 'NOTHING_TO_CHANGE', '没有要修改的内容');
    const officer = context.get('officer');
    const time = clock();
    const updated = await store.updateReviewedAnswer(answer.id, { ...changes, editedBy: officer, time });
    await store.recordAudit({
      time,
      officer,
      action: 'reviewed.edit',
      target: `#${answer.id}`,
      details: {
        ...(changes.answer !== undefined ? { answer: { before: answer.answer, after: changes.answer } } : {}),
        ...(changes.minSimilarity !== undefined ? { min_similarity: { before: answer.minSimilarity, after: changes.minSimilarity } } : {}),
      },
    });
    return context.json({ answer: reviewedAnswerJson(updated!) });
  });

  routes.post('/:id/retire', async (context) => {
    const answer = await answerOr404(store, context.req.param('id'));
    const officer = context.get('officer');
    const time = clock();
    await store.retireReviewedAnswer(answer.id, officer, time);
    await store.recordAudit({ time, officer, action: 'reviewed.disable', target: `#${answer.id}`, details: { question: answer.question } });
    return context.json({ answer: reviewedAnswerJson((await store.getReviewedAnswer(answer.id))!) });
  });

  routes.post('/:id/restore', async (context) => {
    const answer = await answerOr404(store, context.req.param('id'));
    const officer = context.get('officer');
    await store.restoreReviewedAnswer(answer.id);
    await store.recordAudit({ time: clock(), officer, action: 'reviewed.enable', target: `#${answer.id}`, details: { question: answer.question } });
    return context.json({ answer: reviewedAnswerJson((await store.getReviewedAnswer(answer.id))!) });
  });

  return routes;
}

async function answerOr404(store: Store, raw: string): Promise<ReviewedAnswerRecord> {
  const answer = await store.getReviewedAnswer(idParameter(raw));
  if (!answer) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该审核答复');
  return answer;
}
