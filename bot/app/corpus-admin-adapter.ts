import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { correctionsPath, readCorrections, writeCorrections, type StoredCorrection } from '../../corpus/index.ts';
import { addDocument } from '../../corpus/index.ts';
import { sameDepartment } from '../../corpus/index.ts';
import { describeDocument } from '../../corpus/index.ts';
import type { PolicyDocument } from '../../corpus/index.ts';
import { CorpusAdminError, type ClauseCorrectionInput, type CorpusAdmin, type CorpusState } from '../console/index.ts';
import { clauseViewOf, summaryOf } from './corpus-view-adapter.ts';
import type { LiveRuntime } from './live-runtime.ts';

/** What corpus management needs: the live runtime it reloads, and where the corpus and the index are. */
export interface AdministeredCorpus {
  live: Pick<LiveRuntime, 'current' | 'reload' | 'loadedAt' | 'lastError'>;
  corpusDir: string;
  indexDirectory: string;
  embedderId: string;
}

/**
 * Corpus management for the console over the corpus directory: uploads go through `addDocument` (the path
 * `policybot corpus add` takes), corrections into `NAME.corrections.json`, and each change ends with a reload,
 * so it is searchable when the call returns. Changes run one at a time; a change whose reload fails is undone.
 */
export function createCorpusAdmin(
  { live, corpusDir, indexDirectory, embedderId }: AdministeredCorpus,
  today: () => string,
  /** What `policybot corpus add` does after adding (queueing pushes to subscribers); its failure does not undo the add. */
  afterAdd: (document: PolicyDocument) => Promise<void> = async () => {},
): CorpusAdmin {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => {});
    return next;
  };

  return {
    add: (upload, options) =>
      serial(async () => {
        // addDocument reads a file by name (its extension decides how), so the upload keeps its own name.
        const directory = mkdtempSync(path.join(tmpdir(), 'policybot-upload-'));
        try {
          const file = path.join(directory, path.basename(upload.filename).replace(/[/\\]/g, '_') || 'upload.txt');
          writeFileSync(file, upload.bytes);
          const added = await addDocument(corpusDir, file, options);
          try {
            await live.reload();
          } catch (error) {
            for (const written of [added.file, added.file.replace(/\.txt$/, '.meta.json')]) rmSync(path.join(corpusDir, written), { force: true });
            throw error;
          }
          const document = live.current.corpus.document(added.docId) ?? added;
          const report = [`已加入 ${document.docId}`, ...describeDocument(document, today())];
          try {
            await afterAdd(document);
          } catch (error) {
            report.push(`订阅推送未能排队:${(error as Error).message}`);
          }
          return { document: summaryOf(document, today()), report };
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      }),

    correct: (docId, clauseId, input, officer, time) =>
      serial(async () => {
        const document = live.current.corpus.document(docId);
        if (!document) throw new CorpusAdminError('DOCUMENT_NOT_FOUND', `找不到文件 ${docId}`);
        const clause = document.clauses.find((candidate) => candidate.clauseId === clauseId);
        if (!clause) throw new CorpusAdminError('CLAUSE_NOT_FOUND', `文件 ${docId} 中找不到条款 ${clauseId}`);
        const wanted = checkedCorrection(input);
        const parsed = clause.correction?.parsed ?? {
          leadDepartments: clause.leadDepartments,
          supportDepartments: clause.supportDepartments,
          title: clause.title,
        };
        const stored: StoredCorrection = { by: officer, time: time.toISOString(), ...(wanted.note ? { note: wanted.note } : {}) };
        if (!sameList(wanted.lead_departments, parsed.leadDepartments)) stored.lead_departments = wanted.lead_departments;
        if (!sameList(wanted.support_departments, parsed.supportDepartments)) stored.support_departments = wanted.support_departments;
        if ((wanted.title ?? null) !== parsed.title) stored.title = wanted.title;

        const file = correctionsPath(corpusDir, document.file);
        const before = readFileIfAny(file);
        const contents = readCorrections(corpusDir, document.file);
        const changed = stored.lead_departments || stored.support_departments || stored.title !== undefined;
        if (changed) contents.corrections[clauseId] = stored;
        else delete contents.corrections[clauseId];
        writeCorrections(corpusDir, document.file, contents);
        try {
          await live.reload();
        } catch (error) {
          if (before === null) rmSync(file, { force: true });
          else writeFileSync(file, before);
          throw error;
        }
        const reloaded = live.current.corpus.clause(clauseId);
        if (!reloaded) throw new CorpusAdminError('CLAUSE_NOT_FOUND', `重新载入后找不到条款 ${clauseId}`);
        return clauseViewOf(reloaded);
      }),

    reload: () =>
      serial(async () => {
        await live.reload();
        return { documents: live.current.corpus.documents.length, clauses: live.current.corpus.clauses.length };
      }),

    state(): CorpusState {
      const { corpus, retriever } = live.current;
      return {
        documents: corpus.documents.length,
        clauses: corpus.clauses.length,
        corrections: corpus.clauses.filter((clause) => clause.correction).length,
        documents_with_warnings: corpus.documents.filter((document) => document.warnings.length > 0).length,
        corpus_dir: corpusDir,
        index: { directory: indexDirectory, embedder: embedderId, vectors: retriever.size },
        loaded_at: live.loadedAt.toISOString(),
        last_reload_error: live.lastError && { time: live.lastError.time.toISOString(), message: live.lastError.message },
      };
    },
  };
}

/** The correction with names trimmed and checked; BAD_CORRECTION says what to fix. */
function checkedCorrection(input: ClauseCorrectionInput): ClauseCorrectionInput {
  const names = (list: string[], label: string): string[] => {
    const trimmed = list.map((name) => name.trim()).filter(Boolean);
    if (trimmed.length > 30) throw new CorpusAdminError('BAD_CORRECTION', `${label}最多 30 个`);
    const long = trimmed.find((name) => [...name].length > 40);
    if (long) throw new CorpusAdminError('BAD_CORRECTION', `“${long.slice(0, 20)}…”过长:每个单位名称不超过 40 字`);
    const unique: string[] = [];
    for (const name of trimmed) if (!unique.some((other) => sameDepartment(other, name))) unique.push(name);
    return unique;
  };
  const lead = names(input.lead_departments, '牵头单位');
  const support = names(input.support_departments, '配合单位');
  const both = support.find((name) => lead.some((other) => sameDepartment(other, name)));
  if (both) throw new CorpusAdminError('BAD_CORRECTION', `“${both}”不能同时是牵头单位和配合单位`);
  const title = input.title?.trim() || null;
  if (title && [...title].length > 80) throw new CorpusAdminError('BAD_CORRECTION', '标题不超过 80 字');
  return { lead_departments: lead, support_departments: support, title, note: input.note.trim().slice(0, 500) };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}

function readFileIfAny(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
