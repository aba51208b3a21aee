import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyCorrections, readCorrections } from './clause-corrections.ts';
import { parseDocument } from './document-parser.ts';
import type { Clause, DocumentMetadata, PolicyDocument } from './document.ts';
import { withCorpusLock } from './corpus-lock.ts';
import { CorpusParseError } from './errors.ts';
import type { ReadDocument, ReadOptions } from './readers/document-reader.ts';

/**
 * Limits on one document, checked before anything is written. The largest real document here (乐清's task list,
 * 003) has 338 clauses in 27 000 characters. 3 000 clauses, nine times that, cost the index about 1.5 s to embed
 * (0.5 ms a clause); the text may be longer in proportion (a long regulation has long articles), 37 times.
 * Past them it is almost surely not one policy document: a 50 MB text once gave 315 746 "clauses", and the next
 * start was still building the index after 290 s at 1.8 GB.
 */
export const MAX_DOCUMENT_CHARACTERS = 1_000_000;
export const MAX_DOCUMENT_CLAUSES = 3_000;

/** The parsed corpus: every document in a directory of published texts with `NAME.meta.json` beside each. */
export interface Corpus {
  documents: PolicyDocument[];
  clauses: Clause[];
  document(docId: string): PolicyDocument | undefined;
  clause(clauseId: string): Clause | undefined;
}

export function createCorpus(documents: PolicyDocument[]): Corpus {
  const clauses = documents.flatMap((document) => document.clauses);
  const byDoc = new Map(documents.map((document) => [document.docId, document]));
  const byClause = new Map(clauses.map((clause) => [clause.clauseId, clause]));
  return { documents, clauses, document: (id) => byDoc.get(id), clause: (id) => byClause.get(id) };
}

/** Loads and parses every document in `directory`, with officers' corrections (`NAME.corrections.json`) applied. */
export function loadCorpus(directory: string): Corpus {
  if (!existsSync(directory))
    throw new CorpusParseError('CORPUS_MISSING', `文件库目录 ${directory} 不存在:请设置 CORPUS_DIR 或恢复 corpus/documents。`, directory);
  const documents = readdirSync(directory)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const metadataFile = path.join(directory, file.replace(/\.txt$/, '.meta.json'));
      const metadata: DocumentMetadata = existsSync(metadataFile) ? JSON.parse(readFileSync(metadataFile, 'utf8')) : { doc_id: file.replace(/\.txt$/, '') };
      const parsed = parseDocument({ docId: metadata.doc_id, file, text: readFileSync(path.join(directory, file), 'utf8'), metadata });
      return applyCorrections(parsed, readCorrections(directory, file));
    });
  return createCorpus(documents);
}

export interface AddOptions extends ReadOptions {
  title?: string;
  issuer?: string;
  region?: string;
  docNumber?: string;
  /** Add the file as the attachment of this document (e.g. a task list published as an image), not as a document. */
  attachTo?: string;
}

/**
 * Adds a document to the corpus directory. It is parsed first; on any problem nothing is written.
 * The text and its metadata are written under temporary names and renamed, so a crash leaves either
 * both or neither.
 */
export async function addDocument(directory: string, file: string, options: AddOptions = {}): Promise<PolicyDocument> {
  // The readers (pdfjs, canvas, mammoth, parse5) load only to add a document, not for every corpus load.
  const { readDocumentFile } = await import('./readers/document-reader.ts');
  const read = await readDocumentFile(file, options);
  const name = path.basename(file);
  if (read.text.length > MAX_DOCUMENT_CHARACTERS) {
    throw new CorpusParseError(
      'DOCUMENT_TOO_LONG',
      `${name} 读出约 ${(read.text.length / 10_000).toFixed(1)} 万字，超过每份文件 ${MAX_DOCUMENT_CHARACTERS / 10_000} 万字的上限（现有最长的文件约 2.7 万字）：请确认这是一份政策文件（不是多份合在一起或导出的数据），或拆分后分别加入。`,
      name,
    );
  }
  // Reading (OCR may take seconds) happens before the lock; choosing the number and writing, under it, so two adds
  // at once become two documents, each numbered from the corpus as the other left it.
  return withCorpusLock(directory, async () => {
    const existing = loadCorpus(directory);
    if (options.attachTo) return attachDocument(directory, existing, file, read, options.attachTo);
    const docId = String(existing.documents.reduce((max, document) => Math.max(max, Number(document.docId) || 0), -1) + 1).padStart(3, '0');
    const base = `${docId}_${name
      .replace(/\.[^.]+$/, '')
      .replace(/[^\w\u4e00-\u9fff-]+/g, '_')
      .slice(0, 40)}`;
    const region = options.region ? regionFrom(options.region) : undefined;
    const metadata: DocumentMetadata = {
      doc_id: docId,
      ...(options.title ? { title: options.title } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.docNumber ? { doc_number: options.docNumber } : {}),
      ...(region ? { region } : {}),
      source: name,
      source_format: read.format,
      ...(read.warnings.length > 0 ? { reading_warnings: read.warnings } : {}),
    };
    const document = parseDocument({ docId, file: `${base}.txt`, text: read.text, metadata });
    checkClauseCount(document, name);
    const duplicate = existing.documents.find(
      (other) => other.contentHash === document.contentHash || (other.title === document.title && (other.docNumber ?? '') === (document.docNumber ?? '')),
    );
    if (duplicate) {
      throw new CorpusParseError('DUPLICATE', `${name} 已在文件库中:${duplicate.docId} 《${duplicate.title}》。`, name);
    }
    writeBoth(path.join(directory, `${base}.txt`), read.text, path.join(directory, `${base}.meta.json`), metadata, { removeMetaOnFailure: true });
    return document;
  });
}

