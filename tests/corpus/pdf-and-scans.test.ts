import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as OpenCC from 'opencc-js';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDocument, loadCorpus } from '../../corpus/corpus-library.ts';
import { readDocumentFile } from '../../corpus/readers/document-reader.ts';
import type { PolicyDocument } from '../../corpus/document.ts';
import { CorpusParseError } from '../../corpus/errors.ts';
import { PaddleRecognizer } from '../../corpus/readers/ocr/paddle-recognizer.ts';
import { indexText } from '../../retrieval/clause-retriever.ts';

/**
 * PDFs and images made here, by Debian's Chromium, from pages written for the test: a text PDF over several
 * pages with a running header, page numbers and a ruled table; the same in traditional script; a screenshot
 * of a page (an image attachment); a scanned PDF (the screenshot as the only content of a PDF page).
 */
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const MEASURES = [
  [
    '支持企业开拓国际市场',
    '对企业参加市重点展会目录内的境外展会,按展位费的50%给予补助,单个企业每年最高补助20万元,所需资金从市级商务发展专项资金中列支。',
    '(牵头单位:市商务局;配合单位:市财政局、市贸促会)',
  ],
  [
    '加大出口信用保险支持',
    '对投保短期出口信用保险的小微外贸企业,按实际缴纳保费的30%给予补贴,鼓励保险机构扩大承保覆盖面,提高理赔效率。',
    '(市商务局牵头,市财政局、市金融办配合)',
  ],
  [
    '支持跨境电商发展',
    '对新建并投入运营的跨境电商海外仓,按实际投资额的10%给予一次性奖励,最高不超过50万元;对跨境电商企业年出口额首次超过1亿元的,奖励30万元。',
    '(牵头单位:市商务局;配合单位:市财政局)',
  ],
  [
    '优化外贸企业融资服务',
    '引导银行机构开发订单融资、出口退税账户质押融资等产品,对外贸企业贷款给予不超过贷款市场报价利率50%的贴息,单个企业每年贴息不超过100万元。',
    '(牵头单位:市金融办;配合单位:市商务局、人民银行某某市分行)',
  ],
  [
    '提升通关便利化水平',
    '推广“提前申报”“两步申报”等通关模式,压缩进出口整体通关时间,对企业查验没有问题的,免除吊装、移位、仓储等费用。',
    '(牵头单位:某某海关;配合单位:市商务局、市交通运输局)',
  ],
  [
    '加快出口退税办理',
    '对一类、二类出口企业正常出口退税的平均办理时间压缩至3个工作日以内,推行出口退税备案单证数字化管理。',
    '(牵头单位:市税务局;配合单位:市商务局)',
  ],
  [
    '培育外贸新业态主体',
    '支持市场采购贸易、外贸综合服务企业发展,对新认定的市级外贸综合服务企业给予20万元奖励。',
    '(牵头单位:市商务局;配合单位:市市场监管局、市税务局)',
  ],
  [
    '加强外贸人才培养',
    '支持高校和职业院校开设跨境电商、国际贸易相关专业,对企业开展外贸人才培训的,按培训费用的50%给予补助。',
    '(牵头单位:市人力资源社会保障局;配合单位:市教育局、市商务局)',
  ],
] as const;
const TABLE_ROWS = [
  ['1', '建设跨境电商产业园,引进跨境电商企业20家以上', '市商务局', '市发展改革局、市自然资源局', '2024年底'],
  ['2', '培育外贸综合服务企业3家以上', '市商务局', '市税务局', '2025年6月'],
  ['3', '开通国际货运班列每周2列', '市交通运输局', '某某海关', '2024年9月'],
] as const;

/** The rows as HTML, rows 1 and 2 sharing one merged 牵头单位 cell (both are 市商务局's). */
const tableRowsHtml = () =>
  TABLE_ROWS.map(
    (row, index) =>
      `<tr>${row.map((cell, column) => (column !== 2 ? `<td>${cell}</td>` : index === 0 ? `<td rowspan="2">${cell}</td>` : index === 1 ? '' : `<td>${cell}</td>`)).join('')}</tr>`,
  ).join('');

