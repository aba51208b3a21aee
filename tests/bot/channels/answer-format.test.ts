import { describe, expect, it } from 'vitest';
import type { Answer, AnswerPart, Citation } from '../../../bot/core/answer.ts';
import { makeAnswer, renderAnswer } from '../../../bot/core/answer-render.ts';
import { cutUtf8, formatPlainText, formatPlainTextMessages, formatTelegramHtml, formatWeComMarkdown } from '../../../bot/channels/answer-format.ts';
import { sampleCitation } from '../../helpers.ts';

const quote = (citation: Citation, source = 1): AnswerPart => ({
  kind: 'quote',
  source,
  intro: `根据《${citation.doc_title}》${citation.clause_label}`,
  text: citation.quote,
});

function answer(overrides: { parts?: AnswerPart[]; citations?: Citation[]; decision?: Answer['decision'] } = {}): Answer {
  const citations = overrides.citations ?? [sampleCitation()];
  return makeAnswer({
    question: '稳岗返还比例是多少？',
    decision: overrides.decision ?? 'answered',
    mode: 'extractive',
    citations,
    timing_ms: { total: 1 },
    parts: overrides.parts ?? [
      quote(citations[0]!),
      { kind: 'departments', source: 1, text: '这项措施由市人力资源社会保障局牵头，市税务局配合。' },
      { kind: 'warning', source: 1, text: citations[0]!.validity_note },
    ],
  });
}

/** Balanced tags of Telegram's HTML subset, as Telegram checks before sending. */
function wellFormed(html: string): boolean {
  const open: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (closing) {
      if (open.pop() !== name) return false;
    } else open.push(name!);
  }
  return open.length === 0 && !/<(?![/a-z])|&(?!(lt|gt|amp|quot);)/.test(html);
}

const count = (text: string, pattern: string) => text.split(pattern).length - 1;

describe('one rendering of the answer parts', () => {
  it('quotes the clause once and lists each source once, in every form', () => {
    const shown = answer();
    const [html] = formatTelegramHtml(shown);
    const markdown = formatWeComMarkdown(shown);
    const plain = formatPlainText(shown);
    for (const text of [html!, markdown, plain, shown.answer]) {
      expect(count(text, '中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还。')).toBe(1);
      expect(count(text, '出处')).toBe(1);
      expect(count(text, '《清远市关于促进民营经济高质量发展的若干意见》(清府办〔2021〕34号)')).toBe(1);
      expect(text).toContain('牵头单位：市人力资源社会保障局；配合单位：市税务局');
      expect(text).toContain('已于2025年1月31日届满');
      expect(text).not.toContain('依据');
    }
    expect(html).toContain('<blockquote>中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还。</blockquote>');
    expect(markdown).toContain('> 中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还。');
  });

  it('writes no Markdown markers into plain-text surfaces', () => {
    const shown = answer({ parts: [{ kind: 'notice', text: '按地区分别说明：' }, { kind: 'heading', text: '清远' }, quote(sampleCitation())] });
    for (const text of [formatPlainText(shown), shown.answer, ...formatPlainTextMessages(shown)]) {
      expect(text).not.toMatch(/\*\*|^>|^#/m);
    }
    expect(shown.answer).toContain('【清远】');
    expect(formatWeComMarkdown(shown)).toContain('**清远**');
  });

  it("lists an uncertain answer's clauses as related provisions, not as sources", () => {
    const shown = answer({ decision: 'uncertain', parts: [{ kind: 'notice', text: '文件提到了稳岗返还，但没有写明申请材料。' }, quote(sampleCitation())] });
    expect(shown.answer).toContain('相关规定：\n[1]');
    expect(shown.answer).not.toContain('出处');
  });

  it('a refusal shows no sources at all', () => {
    const shown = answer({ decision: 'refused', citations: [], parts: [{ kind: 'notice', text: '现有政策文件未涉及「印花税税率」。' }] });
    expect(shown.refused).toBe(true);
    expect(renderAnswer(shown, 'markdown')).not.toContain('出处');
  });
});

describe('Telegram HTML', () => {
  it('escapes & < > from the documents and the answer', () => {
    const citation = sampleCitation({ quote: '比例<=60% & 上限>1万', doc_title: 'A<B & C>D' });
    const [html] = formatTelegramHtml(answer({ citations: [citation] }));
    expect(html).toContain('A&lt;B &amp; C&gt;D');
    expect(html).toContain('比例&lt;=60% &amp; 上限&gt;1万');
    expect(wellFormed(html!)).toBe(true);
  });

  it('splits between blocks, each message within 4096 characters and well-formed, every source once', () => {
    const citations = Array.from({ length: 12 }, (_, index) => sampleCitation({ doc_title: `第${index + 1}号文件` }));
    const parts = citations.map((citation, index) => quote({ ...citation, quote: `条款原文${index + 1}：${'企业可申请补贴。'.repeat(60)}` }, index + 1));
    const messages = formatTelegramHtml(answer({ citations, parts }));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.length).toBeLessThanOrEqual(4096);
      expect(wellFormed(message)).toBe(true);
    }
    citations.forEach((_, index) => {
      expect(messages.join('\n').split(`[${index + 1}] 《第${index + 1}号文件》`).length - 1).toBe(1);
      expect(messages.join('\n')).toContain(`条款原文${index + 1}`);
    });
  });

  it('cuts an overlong block into well-formed pieces without losing text', () => {
    const body = `要点：${'符合条件的企业可以申请稳岗返还&补贴<详见附件>。'.repeat(400)}`;
    const messages = formatTelegramHtml(answer({ parts: [{ kind: 'text', text: body }] }));
    for (const message of messages) {
      expect(message.length).toBeLessThanOrEqual(4096);
      expect(wellFormed(message)).toBe(true);
    }
    expect(messages.join('').match(/稳岗返还&amp;补贴&lt;详见附件&gt;/g)).toHaveLength(400);
  });
});

