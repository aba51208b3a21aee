import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { beforeEach, describe, expect, it } from 'vitest';
import { addDocument, loadCorpus } from '../../corpus/corpus-library.ts';
import { readDocumentFile } from '../../corpus/readers/document-reader.ts';

/** A city's web page as an officer saves it: GB2312 declared, entities, site chrome, and a task table. */
const PAGE = `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某市人民政府办公室关于印发某某市支持外贸企业稳订单拓市场若干措施的通知_某某市人民政府门户网站</title>
<style>.nav { color: red } p { text-indent: 2em }</style>
<script>var menu = "一、首页 二、政务公开"; document.write('<p>脚本写入</p>');</script>
</head><body>
<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/zcwj">政策文件</a></div>
<div class="article">
<h1>某某市人民政府办公室关于印发某某市支持外贸企业稳订单拓市场若干措施的通知</h1>
<p class="info">发布日期:2024-03-08 &nbsp; 来源:市政府办公室 &nbsp; 【字体:<a>大</a> <a>中</a> <a>小</a>】</p>
<p style="text-align:center">某府办&#12308;2024&#12309;9号</p>
<p>各区县人民政府,市政府各部门:</p>
<p>&emsp;&emsp;现将《某某市支持外贸企业稳订单拓市场若干措施》印发给你们,请认真贯彻执行。</p>
<p>某某市人民政府办公室</p>
<p>2024年3月8日</p>
<p style="text-align:center"><b>某某市支持外贸企业稳订单拓市场若干措施</b></p>
<p>一、支持企业参加境外展会。对企业参加&ldquo;市重点展会目录&rdquo;内境外展会的,按展位费的50%给予补助&mdash;&mdash;单个企业每年最高20万元。(牵头单位:市商务局;配合单位:市财政局&#12289;市贸促会)</p>
<p>二、加大出口信用保险支持。对投保短期出口信用保险的小微企业,按保费的30%给予补贴。(市商务局、市财政局,列第一位的为牵头单位,下同)</p>
<p>三、支持跨境电商发展。对新建的跨境电商海外仓给予一次性奖励30万元。(市商务局、市发展改革局、市财政局)</p>
<p>本措施自2024年4月1日起施行,有效期至2026年12月31日。</p>
<p>附件</p>
<p>某某市外贸稳订单重点任务清单</p>
<table border="1">
<thead><tr><th>序号</th><th>总体任务</th><th>重点工作</th><th>全市目标</th><th>落实举措</th><th>实施阶段</th><th>责任单位</th><th>分管领导</th><th>联络员</th></tr></thead>
<tbody>
<tr><td>1</td><td rowspan="2">一、稳住外贸主体</td><td>(一)培育外贸企业</td><td>1.新增有进出口实绩企业50家。<br>2.外贸企业总数达到800家。</td><td><p>1.开展外贸企业“扩面”行动。</p><p>2.建立重点外贸企业联系制度。</p></td><td>2024-2025年</td><td>*市商务局、市市场监管局、市税务局</td><td>张某某</td><td>李某某</td></tr>
<tr><td>2</td><td>(二)稳定外贸订单</td><td>重点企业订单保持稳定。</td><td>1.组织企业参加广交会等重点展会。<br>2.对接海外采购商。</td><td>2024年底</td><td>市贸促会、*市商务局</td><td>张某某</td><td>王某某</td></tr>
</tbody></table>
<div class="share">分享到:<a>微信</a><a>微博</a><a>QQ空间</a></div>
</div>
<div class="footer"><p>主办单位:某某市人民政府办公室 &nbsp; 网站标识码:1234567890 &nbsp; 备案号:某ICP备12345678号</p></div>
</body></html>`;

/** A page whose task table names its departments in 牵头单位 and 配合单位 columns, a merged cell among them. */
const COLUMN_PAGE = `<html><head><meta charset="utf-8"></head><body>
<p>某某区2024年优化营商环境重点任务分工表</p>
<table>
<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td><td>完成时限</td></tr>
<tr><td>1</td><td>推行企业开办“一网通办”,开办时间压缩至1个工作日内。</td><td rowspan="2">区市场监管局</td><td>区税务局、区公安分局</td><td>2024年6月</td></tr>
<tr><td>2</td><td>推进“证照分离”改革全覆盖。</td><td>区司法局</td><td>2024年底</td></tr>
<tr><td>3</td><td>优化工程建设项目审批流程。</td><td>区住房城乡建设局</td><td>区自然资源局、区发展改革局</td><td>长期</td></tr>
</table></body></html>`;

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'policybot-html-'));
});
const write = (name: string, content: string | Buffer) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'policybot-upload-')), name);
  writeFileSync(file, content);
  return file;
};

