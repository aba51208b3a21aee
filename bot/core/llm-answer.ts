import type { Citation } from '../../retrieval/index.ts';
import type { ChatModel } from './chat-model.ts';
import { departmentNamesIn, departmentsText, sameDepartment } from '../../corpus/index.ts';
import { clauseLocation, documentName } from './citation-text.ts';
import { describeError, type Logger } from '../logger.ts';
import type { Prompts } from './policy-assistant.ts';

export interface WriteOptions {
  model: ChatModel;
  prompts: Prompts;
  question: string;
  citations: Citation[];
  history: string[];
  timeoutMs: number;
  logger: Logger;
  onText?: (textSoFar: string) => void;
}

/** What the model's reply comes to once checked: an answer citing retrieved clauses, or "the clauses do not answer". */
export type ModelReply =
  /** `text` cites `cited` as [1]…[n], renumbered from the retrieved clauses it was given. */
  | { kind: 'answer'; text: string; cited: Citation[] }
  | { kind: 'no-answer' }
  /** The clauses touch the matter but do not state what is asked: the model's one line saying what is missing. */
  | { kind: 'related'; missing: string };

/** The reply prompt rule 5 asks for when the clauses cannot answer the question. */
const NO_ANSWER = '现有政策文件中没有找到相关规定';

/**
 * Lets the model write the answer from the retrieved clauses only, then checks it: citation markers must
 * name retrieved clauses (others are removed and logged); the model saying the clauses do not answer is a
 * refusal; an answer citing nothing, naming a department the cited clauses do not, or that failed (timeout,
 * 429, 5xx, garbage) returns null → the extractive answer.
 */
export async function writeWithModel(options: WriteOptions): Promise<ModelReply | null> {
  const clauses = options.citations
    .map((citation, index) =>
      [
        `[${index + 1}] ${documentName(citation)} ${clauseLocation(citation)}`,
        `原文:${citation.text}`,
        `${departmentsText(citation)}`,
        `有效性:${citation.validity_note}`,
      ].join('\n'),
    )
    .join('\n\n');
  const values: Record<string, string> = {
    clauses,
    history: options.history.length > 0 ? options.history.map((question) => `用户曾问:${question}`).join('\n') : '(无)',
    question: options.question.replace(/>>>|<<</g, ''),
  };
  // One pass with a replacer function: a string replacement would expand `$'`, `$\`` and `$&` typed by the user
  // (`$'` inserts the template's own closing `>>>`, escaping the delimiters), and a sequential replace would fill
  // a `{{question}}` typed in an earlier question (now in the history) instead of the real slot.
  const user = options.prompts.user.replace(/\{\{(clauses|history|question)\}\}/g, (placeholder, name: string) => values[name] ?? placeholder);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  let text: string;
  try {
    text = await options.model.complete(
      [
        { role: 'system', content: options.prompts.system },
        { role: 'user', content: user },
      ],
      { signal: controller.signal, onText: options.onText },
    );
  } catch (error) {
    // The endpoint's own error text can echo the request (a key, in one test endpoint's case): the logger redacts it.
    options.logger.warn(`大模型 ${options.model.name} 调用失败（${describe(error)}），改用摘录原文的回答。`, { error: describeError(error) });
    return null;
  } finally {
    clearTimeout(timer);
  }
  return checkAnswer(text, options.citations, (message) => options.logger.warn(message));
}

function describe(error: unknown): string {
  const status = (error as { status?: number }).status;
  return status ? `HTTP ${status}` : (error as Error)?.name === 'AbortError' ? 'timeout' : ((error as Error)?.message?.slice(0, 120) ?? 'error');
}

export function checkAnswer(raw: string, citations: Citation[], log: (message: string) => void): ModelReply | null {
  let text = raw.trim();
  if (text.length < 4 || /^[[{]/.test(text)) {
    log('大模型的回答为空或不成文，改用摘录原文的回答。');
    return null;
  }
  const used = new Set<number>();
  text = text.replace(/\[(\d{1,2})\]/g, (marker, number: string) => {
    const index = Number(number);
    if (index >= 1 && index <= citations.length) {
      used.add(index);
      return marker;
    }
    log(`大模型引用了未检索到的 [${number}]，已删去该标记。`);
    return '';
  });
  // The model, reading the clauses, judged that none answers: better evidence than the search's word overlap.
  if (used.size === 0 && text.includes(NO_ANSWER) && text.length <= NO_ANSWER.length + 40) {
    log('大模型在检索到的条款中没有找到答案，按拒答处理。');
    return { kind: 'no-answer' };
  }
  // Rule 5's second case: the clauses are on the topic but leave what is asked open.
  const related = /^文件提到了[^。\n]{1,60}[,，]\s*但(?:是)?没有写明[^。\n]{1,60}。?$/.exec(text);
  if (used.size === 0 && related) {
    log('大模型认为条款相关但未写明所问内容，按不确定处理。');
    return { kind: 'related', missing: related[0].replace(/。?$/, '。') };
  }
  if (used.size === 0) {
    log('大模型的回答没有引用检索到的条款，改用摘录原文的回答。');
    return null;
  }
  // Departments are found and compared as the corpus reads them (department-parser.ts): "市人社局" in the answer is the
  // clause's 市人力资源社会保障局, and a unit the clause's text, note or contact names counts as named.
  const context = citations.map((citation) => [citation.text, citation.department_note ?? '', citation.contact ?? ''].join('|')).join('|');
  const known = [...citations.flatMap((citation) => [...citation.lead_departments, ...citation.support_departments]), ...departmentNamesIn(context)];
  const unknown = departmentNamesIn(text).filter(
    (name) =>
      !known.some((other) => sameDepartment(name, other)) && !context.includes(name) && !context.includes(name.replace(/^[\u4e00-\u9fff]{2,3}市/, '市')),
  );
  if (unknown.length > 0) {
    log(`大模型写出了引用条款中没有的部门（${unknown.join('、')}），改用摘录原文的回答。`);
    return null;
  }
  // Only the clauses the model cited are shown, numbered in the order of retrieval.
  const numbers = [...used].sort((a, b) => a - b);
  const renumbered = text.replace(/\[(\d{1,2})\]/g, (_, number: string) => `[${numbers.indexOf(Number(number)) + 1}]`);
  return { kind: 'answer', text: renumbered, cited: numbers.map((index) => citations[index - 1]!) };
}
