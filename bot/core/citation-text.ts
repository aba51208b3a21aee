import type { Citation } from '../../retrieval/index.ts';

/** "《清远市关于…若干意见》(清府办〔2021〕34号)" */
export function documentName(citation: Citation): string {
  return `《${citation.doc_title}》${citation.doc_number ? `(${citation.doc_number})` : ''}`;
}

/** Where the clause stands: "一、多措并举… › (二)". */
export function clauseLocation(citation: Citation): string {
  const heading = citation.clause_path[citation.clause_path.length - 1];
  return heading && !citation.clause_label.startsWith('附件') ? `${heading} › ${citation.clause_label}` : citation.clause_label;
}
