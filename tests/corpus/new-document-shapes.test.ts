import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { beforeEach, describe, expect, it } from 'vitest';
import { addDocument, loadCorpus } from '../../corpus/corpus-library.ts';
import { CorpusParseError } from '../../corpus/errors.ts';
import { normalizeDepartment, sameDepartment } from '../../corpus/department-parser.ts';
import { isReplyLetter } from '../../corpus/reply-letter.ts';
import { validityOn } from '../../corpus/validity.ts';

/** A city's measures written as 第X条 articles, with the lead declared once for the whole document. */
const ARTICLES = `某某市人民政府办公室关于印发某某市支持中小企业发展若干规定的通知
某府办〔2024〕7号
各区人民政府,市直各单位:
现将《某某市支持中小企业发展若干规定》印发给你们,请认真贯彻执行。
某某市人民政府办公室
2024年3月1日
某某市支持中小企业发展若干规定
(各条所列责任单位中,列第一位的为牵头单位,下同)
第一条 对首次升规的工业企业给予一次性奖励10万元。(市工信局、市财政局、市统计局)
第二条 对新认定的专精特新中小企业给予20万元奖励。(市工信局、市财政局)
第三条 支持企业招用高校毕业生,按每人2000元给予一次性吸纳就业补贴。(责任单位:市人社局、市财政局)
第四条 本规定自2024年4月1日起施行,有效期至2026年3月31日。
`;

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'policybot-corpus-'));
});

const write = (name: string, content: string | Buffer) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'policybot-upload-')), name);
  writeFileSync(file, content);
  return file;
};

describe('documents in shapes the built-in five do not use', () => {
  it('reads 第X条 articles and "列第一位的为牵头单位" by the same general rules', async () => {
    const document = await addDocument(directory, write('articles.txt', ARTICLES), { region: '某省某某市' });
    expect(document.title).toBe('某某市支持中小企业发展若干规定');
    expect(document.docNumber).toBe('某府办〔2024〕7号');
    // The last article states validity; it is an article like the others, with no department.
    expect(document.clauses.map((clause) => clause.citeLabel)).toEqual(['第一条', '第二条', '第三条', '第四条']);
    expect(document.clauses[3]!.leadDepartments).toEqual([]);
    expect(document.clauses[0]!.leadDepartments).toEqual(['市工信局']);
    expect(document.clauses[0]!.supportDepartments).toEqual(['市财政局', '市统计局']);
    expect(document.clauses[2]!.leadDepartments).toEqual(['市人社局']);
    expect(document.validity).toMatchObject({ effectiveFrom: '2024-04-01', effectiveUntil: '2026-03-31' });
    // What it says of itself: its addressees and its cover note, kept for questions about the document.
    expect(document.notes).toContain('各区人民政府,市直各单位:');
    expect(document.notes.some((note) => note.includes('印发给你们'))).toBe(true);
    expect(loadCorpus(directory).documents).toHaveLength(1);
  });

  it('reads a GBK file and an HTML page', async () => {
    const gbk = await addDocument(directory, write('gbk.txt', iconv.encode(ARTICLES, 'gbk')));
    expect(gbk.clauses).toHaveLength(4);
    expect(gbk.clauses[1]!.text).toContain('专精特新');
    const html = `<html><body><h1>某区促进消费若干措施</h1><p>一、发放消费券。对参与活动的商户给予补贴。(区商务局牵头,区财政局配合)</p><p>二、支持夜间经济。(区商务局负责)</p></body></html>`;
    const page = await addDocument(directory, write('page.html', html));
    expect(page.clauses.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments])).toEqual([
      ['一', ['区商务局'], ['区财政局']],
      ['二', ['区商务局'], []],
    ]);
  });
});

/** A department's report on a deputy's proposal: it names who acts in the running text, not in notes. */
const replyLetter = (title: string) => `${title}
某某市政协:
贵会转来的第15号提案收悉。现将办理情况报告如下:
一、关于发展夜间经济。市商务局会同市文广旅局开展夜间消费活动,2023年共举办活动12场。
二、关于发放消费券。市财政局安排资金500万元,分三批发放消费券。
某某市商务局
2024年5月6日
`;

describe('reply letters', () => {
  it.each(['某某市商务局关于市政协十届三次会议第15号提案的办理意见', '某某市商务局关于市政协十届三次会议第15号提案答复的函'])(
    'reads "%s" as a reply letter in the parser and in the validity alike',
    async (title) => {
      expect(isReplyLetter(title)).toBe(true);
      const document = await addDocument(directory, write('reply.txt', replyLetter(title)), { region: '某省某某市' });
      expect(document.title).toBe(title);
      // The parser: departments from the running text, the one the lead works with as support.
      expect(document.clauses.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments])).toEqual([
        ['一', ['市商务局'], ['市文广旅局']],
        ['二', ['市财政局'], []],
      ]);
      // The validity: a report on work done, not a policy in force.
      expect(validityOn(document, '2024-06-01')).toEqual({ status: 'unknown', note: '本件为答复函,记述的是工作进展,不是可直接申请的政策条款' });
    },
  );

  it('does not take a policy whose title merely mentions opinions for a reply letter', () => {
    expect(isReplyLetter('某某市关于促进民营经济发展的实施意见')).toBe(false);
  });
});

describe('bad input changes nothing', () => {
  const snapshot = () => readdirSync(directory).sort();

  it.each([
    ['an empty file', 'empty.txt', '', 'EMPTY_FILE'],
    ['a binary file', 'image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x00]), 'BINARY_FILE'],
    ['text with no numbering', 'plain.txt', '关于做好有关工作的通知\n' + '请各单位认真做好相关工作,确保取得实效。'.repeat(5), 'NO_NUMBERING'],
    ['a PDF that is only a header', 'file.pdf', '%PDF-1.4', 'UNREADABLE_PDF'],
    ['a Word 97 file', 'file.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 'UNSUPPORTED_FORMAT'],
  ])('refuses %s with a clear message', async (_name, file, content, code) => {
    const before = snapshot();
    const error = await addDocument(directory, write(file, content)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusParseError);
    expect((error as CorpusParseError).code).toBe(code);
    expect((error as Error).message).toContain(file);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a duplicate', async () => {
    await addDocument(directory, write('articles.txt', ARTICLES));
    const before = snapshot();
    const error = await addDocument(directory, write('copy.txt', ARTICLES)).catch((caught: unknown) => caught);
    expect((error as CorpusParseError).code).toBe('DUPLICATE');
    expect(snapshot()).toEqual(before);
  });

  it('adds to a copy of the built-in corpus without touching the published texts', async () => {
    cpSync('corpus/documents', directory, { recursive: true });
    const before = readFileSync(path.join(directory, '000_4abef4e170d3a762.txt'));
    const added = await addDocument(directory, write('articles.txt', ARTICLES));
    expect(added.docId).toBe('005');
    expect(loadCorpus(directory).documents).toHaveLength(6);
    expect(readFileSync(path.join(directory, '000_4abef4e170d3a762.txt'))).toEqual(before);
  });
});

describe('department names', () => {
  it('matches the ways one department is written', () => {
    expect(normalizeDepartment('市发改局')).toBe(normalizeDepartment('市发展改革局'));
    expect(normalizeDepartment('市发展和改革局')).toBe(normalizeDepartment('市发展改革局'));
    expect(normalizeDepartment('清远市市场监督管理局')).toBe(normalizeDepartment('市市场监管局'));
    expect(sameDepartment('人社局', '市人力资源社会保障局')).toBe(true);
    expect(sameDepartment('市财政局', '市税务局')).toBe(false);
  });
});
