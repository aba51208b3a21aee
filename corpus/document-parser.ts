import { createHash } from 'node:crypto';
import { buildClauseTree, compact, type BodyLine, type ClauseNode } from './clause-tree.ts';
import {
  declaresFirstListedLeads,
  findActingDepartments,
  findDepartmentAnnotations,
  findDutyDepartments,
  parseAssignment,
  type DepartmentAssignment,
  type DepartmentParseOptions,
} from './department-parser.ts';
import type { Clause, DocumentMetadata, PolicyDocument } from './document.ts';
import { CorpusParseError } from './errors.ts';
import { readTextMetadata } from './metadata-parser.ts';
import { repairMojibake } from './mojibake-repair.ts';
import { sentences } from './sentences.ts';
import { isReplyLetter } from './reply-letter.ts';
import { toHalfWidth, toSimplified } from './script-converter.ts';
import { isTableRow, readGridTable, textToGrid } from './table-grid.ts';
import { parseTaskTable, type TaskTable } from './table-parser.ts';

export interface DocumentSource {
  docId: string;
  file: string;
  text: string;
  metadata: DocumentMetadata;
}

const ATTACHMENT_START = /^附件\s*\d*$/;
const view = (text: string) => toHalfWidth(toSimplified(text));

/** Parses a published policy text into metadata and a clause tree with responsible departments. */
export function parseDocument(source: DocumentSource): PolicyDocument {
  const sourceLines = source.text.split(/\r?\n/);
  const repair = repairMojibake(sourceLines);
  // Table rows (see table-grid.ts) are kept as written: their "<br>" is the format's, not HTML left over.
  sourceLines.forEach((line, index) => {
    if (isTableRow(line)) repair.lines[index] = line;
  });
  const damaged = new Set([...repair.repaired, ...repair.unrecoverable]);
  const attachmentAt = repair.lines.findIndex((line) => ATTACHMENT_START.test(line.trim()));
  const bodyEnd = attachmentAt < 0 ? repair.lines.length : attachmentAt;
  const body: BodyLine[] = [];
  const bodyTables: { caption: string | null; lines: string[] }[] = [];
  repair.lines.slice(0, bodyEnd).forEach((line, index) => {
    const original = line.trim();
    if (!original) return;
    if (isTableRow(original)) {
      const previous =
        repair.lines
          .slice(0, index)
          .reverse()
          .find((other) => other.trim().length > 0)
          ?.trim() ?? '';
      if (isTableRow(previous) && bodyTables.length > 0) bodyTables[bodyTables.length - 1]!.lines.push(original);
      else bodyTables.push({ caption: previous && previous.length <= 60 ? view(previous) : null, lines: [original] });
      return;
    }
    const simplified = view(original);
    body.push({ original: simplified.length === original.length ? original : simplified, view: simplified, damaged: damaged.has(index) });
  });

  const tree = buildClauseTree(body);
  if (tree.roots.length === 0 && bodyTables.length === 0 && attachmentAt < 0) {
    throw new CorpusParseError(
      'NO_NUMBERING',
      `${source.file}:没有找到编号的条款(一、/(一)/1./第一条)或任务表格。政策通按条款引用,文件需要有可识别的编号。`,
      source.file,
    );
  }
  const fullView = view(repair.lines.join('\n'));
  let text = readTextMetadata(tree.preamble.map(view), tree.closing.map(view), fullView);
  const title = source.metadata.title ?? text.title;
  if (!title) throw new CorpusParseError('NO_TITLE', `${source.file}:没有找到标题行,请用 --title 给出标题。`, source.file);

  // "列第一位的为牵头单位" holds for the whole document when declared before the measures or without "下同";
  // a note that declares it with "下同" sets it from that note on (see department-parser.ts).
  const convention: DepartmentParseOptions = {
    firstListedLeads:
      declaresFirstListedLeads(tree.preamble.join('\n')) ||
      // Only 。 ends the sentence here: a note's "下同" may stand after a semicolon ("列第一位的为牵头单位;下同").
      sentences(fullView, { ends: '。' }).some((sentence) => declaresFirstListedLeads(sentence) && !/下同/.test(sentence)),
  };
  const isRegulation = tree.roots.some((root) => root.label.kind === 'article' || root.children.some((child) => child.label.kind === 'article'));
  const isReply = isReplyLetter(title);
  const warnings = [...(source.metadata.reading_warnings ?? []), ...tree.warnings];
  if (repair.repaired.length > 0) warnings.push(`${repair.repaired.length} 行乱码已按 GBK 错位规则恢复`);
  const closingExtra: string[] = [];
  const clauses: Clause[] = [];
  const restarting = restartingKinds(tree.roots);

  const emit = (node: ClauseNode, path: string[], citePrefix: string) => {
    const ownCite = `${citePrefix}${compact(node.label)}`;
    const citeLabel = restarting.has(node.label.kind) ? ownCite : compact(node.label);
    const heading = `${node.label.printed}${node.title ? node.title : ''}`;
    const ownBody = node.text
      .slice(node.label.length)
      .replace(node.title ?? '', '')
      .replace(/^[。.\s]+/, '');
    if (node.children.length === 0 || ownBody.length > 20) {
      for (const [index, piece] of splitMeasures(node.text, convention).entries()) {
        if (piece.closing) {
          closingExtra.push(piece.text);
          continue;
        }
        const assignment =
          piece.assignment ??
          (isReply ? findActingDepartments(piece.text, source.metadata.region?.city ?? null) : null) ??
          (isRegulation && node.label.kind === 'article' ? findDutyDepartments(piece.text) : null);
        const sub = piece.count > 1 ? `.${index + 1}` : '';
        clauses.push({
          clauseId: `${source.docId}:${ownCite}${sub}`,
          docId: source.docId,
          label: node.label.printed,
          citeLabel,
          path,
          title: node.title,
          text: piece.text,
          leadDepartments: assignment?.lead ?? [],
          supportDepartments: assignment?.support ?? [],
          departmentNote: null,
          period: null,
          details: piece.count > 1 ? { 分项: `第${index + 1}项(共${piece.count}项)` } : {},
        });
      }
    }
    for (const child of node.children) emit(child, [...path, heading], ownCite);
  };
  for (const root of tree.roots) emit(root, [], '');
  bodyTables.forEach((block, index) => {
    const table = readGridTable(textToGrid(block.lines), convention);
    const prefix = bodyTables.length > 1 ? `表${index + 1}` : '表';
    if (table) clauses.push(...tableClauses(source.docId, block.caption ?? prefix, prefix, table, convention));
  });

  // Closing formulas found inside the last measure ("…负责〕 本措施自印发之日起实施…(中共普洱市委办公室 …)") also speak about the document.
  if (closingExtra.length > 0) text = readTextMetadata(tree.preamble.map(view), [...tree.closing, ...closingExtra].map(view), fullView);
  const missingAttachments: string[] = [];
  if (attachmentAt >= 0) {
    const attachment = repair.lines.slice(attachmentAt + 1);
    const attachmentTitle = view(attachment.find((line) => line.trim().length > 0)?.trim() ?? '附件');
    const grids = tableBlocks(attachment)
      .map((lines) => readGridTable(textToGrid(lines), convention))
      .filter((table) => table !== null);
    const table = grids.length === 0 ? parseTaskTable(attachment) : null;
    if (grids.length > 0)
      grids.forEach((grid, index) =>
        clauses.push(...tableClauses(source.docId, `附件 ${attachmentTitle}`, grids.length > 1 ? `附件 表${index + 1}` : '附件', grid, convention)),
      );
    else if (table) clauses.push(...tableClauses(source.docId, `附件 ${attachmentTitle}`, '附件', table, convention));
    else {
      missingAttachments.push(attachmentTitle);
      warnings.push(`附件《${attachmentTitle}》正文缺失(原件为图片或未随文发布),未收录其内容`);
    }
  }

  if (clauses.length === 0) {
    throw new CorpusParseError(
      'NO_NUMBERING',
      `${source.file}:没有找到编号的条款(一、/(一)/1./第一条)或任务表格。政策通按条款引用,文件需要有可识别的编号。`,
      source.file,
    );
  }
  const anyDepartments = clauses.some((clause) => clause.leadDepartments.length > 0);
  const contact = text.contact;
  for (const clause of clauses) {
    if (clause.leadDepartments.length > 0) continue;
    clause.departmentNote = anyDepartments ? '本条未列明责任单位' : `文件未逐项列明责任单位${contact ? `;文件载明:${contact}` : ''}`;
  }
  const withoutDepartment = clauses.filter((clause) => clause.leadDepartments.length === 0).length;
  if (withoutDepartment > 0) warnings.push(`${withoutDepartment} 条未列明责任单位`);
  // A document that names departments measure by measure, yet most measures came out without one: the
  // notes are probably written in a shape the parser does not read.
  const named = clauses.length - withoutDepartment;
  if (!isReply && named >= 3 && named / clauses.length >= 0.2 && withoutDepartment > clauses.length / 2) {
    warnings.push(`本文件逐条列明责任单位,但多数条款(${withoutDepartment}/${clauses.length})未识别出责任单位:请核对原文责任单位的写法`);
  }

  return {
    docId: source.docId,
    file: source.file,
    title,
    titleNote: source.metadata.title_note ?? null,
    docNumber: source.metadata.doc_number ?? text.docNumber,
    issuer: source.metadata.issuer ?? text.issuer,
    region: {
      province: source.metadata.region?.province ?? null,
      city: source.metadata.region?.city ?? null,
      district: source.metadata.region?.district ?? null,
    },
    dates: { ...text.dates, published: source.metadata.published ?? text.dates.published },
    validity: text.validity,
    source: source.metadata.source ?? null,
    contact,
    missingAttachments,
    warnings,
    clauses,
    notes: documentNotes(source.text),
    contentHash: createHash('sha256').update(source.text).digest('hex'),
  };
}

