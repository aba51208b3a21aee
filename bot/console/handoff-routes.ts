import { Hono } from 'hono';
import type { Desk } from '../desk/index.ts';
import { handoffStatuses, type ExchangeRecord, type HandoffRecord, type HandoffStatus, type Store } from '../store/index.ts';
import { exchangeJson, handoffJson } from './api-json.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import { parseLogQuery } from './log-query.ts';
import { idParameter, jsonBody, text } from './request-body.ts';
import type { ConsoleEnv } from './session-auth.ts';

const resolvedStatuses: HandoffStatus[] = ['answered', 'closed', 'dismissed'];

/**
 * The hand-off queue: tickets by status (oldest first while open, newest first once resolved), taking one
 * ("assign to me"), replying into the chat, and closing or dismissing with a reason. Every change is audited.
 */
export function createHandoffRoutes({ store, desk, clock }: { store: Store; desk: Desk; clock: () => Date }): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();

  // One page of a tab (page, page_size as in the log), with the counts from one query: with thousands open, the
  // queue page and the badge stay small (the badge reads /count alone).
  routes.get('/', async (context) => {
    const status = context.req.query('status') ?? 'open';
    const wanted: HandoffStatus[] =
      status === 'all'
        ? [...handoffStatuses]
        : status === 'resolved'
          ? resolvedStatuses
          : handoffStatuses.includes(status as HandoffStatus)
            ? [status as HandoffStatus]
            : [];
    if (wanted.length === 0) throw new ConsoleRequestError(400, 'BAD_QUERY', 'status 须为 open、answered、closed、dismissed、resolved 或 all');
    const { page, pageSize } = parseLogQuery({ page: context.req.query('page'), page_size: context.req.query('page_size') });
    const officer = context.get('officer');
    const mine = context.req.query('mine') === '1';
    const open = wanted.length === 1 && wanted[0] === 'open';
    const counts = await store.countHandoffs(officer);
    const handoffs = await store.listHandoffs({
      statuses: wanted,
      assignedTo: mine ? officer : undefined,
      newestFirst: !open,
      page: { limit: pageSize, offset: (page - 1) * pageSize },
    });
    // "Mine" is counted among open tickets only, which is where the tab uses it.
    const total = mine && open ? counts.mine : mine ? undefined : wanted.reduce((sum, one) => sum + counts.byStatus[one], 0);
    const now = clock();
    return context.json({
      counts: counts.byStatus,
      mine: counts.mine,
      total: total ?? null,
      page,
      page_size: pageSize,
      items: await Promise.all(handoffs.map(async (handoff) => ticketJson(store, handoff, now))),
    } satisfies TicketPageJson);
  });

  /** The navigation badge: counts only. */
  routes.get('/count', async (context) => {
    const counts = await store.countHandoffs(context.get('officer'));
    return context.json({ open: counts.byStatus.open, mine: counts.mine, oldest_open: counts.oldestOpen?.toISOString() ?? null } satisfies HandoffCountJson);
  });

  routes.post('/:id/assign', async (context) => {
    const handoff = await openTicket(store, context.req.param('id'));
    const officer = context.get('officer');
    const time = clock();
    const assigned = await store.assignHandoff(handoff.id, officer, time);
    await store.recordAudit({
      time,
      officer,
      action: 'handoff.assign',
      target: `#${handoff.id}`,
      details: { previous: handoff.assigned?.officer ?? null },
    });
    return context.json({ handoff: handoffJson(assigned!, time) });
  });

  routes.post('/:id/resolve', async (context) => {
    const handoff = await openTicket(store, context.req.param('id'));
    const body = await jsonBody(context);
    const status = body.status;
    if (status !== 'closed' && status !== 'dismissed') throw new ConsoleRequestError(400, 'BAD_REQUEST', 'status 须为 closed 或 dismissed');
    const note = text(body.note, 500);
    if (!note) throw new ConsoleRequestError(400, 'EMPTY_REASON', status === 'closed' ? '请填写关闭原因' : '请填写忽略原因');
    const officer = context.get('officer');
    const time = clock();
    const resolved = await store.resolveHandoff(handoff.id, { status, by: officer, time, note });
    await store.recordAudit({ time, officer, action: `handoff.${status === 'closed' ? 'close' : 'dismiss'}`, target: `#${handoff.id}`, details: { note } });
    return context.json({ handoff: handoffJson(resolved!, time) });
  });

  routes.post('/:id/reply', async (context) => {
    const body = await jsonBody(context);
    const reply = text(body.text, 5000);
    if (!reply) throw new ConsoleRequestError(400, 'EMPTY_REPLY', '回复内容不能为空');
    const officer = context.get('officer');
    const saveAsReviewed = body.save_as_reviewed === true;
    const result = await desk.replyToHandoff(idParameter(context.req.param('id')), officer, reply, saveAsReviewed);
    await store.recordAudit({
      time: clock(),
      officer,
      action: 'handoff.reply',
      target: `#${result.handoff?.id}`,
      details: { save_as_reviewed: saveAsReviewed },
    });
    return context.json({ handoff: result.handoff && handoffJson(result.handoff, clock()), exchange: exchangeJson(result.exchange) });
  });

  return routes;
}

async function openTicket(store: Store, raw: string): Promise<HandoffRecord> {
  const handoff = await store.getHandoff(idParameter(raw));
  if (!handoff) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该转人工记录');
  if (handoff.status !== 'open') throw new ConsoleRequestError(409, 'HANDOFF_RESOLVED', '该转人工已处理,不能再更改');
  return handoff;
}

/** A ticket as `GET /api/handoffs` lists it: the hand-off, the exchange it started from, and the chat before it. */
export type TicketJson = Awaited<ReturnType<typeof ticketJson>>;
/** `GET /api/handoffs/count`: the navigation badge (open tickets, the officer's own, the oldest open one's time). */
export interface HandoffCountJson {
  open: number;
  mine: number;
  oldest_open: string | null;
}
/** `GET /api/handoffs`: one page of one tab; `total` is null where it is not counted (mine, resolved). */
export interface TicketPageJson {
  counts: Record<HandoffStatus, number>;
  mine: number;
  total: number | null;
  page: number;
  page_size: number;
  items: TicketJson[];
}

async function ticketJson(store: Store, handoff: HandoffRecord, now: Date) {
  const origin = await store.getExchange(handoff.exchangeId);
  const latest = handoff.lastExchangeId === handoff.exchangeId ? origin : await store.getExchange(handoff.lastExchangeId);
  const chat = latest ? await chatBefore(store, latest) : [];
  return { ...handoffJson(handoff, now), exchange: origin && exchangeJson(origin), chat: chat.map(exchangeJson) };
}

/** The last few exchanges of the same chat up to this one, oldest first: what the officer needs to follow it. */
export async function chatBefore(store: Store, exchange: ExchangeRecord): Promise<ExchangeRecord[]> {
  const page = await store.listExchanges({ channel: exchange.channel, chatId: exchange.chatId, upToId: exchange.id }, { limit: 6, offset: 0 });
  return page.items.reverse();
}
