/**
 * The data model of the corpus: a policy document as metadata plus a tree of clauses,
 * each carrying the departments the document makes responsible for it.
 */

export interface Region {
  province: string | null;
  city: string | null;
  /** County-level unit (区, 县, 县级市) when the document is issued below city level. */
  district: string | null;
}

export interface DocumentDates {
  /** 成文日期 (the date under the issuer's signature). ISO yyyy-mm-dd. */
  written: string | null;
  /** 发布日期 as given by the publishing site. */
  published: string | null;
  /** 施行日期: the day the document takes effect. */
  effective: string | null;
  /** 印发日期: the day its 版记 under the text says it was printed and sent ("乐清市人民政府办公室 2023年11月27日印发"). */
  printed: string | null;
}

export interface Validity {
  effectiveFrom: string | null;
  /** Last day in force (inclusive), when the document says so (有效期, 有效期至, a plan's year range). */
  effectiveUntil: string | null;
  /** The sentence(s) the dates were read from, as written. */
  statement: string | null;
  /** Earlier documents this one repeals ("《…》(清府办〔2019〕14号)同步废止"), with the sentence that says so. */
  repeals: RepealedDocument[];
}

export interface RepealedDocument {
  /** Its title as the repealing sentence names it, a 印发…的通知 read as the document it issued. */
  title: string;
  docNumber: string | null;
  sentence: string;
}

export interface Clause {
  /** Stable id: `${docId}:${path labels}` plus `.n` for sub-measures. */
  clauseId: string;
  docId: string;
  /** Label as printed: "二、", "(十一)", "3.", "附件 序号4 落实举措2". */
  label: string;
  /** Label in the compact form used for citing and in evaluation files: "(二)", "二(三)", "附件 序号4 落实举措2". */
  citeLabel: string;
  /** Headings above the clause, outermost first, as printed (label + title). */
  path: string[];
  /** The measure's own heading when it has one ("进一步降低企业税费负担"). */
  title: string | null;
  /** Full text as published (traditional stays traditional). */
  text: string;
  leadDepartments: string[];
  supportDepartments: string[];
  /** Why there are no per-clause departments, or other department context from the document. */
  departmentNote: string | null;
  /** 实施阶段 / implementation period when the document gives one per clause. */
  period: string | null;
  /** Further labelled facts (全市目标, 分管领导, 联络员) from table rows. */
  details: Record<string, string>;
  /** Set when an officer corrected what the parser read (see `clause-corrections.ts`). */
  correction?: ClauseCorrection;
}

/** An officer's correction applied to a clause: which fields, who and when, and what the parser had read. */
export interface ClauseCorrection {
  fields: ('lead_departments' | 'support_departments' | 'title')[];
  by: string;
  /** ISO 8601. */
  time: string;
  note: string | null;
  parsed: { leadDepartments: string[]; supportDepartments: string[]; title: string | null };
}

export interface PolicyDocument {
  docId: string;
  /** File name of the published text inside the corpus directory. */
  file: string;
  title: string;
  titleNote: string | null;
  docNumber: string | null;
  issuer: string | null;
  region: Region;
  dates: DocumentDates;
  validity: Validity;
  source: string | null;
  /** Document-level contact: "实施过程中遇到的问题,请径向…反映", "联系人:…,电话:…". */
  contact: string | null;
  /** Attachments named by the document whose content is not in the text (e.g. published as images). */
  missingAttachments: string[];
  warnings: string[];
  clauses: Clause[];
  /** Sentences about the document itself (cover note, validity, approval, contact), as written. */
  notes: string[];
  /** SHA-256 of the published text, to detect duplicates and changes. */
  contentHash: string;
}

/** Metadata kept beside a document's text (`NAME.meta.json`): what the text itself does not say. */
export interface DocumentMetadata {
  doc_id: string;
  title?: string;
  title_note?: string;
  doc_number?: string;
  issuer?: string;
  source?: string;
  region?: Partial<Region>;
  published?: string;
  /** The kind of file the text was read from (pdf, image, html…); absent for texts kept as published. */
  source_format?: string;
  /** What reading the file showed that an officer should check (OCR pages, low-confidence lines). */
  reading_warnings?: string[];
  /** Files added later as the document's attachment (`corpus add FILE --attach-to DOC`). */
  attachment_sources?: string[];
}