/**
 * Sentences that say how the document itself was issued, approved, takes effect or whom to contact — the
 * cover note ("已经…常务会议审议通过,现印发给你们"), the closing validity sentence, a page header's 有效性 —
 * wherever they stand. Questions about the document are answered from them.
 */
const DOCUMENT_NOTE =
  /审议通过|经[^。]{0,12}同意|现印发给|印发给你们|自[^。]{0,16}起[^。]{0,4}(施行|实施)|有效期|有效性|联系人|联系电话|径向|解释|发布时间|发布日期|成文日期|索引号|^附件[:：]|(不一致|冲突|相抵触)[^。,;]{0,4},?(以|按)[^。]{0,30}(为准|执行)|从优(执行|原则)|就高不重复|不重复享受|按上级(的)?(规定|政策)执行|^政策解读[:：]|^抄送[:：]/;
/** What a document says of its own publication: "(此件公开发布)", "此件依申请公开". */
export const PUBLICATION_NOTE = /此件(公开发布|主动公开|依申请公开|不予公开)/;
/** The person a reply letter answers, on a line of its own: "李建辉委员:". */
export const PERSON_ADDRESSED = /^[\u4e00-\u9fff]{2,6}(委员|代表)[:：]$/;
/**
 * The preamble's statement of what the document carries out ("为深入贯彻…《关于促进民营经济高质量发展的若干政策措施》
 * 精神,现结合我市实际,提出如下意见"): its basis, asked as "是按哪个上级文件定的". Longer than a note, so read apart.
 */
