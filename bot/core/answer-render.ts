import type { Answer, AnswerMode, AnswerPart, Citation, Decision } from './answer.ts';
import { departmentsText } from '../../corpus/index.ts';
import { clauseLocation, documentName } from './citation-text.ts';

/**
 * Every surface renders an answer from its parts, once, in its own form. Three forms cover them: plain text
 * (terminal, log, CSV, WeCom app text messages), WeCom Markdown and Telegram HTML. Each form renders the body
 * (the parts) and the sources list (the citations shown) separately, so a channel that has to split a long
 * answer can do it between blocks.
 */
export type AnswerForm = 'plain' | 'markdown' | 'html';

/** Builds an answer from its parts: the plain text is derived, `refused` follows the decision. */
export function makeAnswer(input: {
  question: string;
  decision: Decision;
  mode: AnswerMode;
  parts: AnswerPart[];
  citations: Citation[];
  retrieved?: { clause_id: string; score: number }[];
  timing_ms: Record<string, number>;
  toOfficer?: boolean;
}): Answer {
  return {
    question: input.question,
    decision: input.decision,
    refused: input.decision === 'refused',
    mode: input.mode,
    parts: input.parts,
    answer: renderAnswer(input, 'plain'),
    citations: input.citations,
    toOfficer: input.toOfficer ?? input.decision === 'uncertain',
    ...(input.retrieved ? { retrieved: input.retrieved } : {}),
    timing_ms: input.timing_ms,
  };
}

/** The whole answer in one form: body, then the sources once. */
export function renderAnswer(answer: Pick<Answer, 'parts' | 'citations' | 'decision'>, form: AnswerForm): string {
  const body = renderBody(answer.parts, form);
  const sources = renderSources(answer, form);
  return [body.join('\n'), ...sources].filter((block) => block !== '').join('\n\n');
}

/** The parts as blocks of the given form, one block a part (a group heading starts a new block). */
export function renderBody(parts: AnswerPart[], form: AnswerForm): string[] {
  return parts.map((part) => renderPart(part, form));
}

/** The sources list ("出处" for an answer, "相关规定" for an uncertain one) as blocks: its heading with the first source, then one a source. */
export function renderSources(answer: Pick<Answer, 'citations' | 'decision'>, form: AnswerForm): string[] {
  if (answer.citations.length === 0) return [];
  const title = answer.decision === 'uncertain' ? '相关规定' : '出处';
  const heading = form === 'plain' ? `${title}：` : form === 'markdown' ? `**${title}**` : `<b>${title}</b>`;
  return answer.citations.map((citation, index) => {
    const line = sourceLine(citation, index + 1);
    const rendered = form === 'html' ? escapeHtml(line) : form === 'markdown' ? `> ${line}` : line;
    return index === 0 ? `${heading}\n${rendered}` : rendered;
  });
}

/** "[1] 《…》(清府办〔2021〕34号) 一、… › (二);牵头单位:…" — what a reader needs to find and check the clause. */
export function sourceLine(citation: Citation, number: number): string {
  return `[${number}] ${documentName(citation)} ${clauseLocation(citation)}；${departmentsText(citation)}`;
}

function renderPart(part: AnswerPart, form: AnswerForm): string {
  const text = (value: string) => (form === 'html' ? escapeHtml(value) : value);
  switch (part.kind) {
    case 'notice':
      return form === 'plain' ? part.text : form === 'markdown' ? `**${part.text}**` : `<b>${escapeHtml(part.text)}</b>`;
    case 'quote':
      if (form === 'html') return `${escapeHtml(part.intro)}：\n<blockquote>${escapeHtml(part.text)}</blockquote>`;
      if (form === 'markdown') return `${part.intro}：\n> ${part.text.replace(/\n+/g, ' ')}`;
      return `${part.intro}：${part.text}`;
    case 'departments':
      return text(part.text);
    case 'fact':
      return text(`${part.label}：${part.text}`);
    case 'warning':
      return form === 'html' ? `<i>⚠️ ${escapeHtml(part.text)}</i>` : `⚠️ ${part.text}`;
    case 'heading':
      return form === 'plain' ? `【${part.text}】` : form === 'markdown' ? `**${part.text}**` : `<b>${escapeHtml(part.text)}</b>`;
    case 'steps':
      return [text(part.title), ...part.items.map((item, index) => text(`${index + 1}. ${item}`))].join('\n');
    case 'text':
      return text(part.text);
  }
}

/** Escapes text for Telegram's HTML parse mode (& < > everywhere, " for attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
