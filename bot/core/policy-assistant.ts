import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SearchOptions, SearchResult } from '../../retrieval/index.ts';
import type { Citation, TypoCorrection } from '../../retrieval/index.ts';
import type { Answer, AnswerPart, Decision, Question } from './answer.ts';
import { makeAnswer, renderAnswer } from './answer-render.ts';
import { toHalfWidth, toSimplified } from '../../corpus/index.ts';
import type { AskOptions, Assistant } from './assistant.ts';
import { createMemoryChatHistory, type ChatHistory } from './chat-history.ts';
import type { ChatModel } from './chat-model.ts';
import { composeDocumentAnswer, composeExtractiveAnswer, composeUncertainAnswer, type ComposedAnswer } from './extractive-answer.ts';
import type { DocumentQuestion } from '../../retrieval/index.ts';
import { ASKED_KIND_NAMES, type AskedKind, askingParts, asksSomething, DOCUMENT_ASPECT_NAMES } from '../../retrieval/index.ts';
import { writeWithModel } from './llm-answer.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { questionTooLong } from './question-length.ts';

/** What the assistant needs from retrieval. */
export interface ClauseSearch {
  search(question: string, options?: SearchOptions): Promise<SearchResult>;
  /** Questions about a document itself, answered from its metadata and cover note. */
  documentQuestion?(question: string, options?: { today?: string }): { question: DocumentQuestion; citation: Citation } | null;
  /** Officers answered `question` with `clauseId`. */
  addEvidence?(question: string, clauseId: string): void;
}

export interface Prompts {
  system: string;
  user: string;
}

export interface AssistantOptions {
  retriever: ClauseSearch;
  /** Set when an LLM is configured; otherwise answers are extractive. */
  chatModel?: ChatModel;
  prompts?: Prompts;
  today?: () => string;
  /** Where the model's failures and corrected citations are logged; nowhere by default. */
  logger?: Logger;
  /** Upper bound for the LLM before falling back to the extractive answer. */
  llmTimeoutMs?: number;
  historyTurns?: number;
  maxChats?: number;
  /** Where each chat's recent turns are kept; in this process's memory by default (`historyTurns`, `maxChats`). */
  chatHistory?: ChatHistory<Turn>;
  maxQuestionChars?: number;
}

export interface Turn {
  question: string;
  citations: Citation[];
  /** The groups of a comparison, so a follow-up keeps every place. */
  groups?: { place: string; citations: Citation[] }[];
}

/**
 * Below this share of the question's weighted words found in one sentence of the top hits, the corpus is taken
 * not to answer it. Chosen on the evaluation set: 0.15 refuses 16 of 20 unanswerable questions and 3 of 234
 * answerable ones (two of them retrieval misses); 0.25 would refuse 18 but also 26 answerable ones.
 */
const MIN_COVERAGE = 0.15;
/**
 * Below this the answer first says the clauses may not match the question exactly: on the evaluation sets
 * 12–37 % of answerable questions and half the unanswerable ones that pass MIN_COVERAGE fall between the two.
 */
const SURE_COVERAGE = 0.3;
/**
 * The same bound when the question asks for nothing in particular ("有没有…", "能不能…", "谁负责"): a clause on
 * the topic is the answer, so less of the question need be found in it. Swept on the development and held-out
 * sets (356 questions, README "Answer, defer or refuse"): 0.25 answers 8 more answerable questions with the right
 * clause for 2 more with a wrong one and no unanswerable question; 0.22 answers 2 more right for 2 more wrong and
 * one unanswerable. Swept again on the eighteen development sets (1 954 questions, 2026-12-08) with
 * WEAK_ANSWER_COVERAGE below it: 0.23 answers 6 more right, 1 wrong, 1 unanswerable; 0.22 7 / 1 / 2; 0.21 10 / 1 / 3;
 * 0.20 12 / 1 / 3 (2 once "两倍还是三倍" asks a figure) — mostly long stories whose topic is a few words among many.
 */
const SURE_OPEN_COVERAGE = 0.2;
/**
 * An answer covering less than this must hold the question's subject (see `absentSubject`): in the band the open
 * bound was lowered into, unanswerable questions whose subject no top hit holds (关税能不能免, 补贴要不要交企业所得税)
 * were answered instead of refused — 5 of the development sets' at 0.23, 7 at 0.21.
 */