function policyPage(convert: (text: string) => string): string {
  const measures = MEASURES.map(
    ([title, body, note], index) => `<p>${['一', '二', '三', '四', '五', '六', '七', '八'][index]}、${title}。${body}${note}</p>`,
  ).join('\n');
  const rows = tableRowsHtml();
  return convert(`<html><head><meta charset="utf-8"><style>
body { font-family: 'Noto Serif CJK SC', serif; font-size: 16pt; line-height: 1.6; }
h1 { font-size: 20pt; text-align: center; font-weight: normal; } p { margin: 0; text-indent: 2em; text-align: justify; }
table { border-collapse: collapse; width: 100%; margin-top: 8pt; } td, th { border: 1.5px solid #000; padding: 4pt 6pt; font-size: 14pt; }
</style></head><body>
<h1>某某市促进外贸稳规模优结构若干措施</h1>
<p style="text-align:center;text-indent:0">某府办〔2024〕21号</p>
<p>为推动全市外贸稳规模、优结构,结合我市实际,制定如下措施。</p>
${measures}
<p>本措施自2024年6月1日起施行,有效期至2026年12月31日。</p>
<p style="text-indent:0;margin-top:12pt">附件</p>
<p style="text-align:center;text-indent:0">某某市外贸重点任务分工表</p>
<table><thead><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>`);
}

let browser: Browser;
let files: string;
const made: Record<string, string> = {};

beforeAll(async () => {
  files = mkdtempSync(path.join(tmpdir(), 'policybot-pdf-'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 1400 }, deviceScaleFactor: 1 });
  const header = '<div style="font-size:9pt;width:100%;text-align:center;font-family:Noto Serif CJK SC">某某市人民政府办公室文件</div>';
  const footer = '<div style="font-size:10pt;width:100%;text-align:center;font-family:Noto Serif CJK SC">— <span class="pageNumber"></span> —</div>';
  for (const [name, convert] of [
    ['simplified', (text: string) => text],
    ['traditional', toTraditional],
  ] as const) {
    await page.setContent(policyPage(convert));
    made[`${name}.pdf`] = path.join(files, `${name}.pdf`);
    writeFileSync(
      made[`${name}.pdf`]!,
      await page.pdf({
        format: 'A4',
        displayHeaderFooter: true,
        headerTemplate: header,
        footerTemplate: footer,
        margin: { top: '25mm', bottom: '25mm', left: '26mm', right: '26mm' },
      }),
    );
  }
  // The task list as an image: the attachment alone, as 茂名 published theirs.
  const attachment = (convert: (text: string) => string) =>
    convert(`<html><head><meta charset="utf-8"><style>
body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 20px; padding: 30px; background: #fff; width: 900px; }
table { border-collapse: collapse; width: 100%; } td, th { border: 2px solid #000; padding: 10px; }
</style></head><body><p style="text-align:center;font-size:26px">某某市优化营商环境任务清单</p>
<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
${tableRowsHtml()}</table></body></html>`);
  for (const [name, convert] of [
    ['attachment', (text: string) => text],
    ['attachment-traditional', toTraditional],
  ] as const) {
    await page.setContent(attachment(convert));
    made[`${name}.png`] = path.join(files, `${name}.png`);
    writeFileSync(made[`${name}.png`]!, await page.screenshot({ fullPage: true }));
  }
  // A scan: a picture of a policy page as the only content of a PDF page.
  await page.setViewportSize({ width: 1000, height: 1300 });
  await page.setContent(`<html><head><meta charset="utf-8"><style>body { font-family: 'Noto Serif CJK SC'; font-size: 24px; line-height: 1.7; padding: 50px; background: #fff; } p { margin: 0; text-indent: 2em; }</style></head><body>
<p style="text-align:center;text-indent:0;font-size:30px">某某县支持小微企业纾困若干措施</p>
<p style="text-align:center;text-indent:0">某政办发[2024]5号</p>
<p>一、减免小微企业房租。对承租县属国有房屋的小微企业,免除3个月租金。(牵头单位:县国资局;配合单位:县财政局)</p>
<p>二、降低融资担保费率。政府性融资担保机构对小微企业的担保费率降至1%以下。(牵头单位:县金融办;配合单位:县财政局、县融资担保公司)</p>
<p>三、支持稳岗扩岗。对不裁员或少裁员的小微企业,按规定返还失业保险费。(县人社局牵头,县税务局配合)</p>
</body></html>`);
  const scan = (await page.screenshot({ fullPage: true })).toString('base64');
  await page.setContent(`<html><body style="margin:0"><img src="data:image/png;base64,${scan}" style="width:100%"></body></html>`);
  made['scan.pdf'] = path.join(files, 'scan.pdf');
  writeFileSync(made['scan.pdf']!, await page.pdf({ format: 'A4', margin: { top: '0', bottom: '0', left: '0', right: '0' } }));
  await page.setContent('<html><body style="background:#fff"></body></html>');
  made['blank.png'] = path.join(files, 'blank.png');
  writeFileSync(made['blank.png']!, await page.screenshot());
  await page.close();
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

const recognizer = new PaddleRecognizer();
const departments = (document: PolicyDocument) => document.clauses.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments]);
const corpusDir = () => mkdtempSync(path.join(tmpdir(), 'policybot-corpus-'));

