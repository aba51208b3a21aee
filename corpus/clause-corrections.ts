import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clause, ClauseCorrection, PolicyDocument } from './document.ts';
import { CorpusParseError } from './errors.ts';

/**
 * Officers' corrections of what the parser read from a clause — its lead and supporting departments and its
 * heading — kept in `NAME.corrections.json` beside the published text `NAME.txt`, never in it. They are applied
 * every time the document is parsed, so a re-parse (a parser change, a reload) keeps them; a correction whose
 * clause the parser no longer finds is reported as a document warning instead of silently dropped.
 */
export interface CorrectionsFile {
  /** By clause_id. */
  corrections: Record<string, StoredCorrection>;
}

export interface StoredCorrection {
  lead_departments?: string[];
  support_departments?: string[];
  title?: string | null;
  /** The officer who made the correction, and when (ISO 8601). */
  by: string;
  time: string;
  note?: string;
}

export type CorrectedFields = Pick<StoredCorrection, 'lead_departments' | 'support_departments' | 'title'>;

/** `003_x.txt` → `003_x.corrections.json`. */
export function correctionsPath(directory: string, documentFile: string): string {
  return path.join(directory, documentFile.replace(/\.txt$/, '.corrections.json'));
}

export function readCorrections(directory: string, documentFile: string): CorrectionsFile {
  const file = correctionsPath(directory, documentFile);
  if (!existsSync(file)) return { corrections: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CorrectionsFile>;
    return { corrections: parsed.corrections ?? {} };
  } catch (cause) {
    throw new CorpusParseError('CORRECTIONS_UNREADABLE', `${path.basename(file)} 不是有效的 JSON:请修正或删除该文件。`, documentFile, { cause });
  }
}

/** Writes the file atomically (temporary name, then rename); an empty set removes it. */
export function writeCorrections(directory: string, documentFile: string, contents: CorrectionsFile): void {
  const file = correctionsPath(directory, documentFile);
  if (Object.keys(contents.corrections).length === 0) {
    rmSync(file, { force: true });
    return;
  }
  writeFileSync(`${file}.tmp`, `${JSON.stringify(contents, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The document with its officers' corrections applied to its clauses (a new object; the parse is not changed). */
export function applyCorrections(document: PolicyDocument, contents: CorrectionsFile): PolicyDocument {
  const entries = Object.entries(contents.corrections);
  if (entries.length === 0) return document;
  const byClause = new Map(entries);
  const clauses = document.clauses.map((clause): Clause => {
    const stored = byClause.get(clause.clauseId);
    return stored ? corrected(clause, stored) : clause;
  });
  const known = new Set(document.clauses.map((clause) => clause.clauseId));
  const orphaned = entries.filter(([clauseId]) => !known.has(clauseId)).map(([clauseId]) => clauseId);
  const warnings = orphaned.length
    ? [...document.warnings, `${orphaned.length} 条人工更正所对应的条款在重新解析后已找不到,更正未生效:${orphaned.join('、')}`]
    : document.warnings;
  return { ...document, clauses, warnings };
}

function corrected(clause: Clause, stored: StoredCorrection): Clause {
  const fields: ClauseCorrection['fields'] = [];
  if (stored.lead_departments) fields.push('lead_departments');
  if (stored.support_departments) fields.push('support_departments');
  if (stored.title !== undefined) fields.push('title');
  return {
    ...clause,
    leadDepartments: stored.lead_departments ?? clause.leadDepartments,
    supportDepartments: stored.support_departments ?? clause.supportDepartments,
    title: stored.title !== undefined ? stored.title : clause.title,
    // A department named by an officer replaces the parser's explanation of why none was found.
    departmentNote: stored.lead_departments?.length ? null : clause.departmentNote,
    correction: {
      fields,
      by: stored.by,
      time: stored.time,
      note: stored.note ?? null,
      parsed: { leadDepartments: clause.leadDepartments, supportDepartments: clause.supportDepartments, title: clause.title },
    },
  };
}