const WEAK_ANSWER_COVERAGE = 0.25;
/**
 * A question asks a kind (an amount, a period…) no sentence on its topic states, and its topic words are this
 * little found even in the closest sentence: the closest measure shares a word or two with it (员工, 缴费), not a
 * subject — the documents do not cover it, and an officer has nothing to start from. Swept on the development sets
 * (dev, held-out, dev 4; 414 questions) over such uncertain answers: below 0.20 refuses 2 off-topic questions,
 * 0.22 three, 0.25 three and 2 near misses (a measure the documents name), 0.30 three and 4; no answerable
 * question is below 0.40.
 */
const MISSING_TOPIC_COVERAGE = 0.22;
/**
 * Would be uncertain, but no top hit holds the question's subject (公积金贷款 → 个人住房, 员工产假 → 产假) and the
 * closest sentence covers less than this of the question: it shares generic words (员工, 公司, 审批流程), not a
 * subject — refused, and the subject named. Swept on the development sets (dev, held-out, dev 4; 464 questions):
 * at 0.30 off-topic questions refused go 75 → 90 / 67 → 83 / 72 → 84 %, at 0.35 to 95 / 83 / 88 %, at 0.40 the
 * same and 3 more near misses (a measure the documents name: officers' work) refused, at 0.50 dev 4's off-topic
 * 92 % and 8 near misses more; at every value 3 answerable questions are refused (two of them retrieval misses
 * whose uncertain answer showed the wrong clause), and they still reach an officer (on-topic refusals do).
 * Tried: the same for answers (coverage ≥ the sure bound) under 0.30–0.40 — it refused 3–7 right answers per set
 * (a colloquial subject the clause says otherwise) for one off-topic question; not used.
 */
const ABSENT_SUBJECT_COVERAGE = 0.35;
/**
 * The sentence that states what is asked covers at least this share of what the sentence closest to the topic
 * covers (the retriever's own bound for a sentence on the topic): when the closest one was set aside — written for
 * other years ("期限至2021年12月31日" asked about 2023), another member of a set, another bracket — and what remains
 * is a side sentence of the clause, the documents touch the question without settling it. Swept on the development
 * sets (nine, 1 135 questions): 0.5 and 0.6 make 2 near misses uncertain and move nothing else; 0.7 also sends a
 * right answer to an officer.
 */
const ANSWER_ON_TOPIC_SHARE = 0.6;

export function loadPrompts(directory: string): Prompts {
  return {
    system: readFileSync(path.join(directory, 'answer-system.md'), 'utf8'),
    user: readFileSync(path.join(directory, 'answer-user.md'), 'utf8'),
  };
}