describe('a text PDF', () => {
  it.each(['simplified', 'traditional'])(
    'in %s script: measures in reading order, departments, and the ruled table as rows',
    async (script) => {
      const read = await readDocumentFile(made[`${script}.pdf`]!, { recognizer });
      expect(read.pages).toBeGreaterThanOrEqual(2);
      expect(read.warnings).toEqual([]);
      expect(read.text).not.toMatch(/某某市人民政府办公室文件|— ?\d+ ?—/);
      const document = await addDocument(corpusDir(), made[`${script}.pdf`]!, { recognizer });
      expect(document.title).toBe('某某市促进外贸稳规模优结构若干措施');
      expect(document.docNumber).toBe('某府办〔2024〕21号');
      expect(document.validity).toMatchObject({ effectiveFrom: '2024-06-01', effectiveUntil: '2026-12-31' });
      const measures = document.clauses.filter((clause) => !clause.citeLabel.startsWith('附件'));
      expect(measures.map((clause) => clause.citeLabel)).toEqual(['一', '二', '三', '四', '五', '六', '七', '八']);
      expect(departments(document).slice(0, 8)).toEqual([
        ['一', ['市商务局'], ['市财政局', '市贸促会']],
        ['二', ['市商务局'], ['市财政局', '市金融办']],
        ['三', ['市商务局'], ['市财政局']],
        ['四', ['市金融办'], ['市商务局', '人民银行某某市分行']],
        ['五', ['某某海关'], ['市商务局', '市交通运输局']],
        ['六', ['市税务局'], ['市商务局']],
        ['七', ['市商务局'], ['市市场监管局', '市税务局']],
        ['八', ['市人力资源社会保障局'], ['市教育局', '市商务局']],
      ]);
      // Every measure whole: lines rejoined within and across pages, no running header or page number inside.
      measures.forEach((clause, index) => {
        const [, body] = MEASURES[index]!;
        expect(indexText(clause, document).replace(/\s/g, '')).toContain(body.replace(/,/g, ',').replace(/\s/g, ''));
        expect(clause.text).not.toMatch(/某某市人民政府办公室文件|— \d —|—\d—/);
      });
      expect(
        document.clauses
          .filter((clause) => clause.citeLabel.startsWith('附件'))
          .map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments, clause.period]),
      ).toEqual([
        ['附件 序号1 工作任务', ['市商务局'], ['市发展改革局', '市自然资源局'], '2024年底'],
        ['附件 序号2 工作任务', ['市商务局'], ['市税务局'], '2025年6月'],
        ['附件 序号3 工作任务', ['市交通运输局'], ['某某海关'], '2024年9月'],
      ]);
      if (script === 'traditional') expect(measures[0]!.text).toContain('對企業參加');
    },
    300_000,
  );
});

