import iconv from 'iconv-lite';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { CorpusParseError } from '../errors.ts';
import { gridToText, type TableGrid } from '../table-grid.ts';
import { checkedText, decodeText } from '../text-decoding.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** What an image in the page reads as (OCR), or null when the image is not available. */
export type ImageTextReader = (source: string) => Promise<string[] | null>;

const DROPPED = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'form',
  'select',
  'button',
  'input',
  'textarea',
  'svg',
  'canvas',
  'nav',
  'aside',
  'footer',
  'map',
  'audio',
  'video',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'center',
  'address',
  'figure',
  'figcaption',
  'hr',
  'tr',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'caption',
  'body',
  'html',
  'font',
]);
/** Site chrome named by role, class or id: menus, breadcrumbs, share bars, footers. */
const CHROME_ROLE = /^(navigation|banner|contentinfo|search|menu|menubar)$/;
const CHROME_NAME = /(^|[-_\s])(nav|navbar|navigation|menu|breadcrumbs?|crumbs?|footer|sidebar|share|toolbar|copyright|topbar|skip)([-_\s\d]|$)/i;
/** Lines that are the site's tools, not the document: "【字体:大 中 小】", "打印本页 关闭窗口", "当前位置:首页 > …". */
const TOOL_LINE = /^(【?\s*(字体|字号)\s*[:：]|当前位置\s*[:：]|您现在的位置|分享到\s*[:：]?|【?\s*(打印(本页)?|关闭(窗口|本页)?|返回顶部|收藏)\s*】?\s*)/;

const TOOL_FRAGMENT = /【\s*(字体|字号)\s*[:：][^】]*】|【\s*(打印|关闭|收藏)\s*】/g;

/**
 * Reads a web page as the published text: every entity decoded (parse5 follows the HTML standard), scripts,
 * styles and site navigation dropped, paragraphs one a line, data tables kept as rows (table-grid.ts), and
 * images the page shows replaced by what `readImage` reads in them.
 */
export async function readHtml(bytes: Uint8Array, documentName: string, readImage?: ImageTextReader): Promise<string> {
  const html = decodeHtml(bytes, documentName);
  const document = parse(html);
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    const text = tidy(line.replace(TOOL_FRAGMENT, ' '));
    if (text && !TOOL_LINE.test(text)) lines.push(text);
    line = '';
  };
  const walk = async (node: Node): Promise<void> => {
    if (node.nodeName === '#text') {
      line += (node as DefaultTreeAdapterMap['textNode']).value;
      return;
    }
    if (!('tagName' in node)) {
      if ('childNodes' in node) for (const child of node.childNodes) await walk(child);
      return;
    }
    const element = node as Element;
    const tag = element.tagName;
    if (DROPPED.has(tag) || isChrome(element)) return;
    if (tag === 'br') {
      flush();
      return;
    }
    if (tag === 'img') {
      const source = attribute(element, 'src');
      const read = source && readImage ? await readImage(source) : null;
      if (read) {
        flush();
        lines.push(...read);
      }
      return;
    }
    if (tag === 'table' && isDataTable(element)) {
      flush();
      lines.push(...gridToText(await tableGrid(element, readImage)));
      return;
    }
    const block = BLOCKS.has(tag) || tag === 'td' || tag === 'th';
    if (block) flush();
    for (const child of element.childNodes) await walk(child);
    if (block) flush();
  };
  await walk(document);
  flush();
  const text = lines.join('\n');
  checkedText(text, documentName);
  return text;
}

/** Decodes a page by its BOM, then its declared charset (<meta charset>, http-equiv), then as text files are. */
export function decodeHtml(bytes: Uint8Array, documentName: string): string {
  if (bytes.length === 0) throw new CorpusParseError('EMPTY_FILE', `${documentName} 是空文件,没有可加入的内容。`, documentName);
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  const hasBom = (bytes[0] === 0xef && bytes[1] === 0xbb) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!hasBom && declared && /^(gb2312|gbk|gb18030|x-gbk|cp936|big5|big5-hkscs)$/.test(declared)) {
    // GB2312 and GBK pages are decoded as GB18030, their superset (sites declare gb2312 and use GBK characters).
    return iconv.decode(Buffer.from(bytes), declared.startsWith('big5') ? 'big5' : 'gb18030');
  }
  if (!hasBom && declared === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      /* a page that declares UTF-8 but is not: decode as text files are */
    }
  }
  return decodeText(bytes, documentName, { checkLanguage: false }).text;
}

function attribute(element: Element, name: string): string | null {
  return element.attrs.find((attr) => attr.name === name)?.value ?? null;
}

