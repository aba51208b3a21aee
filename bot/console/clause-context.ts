import type { ClauseView, DocumentDetail } from './corpus-view.ts';

/** A cited clause as it sits in its document today: the headings above it and its neighbours. */
export interface ClauseContext {
  path: { clause_label: string; title: string | null }[];
  clause: Omit<ClauseView, 'children'>;
  previous: Pick<ClauseView, 'clause_label' | 'text'> | null;
  next: Pick<ClauseView, 'clause_label' | 'text'> | null;
}

/** Finds `clauseId` in the document's tree; undefined when the corpus no longer has it. */
export function clauseContext(document: DocumentDetail, clauseId: string): ClauseContext | undefined {
  const walk = (siblings: ClauseView[], ancestors: ClauseView[]): ClauseContext | undefined => {
    for (const [index, node] of siblings.entries()) {
      if (node.clause_id === clauseId) {
        const { children: _children, ...clause } = node;
        const neighbour = (other: ClauseView | undefined) => (other ? { clause_label: other.clause_label, text: other.text } : null);
        return {
          path: ancestors.map((ancestor) => ({ clause_label: ancestor.clause_label, title: ancestor.title })),
          clause,
          previous: neighbour(siblings[index - 1]),
          next: neighbour(siblings[index + 1]),
        };
      }
      const found = walk(node.children, [...ancestors, node]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(document.clauses, []);
}

/** Every department named in the document's clauses, for the log's department filter. */
export function departmentsOf(document: DocumentDetail): string[] {
  const found = new Set<string>();
  const walk = (nodes: ClauseView[]): void => {
    for (const node of nodes) {
      for (const department of [...node.lead_departments, ...node.support_departments]) found.add(department);
      walk(node.children);
    }
  };
  walk(document.clauses);
  return [...found];
}
