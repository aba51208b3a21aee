import { describe, expect, it } from 'vitest';
import type { Answer } from '../../bot/answer.ts';
import {
  cutUtf8, formatPlainTextMessages, formatTelegramHtml, formatWeComMarkdown,
} from '../../bot/channels/answer-format.ts';
import { sampleCitation } from '../helpers.ts';

function answer(overrides: Partial<Answer> = {}): Answer {
  return {
    question: '稳岗返还比例是多少？', answer: '中小微企业按**60%**返还。', refused: false, mode: 'extractive',
    citations: [sampleCitation()], timing_ms: { total: 1 }, ...overrides,
  };
}

/** Balanced tags of Telegram's HTML subset, as Telegram checks before sending. */
function wellFormed(html: string): boolean {
  const open: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (closing) { if (open.pop() !== name) return false; } else open.push(name!);
  }
  return open.length === 0 && !/<(?![/a-z])|&(?!(lt|gt|amp|quot);)/.test(html);
}

describe('Telegram HTML', () => {
  it('shows the answer, then document, clause, quote, departments, validity', () => {
    const [html] = formatTelegramHtml(answer());
    expect(html).toContain('中小微企业按<b>60%</b>返还。');
    expect(html).toContain('<b>1. 《清远市关于促进民营经济高质量发展的若干意见》清府办〔2021〕34号</b>');
    expect(html).toContain('一、多措并举,降低民营企业生产经营成本 › (二)');
    expect(html).toContain('<blockquote>中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还。</blockquote>');
    expect(html).toContain('牵头：市人力资源社会保障局；配合：市税务局');
    expect(html).toContain('已于2025年1月31日届满');
  });

  it('shows the department note when no department is named, the contact, and no validity line for a document in force', () => {
    const [html] = formatTelegramHtml(answer({
      citations: [sampleCitation({
        lead_departments: [], support_departments: [], department_note: '由市发展改革局会同有关部门负责解释',
        validity_status: 'in_force', validity_note: '现行有效', contact: '市发展改革局 0763-3362000',
      })],
    }));
    expect(html).toContain('由市发展改革局会同有关部门负责解释');
    expect(html).not.toContain('牵头');
    expect(html).not.toContain('现行有效');
    expect(html).toContain('联系：市发展改革局 0763-3362000');
  });

  it('escapes & < > from the documents and the answer', () => {
    const [html] = formatTelegramHtml(answer({ answer: 'A<B & C>D', citations: [sampleCitation({ quote: '比例<=60% & 上限>1万' })] }));
    expect(html).toContain('A&lt;B &amp; C&gt;D');
    expect(html).toContain('比例&lt;=60% &amp; 上限&gt;1万');
    expect(wellFormed(html!)).toBe(true);
  });

  it('splits at citation boundaries, each message within 4096 characters and well-formed', () => {
    const citations = Array.from({ length: 12 }, (_, index) => sampleCitation({
      doc_title: `第${index + 1}号文件`, quote: `条款原文${index + 1}：${'企业可申请补贴。'.repeat(100)}`,
    }));
    const messages = formatTelegramHtml(answer({ answer: '共有十二条依据。', citations }));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.length).toBeLessThanOrEqual(4096);
      expect(wellFormed(message)).toBe(true);
    }
    citations.forEach((_, index) => {
      const holding = messages.filter((message) => message.includes(`第${index + 1}号文件》`));
      expect(holding).toHaveLength(1);
      expect(holding[0]).toContain(`条款原文${index + 1}`);
    });
  });

  it('cuts an overlong answer body into well-formed pieces without losing text', () => {
    const body = `**要点**：${'符合条件的企业可以申请稳岗返还&补贴<详见附件>。'.repeat(400)}`;
    const messages = formatTelegramHtml(answer({ answer: body }));
    for (const message of messages) {
      expect(message.length).toBeLessThanOrEqual(4096);
      expect(wellFormed(message)).toBe(true);
    }
    expect(messages.join('').match(/稳岗返还&amp;补贴&lt;详见附件&gt;/g)).toHaveLength(400);
  });
});

describe('WeCom Markdown', () => {
  it('shows the citation as a quote block under the answer', () => {
    const markdown = formatWeComMarkdown(answer());
    expect(markdown).toContain('中小微企业按**60%**返还。');
    expect(markdown).toContain('**1. 《清远市关于促进民营经济高质量发展的若干意见》清府办〔2021〕34号**');
    expect(markdown).toContain('> 原文：“中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还。”');
    expect(markdown).toContain('> 牵头：市人力资源社会保障局；配合：市税务局');
  });

  it('stays within 20480 bytes, trimming the body first and keeping the first citation whole', () => {
    const body = '政策要点😀说明。'.repeat(3000);
    const citations = [sampleCitation(), sampleCitation({ doc_title: '第二份文件' })];
    const markdown = formatWeComMarkdown(answer({ answer: body, citations }));
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(20_480);
    expect(markdown).not.toContain('\uFFFD');
    expect(markdown).toContain('（回答过长，已截断）');
    expect(markdown).toContain(formatWeComMarkdown(answer({ answer: '', citations: [citations[0]!] })).trim());
    expect(markdown).toContain('第二份文件');
  });

  it('drops later citations, never the first, when the citations alone are too long', () => {
    const citations = Array.from({ length: 40 }, (_, index) => sampleCitation({ doc_title: `文件${index + 1}`, quote: '原文内容。'.repeat(200) }));
    const markdown = formatWeComMarkdown(answer({ answer: '简短回答。', citations }));
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(20_480);
    expect(markdown).toContain('简短回答。\n\n**依据**');
    expect(markdown).not.toContain('已截断');
    expect(markdown).toContain('《文件1》');
    expect(markdown).toMatch(/另有\d+条依据未能显示/);
  });

  it('cuts by UTF-8 bytes at a character boundary', () => {
    expect(cutUtf8('政策😀', 7)).toBe('政策'); // 6 bytes + a 4-byte emoji that does not fit
    expect(cutUtf8('政策😀', 10)).toBe('政策😀');
    expect(cutUtf8('政策', 5)).toBe('政');
  });
});

describe('plain text for WeCom app messages', () => {
  it('splits into messages of at most 2048 bytes, stripping Markdown', () => {
    const messages = formatPlainTextMessages(answer({ answer: `**重点**\n${'- 企业可申请稳岗返还。\n'.repeat(120)}` }));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(Buffer.byteLength(message)).toBeLessThanOrEqual(2048);
    expect(messages[0]).toMatch(/^重点\n• 企业可申请稳岗返还。/);
    expect(messages.at(-1)).toContain('牵头：市人力资源社会保障局');
  });
});
