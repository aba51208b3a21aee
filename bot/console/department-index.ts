import { sameDepartment } from '../../corpus/index.ts';
import type { DepartmentFilter } from '../store/index.ts';
import type { ClauseView, CorpusView, DocumentDetail } from './corpus-view.ts';

/** The departments of one place's documents, each listed once however the documents spell it. */
export interface DepartmentGroup {
  /** The city (and district) the documents are about, or the document title when it names no place. */
  place: string;
  doc_ids: string[];
  departments: { value: string; label: string; names: string[] }[];
}

/**
 * Groups the departments of the corpus by place, merging spellings of one department (市发改局 = 市发展改革局,
 * `corpus/department-aliases.json`): the same name in two cities is two departments. The label is the spelling
 * used by most clauses; `value` is what the log's department filter sends back (`place|label`).
 */
export async function departmentGroups(corpus: CorpusView): Promise<DepartmentGroup[]> {
  const details = (await Promise.all((await corpus.documents()).map((document) => corpus.document(document.doc_id)))).filter(
    (detail): detail is DocumentDetail => detail !== undefined,
  );
  const groups = new Map<string, { doc_ids: string[]; uses: Map<string, number> }>();
  for (const detail of details) {
    const place = detail.place ?? detail.doc_title;
    const group = groups.get(place) ?? { doc_ids: [], uses: new Map<string, number>() };
    group.doc_ids.push(detail.doc_id);
    countDepartments(detail.clauses, group.uses);
    groups.set(place, group);
  }
  return [...groups]
    .map(([place, group]) => {
      const merged: { names: string[]; uses: number[] }[] = [];
      for (const [name, uses] of group.uses) {
        const same = merged.find((entry) => entry.names.some((other) => sameDepartment(other, name)));
        if (same) {
          same.names.push(name);
          same.uses.push(uses);
        } else merged.push({ names: [name], uses: [uses] });
      }
      const departments = merged
        .map((entry) => {
          const label = entry.names[entry.uses.indexOf(Math.max(...entry.uses))]!;
          return { value: `${place}|${label}`, label, names: [...entry.names].sort((a, b) => a.localeCompare(b, 'zh-CN')) };
        })
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
      return { place, doc_ids: group.doc_ids, departments };
    })
    .sort((a, b) => a.place.localeCompare(b.place, 'zh-CN'));
}

/**
 * The log filter for a department as the console sends it: `place|label` means that department in that place's
 * documents, every spelling of it; a bare name (an older link) means every spelling in any document.
 */
export function departmentFilter(value: string, groups: DepartmentGroup[]): DepartmentFilter {
  const bar = value.indexOf('|');
  const place = bar >= 0 ? value.slice(0, bar) : null;
  const name = bar >= 0 ? value.slice(bar + 1) : value;
  const inGroups = place === null ? groups : groups.filter((group) => group.place === place);
  const names = new Set([name]);
  for (const group of inGroups) {
    for (const department of group.departments) {
      if (department.names.some((other) => sameDepartment(other, name))) for (const spelling of department.names) names.add(spelling);
    }
  }
  return { names: [...names], ...(place === null ? {} : { docIds: inGroups.flatMap((group) => group.doc_ids) }) };
}

function countDepartments(nodes: ClauseView[], uses: Map<string, number>): void {
  for (const node of nodes) {
    for (const name of [...node.lead_departments, ...node.support_departments]) uses.set(name, (uses.get(name) ?? 0) + 1);
    countDepartments(node.children, uses);
  }
}
