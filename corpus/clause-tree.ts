import { canonicalLabel, readDamagedParenLabel, readLabel, type ClauseLabel, type LabelKind } from './clause-labels.ts';

/** A numbered part of a document's body, before departments are assigned. */
export interface ClauseNode {
  label: ClauseLabel;
  /** Heading words after the label ("进一步降低企业税费负担"), when the part has them. */
  title: string | null;
  /** Own text as published, label included; children's text is not repeated here. */
  text: string;
  children: ClauseNode[];
  parent: ClauseNode | null;
}

/** A paragraph of the body in two forms: as published, and simplified/half-width for recognising structure. */
export interface BodyLine {
  original: string;
  view: string;
  /** The line was garbled in the source (see mojibake-repair.ts). */
  damaged: boolean;
}

export interface ClauseTree {
  roots: ClauseNode[];
  /** Text before the first numbered part. */
  preamble: string[];
  /** Lines after the numbered parts end (validity statement, signature, contact). */
  closing: string[];
  warnings: string[];
}

/** Paragraphs that close a document rather than continue its last measure. */
const CLOSING_LINE =
  /^(本(文件|措施|意见|方案|办法|通知|规定|举措|细则|政策|计划|实施意见)[^。]{0,30}(施行|实施|执行|有效|为准|解释)|上述[^。]{0,20}(措施|政策|意见)|以上[^。]{0,10}(措施|政策)|附件\d*[:：]|[(（]?联系人|[(（]此件|\d{4}年\d{1,2}月\d{1,2}日$)/;

/** A signature line: the issuing body alone on a line, just before a date line. */
const SIGNATURE = /^[\u4e00-\u9fff()()]{4,40}(办公室|人民政府|局|委员会|委|厅|管委会|办)$/;
const DATE_LINE = /^\d{4}年\d{1,2}月\d{1,2}日$/;

/**
 * Builds the tree of numbered parts. The level of each kind of label is the order in which kinds first
 * appear; a label is accepted only where it continues the numbering (n+1 under the same parent, 1 under a
 * new parent, or the document's running count for numbering that runs on across headings). Anything else
 * that merely looks like a label is text. This is what lets one rule read a one-line document (labels
 * inline after a space), a 第X条 document, and documents whose headings were garbled.
 */
export function buildClauseTree(lines: BodyLine[]): ClauseTree {
  const levels: LabelKind[] = [];
  const counters: number[] = [];
  const runningCount = new Map<LabelKind, number>();
  const roots: ClauseNode[] = [];
  // Open parts, outermost first, with their level; a level may be skipped ("三、" directly followed by "55.").
  const stack: { node: ClauseNode; level: number }[] = [];
  const preamble: string[] = [];
  const closing: string[] = [];
  const warnings: string[] = [];
  let closed = false;

  const deepestLevel = () => stack[stack.length - 1]?.level ?? -1;
  const accepts = (label: ClauseLabel): number | null => {
    const level = levels.indexOf(label.kind);
    if (level < 0) {
      // A new, deeper kind must start at 1 and sit below the deepest open part.
      if (label.number !== 1 || deepestLevel() < levels.length - 1) return null;
      return levels.length;
    }
    const counter = counters[level] ?? 0;
    if (label.number === counter + 1) return level;
    if (counter === 0 && label.number === (runningCount.get(label.kind) ?? 0) + 1) return level;
    return null;
  };

  const open = (label: ClauseLabel, level: number, text: string, view: string) => {
    if (level === levels.length) levels.push(label.kind);
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    counters[level] = label.number;
    counters.length = level + 1;
    runningCount.set(label.kind, label.number);
    const parent = stack[stack.length - 1]?.node ?? null;
    const node: ClauseNode = { label, title: readTitle(view.slice(label.length), label.kind, levels), text, children: [], parent };
    (parent ? parent.children : roots).push(node);
    stack.push({ node, level });
  };

  const append = (text: string, separator: string) => {
    const current = stack[stack.length - 1]?.node;
    if (current) current.text = current.text ? `${current.text}${separator}${text}` : text;
    else preamble.push(text);
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (closed || (roots.length > 0 && isClosing(line.view, lines[index + 1]?.view))) {
      closed = true;
      closing.push(line.original);
      continue;
    }
    for (const piece of splitAtInlineLabels(line)) {
      let label = readLabel(piece.view);
      const damaged = readDamagedParenLabel(piece.view);
      if (!label && damaged !== null && levels.includes('cn-paren')) {
        label = inferredLabel('cn-paren', levels, counters, damaged);
        warnings.push(`「${piece.original.slice(0, 20)}…」开头的编号残缺,按顺序推定为${label?.printed}`);
      } else if (!label && line.damaged && piece === line && stack.length > 0) {
        // A garbled heading just before a numbered item: its label is the next one of the kind above that item.
        const next = lines[index + 1] ? readLabel(lines[index + 1]!.view) : null;
        const above = next ? levels[levels.indexOf(next.kind) - 1] : undefined;
        if (above) {
          label = inferredLabel(above, levels, counters, 0);
          warnings.push(`标题乱码无法完全恢复,按顺序推定为${label?.printed}`);
        }
      }
      let level = label ? accepts(label) : null;
      if (label && level === null && piece === line) {
        // A paragraph opening with the number after next ("(二)" then "(四)"): a part is missing from the source.
        const known = levels.indexOf(label.kind);
        const counter = counters[known] ?? 0;
        if (known >= 0 && known <= deepestLevel() && counter > 0 && label.number > counter + 1 && label.number <= counter + 3) {
          level = known;
          const missing = Array.from({ length: label.number - counter - 1 }, (_, offset) => canonicalLabel(label!.kind, counter + 1 + offset)).join('、');
          warnings.push(`编号不连续:${canonicalLabel(label.kind, counter)}之后是${label.printed},缺少${missing},请核对原文是否遗漏`);
        }
      }
      if (label && level !== null) open(label, level, piece.original, piece.view);
      else append(piece.original, piece === line ? '\n' : ' ');
    }
  }
  return { roots, preamble, closing, warnings };
}

function inferredLabel(kind: LabelKind, levels: LabelKind[], counters: number[], length: number): ClauseLabel | null {
  const level = levels.indexOf(kind);
  if (level < 0) return null;
  const number = (counters[level] ?? 0) + 1;
  return { kind, number, printed: canonicalLabel(kind, number), length, inferred: true };
}

function isClosing(view: string, nextView: string | undefined): boolean {
  if (CLOSING_LINE.test(view)) return true;
  return SIGNATURE.test(view) && nextView !== undefined && DATE_LINE.test(nextView);
}

/**
 * Splits a paragraph where a label follows whitespace ("…制定如下措施。 一、加强统筹领导 (一)健全…"),
 * as in documents whose line breaks were lost. Whether a piece really starts a part is decided by the
 * numbering check in buildClauseTree.
 */
function splitAtInlineLabels(line: BodyLine): BodyLine[] {
  if (line.original.length !== line.view.length) return [line];
  const pieces: BodyLine[] = [];
  let start = 0;
  const candidates = /\s+(?=[(（]?[一二三四五六七八九十]+[、)）]|第[一二三四五六七八九十百]+[条章])/g;
  for (const match of line.view.matchAll(candidates)) {
    const at = (match.index ?? 0) + match[0].length;
    pieces.push(slice(line, start, match.index ?? 0));
    start = at;
  }
  pieces.push(slice(line, start, line.view.length));
  const kept = pieces.filter((piece) => piece.view.length > 0);
  return kept.length === 1 ? [line] : kept;
}

const slice = (line: BodyLine, start: number, end: number): BodyLine => ({
  original: line.original.slice(start, end).trim(),
  view: line.view.slice(start, end).trim(),
  damaged: line.damaged,
});

/** Heading words: a whole heading line, the first short sentence, or words before a space (one-line documents). */
function readTitle(rest: string, kind: LabelKind, levels: LabelKind[]): string | null {
  const text = rest.trim();
  if (!text) return null;
  if (levels.indexOf(kind) === 0 && text.length <= 40 && !/。.+/.test(text)) return text.replace(/[。.]$/, '');
  const space = /^(\S{2,40}?)\s+\S/.exec(text);
  if (space?.[1] && !/[。,，;；]/.test(space[1])) return space[1];
  const sentence = /^([^。;；]{2,40}?)[。;；]/.exec(text);
  if (sentence?.[1] && !/[,，]{2,}/.test(sentence[1])) return sentence[1];
  return text.length <= 40 && !/[。]/.test(text) ? text : null;
}

/** Compact label used in citations and evaluation files: "(二)", "二", "10". */
export function compact(label: ClauseLabel): string {
  return canonicalLabel(label.kind, label.number).replace(/[、.]$/, '');
}