const BASIS = /(贯彻|落实|根据|依据|按照)[^。]{0,300}(现结合|结合我|特制定|制定如下|提出如下|制定本)|(制定|提出)(如下|以下|本)(意见|措施|举措|方案)/;
/** The preamble stands before the measures: within the text's first sentences. */
const PREAMBLE_SENTENCES = 30;
/** The addressee line under the title ("清远高新区管委会,各县(市、区)人民政府,市政府各部门、各直属机构:"). */
const ADDRESSEES = /^[^。:：]{0,80}(人民政府|各部门|管委会|直属机构|各单位|委办局)[^。:：]{0,40}[:：]$/;
function documentNotes(text: string): string[] {
  // A page header's "有效性:" and its value stand on two lines.
  const lines = text.split(/\r?\n/).map((line) => line.replace(/\s+/g, ' ').trim());
  // Or the person a reply letter answers.
  const addressees = lines.find((line) => ADDRESSEES.test(toSimplified(line)) || PERSON_ADDRESSED.test(toSimplified(line)));
  const notes = sentences(text.replace(/[:：][ \t]*\r?\n[ \t]*(?=\S)/g, ':'))
    .map((sentence) => sentence.replace(/•\s*/g, '').replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence.length >= 4);
  const basis = notes.slice(0, PREAMBLE_SENTENCES).find((sentence) => sentence.length <= 600 && BASIS.test(toSimplified(sentence)));
  const kept = notes.filter(
    (sentence) => sentence.length <= 200 && (DOCUMENT_NOTE.test(toSimplified(sentence)) || PUBLICATION_NOTE.test(toSimplified(sentence))),
  );
  return [...new Set([...(addressees ? [addressees] : []), ...(basis ? [basis] : []), ...kept])].slice(0, 16);
}

/**
 * Kinds whose numbering starts again under each heading ("二、(一)…(五) 三、(一)…"): their clauses are cited
 * with the heading's label ("二(五)"); numbering that runs through the document ("(六十八)", "57.") stands alone.
 */
