import type { AnswerPart, Citation } from './answer.ts';
import { departmentsText, toSimplified } from '../../corpus/index.ts';
import { documentName } from './citation-text.ts';
import { characterBigrams } from '../../retrieval/index.ts';

export interface ExtractiveInput {
  citations: Citation[];
  asksResponsibility: boolean;
  /** Asked when the measure's document is in force ("有效期到什么时候?"): the validity goes first. */
  asksValidity?: boolean;
  /** For comparisons: the place each group of citations belongs to. */
  groups?: { place: string; citations: Citation[] }[];
  /** The parts of the question that ask ("去哪投诉?", "多久能办结"): asked two things, another row of the measure may state one. */
  askingParts?: string[];
}

/** What an extractive answer shows: its parts and the citations they number. */
export interface ComposedAnswer {
  parts: AnswerPart[];
  shown: Citation[];
}

/**
 * The offline answer: the answering sentence of the best clause first (or who is responsible, or the validity,
 * when that is what is asked), then the departments, period, validity warning and contact. Sources are not
 * written here: every surface lists `shown` once in its own form.
 */
export function composeExtractiveAnswer(input: ExtractiveInput): ComposedAnswer {
  if (input.groups && input.groups.length > 1) return composeGroups(input.groups, input.asksResponsibility);
  const [best, ...others] = input.citations;
  if (!best) return { parts: [], shown: [] };
  const related = others.filter((other) => other.score >= best.score * 0.75).slice(0, 2);
  const parts = measureParts(best, 1, input);
  // Asked two things, the rows of one measure may state one each (乐清's task list: "30日内办结" in one row, the
  // "96666" hotline in another): the row whose quote holds most of what the asking parts say and the first quote
  // does not ("投诉" of "去哪投诉") is quoted after it.
  const sibling = (input.askingParts?.length ?? 0) >= 2 ? companionRow(best, related, input.askingParts!) : -1;
  if (sibling >= 0) {
    const other = related[sibling]!;
    const at = parts.findIndex((part) => part.kind === 'quote') + 1;
    parts.splice(at, 0, { kind: 'quote', source: sibling + 2, intro: `同一措施${other.clause_label}`, text: trimQuote(other) });
  }
  return { parts, shown: [best, ...related] };
}

/** The index among `related` of the row of the best's measure that says most of the asking parts the best's quote leaves out, or -1. */
function companionRow(best: Citation, related: Citation[], askingParts: string[]): number {
  const quoted = new Set(characterBigrams(toSimplified(best.quote)));
  const unsaid = new Set(askingParts.flatMap(characterBigrams).filter((pair) => !quoted.has(pair)));
  let found = -1;
  let most = 0;
  related.forEach((other, index) => {
    if (!sameMeasure(other, best)) return;
    const said = new Set(characterBigrams(toSimplified(other.quote)).filter((pair) => unsaid.has(pair))).size;
    if (said > most) [found, most] = [index, said];
  });
  return found;
}

/** Two rows or items of one measure: the same document, under the same headings. */
function sameMeasure(a: Citation, b: Citation): boolean {
  return a.doc_id === b.doc_id && a.clause_path.length > 0 && a.clause_path.join('›') === b.clause_path.join('›');
}

/**
 * An uncertain answer: one line saying what the documents touch and what they leave open, then the closest
 * measures as related provisions (quoted, with their departments), never as the answer.
 */
export function composeUncertainAnswer(citations: Citation[], missing: string): ComposedAnswer {
  const shown = citations.slice(0, 2);
  const parts: AnswerPart[] = [{ kind: 'notice', text: missing }];
  shown.forEach((citation, index) => {
    parts.push({
      kind: 'quote',
      source: index + 1,
      intro: `相关规定：${documentName(citation)}${citation.clause_label}${measureName(citation)}`,
      text: trimQuote(citation),
    });
    parts.push({ kind: 'departments', source: index + 1, text: departmentsText(citation, 'sentence') });
  });
  return { parts, shown };
}

function composeGroups(groups: { place: string; citations: Citation[] }[], asksResponsibility: boolean): ComposedAnswer {
  const parts: AnswerPart[] = [{ kind: 'notice', text: '按地区分别说明：' }];
  const shown: Citation[] = [];
  for (const { place, citations } of groups) {
    parts.push({ kind: 'heading', text: place });
    const best = citations[0];
    if (!best) {
      parts.push({ kind: 'text', text: '现有文件中没有找到相关规定。' });
      continue;
    }
    shown.push(best);
    parts.push(...measureParts(best, shown.length, { asksResponsibility }));
  }
  return { parts, shown };
}