/** The assistant core: question + recent turns of the chat → an answer citing clauses, and its decision. */
export function createAssistant(options: AssistantOptions): Assistant {
  const logger = options.logger ?? silentLogger;
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const histories = options.chatHistory ?? createMemoryChatHistory<Turn>({ turns: options.historyTurns ?? 6, maxChats: options.maxChats ?? 2000 });
  const maxChars = options.maxQuestionChars ?? 500;

  const remember = (key: string, turn: Turn) => histories.append(key, turn);

  return {
    learn(question: string, clauseIds: string[]) {
      for (const clauseId of clauseIds.slice(0, 1)) options.retriever.addEvidence?.(question, clauseId);
    },
    async ask(question: Question, askOptions: AskOptions = {}): Promise<Answer> {
      const started = performance.now();
      const text = question.text.replace(/\s+/g, ' ').trim();
      const notice = (reply: string): Answer =>
        makeAnswer({
          question: question.text,
          decision: 'refused',
          mode: 'notice',
          parts: [{ kind: 'text', text: reply }],
          citations: [],
          timing_ms: { total: 0 },
        });
      if (!text) return notice('请输入您想咨询的政策问题，例如：“小微企业稳岗返还比例是多少？找哪个部门？”');
      if (isGreeting(text)) return notice(GREETING);
      const tooLong = questionTooLong(text, maxChars);
      if (tooLong) return notice(tooLong);

      const key = `${question.channel}:${question.chatId}`;
      const history = await histories.recent(key);
      const searchStarted = performance.now();
      const followUp = history.length > 0 ? asFollowUp(text, history[history.length - 1]!) : null;
      let citations: Citation[];
      let asksResponsibility: boolean;
      let asksValidity = false;
      let groups: { place: string; citations: Citation[] }[] | undefined;
      let decision: Decision = 'answered';
      let retrieved: { clause_id: string; score: number }[] = [];
      let notCovered: string[] = [];
      /** A refused question still about enterprise policy (not small talk, not another place): officers see it. */
      let onTopic = false;
      let missing: AskedKind[] = [];
      /** Typos read as the documents' words (代款 → 贷款): the answer says how the question was read. */
      let corrections: TypoCorrection[] = [];
      const aboutDocument = followUp ? null : options.retriever.documentQuestion?.(text, { today: today() });
      if (aboutDocument) {
        const { question: asked, citation } = aboutDocument;
        // Asked what the document does not state of itself (a 文号 it does not print, an interpretation): an officer's.
        if (asked.missing.length > 0) {
          await remember(key, { question: text, citations: [citation] });
          const line = `《${citation.doc_title}》没有写明${asked.missing.map((aspect) => DOCUMENT_ASPECT_NAMES[aspect]).join('、')}。`;
          return uncertainAnswer(question.text, [citation], line, [], { total: round(performance.now() - started) });
        }
        const composed = composeDocumentAnswer(citation, asked.document, asked.asks, asked.told);
        await remember(key, { question: text, citations: composed.shown });
        return makeAnswer({
          question: question.text,
          decision: 'answered',
          mode: 'extractive',
          ...shownParts(composed),
          timing_ms: { total: round(performance.now() - started) },
        });
      }
      if (followUp) {
        citations = followUp.citations;
        groups = followUp.groups;
        asksResponsibility = followUp.asksResponsibility;
        asksValidity = followUp.asksValidity;
      } else {
        const result = await options.retriever.search(text, { k: 5, today: today() });
        corrections = result.corrections;
        asksResponsibility = result.query.asksResponsibility;
        // "稳岗返还的政策有效期到什么时候?": the validity leads the answer.
        asksValidity = VALIDITY_ASKED.test(text);
        retrieved = result.hits.map((hit) => ({ clause_id: hit.citation.clause_id, score: hit.citation.score }));
        const places = result.query.places.filter((place) => !result.foreignPlaces.includes(place));
        if (places.length >= 2 && /和|与|跟|及|、|各|分别|比较|对比|区别/.test(text)) {
          groups = [];
          for (const place of places) {
            const regional = await options.retriever.search(text.split(places.find((other) => other !== place)!).join(''), {
              k: 3,
              region: place,
              today: today(),
            });
            groups.push({ place, citations: regional.coverage >= MIN_COVERAGE ? regional.hits.map((hit) => hit.citation) : [] });
          }
          citations = groups.flatMap((group) => group.citations.slice(0, 2));
          if (citations.length === 0) decision = 'refused';
        } else {
          citations = result.hits.map((hit) => hit.citation);
          const verdict = RULE_CHANGE.test(toHalfWidth(toSimplified(text)))
            ? { decision: 'refused' as const, notCovered: [], missing: [] }
            : decide(result, places.length);
          decision = verdict.decision;
          notCovered = verdict.notCovered;
          onTopic =
            !RULE_CHANGE.test(toHalfWidth(toSimplified(text))) &&
            result.foreignPlaces.length === 0 &&
            !result.query.smallTalk &&
            (result.unknownTerms.length > 0 || result.query.policyTerms > 0);
          missing = verdict.missing;
        }
      }
      const searchMs = performance.now() - searchStarted;
      const timing = (extra: Record<string, number> = {}) => ({ search: round(searchMs), ...extra, total: round(performance.now() - started) });
      if (decision === 'refused') {
        await remember(key, { question: text, citations: [] });
        return makeAnswer({
          question: question.text,
          decision,
          mode: 'extractive',
          parts: refusalParts(text, notCovered),
          citations: [],
          retrieved,
          timing_ms: timing(),
          toOfficer: onTopic,
        });
      }
      let answer =
        decision === 'uncertain'
          ? uncertainAnswer(question.text, citations, missingText(citations[0]!, missing, notCovered), retrieved, timing())
          : makeAnswer({
              question: question.text,
              decision,
              mode: 'extractive',
              ...shownParts(
                composeExtractiveAnswer({ citations, asksResponsibility, asksValidity, groups, askingParts: askingParts(toHalfWidth(toSimplified(text))) }),
              ),
              retrieved,
              timing_ms: timing(),
            });
      if (corrections.length > 0) answer = readAs(answer, corrections);
      // With a model, its reading of the clauses decides between answered, uncertain and refused.
      if (options.chatModel && options.prompts && !groups) {
        const llmStarted = performance.now();
        const written = await writeWithModel({
          model: options.chatModel,
          prompts: options.prompts,
          question: text,
          citations: citations.slice(0, 5),
          history: history.slice(-2).map((turn) => turn.question),
          timeoutMs: options.llmTimeoutMs ?? 20_000,
          logger,
          onText: askOptions.onPartial,
        });
        const llmMs = round(performance.now() - llmStarted);
        if (written?.kind === 'no-answer') {
          await remember(key, { question: text, citations: [] });
          return makeAnswer({
            question: question.text,
            decision: 'refused',
            mode: 'llm',
            parts: refusalParts(text),
            citations: [],
            retrieved,
            timing_ms: timing({ llm: llmMs }),
            toOfficer: true,
          });
        }
        if (written?.kind === 'related')
          answer = { ...uncertainAnswer(question.text, citations, written.missing, retrieved, timing({ llm: llmMs })), mode: 'llm' };
        if (written?.kind === 'answer') {
          answer = makeAnswer({
            question: question.text,
            decision: 'answered',
            mode: 'llm',
            parts: [{ kind: 'text', text: written.text }],
            citations: written.cited,
            retrieved,
            timing_ms: timing({ llm: llmMs }),
          });
        }
      }
      askOptions.onPartial?.(answer.answer);
      await remember(key, { question: text, citations: answer.citations, groups });
      return answer;
    },
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * A message that only greets, thanks or acknowledges ("你好", "在吗", "好的谢谢你啊 帮大忙了👍", "明白了"): answered
 * with a greeting, not a refusal, a hand-off or a clause that happens to share a word (帮).
 */
const GREETING_WORDS =
  /^(你好|您好|你们好|大家好|哈喽|嗨|hi|hello|在吗|在么|在嘛|再吗|在不在|有人吗|有人在吗|有没有人|早上好|上午好|中午好|下午好|晚上好|谢谢|多谢|感谢|谢了|谢啦|太感谢了|非常感谢|辛苦了|帮大忙了|帮了大忙|好的|好嘞|好吧|收到|明白了?|知道了|懂了|了解了?|没问题|ok|嗯|请问|你|您|了|啊|呀|哈|哦|噢|呢|哈哈|太好了|赞)+$/i;
/** Thanks told with a story but no question ("谢谢你昨天帮我们查的那个补贴 太有用了"): answered as a greeting. */
const THANKS = /谢谢|多谢|感谢|帮大忙|帮了大忙|太有用了|辛苦了/;
/** A question about the assistant itself ("你是人工客服还是机器人?", "你是谁 能帮我干啥"): the greeting says what it is. */
const ABOUT_ME =
  /你是(谁|什么|哪位|人工|机器人|真人|ai|智能)|是(人工|机器人|真人)(客服)?(还是|吗)|你(能|会|可以)(帮我|帮我们)?(干|做|回答|问|查)(啥|什么|哪些|些什么)|你叫什么|你(这个)?(助手|机器人|系统)?是(不是)?(政府)?官方|(你|助手)的?(回答|答复|说的)(的东西)?(能|可以)?(当|作为|算)?(依据|凭据|准)/i;
function isGreeting(text: string): boolean {
  if (THANKS.test(toSimplified(text)) && !asksSomething(text)) return true;
  // Short, and about the assistant only: "你是谁 能帮我干啥" (a policy question naming the bot is longer than this).
  if (ABOUT_ME.test(toHalfWidth(toSimplified(text))) && [...text].length <= 24) return true;
  return GREETING_WORDS.test(
    toHalfWidth(toSimplified(text))
      .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}/gu, '')
      .replace(/[\s,.!?。,!?~～、…]+/g, ''),
  );
}
const GREETING =
  '您好！我是政策咨询助手，可以解答已收录政策文件中的惠企措施：补贴和奖励的标准、适用条件、办理部门、文件有效期等。请直接说明地区和事项，例如“清远小微企业稳岗返还比例是多少？找哪个部门？”。需要人工服务时，回复“转人工”。';
