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

/** "牵头单位：市人力资源社会保障局；配合单位：市税务局、…" or the reason none is named. */
export function departmentsSentence(citation: Citation): string {
  if (citation.lead_departments.length === 0) return citation.department_note ?? '文件未列明责任单位';
  const support = citation.support_departments.length > 0 ? `；配合单位：${citation.support_departments.join('、')}` : '';
  return `牵头单位：${citation.lead_departments.join('、')}${support}`;
}

/** "这项措施由市人力资源社会保障局牵头，市税务局配合。" or why no department is named. */
export function departmentsLine(citation: Citation): string {
  if (citation.lead_departments.length === 0) return `${(citation.department_note ?? '文件未列明责任单位').replace(/[。.]$/, '')}。`;
  const support = citation.support_departments.length > 0 ? `，${citation.support_departments.join('、')}配合` : '';
  return `这项措施由${citation.lead_departments.join('、')}牵头${support}。`;
}
