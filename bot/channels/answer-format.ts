import type { Answer, Citation } from '../answer.ts';

/** Telegram rejects longer texts ("1-4096 characters after entities parsing"); raw HTML is never shorter than what it shows. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** WeCom smart-bot stream and markdown content limit, in UTF-8 bytes; the SDK does not enforce it (shared/IM_PROTOCOLS.md). */
export const WECOM_MARKDOWN_LIMIT_BYTES = 20_480;
/** WeCom self-built app messages (passive reply and message/send text) are cut by WeCom beyond 2048 bytes (docs). */
export const WECOM_APP_TEXT_LIMIT_BYTES = 2048;

/** A quote this long is cut so one citation always fits one Telegram message and splitting never has to break markup. */
const QUOTE_MAX_CHARS = 1200;
const ELLIPSIS = '…';
const TRIMMED_NOTE = '（回答过长，已截断）';

/** The parts of a citation a reader checks, in display order; each renderer only decorates them. */
interface CitationView {
  document: string;
  clause: string | null;
  quote: string;
  departments: string | null;
  validity: string | null;
  contact: string | null;
}

function viewCitation(citation: Citation): CitationView {
  const path = citation.clause_path.filter((part) => part.trim() !== '');
  const label = citation.clause_label.trim();
  const clauseParts = label && path.at(-1) !== label ? [...path, label] : path;
  const departments: string[] = [];
  if (citation.lead_departments.length > 0) departments.push(`牵头：${citation.lead_departments.join('、')}`);
  if (citation.support_departments.length > 0) departments.push(`配合：${citation.support_departments.join('、')}`);
  if (departments.length === 0 && citation.department_note) departments.push(citation.department_note);
  const quote = [...citation.quote.trim()];
  return {
    document: `《${citation.doc_title}》${citation.doc_number ?? ''}`,
    clause: clauseParts.length > 0 ? clauseParts.join(' › ') : null,
    quote: quote.length > QUOTE_MAX_CHARS ? quote.slice(0, QUOTE_MAX_CHARS).join('') + ELLIPSIS : quote.join(''),
    departments: departments.length > 0 ? departments.join('；') : null,
    validity: citation.validity_status === 'in_force' ? null : citation.validity_note || validityFallback(citation),
    contact: citation.contact,
  };
}

function validityFallback(citation: Citation): string {
  switch (citation.validity_status) {
    case 'expired': return '该文件已失效';
    case 'not_yet_in_force': return '该文件尚未施行';
    default: return '该文件效力状态未知，请向主管部门核实';
  }
}

/** Escapes text for Telegram's HTML parse mode (& < > everywhere, " for attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The answer body's light Markdown (bold, bullets, headings) as Telegram HTML; everything else is escaped. */
function bodyToTelegramHtml(text: string): string {
  return text.split('\n').map((line) => {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const bullet = /^(\s*)[-*]\s+(.*)$/.exec(line);
    const content = heading ? `**${heading[1]}**` : bullet ? `${bullet[1]}• ${bullet[2]}` : line;
    return escapeHtml(content).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
  }).join('\n');
}

