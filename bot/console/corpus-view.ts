import type { Citation, ValidityStatus } from '../core/index.ts';
import type { ConditionsView } from './conditions-json.ts';

/**
 * What the console needs to know about the corpus: the documents, each one's clause tree, and search.
 * The lead implements it over the real corpus; shapes are snake_case because they go out as `/api/` JSON
 * beside `Citation`. Each method may answer synchronously or with a promise.
 */
export interface CorpusView {
  /** Every document, in the order officers should see them. */
  documents(): DocumentSummary[] | Promise<DocumentSummary[]>;
  /** One document with its clause tree, or undefined when `docId` is unknown. */
  document(docId: string): DocumentDetail | undefined | Promise<DocumentDetail | undefined>;
  /** The clauses that best match `query`, best first, as the bot would cite them. */
  search(query: string, limit: number): Citation[] | Promise<Citation[]>;
}

export interface DocumentSummary {
  doc_id: string;
  doc_title: string;
  /** 文号, e.g. 清府办〔2021〕34号. */
  doc_number: string | null;
  issuer: string | null;
  period: string | null;
  validity_status: ValidityStatus;
  validity_note: string;
  /** Clauses at every level of the tree. */
  clause_count: number;
  /** The city (and district) the document is about, e.g. "清远市" or "温州市 乐清市"; null when it names none. */
  place: string | null;
  /** What the parser could not read cleanly, for an officer to check. */
  warnings: string[];
  missing_attachments: string[];
  /** The file it was added from. */
  source: string | null;
  /** Clauses an officer corrected. */
  corrections: number;
}

export interface DocumentDetail extends DocumentSummary {
  /** How the document assigns departments when not per clause. */
  department_note: string | null;
  contact: string | null;
  clauses: ClauseView[];
}

export interface ClauseView {
  /** The same id citations carry in `Citation.clause_id`. */
  clause_id: string;
  clause_label: string;
  /** Heading words after the label, when the clause has them. */
  title: string | null;
  /** Own text as published, label included; children's text is not repeated. */
  text: string;
  lead_departments: string[];
  support_departments: string[];
  department_note?: string | null;
  /** An officer's correction of the parsed departments or heading, with what the parser had read. */
  correction?: ClauseCorrectionView | null;
  /** Who the measure is for and under what conditions, read by rules (officers may correct them); absent on headings. */
  conditions?: ConditionsView | null;
  children: ClauseView[];
}

export interface ClauseCorrectionView {
  fields: ('lead_departments' | 'support_departments' | 'title')[];
  by: string;
  time: string;
  note: string | null;
  parsed: { lead_departments: string[]; support_departments: string[]; title: string | null };
}