describe('scans and images, read by OCR', () => {
  it('reads a scanned PDF page: 文号 normalised, measures and departments, and a warning to check it', async () => {
    const document = await addDocument(corpusDir(), made['scan.pdf']!, { recognizer });
    expect(document.docNumber).toBe('某政办发〔2024〕5号');
    expect(departments(document)).toEqual([
      ['一', ['县国资局'], ['县财政局']],
      ['二', ['县金融办'], ['县财政局', '县融资担保公司']],
      ['三', ['县人社局'], ['县税务局']],
    ]);
    expect(document.clauses[0]!.text).toContain('免除3个月租金');
    expect(document.warnings).toContain('全文为扫描件,已用 OCR 识别,请对照原件核对');
  }, 300_000);

  it.each(['attachment', 'attachment-traditional'])(
    'makes a task list published as an image (%s) into clauses',
    async (name) => {
      const document = await addDocument(corpusDir(), made[`${name}.png`]!, { recognizer, title: '某某市优化营商环境任务清单' });
      const rows = document.clauses.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments, clause.period]);
      expect(rows.slice(0, 2)).toEqual([
        ['表 序号1 工作任务', ['市商务局'], ['市发展改革局', '市自然资源局'], '2024年底'],
        ['表 序号2 工作任务', ['市商务局'], ['市税务局'], '2025年6月'],
      ]);
      expect(rows[2]!.slice(0, 2)).toEqual(['表 序号3 工作任务', ['市交通运输局']]);
      expect(rows[2]![3]).toBe('2024年9月');
      // PP-OCRv4 reads 關 of the traditional 某某海關 wrongly at this size; the simplified 海关 it reads.
      if (name === 'attachment') expect(rows[2]![2]).toEqual(['某某海关']);
      expect(document.warnings[0]).toBe('图片已用 OCR 识别,请对照原件核对');
      expect(indexText(document.clauses[0]!, document)).toContain('建设跨境电商产业园');
    },
    300_000,
  );

  it('reads the image a saved web page shows as its attachment (the page\'s "_files" folder)', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'policybot-saved-page-'));
    cpSync(made['attachment.png']!, path.join(folder, 'notice_files', 'image001.png'));
    const page = path.join(folder, 'notice.html');
    writeFileSync(
      page,
      `<html><head><meta charset="utf-8"></head><body><h1>某某市关于印发优化营商环境任务清单的通知</h1>
<p>一、各单位要按照任务清单抓好落实。(市发展改革局负责)</p><p>附件</p><p>某某市优化营商环境任务清单</p>
<p><img src="notice_files/image001.png" alt="任务清单"></p><p><img src="https://example.invalid/logo.png"></p></body></html>`,
    );
    const document = await addDocument(corpusDir(), page, { recognizer });
    expect(document.missingAttachments).toEqual([]);
    expect(document.clauses.map((clause) => clause.citeLabel)).toEqual(['一', '附件 序号1 工作任务', '附件 序号2 工作任务', '附件 序号3 工作任务']);
    expect(document.clauses[2]!.leadDepartments).toEqual(['市商务局']);
    expect(document.warnings).toContain('页面中 1 张图片已用 OCR 识别,请对照原件核对');
  }, 300_000);

  it("attaches an image to a document whose attachment was missing (茂名's task list)", async () => {
    const directory = corpusDir();
    cpSync('corpus/documents', directory, { recursive: true });
    const before = loadCorpus(directory).document('002')!;
    expect(before.missingAttachments).toEqual(['茂名市优化营商环境三年行动方案任务清单']);
    const document = await addDocument(directory, made['attachment.png']!, { recognizer, attachTo: '002' });
    expect(document.docId).toBe('002');
    expect(document.missingAttachments).toEqual([]);
    const rows = document.clauses.filter((clause) => clause.citeLabel.startsWith('附件'));
    expect(rows.map((clause) => clause.citeLabel)).toEqual(['附件 序号1 工作任务', '附件 序号2 工作任务', '附件 序号3 工作任务']);
    expect(rows[0]!.path).toEqual(['附件 茂名市优化营商环境三年行动方案任务清单']);
    expect(rows[2]!.leadDepartments).toEqual(['市交通运输局']);
    // The measures of the text itself are as they were; the corpus reloads to the same result.
    expect(document.clauses.filter((clause) => !clause.citeLabel.startsWith('附件')).map((clause) => clause.clauseId)).toEqual(
      before.clauses.map((clause) => clause.clauseId),
    );
    expect(loadCorpus(directory).document('002')!.clauses).toEqual(document.clauses);
  }, 300_000);
});

describe('bad input is refused with a clear message and the corpus unchanged', () => {
  const refused = async (file: string, code: string) => {
    const directory = corpusDir();
    cpSync('corpus/documents', directory, { recursive: true });
    const before = readdirSync(directory)
      .sort()
      .map((name) => [name, readFileSync(path.join(directory, name), 'utf8')]);
    const error = await addDocument(directory, file, { recognizer }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusParseError);
    expect((error as CorpusParseError).code).toBe(code);
    expect((error as Error).message).toContain(path.basename(file));
    expect(
      readdirSync(directory)
        .sort()
        .map((name) => [name, readFileSync(path.join(directory, name), 'utf8')]),
    ).toEqual(before);
    return (error as Error).message;
  };

  it('an encrypted PDF', async () => {
    const encrypted = path.join(files, 'encrypted.pdf');
    execFileSync('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', made['simplified.pdf']!, encrypted]);
    expect(await refused(encrypted, 'ENCRYPTED_PDF')).toContain('加密');
  });

  it('a corrupt PDF', async () => {
    const corrupt = path.join(files, 'corrupt.pdf');
    writeFileSync(corrupt, readFileSync(made['simplified.pdf']!).subarray(0, 3000));
    expect(await refused(corrupt, 'UNREADABLE_PDF')).toContain('损坏');
  });

  it('an image with no text', async () => {
    expect(await refused(made['blank.png']!, 'NO_TEXT_IN_IMAGE')).toContain('没有识别出文字');
  }, 120_000);

  it('a 100 MB file', async () => {
    const big = path.join(files, 'big.pdf');
    writeFileSync(big, '%PDF-1.7\n');
    truncateSync(big, 100 * 1024 * 1024);
    expect(await refused(big, 'FILE_TOO_LARGE')).toContain('100.0 MB,超过 64.0 MB 的上限');
  });
});