/** The answer body without Markdown markers, for plain-text channels. */
function bodyToPlainText(text: string): string {
  return text.split('\n').map((line) => line.replace(/^#{1,6}\s+/, '').replace(/^(\s*)[-*]\s+/, '$1• ').replace(/\*\*(.+?)\*\*/g, '$1')).join('\n');
}

function citationToTelegramHtml(view: CitationView, index: number): string {
  const lines = [`<b>${index}. ${escapeHtml(view.document)}</b>`];
  if (view.clause) lines.push(escapeHtml(view.clause));
  if (view.quote) lines.push(`<blockquote>${escapeHtml(view.quote)}</blockquote>`);
  if (view.departments) lines.push(escapeHtml(view.departments));
  if (view.validity) lines.push(`<i>⚠ ${escapeHtml(view.validity)}</i>`);
  if (view.contact) lines.push(`联系：${escapeHtml(view.contact)}`);
  return lines.join('\n');
}

function citationToMarkdown(view: CitationView, index: number): string {
  const lines = [`**${index}. ${view.document}**`];
  if (view.clause) lines.push(`> ${view.clause}`);
  if (view.quote) lines.push(`> 原文：“${view.quote.replace(/\n+/g, ' ')}”`);
  if (view.departments) lines.push(`> ${view.departments}`);
  if (view.validity) lines.push(`> ⚠ ${view.validity}`);
  if (view.contact) lines.push(`> 联系：${view.contact}`);
  return lines.join('\n');
}

function citationToPlainText(view: CitationView, index: number): string {
  const lines = [`${index}. ${view.document}`];
  if (view.clause) lines.push(`条款：${view.clause}`);
  if (view.quote) lines.push(`原文：“${view.quote}”`);
  if (view.departments) lines.push(view.departments);
  if (view.validity) lines.push(`⚠ ${view.validity}`);
  if (view.contact) lines.push(`联系：${view.contact}`);
  return lines.join('\n');
}

/**
 * Renders an answer as Telegram HTML messages: the answer, then each citation (document, clause, quote,
 * departments, validity, contact). Messages are split at citation boundaries to stay within `limit`;
 * only an overlong answer body is cut inside, at line or character boundaries outside any tag.
 */
export function formatTelegramHtml(answer: Answer, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const blocks = splitBody(answer.answer, bodyToTelegramHtml, (text) => text.length, limit);
  answer.citations.forEach((citation, index) => {
    const block = citationToTelegramHtml(viewCitation(citation), index + 1);
    blocks.push(index === 0 ? `<b>依据</b>\n${block}` : block);
  });
  return packBlocks(blocks, (text) => text.length, limit);
}

/**
 * Renders an answer as one WeCom Markdown text of at most `maxBytes` UTF-8 bytes.
 * When too long, the answer body is trimmed first, then citations after the first are dropped;
 * the first citation is always kept whole.
 */
export function formatWeComMarkdown(answer: Answer, maxBytes = WECOM_MARKDOWN_LIMIT_BYTES): string {
  const citations = answer.citations.map((citation, index) => citationToMarkdown(viewCitation(citation), index + 1));
  return fitOneMessage(answer.answer, citations, '**依据**', maxBytes);
}

/** Renders an answer as one plain-text message of at most `maxBytes`, trimmed like {@link formatWeComMarkdown}. */
export function formatPlainText(answer: Answer, maxBytes = WECOM_APP_TEXT_LIMIT_BYTES): string {
  const citations = answer.citations.map((citation, index) => citationToPlainText(viewCitation(citation), index + 1));
  return fitOneMessage(bodyToPlainText(answer.answer), citations, '依据：', maxBytes);
}

/** Renders an answer as plain-text messages of at most `maxBytes` UTF-8 bytes each, for WeCom app messages. */
export function formatPlainTextMessages(answer: Answer, maxBytes = WECOM_APP_TEXT_LIMIT_BYTES): string[] {
  const blocks = splitBody(answer.answer, bodyToPlainText, utf8Length, maxBytes);
  answer.citations.forEach((citation, index) => {
    const block = citationToPlainText(viewCitation(citation), index + 1);
    // A plain-text citation can still exceed 2048 bytes (a long quote): cut it, no markup can break.
    const pieces = splitBody(block, (text) => text, utf8Length, maxBytes);
    if (index === 0 && pieces[0] !== undefined) pieces[0] = `依据：\n${pieces[0]}`;
    blocks.push(...pieces);
  });
  return packBlocks(blocks, utf8Length, maxBytes);
}

/** Cuts plain text (e.g. an officer's reply) into pieces of at most `limit` as measured, at line boundaries where possible. */
export function splitText(text: string, limit: number, measure: (text: string) => number = (value) => value.length): string[] {
  return splitBody(text, (value) => value, measure, limit);
}

/** Number of UTF-8 bytes of `text`. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a character boundary. */
export function cutUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Step back over continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

function fitOneMessage(body: string, citations: string[], heading: string, maxBytes: number): string {
  const compose = (text: string, kept: string[], dropped: number) => {
    const parts = text ? [text] : [];
    if (kept.length > 0) parts.push(`${heading}\n${kept.join('\n\n')}`);
    if (dropped > 0) parts.push(`（另有${dropped}条依据未能显示）`);
    return parts.join('\n\n');
  };
  const full = compose(body, citations, 0);
  if (utf8Length(full) <= maxBytes) return full;
  for (let kept = citations.length; kept >= Math.min(1, citations.length); kept -= 1) {
    const withoutBody = compose('', citations.slice(0, kept), citations.length - kept);
    const room = maxBytes - utf8Length(withoutBody) - utf8Length(`${TRIMMED_NOTE}\n\n`);
    if (room >= 0) {
      const trimmed = cutUtf8(body, room - utf8Length(ELLIPSIS));
      const text = trimmed === body ? body : trimmed.length > 0 ? `${trimmed}${ELLIPSIS}${TRIMMED_NOTE}` : TRIMMED_NOTE;
      return compose(text, citations.slice(0, kept), citations.length - kept);
    }
  }
  // Only reachable when a single citation alone exceeds the limit: cut everything.
  return cutUtf8(full, maxBytes);
}

/** Packs blocks greedily into messages of at most `limit`, never splitting a block (each fits on its own). */
function packBlocks(blocks: string[], measure: (text: string) => number, limit: number): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks.filter((value) => value.trim() !== '')) {
    const candidate = current ? `${current}\n\n${block}` : block;
    if (measure(candidate) <= limit) current = candidate;
    else {
      if (current) messages.push(current);
      current = block;
    }
  }
  if (current) messages.push(current);
  return messages;
}

/**
 * Splits source text into pieces whose rendering fits `limit`: whole lines where possible, otherwise the longest
 * prefix of a line. Each piece is rendered separately, so no tag or entity is ever cut in half.
 */
function splitBody(text: string, render: (text: string) => string, measure: (text: string) => number, limit: number): string[] {
  const pieces: string[] = [];
  let current: string | null = null;
  const flush = () => {
    if (current !== null && current.trim() !== '') pieces.push(render(current));
    current = null;
  };
  for (const line of text.split('\n')) {
    const candidate: string = current === null ? line : `${current}\n${line}`;
    if (measure(render(candidate)) <= limit) {
      current = candidate;
      continue;
    }
    flush();
    let rest = [...line];
    while (rest.length > 0 && measure(render(rest.join(''))) > limit) {
      const take = longestFittingPrefix(rest, render, measure, limit);
      pieces.push(render(rest.slice(0, take).join('')));
      rest = rest.slice(take);
    }
    current = rest.join('');
  }
  flush();
  return pieces;
}

function longestFittingPrefix(characters: string[], render: (text: string) => string, measure: (text: string) => number, limit: number): number {
  let low = 1;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(render(characters.slice(0, middle).join(''))) <= limit) low = middle;
    else high = middle - 1;
  }
  return low;
}