function measureParts(best: Citation, source: number, input: { asksResponsibility: boolean; asksValidity?: boolean }): AnswerPart[] {
  const quote: AnswerPart = { kind: 'quote', source, intro: `根据${documentName(best)}${best.clause_label}${measureName(best)}`, text: trimQuote(best) };
  const departments: AnswerPart = { kind: 'departments', source, text: departmentsText(best, 'sentence') };
  const parts: AnswerPart[] = [];
  if (input.asksValidity) parts.push({ kind: 'fact', source, label: '有效期', text: `${documentName(best)}${best.validity_note}。` });
  if (input.asksResponsibility) parts.push(departments, quote);
  else parts.push(quote, departments);
  if (best.period) parts.push({ kind: 'fact', source, label: '实施阶段', text: `${best.period}。` });
  if (best.validity_status !== 'in_force' && !input.asksValidity) parts.push({ kind: 'warning', source, text: `${best.validity_note}。` });
  if (best.contact) parts.push({ kind: 'fact', source, label: '文件联系方式', text: best.contact });
  return parts;
}

/** “继续实施失业保险稳岗返还政策” — the measure's heading, when the quote leaves it out. */
function measureName(citation: Citation): string {
  const title = citation.clause_title?.replace(/\s+/g, '');
  return title && title.length <= 40 && !citation.quote.replace(/\s+/g, '').includes(title) ? `“${title.replace(/“/g, '‘').replace(/”/g, '’')}”` : '';
}

/**
 * The quote as shown: whitespace removed, the clause's own label not repeated after the intro that names it
 * ("(三):(三)持续加大…"), doubled full stops made single, and very long quotes cut.
 */
function trimQuote(citation: Citation): string {
  let text = citation.quote.replace(/\s+/g, '').replace(/([。;；!！?？])\1+/g, '$1');
  const label = citation.clause_label.replace(/\s+/g, '');
  const printed = [label, label.replace(/^[^(（]+(?=[(（])/, '')].find((candidate) => candidate && text.startsWith(candidate));
  // A bracketed label ends itself; a bare number is a label only when a separator follows ("10." but not "10个工作日").
  if (printed && (/[)）]$/.test(printed) ? text.length > printed.length : /^[、.．]/.test(text.slice(printed.length)))) {
    text = text.slice(printed.length).replace(/^[、.．:：,，]+/, '');
  }
  return text.length > 260 ? `${text.slice(0, 258)}……` : text;
}

const chineseDate = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return `${year}年${month}月${day}日`;
};

/**
 * An answer about a document itself: the aspects asked (validity, 文号, issuer, dates, contact, approval) from
 * its metadata, in the order asked, then the sentence of the document they rest on.
 */
export function composeDocumentAnswer(citation: Citation, document: DocumentFacts, asks: string[], told: Partial<Record<string, string>> = {}): ComposedAnswer {
  const name = documentName(citation);
  const parts: AnswerPart[] = [];
  const dates = [
    document.dates.written ? `成文于${chineseDate(document.dates.written)}` : null,
    document.dates.published ? `发布于${chineseDate(document.dates.published)}` : null,
    document.dates.printed ? `印发于${chineseDate(document.dates.printed)}` : null,
    document.dates.effective ? `自${chineseDate(document.dates.effective)}起施行` : null,
  ]
    .filter(Boolean)
    .join('，');
  for (const aspect of new Set(asks)) {
    if (aspect === 'validity') parts.push({ kind: 'fact', source: 1, label: '有效期', text: `${name}${citation.validity_note}。` });
    if (aspect === 'doc_number')
      parts.push({
        kind: 'fact',
        source: 1,
        label: '文号',
        text: document.docNumber ? `${name.replace(/\(.*\)$/, '')}的文号是${document.docNumber}。` : `${name}正文未载明文号。`,
      });
    if (aspect === 'issuer')
      parts.push({
        kind: 'fact',
        source: 1,
        label: '发文单位',
        text: document.issuer ? `${document.issuer}${dates ? `（${dates}）` : ''}。` : '文件未载明发文单位。',
      });
    if (aspect === 'date') parts.push({ kind: 'fact', source: 1, label: '日期', text: dates ? `${dates}。` : '文件未载明成文或发布日期。' });
    if (aspect === 'contact')
      parts.push({ kind: 'fact', source: 1, label: '联系方式', text: document.contact ?? `文件未载明联系人，可向发文单位${document.issuer ?? ''}咨询。` });
    const line = told[aspect];
    if (line) parts.push({ kind: 'fact', source: 1, label: TOLD_LABELS[aspect] ?? '文件', text: line });
  }
  if (citation.quote && citation.quote !== citation.doc_title) parts.push({ kind: 'quote', source: 1, intro: `据${name}`, text: citation.quote });
  if (citation.validity_status !== 'in_force' && !asks.includes('validity')) parts.push({ kind: 'warning', source: 1, text: `${citation.validity_note}。` });
  return { parts, shown: [citation] };
}

/** The label of each aspect a document states of itself beyond its metadata fields. */
const TOLD_LABELS: Record<string, string> = {
  type: '文件类型',
  attachment: '附件',
  basis: '制定依据',
  recipients: '主送单位',
  source: '发布来源',
  precedence: '适用规则',
  index_number: '索引号',
  interpretation: '解释',
  repealed: '废止情况',
};

/** What a document answer needs of the document beyond its citation. */
export interface DocumentFacts {
  docNumber: string | null;
  issuer: string | null;
  contact: string | null;
  dates: { written: string | null; published: string | null; effective: string | null; printed: string | null };
}
