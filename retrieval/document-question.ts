import type { Corpus } from '../corpus/index.ts';
import type { PolicyDocument } from '../corpus/index.ts';
import { toHalfWidth, toSimplified } from '../corpus/index.ts';
import { type AskedKind, askedKinds } from './asked-kind.ts';
import { askingParts, asksQuantity } from './query-analysis.ts';
import { terms } from './text-analysis.ts';

/** What a question about the document itself asks. */
export type DocumentAspect = 'validity' | 'doc_number' | 'issuer' | 'date' | 'contact' | 'approval';

export interface DocumentQuestion {
  document: PolicyDocument;
  asks: DocumentAspect[];
  /** The document's own sentence that best answers it (validity sentence, cover note, contact), if any. */
  sentence: string | null;
}

/**
 * How each aspect of a document is asked about. General phrasings of enterprise questions, not of these five
 * documents: "从什么时候开始执行", "管到哪一年", "文号多少", "谁发的", "有问题找谁反映".
 */
const ASPECTS: [DocumentAspect, RegExp][] = [
  [
    'validity',
    /有效期|还有效|有效吗|仍然有效|是否有效|失效|过期|到期|截止|执行到|管到|管几年|管多久|实施到|施行到|到哪一?年|(什么时候|何时|哪天|几号|哪一天)(开始|起)?(执行|实施|施行|生效)|从什么时候|实施期|施行日期|生效|还能用|还算数|废止/,
  ],
  ['doc_number', /文号|发文字号|几号文/],
  [
    'issuer',
    /谁(发|印发|出台|制定|答复|回复)的?|哪个(单位|部门|机关)(发|印发|出台|制定|答复|回复)|发文(单位|机关)|印发单位|出台单位|哪个部门答复|是哪个单位的/,
  ],
  ['date', /(哪天|什么时候|何时|哪一天|几号|哪年)(发|印发|出台|发布|答复|回复|公布)|(发布|印发|成文|答复)(时间|日期)/],
  [
    'contact',
    /(遇到|碰到|有|出现)(了)?(什么)?问题.{0,8}(找|向|反映|联系)|找谁反映|向哪个?部门反映|哪个部门反映|联系人|联系电话|电话(是)?多少|咨询电话|怎么联系/,
  ],
  ['approval', /(哪次|什么)会议|审议通过|经过.{0,6}(同意|批准)|谁批准/],
];

/**
 * What only a measure states: an amount, a share, a count, materials, a procedure, conditions (a period, a date or
 * "多少" may be the document's: "有效期几年", "文号是多少", "电话多少").
 */
const MEASURE_KINDS = new Set<AskedKind>(['money', 'share', 'count', 'materials', 'procedure', 'condition']);

/** Words that point at a document rather than at a measure inside it. */
const DOCUMENT_WORDS = /文件|意见|措施|举措|方案|办法|通知|规定|细则|答复|复函|函|提案|这份|那份|这个政策|那个政策|这项政策|这批政策/;

/**
 * Recognises a question about a document itself — when it takes effect and until when, whether it is still in
 * force, its 文号, who issued it and when, whom to contact — and finds the document it names (by place and
 * title words). Returns null for questions about a measure, even one that asks its validity.
 */
export function readDocumentQuestion(question: string, corpus: Corpus): DocumentQuestion | null {
  const text = toHalfWidth(toSimplified(question));
  const asks = ASPECTS.filter(([, pattern]) => pattern.test(text)).map(([aspect]) => aspect);
  if (asks.length === 0 || !DOCUMENT_WORDS.test(text)) return null;
  // "增值税加计抵减按百分之几?这个政策到哪年为止": a question asking a measure's figure, materials, procedure or
  // conditions is about that measure, and "这个政策" is the measure — its clause states its own period.
  if (asksQuantity(text).some((kind) => MEASURE_KINDS.has(kind)) || askedKinds(askingParts(text).join(' ')).some((kind) => MEASURE_KINDS.has(kind)))
    return null;
  const document = namedDocument(text, corpus);
  if (!document) return null;
  return { document, asks, sentence: bestNote(document, asks) };
}

/** The document the question names: most of its title words (and its place) in the question, and clearly so. */
function namedDocument(text: string, corpus: Corpus): PolicyDocument | null {
  const asked = new Set(terms(text));
  const scored = corpus.documents
    .map((document) => {
      const place = [document.region.city, document.region.district]
        .filter((name): name is string => Boolean(name))
        .map((name) => name.replace(/[市区县]$/, ''));
      const placed = place.some((name) => text.includes(name));
      const titleTerms = new Set(
        terms(toHalfWidth(toSimplified(`${document.title} ${document.docNumber ?? ''} ${document.issuer ?? ''}`))).filter((term) => term.startsWith('#')),
      );
      let shared = 0;
      for (const term of titleTerms) if (asked.has(term)) shared += 1;
      return { document, score: shared / Math.sqrt(titleTerms.size + 1) + (placed ? 1 : 0), placed };
    })
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  // Chosen on the development questions: a named place alone scores 1, a few title words without it about 0.5.
  if (!best || best.score < 0.5) return null;
  // Two documents of one city: the title words must tell them apart.
  if (second && best.score - second.score < 0.15) return null;
  return best.document;
}

const NOTE_PATTERNS: Record<DocumentAspect, RegExp> = {
  // Not "有效性" alone: "合规有效性评价标准" is about compliance, not the document's term.
  validity: /有效期|(文件|意见|措施|举措|方案|办法|规定)[^。]{0,8}有效|自[^。]{0,16}起[^。]{0,4}(施行|实施)|实施期/,
  doc_number: /文号|〔\d{4}〕/,
  issuer: /印发给|发布机构|现印发/,
  date: /成文日期|发布日期|发布时间|印发/,
  contact: /联系人|联系电话|电话|径向|反映/,
  approval: /审议通过|同意/,
};

function bestNote(document: PolicyDocument, asks: DocumentAspect[]): string | null {
  for (const aspect of asks) {
    if (aspect === 'validity' && document.validity.statement && !/据标题/.test(document.validity.statement)) return document.validity.statement;
    const note =
      aspect === 'doc_number'
        ? document.notes.find((sentence) => document.docNumber !== null && sentence.includes(document.docNumber))
        : document.notes.find((sentence) => NOTE_PATTERNS[aspect].test(toSimplified(sentence)) && !/^[^:：]{2,6}[:：]\s*[^:：]{0,4}$/.test(sentence));
    if (note) return note;
  }
  return null;
}
