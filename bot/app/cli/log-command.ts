import { PolicyBotError } from '../../../corpus/index.ts';
import { exchangeJson } from '../../console/index.ts';
import { chinaUtcOffsetMinutes, dayStart, localDay } from '../../console/index.ts';
import { openStore } from '../../store/index.ts';
import type { CommandInput } from './command.ts';

/** `policybot log`: the exchange log of whichever store is configured (SQLite or DATABASE_URL), oldest first. */
export async function logCommand({ config, values }: CommandInput<{ json?: boolean; since?: string }>): Promise<number> {
  const since = parseSince(values.since);
  const store = await openStore(config);
  try {
    const { items } = await store.listExchanges(since ? { from: since } : {});
    for (const exchange of items.reverse()) {
      if (values.json) {
        console.log(JSON.stringify(exchangeJson(exchange)));
        continue;
      }
      const time = `${localDay(exchange.time)} ${new Date(exchange.time.getTime() + chinaUtcOffsetMinutes * 60_000).toISOString().slice(11, 19)}`;
      const who = exchange.answeredBy ? `专员 ${exchange.answeredBy}` : exchange.refused ? '未找到' : exchange.mode;
      const cited = exchange.citations.map((citation) => `${citation.doc_id} ${citation.clause_label}`).join('、') || '—';
      console.log(`#${exchange.id} ${time} ${exchange.channel} ${exchange.chatId} [${who}] ${exchange.question.replace(/\s+/g, ' ')} → ${cited}`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** `--since`: a day (YYYY-MM-DD, from its start in China time) or an ISO instant. */
function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      return dayStart(value);
    } catch {
      // Falls through to the message below.
    }
  }
  const time = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    throw new PolicyBotError('USAGE', `--since“${value}”不是日期：请给 YYYY-MM-DD（北京时间的一天）或 ISO 时间，如 2025-03-01T08:00:00+08:00。`);
  }
  return time;
}
