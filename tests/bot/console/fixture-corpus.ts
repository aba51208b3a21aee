import type { Citation } from '../../../bot/core/answer.ts';
import type { ClauseView, CorpusView, DocumentDetail, DocumentSummary } from '../../../bot/console/corpus-view.ts';
import { sampleCitation } from '../../helpers.ts';

const clause = (id: string, label: string, text: string, lead: string[], support: string[] = [], children: ClauseView[] = []): ClauseView => ({
  clause_id: `000:${id}`,
  clause_label: label,
  title: null,
  text,
  lead_departments: lead,
  support_departments: support,
  children,
});

/** 清远市 measures (the document `sampleCitation` cites), cut to a few clauses. */
export const qingyuanMeasures: DocumentDetail = {
  doc_id: '000',
  doc_title: '清远市关于促进民营经济高质量发展的若干意见',
  doc_number: '清府办〔2021〕34号',
  issuer: '清远市人民政府办公室',
  period: null,
  validity_status: 'expired',
  validity_note: '2022年2月1日起施行,有效期三年,已于2025年1月31日届满',
  clause_count: 4,
  department_note: null,
  contact: null,
  place: '清远市',
  warnings: [],
  missing_attachments: [],
  source: null,
  corrections: 0,
  clauses: [
    {
      ...clause('一', '一、', '一、多措并举,降低民营企业生产经营成本', []),
      title: '多措并举,降低民营企业生产经营成本',
      children: [
        clause('一(一)', '(一)', '(一)降低残疾人就业保障金征收标准。按不高于2017年征收标准征收残疾人就业保障金。', ['市税务局'], ['市残联']),
        clause('一(二)', '(二)', sampleCitation().text, ['市人力资源社会保障局'], ['市税务局']),
        clause('一(四)', '(四)', '(四)对小微企业工会经费实行全额返还。', ['市总工会']),
      ],
    },
  ],
};

/** A CorpusView over `qingyuanMeasures`; search matches clause text containing the query. */
export class FixtureCorpus implements CorpusView {
  documents(): DocumentSummary[] {
    const { clauses: _clauses, department_note: _note, contact: _contact, ...summary } = qingyuanMeasures;
    return [summary];
  }

  document(docId: string): DocumentDetail | undefined {
    return docId === qingyuanMeasures.doc_id ? qingyuanMeasures : undefined;
  }

  async search(query: string, limit: number): Promise<Citation[]> {
    const found: Citation[] = [];
    const walk = (nodes: ClauseView[], path: string[]): void => {
      for (const node of nodes) {
        if (node.text.includes(query)) {
          found.push(
            sampleCitation({
              clause_id: node.clause_id,
              clause_label: node.clause_label,
              clause_path: path,
              text: node.text,
              quote: node.text,
              lead_departments: node.lead_departments,
              support_departments: node.support_departments,
            }),
          );
        }
        walk(node.children, [...path, node.text]);
      }
    };
    walk(qingyuanMeasures.clauses, []);
    return found.slice(0, limit);
  }
}
