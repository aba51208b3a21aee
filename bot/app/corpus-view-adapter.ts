import type { Corpus } from '../../corpus/index.ts';
import type { Clause, PolicyDocument } from '../../corpus/index.ts';
import { validityOn } from '../../corpus/index.ts';
import type { ClauseRetriever } from '../../retrieval/index.ts';
import type { ClauseView, CorpusView, DocumentSummary } from '../console/index.ts';
import { conditionsView, type ConditionsView } from '../console/index.ts';
import type { PolicyMatcher } from '../matching/index.ts';

/** Where the console reads the corpus from: the runtime, whose corpus and retriever change on reload. */
export interface CorpusSource {
  readonly corpus: Corpus;
  readonly retriever: ClauseRetriever;
}

/** The console's view of the real corpus and retriever, always the ones in use now, with each measure's conditions. */
export function createCorpusView(source: CorpusSource, today: () => string, matcher?: PolicyMatcher): CorpusView {
  return {
    documents: () => source.corpus.documents.map((document) => summaryOf(document, today())),
    document: async (docId) => {
      const document = source.corpus.document(docId);
      if (!document) return undefined;
      const conditions = new Map(
        (matcher ? await matcher.conditions() : []).filter((measure) => measure.docId === docId).map((measure) => [measure.clauseId, conditionsView(measure)]),
      );
      return {
        ...summaryOf(document, today()),
        department_note: document.clauses.find((clause) => clause.departmentNote?.startsWith('文件未'))?.departmentNote ?? null,
        contact: document.contact,
        clauses: treeOf(document.clauses, conditions),
      };
    },
    search: async (query, limit) => (await source.retriever.search(query, { k: limit, today: today() })).hits.map((hit) => hit.citation),
  };
}

export function summaryOf(document: PolicyDocument, today: string): DocumentSummary {
  const validity = validityOn(document, today);
  const place = [document.region.city, document.region.district].filter(Boolean).join(' ') || document.region.province;
  return {
    doc_id: document.docId,
    doc_title: document.title,
    doc_number: document.docNumber,
    issuer: document.issuer,
    period:
      document.validity.effectiveFrom || document.validity.effectiveUntil
        ? `${document.validity.effectiveFrom ?? '?'} — ${document.validity.effectiveUntil ?? '未载明'}`
        : null,
    validity_status: validity.status,
    validity_note: validity.note,
    clause_count: document.clauses.length,
    place: place || null,
    warnings: document.warnings,
    missing_attachments: document.missingAttachments,
    source: document.source,
    corrections: document.clauses.filter((clause) => clause.correction).length,
  };
}

/** A clause as the console shows it, with an officer's correction when there is one. */
export function clauseViewOf(clause: Clause): ClauseView {
  const correction = clause.correction;
  return {
    clause_id: clause.clauseId,
    clause_label: clause.citeLabel,
    title: clause.title,
    text: clause.text,
    lead_departments: clause.leadDepartments,
    support_departments: clause.supportDepartments,
    department_note: clause.departmentNote,
    correction: correction
      ? {
          fields: correction.fields,
          by: correction.by,
          time: correction.time,
          note: correction.note,
          parsed: {
            lead_departments: correction.parsed.leadDepartments,
            support_departments: correction.parsed.supportDepartments,
            title: correction.parsed.title,
          },
        }
      : null,
    children: [],
  };
}

/** Groups clauses under their headings (the path), so the console can show the tree. */
function treeOf(clauses: Clause[], conditions: Map<string, ConditionsView>): ClauseView[] {
  const roots: ClauseView[] = [];
  const headings = new Map<string, ClauseView>();
  for (const clause of clauses) {
    let siblings = roots;
    clause.path.forEach((heading, depth) => {
      const key = clause.path.slice(0, depth + 1).join('›');
      let node = headings.get(key);
      if (!node) {
        node = {
          clause_id: `${clause.docId}:${key}`,
          clause_label: heading,
          title: null,
          text: '',
          lead_departments: [],
          support_departments: [],
          children: [],
        };
        headings.set(key, node);
        siblings.push(node);
      }
      siblings = node.children;
    });
    siblings.push({ ...clauseViewOf(clause), conditions: conditions.get(clause.clauseId) ?? null });
  }
  return roots;
}
