import type { Corpus } from '../corpus/corpus-library.ts';
import type { Clause } from '../corpus/document.ts';
import { validityOn } from '../corpus/validity.ts';
import type { ClauseRetriever } from '../retrieval/clause-retriever.ts';
import type { ClauseView, CorpusView, DocumentSummary } from './console/corpus-view.ts';
import { conditionsView, type ConditionsView } from './console/conditions-json.ts';
import type { PolicyMatcher } from './policy-matching.ts';

/** The console's view of the real corpus and retriever. */
export function createCorpusView(corpus: Corpus, retriever: ClauseRetriever, today: () => string, matcher?: PolicyMatcher): CorpusView {
  const summary = (docId: string): DocumentSummary => {
    const document = corpus.document(docId)!;
    const validity = validityOn(document, today());
    return {
      doc_id: document.docId, doc_title: document.title, doc_number: document.docNumber, issuer: document.issuer,
      period: document.validity.effectiveFrom || document.validity.effectiveUntil ? `${document.validity.effectiveFrom ?? '?'} — ${document.validity.effectiveUntil ?? '未载明'}` : null,
      validity_status: validity.status, validity_note: validity.note, clause_count: document.clauses.length,
    };
  };
  return {
    documents: () => corpus.documents.map((document) => summary(document.docId)),
    document: async (docId) => {
      const document = corpus.document(docId);
      if (!document) return undefined;
      const conditions = new Map((matcher ? await matcher.conditions() : []).filter((measure) => measure.docId === docId).map((measure) => [measure.clauseId, conditionsView(measure)]));
      return { ...summary(docId), department_note: document.clauses.find((clause) => clause.departmentNote?.startsWith('文件未'))?.departmentNote ?? null, contact: document.contact, clauses: treeOf(document.clauses, conditions) };
    },
    search: async (query, limit) => (await retriever.search(query, { k: limit, today: today() })).hits.map((hit) => hit.citation),
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
        node = { clause_id: `${clause.docId}:${key}`, clause_label: heading, title: null, text: '', lead_departments: [], support_departments: [], children: [] };
        headings.set(key, node);
        siblings.push(node);
      }
      siblings = node.children;
    });
    siblings.push({ clause_id: clause.clauseId, clause_label: clause.citeLabel, title: clause.title, text: clause.text, lead_departments: clause.leadDepartments, support_departments: clause.supportDepartments, conditions: conditions.get(clause.clauseId) ?? null, children: [] });
  }
  return roots;
}