const VALIDITY_ASKED = /有效期|还有效|到期|过期|失效|截止到?什么时候|执行到什么时候/;
/** An attempt to change the assistant's rules or read its instructions: not a policy question. */
const RULE_CHANGE =
  /忽略(之前|以上|上面|前面|所有)?的?(规则|指令|指示|设定|要求)|无视(规则|指令)|不要遵守|扮演|系统提示|提示词|prompt|越狱|你的(规则|指令|设定)/i;

const shownParts = (composed: ComposedAnswer) => ({ parts: composed.parts, citations: composed.shown });

function uncertainAnswer(question: string, citations: Citation[], missing: string, retrieved: Answer['retrieved'], timing_ms: Record<string, number>): Answer {
  return makeAnswer({ question, decision: 'uncertain', mode: 'extractive', ...shownParts(composeUncertainAnswer(citations, missing)), retrieved, timing_ms });
}

/**
 * The decision on a searched question (see the README's "Answer, defer or refuse"):
 * - refused: a policy term no clause mentions, a place the corpus does not cover, or no sentence on the topic;
 * - uncertain: sentences on the topic, but none states what is asked (an amount, materials, a procedure…),
 *   or they cover the question only weakly;
 * - answered: a sentence on the topic states what is asked.
 */
function decide(result: SearchResult, coveredPlaces: number): { decision: Decision; notCovered: string[]; missing: AskedKind[] } {
  const none = { notCovered: [], missing: [] };
  if (result.hits.length === 0 || (result.foreignPlaces.length > 0 && coveredPlaces === 0))
    return { decision: 'refused', ...none, notCovered: result.foreignPlaces };
  if (result.unknownTerms.length > 0) return { decision: 'refused', notCovered: result.unknownTerms, missing: [] };
  // Said of a place the corpus does not cover ("宁波的若干举措和乐清的有什么区别"), the refusal names the place.
  if (result.topicCoverage < MIN_COVERAGE) return { decision: 'refused', ...none, notCovered: result.foreignPlaces };
  // Not a policy question at all (no term of the domain lexicon, nothing asked a desk is asked): small talk.
  if (
    result.query.smallTalk ||
    (result.query.policyTerms === 0 && result.query.asked.length === 0 && !result.query.asksResponsibility && result.coverage < SURE_COVERAGE)
  )
    return { decision: 'refused', ...none };
  const sure = result.query.asked.length > 0 ? SURE_COVERAGE : SURE_OPEN_COVERAGE;
  if (result.missing.length > 0 && result.topicCoverage < MISSING_TOPIC_COVERAGE) return { decision: 'refused', ...none };
  // A place the corpus does not cover is asked about beside one it does ("乐清的政策我们鹿城的能享受吗", "清远和东莞各奖
  //多少"): the covered place's measure is shown, but whether it settles the question is an officer's call. (One told
  // in the story — "他小孩户口在湖南" — does not count.)
  // No top hit holds the question's subject, and the closest sentence covers little of it: refused unless answered
  // surely (an answer under WEAK_ANSWER_COVERAGE is not).
  const subjectAbsent = result.absentSubject !== null && result.topicCoverage < ABSENT_SUBJECT_COVERAGE;
  const weak = result.coverage < WEAK_ANSWER_COVERAGE && subjectAbsent;
  if (!weak && result.coverage >= sure && result.missing.length === 0 && result.coverage >= ANSWER_ON_TOPIC_SHARE * result.topicCoverage)
    return result.foreignAsked ? { decision: 'uncertain', notCovered: result.foreignPlaces, missing: [] } : { decision: 'answered', ...none };
  if (subjectAbsent) return { decision: 'refused', notCovered: [result.absentSubject!], missing: [] };
  // Something asked is not stated, or the best sentence stating it covers too little of the question.
  return { decision: 'uncertain', notCovered: [], missing: result.missing };
}

