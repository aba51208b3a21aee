import type { ChannelName } from '../core/index.ts';
import { decisions, type Decision } from '../core/index.ts';
import { deliveryStatuses, verdicts, type DeliveryStatus, type DepartmentFilter, type ExchangeFilter, type Verdict } from '../store/index.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import { dayStart, nextDay } from './local-day.ts';

export const channelNames: readonly ChannelName[] = ['wecom-bot', 'wecom-callback', 'wecom', 'telegram', 'console', 'cli'];
export const defaultPageSize = 50;
const maximumPageSize = 200;

export interface LogQuery {
  filter: ExchangeFilter;
  page: number;
  pageSize: number;
}

/**
 * Reads the log filters from a query string: channel, from/to (YYYY-MM-DD, China days, both included),
 * doc, department (`place|name` from the facets, or a name), verdict (correct|wrong|incomplete|unreviewed),
 * decision (answered|uncertain|refused), refused=1, q (what the asker typed), rating (helpful|unhelpful, the asker's
 * 👍 / 👎), delivery (pending|delivered|failed|undelivered: answers sent through the outbox), order=unhelpful_first
 * (the review queue: 👎 answers first), page, page_size.
 * The export routes take the same parameters. `department` turns a department value into the spellings to match.
 */
export function parseLogQuery(
  query: Record<string, string | undefined>,
  department: (value: string) => DepartmentFilter = (value) => ({ names: [value] }),
): LogQuery {
  const filter: ExchangeFilter = {};
  const value = (name: string): string | undefined => query[name]?.trim() || undefined;
  const channel = value('channel');
  if (channel) {
    if (!channelNames.includes(channel as ChannelName)) throw bad(`未知渠道“${channel}”`);
    filter.channel = channel as ChannelName;
  }
  const from = value('from');
  if (from) filter.from = dayStart(from);
  const to = value('to');
  if (to) filter.to = dayStart(nextDay(to));
  filter.docId = value('doc');
  const departmentValue = value('department');
  if (departmentValue) filter.department = department(departmentValue);
  const decision = value('decision');
  if (decision) {
    if (!decisions.includes(decision as Decision)) throw bad(`未知回答结论“${decision}”`);
    filter.decision = decision as Decision;
  }
  const verdict = value('verdict');
  if (verdict) {
    if (verdict !== 'unreviewed' && !verdicts.includes(verdict as Verdict)) throw bad(`未知审核结论“${verdict}”`);
    filter.verdict = verdict as Verdict | 'unreviewed';
  }
  if (value('refused') === '1' || value('refused') === 'true') filter.refusedOnly = true;
  filter.text = value('q');
  const rating = value('rating');
  if (rating) {
    if (rating !== 'helpful' && rating !== 'unhelpful') throw bad(`未知评价“${rating}”`);
    filter.rating = rating;
  }
  const delivery = value('delivery');
  if (delivery) {
    if (delivery !== 'undelivered' && !deliveryStatuses.includes(delivery as DeliveryStatus)) throw bad(`未知送达状态“${delivery}”`);
    filter.delivery = delivery as DeliveryStatus | 'undelivered';
  }
  const order = value('order');
  if (order) {
    if (order !== 'unhelpful_first' && order !== 'newest') throw bad(`未知排序“${order}”`);
    if (order === 'unhelpful_first') filter.unhelpfulFirst = true;
  }
  return {
    filter,
    page: positiveInteger(value('page'), 1, Number.MAX_SAFE_INTEGER),
    pageSize: positiveInteger(value('page_size'), defaultPageSize, maximumPageSize),
  };
}

function positiveInteger(text: string | undefined, fallback: number, maximum: number): number {
  if (text === undefined) return fallback;
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) throw bad(`“${text}”不是正整数`);
  return Math.min(number, maximum);
}

function bad(message: string): ConsoleRequestError {
  return new ConsoleRequestError(400, 'BAD_QUERY', message);
}
