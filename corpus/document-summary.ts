import type { PolicyDocument } from './document.ts';
import { validityOn } from './validity.ts';

/**
 * What a parse found, in the lines an officer reads after adding a document: clauses, departments,
 * validity, then the warnings. Printed by `policybot corpus add`.
 *
 * @example describeDocument(document, '2026-11-23') // ['已读取 005 《…》…', '条款:12 条(第一条 … 第十二条)', …]
 */
export function describeDocument(document: PolicyDocument, today: string): string[] {
  const clauses = document.clauses;
  const labels = clauses.map((clause) => clause.citeLabel);
  const fromTables = clauses.filter((clause) => clause.citeLabel.includes('序号')).length;
  const named = clauses.filter((clause) => clause.leadDepartments.length > 0);
  const units = new Set(clauses.flatMap((clause) => [...clause.leadDepartments, ...clause.supportDepartments]));
  const leads = [...new Set(named.flatMap((clause) => clause.leadDepartments))];
  const validity = validityOn(document, today);
  const lines = [
    `《${document.title}》${document.docNumber ?? '(无文号)'}  发文:${document.issuer ?? '未载明'}`,
    `条款:${clauses.length} 条${labels.length > 0 ? `(${labels[0]}${labels.length > 1 ? ` … ${labels[labels.length - 1]}` : ''})` : ''}${fromTables > 0 ? `,其中 ${fromTables} 条来自表格` : ''}`,
    named.length > 0
      ? `责任单位:${named.length} 条列明牵头单位,共 ${units.size} 个单位(牵头:${leads.slice(0, 6).join('、')}${leads.length > 6 ? ' 等' : ''});${clauses.length - named.length} 条未列明`
      : '责任单位:未逐条列明',
    `有效期:${document.validity.statement ? `${document.validity.statement}(${validity.note})` : validity.note}`,
  ];
  if (document.missingAttachments.length > 0) lines.push(`缺失附件:${document.missingAttachments.map((name) => `《${name}》`).join('、')}`);
  return lines;
}