function checkClauseCount(document: PolicyDocument, name: string): void {
  if (document.clauses.length > MAX_DOCUMENT_CLAUSES) {
    throw new CorpusParseError(
      'TOO_MANY_CLAUSES',
      `${name} 解析出 ${document.clauses.length} 条条款，超过每份文件 ${MAX_DOCUMENT_CLAUSES} 条的上限（现有最多的文件 338 条）：请确认这是一份政策文件，或拆分后分别加入。`,
      name,
    );
  }
}

/**
 * Adds what a file holds as the attachment of a document already in the corpus: its text goes after the
 * document's "附件" heading (one is written when the text has none). Refused, changing nothing, when the
 * attachment yields no clause.
 */
async function attachDocument(directory: string, corpus: Corpus, file: string, read: ReadDocument, docId: string): Promise<PolicyDocument> {
  const name = path.basename(file);
  const target = corpus.document(docId);
  if (!target) throw new CorpusParseError('NOT_FOUND', `文件库中没有 ${docId},无法把 ${name} 作为它的附件加入:见 policybot corpus list。`, name);
  const textPath = path.join(directory, target.file);
  const metaPath = textPath.replace(/\.txt$/, '.meta.json');
  const published = readFileSync(textPath, 'utf8');
  const hasAttachment = published.split(/\r?\n/).some((line) => /^附件\s*\d*$/.test(line.trim()));
  const text = `${published.replace(/\s+$/, '')}\n${hasAttachment ? '' : '附件\n'}${read.text}\n`;
  const metadata: DocumentMetadata = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : { doc_id: target.docId };
  metadata.attachment_sources = [...(metadata.attachment_sources ?? []), name];
  if (read.warnings.length > 0)
    metadata.reading_warnings = [...(metadata.reading_warnings ?? []), ...read.warnings.map((warning) => `附件 ${name}:${warning}`)];
  const document = parseDocument({ docId: target.docId, file: target.file, text, metadata });
  if (document.clauses.length <= target.clauses.length) {
    throw new CorpusParseError('ATTACHMENT_WITHOUT_CLAUSES', `${name} 中没有读出可作为《${target.title}》附件的条款或任务表格,未加入。`, name);
  }
  checkClauseCount(document, name);
  writeBoth(textPath, text, metaPath, metadata);
  return document;
}

/**
 * Writes the text and its metadata under temporary names and renames them, so a crash leaves either both or
 * neither (`removeMetaOnFailure` for a new document, whose metadata alone must not stay behind).
 */
function writeBoth(textPath: string, text: string, metaPath: string, metadata: DocumentMetadata, options: { removeMetaOnFailure?: boolean } = {}): void {
  try {
    writeFileSync(`${metaPath}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`);
    writeFileSync(`${textPath}.tmp`, text);
    renameSync(`${metaPath}.tmp`, metaPath);
    renameSync(`${textPath}.tmp`, textPath);
  } catch (error) {
    for (const leftover of [`${metaPath}.tmp`, `${textPath}.tmp`, ...(options.removeMetaOnFailure ? [metaPath] : [])]) rmSync(leftover, { force: true });
    throw error;
  }
}

/** "广东省清远市" / "浙江省 温州市 乐清市" → province, city, district. */
function regionFrom(text: string): DocumentMetadata['region'] {
  const province = /[\u4e00-\u9fff]{2,3}(省|自治区)/.exec(text)?.[0] ?? null;
  const rest = text.replace(province ?? '', '');
  const places = rest.match(/[\u4e00-\u9fff]{2,4}?(市|区|县|州)/g) ?? [];
  return { province, city: places[0] ?? null, district: places[1] ?? null };
}
