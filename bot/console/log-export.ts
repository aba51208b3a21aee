import ExcelJS from 'exceljs';
import type { AnswerMode, ChannelName, Decision } from '../answer.ts';
import type { ExchangeRecord, Verdict } from '../store.ts';
import { chinaUtcOffsetMinutes } from './local-day.ts';

export const channelLabels: Record<ChannelName, string> = {
  'wecom-bot': '企业微信智能机器人', 'wecom-callback': '企业微信自建应用', wecom: '企业微信', telegram: 'Telegram', console: '控制台', cli: '命令行',
};
export const modeLabels: Record<AnswerMode, string> = { extractive: '摘录', llm: '模型生成', reviewed: '审核答复', handoff: '转人工', notice: '提示', match: '政策匹配' };
export const verdictLabels: Record<Verdict, string> = { correct: '正确', wrong: '错误', incomplete: '不完整' };
export const decisionLabels: Record<Decision, string> = { answered: '已回答', uncertain: '不确定', refused: '未找到' };

const columns = [
  { header: '编号', width: 8 }, { header: '时间(北京时间)', width: 20 }, { header: '渠道', width: 10 },
  { header: '会话', width: 14 }, { header: '用户', width: 14 }, { header: '问题', width: 40 }, { header: '回答', width: 60 },
  { header: '方式', width: 10 }, { header: '回答结论', width: 8 }, { header: '耗时(毫秒)', width: 10 },
  { header: '引用文件', width: 36 }, { header: '引用条款', width: 24 }, { header: '牵头部门', width: 24 },
  { header: '回复专员', width: 10 }, { header: '审核结论', width: 10 }, { header: '审核意见', width: 30 },
  { header: '更正答复', width: 40 }, { header: '审核人', width: 10 }, { header: '审核时间(北京时间)', width: 20 },
] as const;

/** One row per exchange, in the order of `columns`. */
function exportRow(exchange: ExchangeRecord): (string | number)[] {
  const unique = (values: string[]) => [...new Set(values)].join(';');
  const review = exchange.latestReview;
  return [
    exchange.id, beijingTime(exchange.time), channelLabels[exchange.channel], exchange.chatId, exchange.userId,
    exchange.question, exchange.answer, modeLabels[exchange.mode], decisionLabels[exchange.decision], exchange.latencyMs,
    unique(exchange.citations.map((citation) => citation.doc_number ? `${citation.doc_title}(${citation.doc_number})` : citation.doc_title)),
    unique(exchange.citations.map((citation) => [...citation.clause_path, citation.clause_label].join(' › '))),
    unique(exchange.citations.flatMap((citation) => citation.lead_departments)),
    exchange.answeredBy ?? '', review ? verdictLabels[review.verdict] : '未审核', review?.note ?? '',
    review?.correctedAnswer ?? '', review?.reviewer ?? '', review ? beijingTime(review.time) : '',
  ];
}

function beijingTime(time: Date): string {
  return new Date(time.getTime() + chinaUtcOffsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The log as CSV for Excel: a UTF-8 byte-order mark (without it Excel reads Chinese as GBK), CRLF lines,
 * and cells that start like a formula prefixed with ' — questions come from the public (OWASP CSV injection).
 */
export function logCsv(exchanges: ExchangeRecord[]): string {
  const cell = (value: string | number): string => {
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map((column) => column.header), ...exchanges.map(exportRow)].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The log as an Excel workbook; cells are typed strings, so a question starting with = stays text. */
export async function logWorkbook(exchanges: ExchangeRecord[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'policybot';
  const sheet = workbook.addWorksheet('问答记录', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const exchange of exchanges) {
    const row = sheet.addRow(exportRow(exchange));
    row.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