describe('WeCom Markdown', () => {
  it('stays within 20480 bytes, trimming the body first and keeping the first source', () => {
    const citations = [sampleCitation(), sampleCitation({ doc_title: '第二份文件' })];
    const markdown = formatWeComMarkdown(answer({ citations, parts: [{ kind: 'text', text: '政策要点😀说明。'.repeat(3000) }] }));
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(20_480);
    expect(markdown).not.toContain('\uFFFD');
    expect(markdown).toContain('（回答过长，已截断）');
    expect(markdown).toContain('[1] 《清远市关于促进民营经济高质量发展的若干意见》');
    expect(markdown).toContain('第二份文件');
  });

  it('drops later sources, never the first, when the sources alone are too long', () => {
    const citations = Array.from({ length: 400 }, (_, index) => sampleCitation({ doc_title: `文件${index + 1}${'很长的标题'.repeat(4)}` }));
    const markdown = formatWeComMarkdown(answer({ citations, parts: [{ kind: 'text', text: '简短回答。' }] }));
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(20_480);
    expect(markdown).toContain('简短回答。\n\n**出处**');
    expect(markdown).not.toContain('已截断');
    expect(markdown).toContain('《文件1');
    expect(markdown).toMatch(/另有\d+条出处未能显示/);
  });

  it('cuts by UTF-8 bytes at a character boundary', () => {
    expect(cutUtf8('政策😀', 7)).toBe('政策'); // 6 bytes + a 4-byte emoji that does not fit
    expect(cutUtf8('政策😀', 10)).toBe('政策😀');
    expect(cutUtf8('政策', 5)).toBe('政');
  });
});

describe('plain text for WeCom app messages', () => {
  it('splits into messages of at most 2048 bytes, the sources last', () => {
    const messages = formatPlainTextMessages(
      answer({ parts: Array.from({ length: 120 }, () => ({ kind: 'text', text: '企业可申请稳岗返还。' }) as AnswerPart) }),
    );
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(Buffer.byteLength(message)).toBeLessThanOrEqual(2048);
    expect(messages.at(-1)).toContain('牵头单位：市人力资源社会保障局');
  });
});