/** The one line of an uncertain answer: what the documents touch and what they leave open. */
function missingText(closest: Citation, missing: AskedKind[], elsewhere: string[] = []): string {
  const topic = closest.clause_title && closest.clause_title.length <= 24 ? `“${closest.clause_title.replace(/[。.]$/, '')}”` : '相关事项';
  // A place the corpus does not cover, asked about beside a covered one or told as where the enterprise is registered.
  if (elsewhere.length > 0) return `文件提到了${topic}，但没有写明对「${elsewhere.join('」「')}」是否适用。`;
  if (missing.length === 0) return `文件提到了${topic}，但未必直接回答您的问题。`;
  return `文件提到了${topic}，但没有写明${missing.map((kind) => ASKED_KIND_NAMES[kind]).join('、')}。`;
}

/**
 * "那这个找哪个部门?", "有效期到什么时候?" — a short question with no subject of its own refers to the
 * measure cited last in this chat (every group of a comparison, when the last answer compared places).
 */
function asFollowUp(text: string, last: Turn): { citations: Citation[]; groups?: Turn['groups']; asksResponsibility: boolean; asksValidity: boolean } | null {
  if (last.citations.length === 0 || text.length > 24) return null;
  const deictic = /^(那|那么)?(这个|这条|这项|那个|该|它|上面|刚才|上述)|^(那|那么)/.test(text);
  const aboutDepartment = /(哪个|什么)(部门|单位|局)|谁(牵头|负责|管)|找谁/.test(text);
  const aboutValidity = /(有效期|到期|截止|什么时候|多久|还有效|过期|失效)/.test(text);
  if (!deictic && !(aboutDepartment || aboutValidity)) return null;
  if (
    !deictic &&
    text.replace(/(哪个|什么)(部门|单位|局)|谁(牵头|负责|管)|找谁|有效期|到期|截止|什么时候|多久|还有效|过期|失效|[吗呢吧啊?？,，。]/g, '').length > 6
  )
    return null;
  const asksValidity = aboutValidity && !aboutDepartment;
  if (last.groups && last.groups.length > 1) {
    return {
      citations: last.citations,
      groups: last.groups.map((group) => ({ ...group, citations: group.citations.slice(0, 1) })),
      asksResponsibility: aboutDepartment || !aboutValidity,
      asksValidity,
    };
  }
  return { citations: last.citations.slice(0, 1), asksResponsibility: aboutDepartment || !aboutValidity, asksValidity };
}