describe('a web page saved in GB18030', () => {
  it('decodes by its declared charset, decodes every entity, and drops scripts, styles and site navigation', async () => {
    const read = await readDocumentFile(write('page.html', iconv.encode(PAGE, 'gb18030')));
    expect(read.format).toBe('html');
    expect(read.text).toContain('对企业参加“市重点展会目录”内境外展会的');
    expect(read.text).toContain('50%给予补助——单个企业');
    expect(read.text).toContain('配合单位:市财政局、市贸促会');
    expect(read.text).toContain('某府办〔2024〕9号');
    expect(read.text).toMatch(/^现将《某某市支持外贸企业/m);
    expect(read.text).not.toMatch(/&[a-z]+;|&#\d+;/);
    for (const chrome of ['var menu', '脚本写入', 'text-indent', '办事服务', '当前位置', '分享到', '网站标识码', '字体', '门户网站'])
      expect(read.text).not.toContain(chrome);
  });

  it('keeps the table as rows and reads its rows like the 乐清 attachment', async () => {
    const document = await addDocument(directory, write('page.html', iconv.encode(PAGE, 'gb18030')), { region: '某省某某市' });
    expect(document.title).toBe('某某市支持外贸企业稳订单拓市场若干措施');
    expect(document.docNumber).toBe('某府办〔2024〕9号');
    expect(document.validity).toMatchObject({ effectiveFrom: '2024-04-01', effectiveUntil: '2026-12-31' });
    const measures = document.clauses.filter((clause) => !clause.citeLabel.startsWith('附件'));
    expect(measures.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments])).toEqual([
      ['一', ['市商务局'], ['市财政局', '市贸促会']],
      ['二', ['市商务局'], ['市财政局']],
      ['三', ['市商务局'], ['市发展改革局', '市财政局']],
    ]);
    const rows = document.clauses.filter((clause) => clause.citeLabel.startsWith('附件'));
    expect(rows.map((clause) => clause.citeLabel)).toEqual([
      '附件 序号1 全市目标1',
      '附件 序号1 全市目标2',
      '附件 序号1 落实举措1',
      '附件 序号1 落实举措2',
      '附件 序号2 全市目标',
      '附件 序号2 落实举措1',
      '附件 序号2 落实举措2',
    ]);
    const first = rows[2]!;
    expect(first.text).toBe('1.开展外贸企业“扩面”行动。');
    expect(first.path).toEqual(['附件 某某市外贸稳订单重点任务清单', '一、稳住外贸主体', '(一)培育外贸企业']);
    expect(first.leadDepartments).toEqual(['市商务局']);
    expect(first.supportDepartments).toEqual(['市市场监管局', '市税务局']);
    expect(first.period).toBe('2024-2025年');
    expect(first.details).toMatchObject({ 全市目标: '1.新增有进出口实绩企业50家。2.外贸企业总数达到800家。', 分管领导: '张某某', 联络员: '李某某' });
    // The merged 总体任务 cell stands over the second row too.
    expect(rows[5]!.path).toEqual(['附件 某某市外贸稳订单重点任务清单', '一、稳住外贸主体', '(二)稳定外贸订单']);
    expect(rows[5]!.leadDepartments).toEqual(['市商务局']);
    expect(rows[5]!.supportDepartments).toEqual(['市贸促会']);
    expect(document.missingAttachments).toEqual([]);
    // What was stored is parsed the same way when the corpus is loaded again.
    expect(loadCorpus(directory).documents[0]!.clauses).toEqual(document.clauses);
  });

  it('reads department columns of a table: 牵头单位 leads, 配合单位 supports, a merged cell for each row it covers', async () => {
    const document = await addDocument(directory, write('tasks.html', COLUMN_PAGE));
    expect(document.clauses.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments, clause.period])).toEqual([
      ['表 序号1 工作任务', ['区市场监管局'], ['区税务局', '区公安分局'], '2024年6月'],
      ['表 序号2 工作任务', ['区市场监管局'], ['区司法局'], '2024年底'],
      ['表 序号3 工作任务', ['区住房城乡建设局'], ['区自然资源局', '区发展改革局'], '长期'],
    ]);
    expect(document.clauses[0]!.path).toEqual(['某某区2024年优化营商环境重点任务分工表']);
  });
});

/** A .docx written the way Word writes one: paragraphs and a table in word/document.xml. */
async function docx(paragraphs: string[], table: string[][]): Promise<Buffer> {
  const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const paragraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
  const cell = (text: string) => `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>${text.split('\n').map(paragraph).join('')}</w:tc>`;
  const body = `${paragraphs.map(paragraph).join('')}<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${table.map((row) => `<w:tr>${row.map(cell).join('')}</w:tr>`).join('')}</w:tbl>${paragraph('')}`;
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('a .docx with a table', () => {
  it('keeps the table as a table: each row a clause with its departments', async () => {
    const file = write(
      'tasks.docx',
      await docx(
        ['某某县2024年稳就业工作任务分解表', '附件', '某某县稳就业重点任务清单'],
        [
          ['序号', '重点任务', '具体措施', '责任单位', '完成时限'],
          ['1', '稳定就业岗位', '1.落实失业保险稳岗返还政策。\n2.开展“春风行动”招聘会10场以上。', '县人社局(牵头)、县财政局', '2024年底'],
          ['2', '促进高校毕业生就业', '开发见习岗位300个。', '县人社局、县教育局', '2024年9月'],
        ],
      ),
    );
    const read = await readDocumentFile(file);
    expect(read.format).toBe('docx');
    expect(read.text).toContain('| 序号 | 重点任务 | 具体措施 | 责任单位 | 完成时限 |');
    const document = await addDocument(directory, file, { title: '某某县2024年稳就业工作任务分解表' });
    expect(document.clauses.map((clause) => [clause.citeLabel, clause.leadDepartments, clause.supportDepartments])).toEqual([
      ['附件 序号1 具体措施1', ['县人社局'], ['县财政局']],
      ['附件 序号1 具体措施2', ['县人社局'], ['县财政局']],
      ['附件 序号2 具体措施', ['县人社局', '县教育局'], []],
    ]);
    expect(document.clauses[0]!.path).toEqual(['附件 某某县稳就业重点任务清单', '稳定就业岗位']);
  });
});
