import type { Clause, PolicyDocument } from '../corpus/document.ts';
import { toHalfWidth, toSimplified } from '../corpus/script-converter.ts';
import { validityOn, type ValidityStatus } from '../corpus/validity.ts';
import { characterBigrams } from './text-analysis.ts';

/** One cited clause: the same object in `policybot search --json`, `policybot ask --json` and `/api/`. */
export interface Citation {
  doc_id: string;
  doc_title: string;
  doc_number: string | null;
  issuer: string | null;
  clause_id: string;
  clause_label: string;
  clause_path: string[];
  text: string;
  /** The sentence(s) of `text` that answer the question. */
  quote: string;
  lead_departments: string[];
  support_departments: string[];
  /** Why no department is given for the clause (the document assigns none, only a cover-note contact…). */
  department_note: string | null;
  /** Implementation period as written (e.g. "2023-2027年"). */
  period: string | null;
  validity_status: ValidityStatus;
  validity_note: string;
  contact: string | null;
  score: number;
}

/** Builds the citation of `clause` for a question, quoting the sentences that share most with it. */
export function toCitation(clause: Clause, document: PolicyDocument, question: string, score: number, today: string): Citation {
  const validity = validityOn(document, today);
  return {
    doc_id: document.docId,
    doc_title: document.title,
    doc_number: document.docNumber,
    issuer: document.issuer,
    clause_id: clause.clauseId,
    clause_label: clause.citeLabel,
    clause_path: clause.path,
    text: clause.text,
    quote: quoteFor(clause.text, question, clause.title),
    lead_departments: clause.leadDepartments,
    support_departments: clause.supportDepartments,
    department_note: clause.departmentNote,
    period: clause.period,
    validity_status: validity.status,
    validity_note: validity.note,
    contact: document.contact,
    score: Number(score.toFixed(4)),
  };
}

/** The one or two sentences of a clause most like the question (the whole clause when it is short). */
export function quoteFor(text: string, question: string, title: string | null = null): string {
  // The heading sentence ("(二)继续实施失业保险稳岗返还政策。") names the measure; the answer is in the sentences after it.
  const sentences = text.split(/(?<=[。;;])/).map((sentence) => sentence.trim()).filter((sentence) => sentence.length > 0)
    .filter((sentence, index, all) => !(index === 0 && all.length > 1 && title !== null && sentence.length <= title.length + 12));
  if (text.length <= 120 || sentences.length <= 1) return text.trim();
  const wanted = new Set(characterBigrams(toHalfWidth(toSimplified(question))));
  const scored = sentences.map((sentence, index) => {
    const grams = characterBigrams(toHalfWidth(toSimplified(sentence)));
    const overlap = grams.filter((gram) => wanted.has(gram)).length;
    return { index, score: overlap / Math.sqrt(grams.length + 4) };
  });
  const best = [...scored].sort((a, b) => b.score - a.score).slice(0, 2).filter((entry, rank) => rank === 0 || entry.score > 0.5 * scored.reduce((max, s) => Math.max(max, s.score), 0));
  return best.sort((a, b) => a.index - b.index).map((entry) => sentences[entry.index]).join('');
}