function restartingKinds(roots: ClauseNode[]): Set<ClauseNode['label']['kind']> {
  const seen = new Set<string>();
  const restarting = new Set<ClauseNode['label']['kind']>();
  const walk = (node: ClauseNode) => {
    if (node.label.number === 1 && seen.has(node.label.kind)) restarting.add(node.label.kind);
    seen.add(node.label.kind);
    node.children.forEach(walk);
  };
  roots.forEach(walk);
  return restarting;
}

interface MeasurePiece {
  text: string;
  assignment: DepartmentAssignment | null;
  closing: boolean;
  count: number;
}

/**
 * One numbered part can hold several measures, each followed by its own "(责任单位:…)"; each becomes a
 * clause of its own. Text after the last note that is a closing formula ("本措施自印发之日起实施…")
 * belongs to the document, not the measure.
 */
function splitMeasures(text: string, options: DepartmentParseOptions): MeasurePiece[] {
  const annotations = findDepartmentAnnotations(view(text), options);
  if (annotations.length === 0) return [{ text, assignment: null, closing: false, count: 1 }];
  const pieces: { text: string; assignment: DepartmentAssignment | null }[] = [];
  let start = 0;
  for (const annotation of annotations) {
    let end = annotation.end;
    while (/[。;；\s]/.test(text[end] ?? '')) end += 1;
    pieces.push({ text: text.slice(start, end).trim(), assignment: annotation });
    start = end;
  }
  const rest = text.slice(start).trim();
  let closing: string | null = null;
  if (rest) {
    if (/^本(文件|措施|意见|方案|办法|举措)|^上述|^以上/.test(view(rest))) closing = rest;
    else if (pieces.length > 1) pieces.push({ text: rest, assignment: null });
    else pieces[pieces.length - 1]!.text += rest;
  }
  const measures: MeasurePiece[] = pieces.map((piece) => ({ ...piece, closing: false, count: pieces.length }));
  if (closing) measures.push({ text: closing, assignment: null, closing: true, count: pieces.length });
  return measures;
}

/** Each list item of a task table becomes a clause carrying its row's goal, period, departments and people. */
function tableClauses(docId: string, heading: string, prefix: string, table: TaskTable, options: DepartmentParseOptions): Clause[] {
  const clauses: Clause[] = [];
  for (const row of table.rows) {
    const assignment = row.assignment ?? (row.departments ? parseAssignment(`责任单位:${row.departments}`, options) : { lead: [], support: [] });
    const details: Record<string, string> = {};
    if (row.targets.length > 0 && row.measures.length > 0) details[table.listColumns[0]] = row.targets.map((item) => item.text).join('');
    table.peopleColumns.forEach((column, index) => {
      if (row.people[index]) details[column] = row.people[index]!;
    });
    const emitItems = (column: string, items: typeof row.targets) => {
      for (const item of items) {
        const label = `${prefix} 序号${row.index} ${column}${item.number ?? ''}`;
        clauses.push({
          clauseId: `${docId}:${prefix.replace(/\s+/g, ':')}:序号${row.index}:${column}${item.number ?? ''}`,
          docId,
          label,
          citeLabel: label,
          path: [heading, ...row.headings],
          title: row.headings[row.headings.length - 1] ?? null,
          text: item.text,
          leadDepartments: assignment.lead,
          supportDepartments: assignment.support,
          departmentNote: null,
          period: row.period,
          details: column === table.listColumns[0] && row.measures.length > 0 ? { ...details, [column]: item.text } : details,
        });
      }
    };
    emitItems(table.listColumns[0], row.targets);
    emitItems(table.listColumns[1], row.measures);
  }
  return clauses;
}

/** Runs of table rows; a run that repeats the first run's header, or has its width, continues it (a page break). */
function tableBlocks(lines: string[]): string[][] {
  const blocks: string[][] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (isTableRow(line)) (current ??= []).push(line.trim());
    else if (line.trim() && current) {
      blocks.push(current);
      current = null;
    }
  }
  if (current) blocks.push(current);
  const width = (block: string[]) => textToGrid(block)[0]?.length ?? 0;
  const merged: string[][] = [];
  for (const block of blocks) {
    const previous = merged[merged.length - 1];
    if (previous && width(previous) === width(block)) {
      const header = textToGrid(previous)[0]?.join('|');
      previous.push(...block.filter((line, index) => !(index === 0 && textToGrid([line])[0]?.join('|') === header)));
    } else merged.push([...block]);
  }
  return merged;
}
