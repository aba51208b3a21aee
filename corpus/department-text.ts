/**
 * What a department text is made of, in the shape clauses are shown in: a citation (retrieval/citation.ts), a clause
 * of `policybot corpus show --json` or of the console's corpus view.
 */
export interface DepartmentFields {
  lead_departments: string[];
  support_departments: string[];
  /** Why no department is named (the parser's 本条未列明责任单位, or the document's contact). */
  department_note: string | null;
}

/** The words for a clause's departments, as the documents write them; the console's page gets them too (bot/console/labels.ts). */
export const departmentWords = { lead: '牵头单位', support: '配合单位', none: '文件未列明责任单位' } as const;

/**
 * A clause's lead and supporting departments for people, written here for every surface:
 * - `labelled` (the default): "牵头单位：市人力资源社会保障局；配合单位：市税务局、…" — the sources under an answer, the
 *   model's prompt, the matching chat and push, the CLI;
 * - `sentence`: "这项措施由市人力资源社会保障局牵头，市税务局配合。" — the answer's own departments part;
 * - `cell`: the lead departments only, "市商务局、市财政局" — a table column headed 牵头单位 (the exports).
 * A clause naming no lead gets the document's note on why, else 文件未列明责任单位.
 * @example departmentsText({ lead_departments: ['市商务局'], support_departments: [], department_note: null }, 'sentence') // '这项措施由市商务局牵头。'
 */
export function departmentsText(fields: DepartmentFields, form: 'labelled' | 'sentence' | 'cell' = 'labelled'): string {
  const lead = fields.lead_departments.join('、');
  const support = fields.support_departments.join('、');
  const none = fields.department_note ?? departmentWords.none;
  switch (form) {
    case 'labelled':
      return lead ? `${departmentWords.lead}：${lead}${support ? `；${departmentWords.support}：${support}` : ''}` : none;
    case 'sentence':
      return lead ? `这项措施由${lead}牵头${support ? `，${support}配合` : ''}。` : `${none.replace(/[。.]$/, '')}。`;
    case 'cell':
      return lead || none;
  }
}