/** The answer opening with how the question was read: "（已按「贷款」理解「代款」）". */
function readAs(answer: Answer, corrections: TypoCorrection[]): Answer {
  const line = `（已按${corrections.map(({ written, meant }) => `「${meant}」理解「${written}」`).join('、')}）`;
  const parts: AnswerPart[] = [{ kind: 'notice', text: line }, ...answer.parts];
  return { ...answer, parts, answer: renderAnswer({ ...answer, parts }, 'plain') };
}

/** A refusal: what is not covered, plainly (the terms or places when known), and where to go instead. */
function refusalParts(question: string, notCovered: string[] = []): AnswerPart[] {
  const shown = notCovered.length > 0 ? notCovered.slice(0, 3).join('、') : [...question].length > 30 ? `${[...question].slice(0, 30).join('')}…` : question;
  return [
    { kind: 'notice', text: `现有政策文件未涉及「${shown}」，我不便凭猜测作答。` },
    {
      kind: 'steps',
      title: '建议：',
      items: [
        '换个说法再问，写明地区和事项，例如“清远 小微企业 稳岗返还 比例”；',
        '咨询相关政策的发文单位，或拨打当地12345政务服务便民热线；',
        '回复“转人工”，由政策服务专员跟进答复。',
      ],
    },
  ];
}