function isChrome(element: Element): boolean {
  const role = attribute(element, 'role');
  if (role && CHROME_ROLE.test(role)) return true;
  if (attribute(element, 'hidden') !== null || /display\s*:\s*none/i.test(attribute(element, 'style') ?? '')) return true;
  if (CHROME_NAME.test(attribute(element, 'class') ?? '') || CHROME_NAME.test(attribute(element, 'id') ?? '')) return true;
  // A block that is mostly links is a menu or a list of other pages.
  if (['ul', 'ol', 'div', 'header', 'p', 'section', 'dl'].includes(element.tagName)) {
    const links = descendants(element).filter((node) => 'tagName' in node && node.tagName === 'a');
    if (links.length >= 3) {
      const all = textOf(element).replace(/\s+/g, '').length;
      const linked = links.reduce((sum, link) => sum + textOf(link as Element).replace(/\s+/g, '').length, 0);
      if (all > 0 && linked / all >= 0.7) return true;
    }
  }
  return false;
}

function descendants(node: Node): Node[] {
  if (!('childNodes' in node)) return [];
  return node.childNodes.flatMap((child) => [child, ...descendants(child)]);
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  if (!('childNodes' in node)) return '';
  if ('tagName' in node && DROPPED.has(node.tagName)) return '';
  return node.childNodes.map(textOf).join('');
}

const rowsOf = (table: Element): Element[] =>
  table.childNodes.flatMap((child) => {
    if (!('tagName' in child)) return [];
    if (child.tagName === 'tr') return [child];
    if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) return child.childNodes.filter((row): row is Element => 'tagName' in row && row.tagName === 'tr');
    return [];
  });

/** A table of data: rows of at least two cells, no table inside (pages laid out with tables nest them). */
function isDataTable(table: Element): boolean {
  if (descendants(table).some((node) => 'tagName' in node && node.tagName === 'table')) return false;
  const rows = rowsOf(table);
  const wide = rows.filter((row) => row.childNodes.filter((cell) => 'tagName' in cell && (cell.tagName === 'td' || cell.tagName === 'th')).length >= 2);
  return rows.length >= 2 && wide.length >= 2;
}

/** The table's cells with rowspan/colspan expanded: a merged cell's text stands in every row and column it covers. */
async function tableGrid(table: Element, readImage?: ImageTextReader): Promise<TableGrid> {
  const grid: TableGrid = [];
  const rows = rowsOf(table);
  for (const [rowIndex, row] of rows.entries()) {
    grid[rowIndex] ??= [];
    let column = 0;
    for (const cell of row.childNodes) {
      if (!('tagName' in cell) || (cell.tagName !== 'td' && cell.tagName !== 'th')) continue;
      while (grid[rowIndex]![column] !== undefined) column += 1;
      const text = await cellText(cell as Element, readImage);
      const rowSpan = Math.max(1, Math.min(200, Number(attribute(cell as Element, 'rowspan')) || 1));
      const colSpan = Math.max(1, Math.min(50, Number(attribute(cell as Element, 'colspan')) || 1));
      for (let down = 0; down < rowSpan && rowIndex + down < rows.length; down += 1) {
        grid[rowIndex + down] ??= [];
        for (let across = 0; across < colSpan; across += 1) grid[rowIndex + down]![column + across] = text;
      }
      column += colSpan;
    }
  }
  return grid.map((row) => Array.from({ length: row.length }, (_, index) => row[index] ?? ''));
}

async function cellText(cell: Element, readImage?: ImageTextReader): Promise<string> {
  const paragraphs: string[] = [];
  let line = '';
  const flush = () => {
    const text = tidy(line);
    if (text) paragraphs.push(text);
    line = '';
  };
  const walk = async (node: Node): Promise<void> => {
    if (node.nodeName === '#text') {
      line += (node as DefaultTreeAdapterMap['textNode']).value;
      return;
    }
    if (!('tagName' in node)) return;
    const element = node as Element;
    if (DROPPED.has(element.tagName)) return;
    if (element.tagName === 'br') {
      flush();
      return;
    }
    if (element.tagName === 'img') {
      const source = attribute(element, 'src');
      const read = source && readImage ? await readImage(source) : null;
      if (read) {
        flush();
        paragraphs.push(...read);
      }
      return;
    }
    const block = BLOCKS.has(element.tagName);
    if (block) flush();
    for (const child of element.childNodes) await walk(child);
    if (block) flush();
  };
  for (const child of cell.childNodes) await walk(child);
  flush();
  return paragraphs.join('\n');
}

/** HTML whitespace collapsed; no space left between two Chinese characters (a line break in the page source). */
function tidy(text: string): string {
  return text
    .replace(/[ \t\n\r\f]+/g, ' ')
    .replace(/(?<=[\u4e00-\u9fff])[ \u00a0\u3000]+(?=[\u4e00-\u9fff])/g, '')
    .replace(/^[\s\u00a0\u2002-\u200b\u3000]+|[\s\u00a0\u2002-\u200b\u3000]+$/g, '');
}
