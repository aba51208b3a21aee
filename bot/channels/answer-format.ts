import type { Answer } from '../core/index.ts';
import { renderBody, renderSources } from '../core/index.ts';

export { escapeHtml } from '../core/index.ts';

/** Telegram rejects longer texts ("1-4096 characters after entities parsing"); raw HTML is never shorter than what it shows. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** WeCom smart-bot stream and markdown content limit, in UTF-8 bytes; the SDK does not enforce it (docs/im-protocols.md). */
export const WECOM_MARKDOWN_LIMIT_BYTES = 20_480;
/** WeCom self-built app messages (passive reply and message/send text) are cut by WeCom beyond 2048 bytes (docs). */
export const WECOM_APP_TEXT_LIMIT_BYTES = 2048;

const ELLIPSIS = '…';
const TRIMMED_NOTE = '（回答过长，已截断）';

/**
 * Renders an answer as Telegram HTML messages: its parts, then its sources once. Messages are split between
 * blocks to stay within `limit`; only an overlong block is cut inside, at line or character boundaries outside any tag.
 */
export function formatTelegramHtml(answer: Answer, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const measure = (text: string) => text.length;
  return packBlocks([...fittedBody(answer, 'html', measure, limit), ...renderSources(answer, 'html')], measure, limit, '\n');
}

/**
 * Renders an answer as one WeCom Markdown text of at most `maxBytes` UTF-8 bytes.
 * When too long, the body is trimmed first, then sources after the first are dropped; the first is always kept.
 */
export function formatWeComMarkdown(answer: Answer, maxBytes = WECOM_MARKDOWN_LIMIT_BYTES): string {
  return fitOneMessage(renderBody(answer.parts, 'markdown').join('\n'), renderSources(answer, 'markdown'), maxBytes);
}

/** Renders an answer as one plain-text message of at most `maxBytes`, trimmed like {@link formatWeComMarkdown}. */
export function formatPlainText(answer: Answer, maxBytes = WECOM_APP_TEXT_LIMIT_BYTES): string {
  return fitOneMessage(renderBody(answer.parts, 'plain').join('\n'), renderSources(answer, 'plain'), maxBytes);
}

/** Renders an answer as plain-text messages of at most `maxBytes` UTF-8 bytes each, for WeCom app messages. */
export function formatPlainTextMessages(answer: Answer, maxBytes = WECOM_APP_TEXT_LIMIT_BYTES): string[] {
  const blocks = [...fittedBody(answer, 'plain', utf8Length, maxBytes), ...renderSources(answer, 'plain')].flatMap((block) =>
    splitBody(block, (text) => text, utf8Length, maxBytes),
  );
  return packBlocks(blocks, utf8Length, maxBytes, '\n');
}

/**
 * The body's blocks, each within `limit`: a part too long for one message is split as plain text and each piece
 * rendered on its own, so no tag or entity is ever cut in half.
 */
function fittedBody(answer: Answer, form: 'plain' | 'html', measure: (text: string) => number, limit: number): string[] {
  return answer.parts.flatMap((part) => {
    const [rendered] = renderBody([part], form);
    if (rendered === undefined || measure(rendered) <= limit) return rendered === undefined ? [] : [rendered];
    const [plain] = renderBody([part], 'plain');
    return splitBody(plain ?? '', (text) => renderBody([{ kind: 'text', text }], form)[0] ?? '', measure, limit);
  });
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

function fitOneMessage(body: string, citations: string[], maxBytes: number): string {
  const compose = (text: string, kept: string[], dropped: number) => {
    const parts = text ? [text] : [];
    if (kept.length > 0) parts.push(kept.join('\n'));
    if (dropped > 0) parts.push(`（另有${dropped}条出处未能显示）`);
    return parts.join('\n\n');
  };
  // Whole body with as many sources as fit; only when the body and the first source cannot share the message is the body cut.
  for (let kept = citations.length; kept >= Math.min(1, citations.length); kept -= 1) {
    const whole = compose(body, citations.slice(0, kept), citations.length - kept);
    if (utf8Length(whole) <= maxBytes) return whole;
  }
  for (let kept = citations.length; kept >= Math.min(1, citations.length); kept -= 1) {
    const withoutBody = compose('', citations.slice(0, kept), citations.length - kept);
    const room = maxBytes - utf8Length(withoutBody) - utf8Length(`${TRIMMED_NOTE}\n\n`);
    if (room >= 0) {
      const trimmed = cutUtf8(body, room - utf8Length(ELLIPSIS));
      return compose(trimmed.length > 0 ? `${trimmed}${ELLIPSIS}${TRIMMED_NOTE}` : TRIMMED_NOTE, citations.slice(0, kept), citations.length - kept);
    }
  }
  // Only reachable when a single source alone exceeds the limit: cut everything.
  return cutUtf8(compose(body, citations, 0), maxBytes);
}

/** Packs blocks greedily into messages of at most `limit`, never splitting a block (each fits on its own). */
function packBlocks(blocks: string[], measure: (text: string) => number, limit: number, separator = '\n\n'): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks.filter((value) => value.trim() !== '')) {
    const candidate = current ? `${current}${separator}${block}` : block;
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
