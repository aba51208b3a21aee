import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyCorrections, readCorrections } from './clause-corrections.ts';
import { parseDocument } from './document-parser.ts';
import type { Clause, DocumentMetadata, PolicyDocument } from './document.ts';
import { CorpusParseError } from './errors.ts';
import type { ReadDocument, ReadOptions } from './document-reader.ts';

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
  if (!existsSync(directory)) throw new CorpusParseError('corpus_missing', `文件库目录 ${directory} 不存在:请设置 CORPUS_DIR 或恢复 corpus/documents。`, directory);
  const documents = readdirSync(directory)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const metadataFile = path.join(directory, file.replace(/\.txt$/, '.meta.json'));
      const metadata: DocumentMetadata = existsSync(metadataFile)
        ? JSON.parse(readFileSync(metadataFile, 'utf8'))
        : { doc_id: file.replace(/\.txt$/, '') };
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
  const { readDocumentFile } = await import('./document-reader.ts');
  const read = await readDocumentFile(file, options);
  const text = read.text;
  const existing = existsSync(directory) ? loadCorpus(directory) : createCorpus([]);
  if (options.attachTo) return attachDocument(directory, existing, file, read, options.attachTo);
  const docId = String(existing.documents.reduce((max, document) => Math.max(max, Number(document.docId) || 0), -1) + 1).padStart(3, '0');
  const base = `${docId}_${path.basename(file).replace(/\.[^.]+$/, '').replace(/[^\w\u4e00-\u9fff-]+/g, '_').slice(0, 40)}`;
  const region = options.region ? regionFrom(options.region) : undefined;
  const metadata: DocumentMetadata = {
    doc_id: docId,
    ...(options.title ? { title: options.title } : {}),
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.docNumber ? { doc_number: options.docNumber } : {}),
    ...(region ? { region } : {}),
    source: path.basename(file),
    source_format: read.format,
    ...(read.warnings.length > 0 ? { reading_warnings: read.warnings } : {}),
  };
  const document = parseDocument({ docId, file: `${base}.txt`, text, metadata });
  const duplicate = existing.documents.find((other) => other.contentHash === document.contentHash
    || (other.title === document.title && (other.docNumber ?? '') === (document.docNumber ?? '')));
  if (duplicate) {
    throw new CorpusParseError('duplicate', `${path.basename(file)} 已在文件库中:${duplicate.docId} 《${duplicate.title}》。`, path.basename(file));
  }
  mkdirSync(directory, { recursive: true });
  const textPath = path.join(directory, `${base}.txt`);
  const metaPath = path.join(directory, `${base}.meta.json`);
  try {
    writeFileSync(`${metaPath}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`);
    writeFileSync(`${textPath}.tmp`, text);
    renameSync(`${metaPath}.tmp`, metaPath);
    renameSync(`${textPath}.tmp`, textPath);
  } catch (error) {
    for (const leftover of [`${metaPath}.tmp`, `${textPath}.tmp`, metaPath]) rmSync(leftover, { force: true });
    throw error;
  }
  return document;
}

/**
 * Adds what a file holds as the attachment of a document already in the corpus: its text goes after the
 * document's "附件" heading (one is written when the text has none). Refused, changing nothing, when the
 * attachment yields no clause.
 */
async function attachDocument(directory: string, corpus: Corpus, file: string, read: ReadDocument, docId: string): Promise<PolicyDocument> {
  const name = path.basename(file);
  const target = corpus.document(docId);
  if (!target) throw new CorpusParseError('not_found', `文件库中没有 ${docId},无法把 ${name} 作为它的附件加入:见 policybot corpus list。`, name);
  const textPath = path.join(directory, target.file);
  const metaPath = textPath.replace(/\.txt$/, '.meta.json');
  const published = readFileSync(textPath, 'utf8');
  const hasAttachment = published.split(/\r?\n/).some((line) => /^附件\s*\d*$/.test(line.trim()));
  const text = `${published.replace(/\s+$/, '')}\n${hasAttachment ? '' : '附件\n'}${read.text}\n`;
  const metadata: DocumentMetadata = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : { doc_id: target.docId };
  metadata.attachment_sources = [...(metadata.attachment_sources ?? []), name];
  if (read.warnings.length > 0) metadata.reading_warnings = [...(metadata.reading_warnings ?? []), ...read.warnings.map((warning) => `附件 ${name}:${warning}`)];
  const document = parseDocument({ docId: target.docId, file: target.file, text, metadata });
  if (document.clauses.length <= target.clauses.length) {
    throw new CorpusParseError('attachment_without_clauses', `${name} 中没有读出可作为《${target.title}》附件的条款或任务表格,未加入。`, name);
  }
  writeBoth(textPath, text, metaPath, metadata);
  return document;
}

function writeBoth(textPath: string, text: string, metaPath: string, metadata: DocumentMetadata): void {
  try {
    writeFileSync(`${metaPath}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`);
    writeFileSync(`${textPath}.tmp`, text);
    renameSync(`${metaPath}.tmp`, metaPath);
    renameSync(`${textPath}.tmp`, textPath);
  } catch (error) {
    for (const leftover of [`${metaPath}.tmp`, `${textPath}.tmp`]) rmSync(leftover, { force: true });
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
