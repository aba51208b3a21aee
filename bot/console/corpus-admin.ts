import { PolicyBotError } from '../../corpus/index.ts';
import type { ClauseView, DocumentSummary } from './corpus-view.ts';

/**
 * What admins change in the corpus from the console. Implemented over the corpus directory and the runtime
 * (`bot/app/corpus-admin-adapter.ts`); every change is parsed and checked before anything is written, and is
 * searchable as soon as the call returns.
 */
export interface CorpusAdmin {
  /** Adds an uploaded file through `policybot corpus add`'s checks and refusals; on any failure nothing changes. */
  add(upload: { filename: string; bytes: Uint8Array }, options: UploadOptions): Promise<{ document: DocumentSummary; report: string[] }>;
  /**
   * Sets a clause's departments and heading as an officer's correction, kept beside the published text; fields
   * equal to what the parser read are not stored, and a correction equal to the parse in every field is removed.
   */
  correct(docId: string, clauseId: string, correction: ClauseCorrectionInput, officer: string, time: Date): Promise<ClauseView>;
  /** Parses the corpus directory again (e.g. after `policybot corpus add` from a terminal). */
  reload(): Promise<{ documents: number; clauses: number }>;
  state(): CorpusState;
}

export interface UploadOptions {
  title?: string;
  issuer?: string;
  region?: string;
  docNumber?: string;
}

export interface ClauseCorrectionInput {
  lead_departments: string[];
  support_departments: string[];
  title: string | null;
  note: string;
}

export interface CorpusState {
  documents: number;
  clauses: number;
  corrections: number;
  /** Documents with parser warnings. */
  documents_with_warnings: number;
  corpus_dir: string;
  index: { directory: string; embedder: string; vectors: number };
  loaded_at: string;
  last_reload_error: { time: string; message: string } | null;
}

export type CorpusAdminErrorCode = 'DOCUMENT_NOT_FOUND' | 'CLAUSE_NOT_FOUND' | 'BAD_CORRECTION';

/** A change the corpus refused; the message is for the officer (Chinese). */
export class CorpusAdminError extends PolicyBotError {
  declare readonly code: CorpusAdminErrorCode;
  constructor(code: CorpusAdminErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
