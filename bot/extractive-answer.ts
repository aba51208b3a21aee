import type { Citation } from '../retrieval/citation.ts';
import { clauseLocation, departmentsSentence, documentName } from './citation-text.ts';

export interface ExtractiveInput {
  citations: Citation[];
  asksResponsibility: boolean;
  /** For comparisons: the place each group of citations belongs to. */
  groups?: { place: string; citations: Citation[] }[];
  /** The best clause covers the question only in part: say so before quoting it. */
  uncertain?: boolean;
}

/**
 * The offline answer: the answering sentence of the best clause first, then who is responsible, then the
 * validity warning, then the sources. Written as sentences, not as a dump of chunks.
 */
export function composeExtractiveAnswer(input: ExtractiveInput): string {
  if (input.groups && input.groups.length > 1) {
    const parts = input.groups.map(({ place, citations }) => {
      const best = citations[0];
      if (!best) return `**${place}**:现有文件中没有找到相关规定。`;
      return `**${place}**:据${documentName(best)}${best.clause_label},${trimQuote(best.quote)}(${departmentsSentence(best)})`;
    });
    return [`按地区分别说明:`, ...parts, '', sourcesBlock(input.groups.flatMap((group) => group.citations.slice(0, 1)))].join('\n');
  }
  const [best, ...others] = input.citations;
  if (!best) return '';
  const lines: string[] = input.uncertain ? ['以下规定与您的问题最接近,但未必完全对应,请核对是否适用:'] : [];
  const department = best.lead_departments.length > 0
    ? `这项措施由${best.lead_departments.join('、')}牵头${best.support_departments.length > 0 ? `,${best.support_departments.join('、')}配合` : ''}。`
    : `${best.department_note ?? '文件未列明责任单位'}。`;
  if (input.asksResponsibility) {
    lines.push(`${department}依据${documentName(best)}${best.clause_label}${measureName(best)}:${trimQuote(best.quote)}`);
  } else {
    lines.push(`根据${documentName(best)}${best.clause_label}${measureName(best)}:${trimQuote(best.quote)}`);
    lines.push(department);
  }
  if (best.period) lines.push(`实施阶段:${best.period}。`);
  if (best.validity_status !== 'in_force') lines.push(`⚠️ ${best.validity_note}。`);
  if (best.contact) lines.push(`文件联系方式:${best.contact}`);
  const related = others.filter((other) => other.score >= best.score * 0.75).slice(0, 2);
  lines.push('', sourcesBlock([best, ...related]));
  return lines.join('\n');
}

/** “继续实施失业保险稳岗返还政策” — the measure's heading, when the quote leaves it out. */
function measureName(citation: Citation): string {
  const title = citation.clause_title?.replace(/\s+/g, '');
  return title && title.length <= 40 && !citation.quote.replace(/\s+/g, '').includes(title) ? `“${title.replace(/“/g, '‘').replace(/”/g, '’')}”` : '';
}

function trimQuote(quote: string): string {
  const text = quote.replace(/\s+/g, '');
  return text.length > 260 ? `${text.slice(0, 258)}……` : text;
}

/** The numbered sources under every answer: document, 文号, clause, departments. */
export function sourcesBlock(citations: Citation[], numbers: number[] = citations.map((_, index) => index + 1)): string {
  return ['**出处**', ...citations.map((citation, index) => `[${numbers[index]}] ${documentName(citation)} ${clauseLocation(citation)};${departmentsSentence(citation)}`)].join('\n');
}
