import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import placeData from '../corpus/places.json' with { type: 'json' };
import type { Corpus } from '../corpus/index.ts';
import type { Clause, PolicyDocument } from '../corpus/index.ts';
import { sameDepartment } from '../corpus/index.ts';
import { sentences as sentencesOf, toHalfWidth, toSimplified } from '../corpus/index.ts';
import { corpusCities, placeForms } from '../corpus/measures.ts';
import { validityOn } from '../corpus/index.ts';
import { Bm25 } from './bm25.ts';
import { toCitation, toDocumentCitation, type Citation } from './citation.ts';
import { contradicts } from './contrast.ts';
import { outsideBrackets } from './figure-range.ts';
import { mentionsPlace, placeScope } from './place-scope.ts';
import { forAskedYear, forOtherYears } from './year-scope.ts';
import { readDocumentQuestion, type DocumentQuestion } from './document-question.ts';
import type { Embedder } from './embedder.ts';
import { ExampleQuestionIndex } from './example-questions.ts';
import { correctTypos, type TypoCorrection } from './homophone-typos.ts';
import { analyseQuery, askingParts, type AnalysedQuery } from './query-analysis.ts';
import { provides, type AskedKind } from './asked-kind.ts';
import { defaultLexicon, RELATION_CREDIT } from './lexicon.ts';
import { characterBigrams, generalIdf, type QuantityKind, taggedWords, terms, termsWithEmbedded, withoutLabel, words } from './text-analysis.ts';
import { readTermCache, TermIndex, writeTermCache } from './term-index.ts';
import { HnswIndex, IndexCorruptError, type IndexManifest } from './vector-index/hnsw-index.ts';

export interface SearchOptions {
  k?: number;
  /** Only documents whose province, city or district contains this text. */
  region?: string;
  docId?: string;
  /** Only documents in force on this date (yyyy-mm-dd). Without it expired documents are returned and marked. */
  inForceOn?: string;
  /** Only clauses this department leads or supports. */
  department?: string;
  /** The date validity is judged against (default: the clock's today). */
  today?: string;
}

export interface SearchHit {
  clause: Clause;
  document: PolicyDocument;
  score: number;
  citation: Citation;
}

export interface SearchResult {
  query: AnalysedQuery;
  hits: SearchHit[];
  /**
   * How much of the question the best sentence among the top hits covers (0–1): the share of the question's
   * weighted words found in it (with its clause's headings). Low coverage means the corpus probably does not
   * answer the question.
   */
  coverage: number;
  /** The same, for any sentence on the topic, whether or not it states what is asked. */
  topicCoverage: number;
  /** What the question asks (an amount, materials, a procedure…) that no sentence on the topic states. */
  missing: AskedKind[];
  /** Policy terms of the question that no clause of the corpus mentions, nor any synonym of them (印花税税率, 海外仓). */
  unknownTerms: string[];
  /** The question names places none of the documents is about. */
  foreignPlaces: string[];
  /** One of them is named in the parts that ask, not only in the asker's story (see `placeScope`). */
  foreignAsked: boolean;
  /**
   * The heaviest word of the question's topic (not its situation, a function word or a word that only asks) when
   * none of the top hits holds it nor a synonym of it (个人住房 for a housing-fund loan, 产假): the hits share
   * other words with the question, not its subject. Null when one of them holds it.
   */
  absentSubject: string | null;
  /** Homophone typos read as the documents' words (代款 → 贷款): searched as meant, and told to the asker. */
  corrections: TypoCorrection[];
}

export interface RetrieverOptions {
  corpus: Corpus;
  embedder: Embedder;
  /** Where the vector index is saved; omitted → built in memory only. */
  indexDirectory?: string;
  log?: (message: string) => void;
  today?: () => string;
}

const RRF_K = 60;
/**
 * The first lexical hits always reach the coverage rerank: a clause first by its words but far down the vectors'
 * ranking (a long reply-letter paragraph) otherwise falls below the fused head of 30 (one development question: its
 * clause, first by BM25, was 44th after fusion). 5 and 10 change the same questions.
 */
const LEXICAL_HEAD = 5;
// Chosen on the evaluation set (0 → 86 % Hit@1, 0.06 → 91 %), then on the development sets (twelve, 1 394 questions):
// 0.08 puts first the clause covering most of a question that fusion ranked a little lower (拖着货款…去哪投诉 →
// 款项支付投诉, not 投诉渠道): dev 10 Hit@1 88.9 → 93.3 %, dev 13 95.0 → 100 %, two wrong answers right, nothing
// worse; 0.07 gains half of it; 0.09 the same as 0.08 with one Hit@5 lost; 0.10 refuses an answerable question.
const COVERAGE_WEIGHT = 0.08;
/** Asked who is responsible, a hit naming its departments leads one naming none when it covers this share as well. */
const RESPONSIBLE_SHARE = 0.8;
/** A main-text measure leads its task-list restatement when it covers this share of what the row covers. */
const RESTATED_SHARE = 0.9;
const isAttachment = (clause: Clause) => clause.label.startsWith('附件');
/**
 * The other column's row of the top hit's task joins its citation when it covers this share of what the top hit
 * covers: a table's target and measure for one task often say the same thing (全市目标 "落实“单工伤险”参保新政,鼓励平台
 * 企业…单险种参加工伤保险" beside 落实举措 "按照《…工伤保险办法》…鼓励平台企业…单险种参加工伤保险"), and either is the
 * answer. Swept on the development sets: at 0.9 the top citation holds the answering row for 7 more questions, at 0.8
 * for 10 (dev, held-out, dev 12, dev 14), at 0.7 for one more (dev 15); no decision moves at any of them, and no
 * question lost its answering row. 0.8 keeps a row that covers clearly less out of the quote.
 */
const TASK_ROW_SHARE = 0.8;

/**
 * Two rows of one task in a table's two columns (全市目标 / 落实举措 of 序号 6): same document, same heading path, same
 * departments, ids differing only in the last part, which names a column and a number ("全市目标6", "落实举措6").
 */
function taskColumns(a: Clause, b: Clause): boolean {
  const [idA, idB] = [a.clauseId.split(':'), b.clauseId.split(':')];
  const column = (part: string | undefined) => /^([\u4e00-\u9fff]{2,8})[0-9]*$/.exec(part ?? '')?.[1];
  const [columnA, columnB] = [column(idA.at(-1)), column(idB.at(-1))];
  return (
    a.docId === b.docId &&
    columnA !== undefined &&
    columnB !== undefined &&
    columnA !== columnB &&
    idA.length === idB.length &&
    idA.slice(0, -1).join(':') === idB.slice(0, -1).join(':') &&
    a.path.join('\n') === b.path.join('\n') &&
    a.leadDepartments.join('、') === b.leadDepartments.join('、') &&
    a.supportDepartments.join('、') === b.supportDepartments.join('、')
  );
}

/** The top row with its task's other row: "附件 序号6 落实举措6、全市目标6", both texts. */
function withTaskRow(top: Clause, row: Clause): Clause {
  let shared = 0;
  while (shared < top.citeLabel.length && top.citeLabel[shared] === row.citeLabel[shared]) shared += 1;
  const start = top.citeLabel.lastIndexOf(' ', shared) + 1;
  return { ...top, citeLabel: `${top.citeLabel}、${row.citeLabel.slice(start)}`, text: `${top.text}\n${row.text}` };
}

/** About one rank of fusion score at the head: breaks near ties, never outweighs coverage. */
const RESPONSIBLE_BONUS = 0.003;
/** How many of the top hits may hold the sentence that answers the question. */
const SUPPORT_HITS = 3;
/**
 * An officer-answered question counts for a new one when it holds this share of the new question's weighted
 * words; its clause then leads by this much of fusion score (more than any fused rank gives, 1/60).
 */
const EVIDENCE_MATCH = 0.5;
const EVIDENCE_LEAD = 0.02;
/**
 * A clause's model-written example questions rank it (a third list in the fusion) when they hold this share of
 * the question's weighted words; at EVIDENCE_MATCH or more they count, as officers' questions do, for the topic
 * (the question is not refused as off the topic), never for the answer: only a sentence of the clause answers.
 */
const EXAMPLE_MATCH = 0.3;
/** Coverage at which a lower hit's sentence stating what is asked is promoted to lead the answer (the refusal line). */
const MIN_ANSWER_COVERAGE = 0.15;
/** Words that only tell the asker's situation weigh this much of a word in the asking part. */
const SITUATION_WEIGHT = 0.4;
/**
 * A verb, adjective or adverb of the asker's own (提上去, 加盖, 绕开, 拿到, 不用) that no clause uses and the lexicon
 * does not know weighs this much: it tells what the asker does, in words policies never write, and at full weight
 * (its rarity makes it the heaviest word) it hid measures the question is about. Swept on the development sets:
 * 0.5 and 0.65 answer 1 / 2 / 0 / 1 more questions right (dev, held-out, dev 4, dev 5; one refusal fewer on dev 5)
 * for one more near miss answered on dev 5; 0.3 answers 1–4 unanswerable questions per set.
 */
const COLLOQUIAL_WEIGHT = 0.5;
const ASKERS_WORD_TAG = /^(v|vd|vi|a|ad|d|z)$/;
/** A function word of the question (这块, 大概, 以后) weighs this much of a content word in coverage. */
const FUNCTION_WEIGHT = 0.2;
/** A sentence is on the question's topic when it covers this share of the best sentence's coverage. */
const ON_TOPIC_SHARE = 0.6;
/**
 * An opening sentence up to this long states the measure's topic. Swept on the three development sets (dev,
 * held-out, dev4; 414 questions), against none: 30 characters answer 3 more answerable questions with the right
 * clause and one unanswerable question (a fund's yearly total answered with a grant's amount); 60 and 100 answer
 * 4 and 6 more, each also that one. Kept short: a statement of the topic, not a paragraph that lends its words
 * to every sentence.
 */
const TOPIC_SENTENCE_CHARS = 30;
/** jieba's tags of words that name things: nouns, names, places, organisations, abbreviations, verbal nouns, Latin letters. */
const NAMING_TAG = /^(n|nr|ns|nt|nz|nw|j|vn|eng|x)$/;
/** The kind of a named instrument (a tax, fee, insurance, licence, certificate, qualification, invoice). */
const INSTRUMENT_KIND = /^(税|费|险|证|照|资质|许可|许可证|执照|认证|备案|发票|专用发票)$/;
/** Words shaped like a specific tax, fee, insurance, licence or subsidy: a specific policy term. */
const POLICY_SHAPED = /(税|费|险|证|照|资质|许可|补贴|补助|贷款|基金|额度|税率|费率|扣除|抵扣|抵减)$/;

/** Hybrid clause search: BM25 over jieba terms fused with HNSW vector ranking by reciprocal rank. */
export class ClauseRetriever {
  /** Every clause's searchable text, for checking whether the corpus mentions a term at all (built on first use). */
  private corpusText: string | null = null;
  private cityNames: string[] | undefined;
  /** Questions officers answered with a clause: their words point to that clause (see `addEvidence`). */
  private readonly evidence: { clauseId: string; terms: Set<string> }[] = [];
  /** Questions a model wrote for clauses (see `addExampleQuestions`); empty offline. */
  private readonly examples = new ExampleQuestionIndex();

  private constructor(
    private readonly corpus: Corpus,
    private readonly embedder: Embedder,
    private readonly index: HnswIndex,
    private readonly bm25: Bm25,
    /** Each clause's terms; how many clauses use a word (企业, 支持: most) says how little it tells of a subject. */
    private readonly terms: TermIndex,
    private readonly today: () => string,
  ) {}

  static async create(options: RetrieverOptions): Promise<ClauseRetriever> {
    const log = options.log ?? (() => {});
    const clauses = options.corpus.clauses;
    // The saved index is read and checked off this thread (hnsw-index.ts) while the terms and BM25 are made here;
    // the pause lets its steps go on (the graph is handed to hnswlib once its checksum is in).
    const saved = readSavedIndex(options.indexDirectory, log);
    const pause = () => new Promise((resolve) => setImmediate(resolve));
    const clauseTerms = loadOrBuildTerms(
      clauses.map((clause) => indexSource(clause, options.corpus.document(clause.docId)!)),
      options.indexDirectory,
      log,
    );
    await pause();
    const bm25 = new Bm25(clauseTerms.index);
    const index = await loadOrBuildIndex(clauses, clauseTerms.text, clauseTerms.hashes, options.embedder, options.indexDirectory, log, await saved);
    return new ClauseRetriever(options.corpus, options.embedder, index, bm25, clauseTerms.index, options.today ?? todayIso);
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * Records that officers answered `question` with `clauseId`: a later question sharing most of its weighted words
   * ranks that clause first and counts as covered, so each correction also helps differently worded questions.
   */
  addEvidence(question: string, clauseId: string): void {
    if (!this.corpus.clause(clauseId)) return;
    const words = analyseQuery(question).terms;
    if (this.evidence.some((entry) => entry.clauseId === clauseId && words.every((word) => entry.terms.has(word)))) return;
    this.evidence.push({ clauseId, terms: new Set(words) });
  }

  /**
   * Questions a model wrote that `clauseId` answers, in the words enterprises use: their words find the clause
   * (a third ranking fused with BM25 and the vectors). Unknown clauses are ignored; returns whether it was known.
   */
  addExampleQuestions(clauseId: string, questions: string[]): boolean {
    const position = this.positions().get(clauseId);
    if (position === undefined) return false;
    this.examples.add(
      position,
      questions.flatMap((question) => analyseQuery(question).terms.filter((term) => !term.startsWith('#'))),
    );
    return true;
  }

  /** How many clauses have example questions. */
  get exampledClauses(): number {
    return this.examples.clauses;
  }

  /** A question about a document itself (validity, 文号, issuer, contact), with its citation; null otherwise. */
  documentQuestion(asked: string, options: { today?: string } = {}): { question: DocumentQuestion; citation: Citation } | null {
    const question = this.corrected(asked).text;
    const found = readDocumentQuestion(question, this.corpus);
    // Asked about another place's or level's document ("肇庆有没有出类似清远那种的意见?文号多少", "云南省级文件的文号"):
    // not the covered document's 文号 — the search says what is not covered.
    if (found) {
      const query = analyseQuery(question);
      const scope = placeScope(query, this.corpus, this.cities());
      if (scope.policyOf || (scope.foreign.length > 0 && query.higherLevel)) return null;
    }
    return found && { question: found, citation: toDocumentCitation(found.document, found.sentence, options.today ?? this.today()) };
  }

  async search(asked: string, options: SearchOptions = {}): Promise<SearchResult> {
    const { text: question, corrections } = this.corrected(asked);
    const k = options.k ?? 5;
    const today = options.today ?? this.today();
    const query = analyseQuery(question);
    const clauses = this.corpus.clauses;
    // Without filters nothing is excluded: no per-candidate callback (hnswlib calls it for every node it visits).
    const filtered = Boolean(options.docId || options.region || options.inForceOn || options.department);
    const allowed = filtered ? (position: number) => this.allowed(clauses[position]!, options) : undefined;
    const scope = placeScope(query, this.corpus, this.cities());
    const foreignPlaces = scope.foreign;
    query.places = scope.places;

    if (query.departmentListing && !options.department) {
      const listed = clauses
        .map((clause, position) => ({ clause, position }))
        .filter(
          ({ clause, position }) => (allowed?.(position) ?? true) && clause.leadDepartments.some((name) => sameDepartment(name, query.departmentListing!)),
        )
        .filter(({ clause }) => query.places.length === 0 || query.places.some((place) => mentionsPlace(this.corpus.document(clause.docId)!, place)));
      if (listed.length > 0) {
        return {
          query,
          foreignPlaces,
          foreignAsked: scope.asked,
          coverage: 1,
          topicCoverage: 1,
          missing: [],
          unknownTerms: [],
          absentSubject: null,
          corrections,
          hits: listed.slice(0, Math.max(k, 20)).map(({ clause }) => this.hit(clause, 1, question, today)),
        };
      }
    }

    const weights = query.expansionWeights;
    const lexicalRanking = this.bm25.top([...query.terms, ...query.expansionTerms], 200, { weights, accept: allowed });
    const queryVector = await this.embedder.embedQuery(query.text || question);
    const vectorRanking = this.index.search(queryVector, 200, allowed);

    const wordWeights = this.wordWeights(query, foreignPlaces);
    const exampleRanking = this.examples.rank(wordWeights, { limit: 200, minimum: EXAMPLE_MATCH, accept: allowed });

    const fused = new Map<number, number>();
    lexicalRanking.forEach(([position], rank) => fused.set(position, (fused.get(position) ?? 0) + 1 / (RRF_K + rank)));
    vectorRanking.forEach(({ position }, rank) => fused.set(position, (fused.get(position) ?? 0) + 1 / (RRF_K + rank)));
    exampleRanking.forEach(([position], rank) => fused.set(position, (fused.get(position) ?? 0) + 1 / (RRF_K + rank)));
    // A question naming a city is about that city's documents.
    const placed = query.places.filter((place) => !foreignPlaces.includes(place));
    if (placed.length > 0) {
      for (const [position] of fused) {
        const document = this.corpus.document(clauses[position]!.docId)!;
        if (!placed.some((place) => mentionsPlace(document, place))) fused.delete(position);
      }
    }
    // Rerank the head by how much of the question each clause covers: fusion finds candidates, coverage orders them.
    // Asked who is responsible, a clause that names its departments answers better than one that names none.
    const named = (position: number) => (query.asksResponsibility && clauses[position]!.leadDepartments.length > 0 ? RESPONSIBLE_BONUS : 0);
    const fusedHead = [...fused].sort((a, b) => b[1] - a[1]).slice(0, 30);
    for (const [position] of lexicalRanking.slice(0, LEXICAL_HEAD))
      if (fused.has(position) && !fusedHead.some(([held]) => held === position)) fusedHead.push([position, fused.get(position)!]);
    const head = fusedHead.map(
      ([position, score]) => [position, score + COVERAGE_WEIGHT * coverage(wordWeights, this.terms.clause(position)) + named(position)] as [number, number],
    );
    // Questions officers answered: the best-matching one puts its clause first (and counts as covering the question).
    const answered = this.bestEvidence(wordWeights, allowed);
    if (answered) {
      const existing = head.find(([position]) => position === answered.position);
      const top = Math.max(0, ...head.map(([, score]) => score));
      if (existing) existing[1] = top + EVIDENCE_LEAD;
      else head.push([answered.position, top + EVIDENCE_LEAD]);
    }
    const ranked = head.sort((a, b) => b[1] - a[1]).slice(0, k);
    const supportPositions = ranked.slice(0, SUPPORT_HITS).map(([position]) => position);
    const supportClauses = supportPositions.map((position) => clauses[position]!);
    // Their index terms; the reorderings below keep the same three clauses first, so the absent subject reads these too.
    const supportTerms = supportPositions.map((position) => this.terms.clause(position));
    const { answeringClause, answeringSentences, ...support } = sentenceCoverage(query, wordWeights, supportClauses, supportTerms);
    const answeringSentence = new Map(supportClauses.map((clause, index) => [clause, answeringSentences[index]] as const));
    // Asked for an amount, materials, a procedure…: the clause whose sentence states it leads the answer — when that
    // sentence is on the topic (a sentence stating conditions for 交通连廊 does not lead a question about 优粤卡's).
    if (query.asked.length > 0 && answeringClause > 0 && support.coverage >= Math.max(MIN_ANSWER_COVERAGE, ON_TOPIC_SHARE * support.topicCoverage))
      ranked.unshift(...ranked.splice(answeringClause, 1));
    const first = () => clauses[ranked[0]![0]]!;
    // A task list restating a main-text measure ("1+N 任务清单" rows under 附件): the measure itself leads, with its own
    // 责任单位 — only for questions asking no figure, materials or procedure, which a row may state and the measure not.
    if (ranked.length > 0 && query.asked.length === 0 && isAttachment(first())) {
      const row = first();
      this.promote(ranked, wordWeights, RESTATED_SHARE, (clause) => clause.docId === row.docId && !isAttachment(clause));
    }
    // Asked who is responsible, a first hit naming no department cannot say; one naming its lead departments leads.
    if (ranked.length > 0 && query.asksResponsibility && first().leadDepartments.length === 0)
      this.promote(ranked, wordWeights, RESPONSIBLE_SHARE, (clause) => clause.leadDepartments.length > 0);
    if (answered && ranked[0]?.[0] === answered.position) {
      support.topicCoverage = Math.max(support.topicCoverage, answered.match);
      if (support.missing.length === 0) support.coverage = Math.max(support.coverage, answered.match);
    }
    // The same task's row in the table's other column (落实举措 6 beside 全市目标 6), covering the question about as well:
    // one task, its departments the same — the answer quotes both rows as one citation, and the row is not listed again.
    let pairedRow: Clause | undefined;
    if (ranked.length > 1) {
      const found = this.closeBehind(ranked, wordWeights, TASK_ROW_SHARE, (clause) => taskColumns(first(), clause));
      if (found > 0) pairedRow = clauses[ranked.splice(found, 1)[0]![0]];
    }
    const exampled = ranked[0] ? this.examples.match(ranked[0][0], wordWeights) : 0;
    if (exampled >= EVIDENCE_MATCH) support.topicCoverage = Math.max(support.topicCoverage, exampled);
    return {
      query,
      foreignPlaces,
      foreignAsked: scope.asked,
      ...support,
      unknownTerms: this.unknownTerms(question),
      absentSubject: absentSubject(query, wordWeights, supportTerms),
      corrections,
      hits: ranked.map(([position, score], index) => {
        const clause = index === 0 && pairedRow ? withTaskRow(clauses[position]!, pairedRow) : clauses[position]!;
        return this.hit(
          clause,
          score,
          question,
          today,
          answeringSentence.get(clauses[position]!) ?? (index === 0 && pairedRow ? answeringSentence.get(pairedRow) : undefined),
        );
      }),
    };
  }

  /**
   * Policy terms of the question (lexicon terms, and words shaped like a tax, fee, insurance, licence or subsidy)
   * that no clause mentions, nor any of their synonyms: the corpus is not about them.
   */
  unknownTerms(question: string): string[] {
    const text = toHalfWidth(toSimplified(question));
    const corpusText = this.text();
    const has = (part: string) => this.inCorpus(part);
    const unknown: string[] = [];
    // The unknown lexicon terms as asked, beside how `unknown` names them: a word inside one is not listed again.
    const asked: string[] = [];
    const asking = askingParts(text);
    // Known when the corpus has the term or its stem either side: 水电费 (水电), 乱收费 (收费) are written otherwise there.
    const mentioned = (term: string) =>
      has(term) || has(term.slice(0, -1)) || has(term.slice(1)) || saidApart(corpusText, term, (part) => this.couldOccur(part));
    // Only specific terms count (a named tax, fee, insurance, licence, subsidy): a colloquial or general word the
    // documents happen not to use ("打工的", "被罚款") says nothing about whether they cover the question.
    for (const { term, named, related, specific } of defaultLexicon().expand(text)) {
      // Tried: any lexicon term of 4+ characters absent from the corpus (最低工资, 绿色债券) — it refused 9 answerable
      // development questions whose documents say it otherwise (工业上楼 → 工业设备上楼), so only tax/fee shapes count,
      // and the terms of the lexicon's files of specific matters (试用期, 特种设备使用登记, 个人征信).
      // Two characters name a specific matter too (红冲, 年检, 产假) when asked about, not told in the story ("辞退了4个人,
      // 还能拿稳岗返还吗"); the documents say it as written or not at all.
      const short = [...term].length === 2;
      if (short && !(specific && asking.some((part) => part.includes(term)) && !has(term))) continue;
      if (!short && (!(POLICY_SHAPED.test(term) || specific) || mentioned(term))) continue;
      if (related.some(({ word, relation }) => relation !== 'broader' && has(word))) continue;
      // Named as a policy writes it (工伤认定), not as asked (算不算工伤): the refusal says what is not covered.
      asked.push(term);
      if (!unknown.includes(named)) unknown.push(named);
    }
    for (const word of words(text)) {
      if (
        POLICY_SHAPED.test(word) &&
        [...word].length >= 3 &&
        !mentioned(word) &&
        ![...asked, ...unknown].some((term) => term.includes(word) || word.includes(term))
      )
        unknown.push(word);
    }
    // A named instrument written as a qualifier and its kind ("经营许可证", "三者险", "建筑业资质", "工作许可"): the
    // kind alone is in the documents, the instrument may not be.
    const said = taggedWords(text);
    for (const [index, { word: kind }] of said.entries()) {
      const qualifier = said[index - 1];
      // The qualifier names something (a noun, a name, an abbreviation): not "出过险", "这些证".
      if (!qualifier || !INSTRUMENT_KIND.test(kind) || [...qualifier.word].length < 2 || !NAMING_TAG.test(qualifier.tag)) continue;
      const named = `${qualifier.word}${kind}`;
      const same = (term: string) => term.toLowerCase().includes(named.toLowerCase()) || named.toLowerCase().includes(term.toLowerCase());
      if (mentioned(named) || unknown.some(same)) continue;
      // The lexicon knows the instrument itself (社保费 → 社会保险费), not only its kind (认证 in CE认证).
      const lexical = defaultLexicon()
        .expand(named)
        .filter(({ term }) => term.includes(named) || (named.includes(term) && term.includes(qualifier.word)));
      if (lexical.some(({ term, related }) => has(term) || related.some(({ word, relation }) => relation !== 'broader' && has(word)))) continue;
      // As the asker wrote it (jieba's words are lower-cased: "CE认证", not "ce认证").
      const at = text.toLowerCase().indexOf(named);
      unknown.push(at >= 0 ? text.slice(at, at + named.length) : named);
    }
    return unknown;
  }

  /** Every clause's index text, one per line: what `unknownTerms` looks terms up in. */
  private text(): string {
    this.corpusText ??= this.corpus.clauses.map((clause) => indexText(clause, this.corpus.document(clause.docId)!)).join('\n');
    return this.corpusText;
  }

  /**
   * Whether the corpus text holds a piece of text, remembered: at 100 000 clauses the text is some 15 MB and one
   * look costs milliseconds, while the lexicon's policy terms recur from question to question.
   */
  private inCorpus(part: string): boolean {
    const known = this.corpusLookups.get(part);
    if (known !== undefined) return known;
    if (this.corpusLookups.size >= 50_000) this.corpusLookups.clear();
    const found = this.couldOccur(part) && this.text().includes(part);
    this.corpusLookups.set(part, found);
    return found;
  }
  private readonly corpusLookups = new Map<string, boolean>();

  /**
   * False when no clause holds one of the character pairs of a run of Chinese characters (体执 of 个体执照): the
   * clauses' terms hold every pair of their text, so such a run is nowhere, and the 15 MB text of 100 000 clauses
   * need not be scanned to find so (a scan that finds nothing costs 5–10 ms; most look-ups of unknown terms do).
   */
  private couldOccur(part: string): boolean {
    if (!/^[\u4e00-\u9fff]{2,}$/.test(part)) return true;
    return characterBigrams(part).every((pair) => this.terms.clauseCount(`#${pair}`) > 0);
  }

  private bestEvidence(weights: WordWeight[], allowed: ((position: number) => boolean) | undefined): { position: number; match: number } | null {
    let best: { position: number; match: number } | null = null;
    for (const entry of this.evidence) {
      const match = coverage(weights, entry.terms);
      if (match < EVIDENCE_MATCH || (best && match <= best.match)) continue;
      const position = this.positions().get(entry.clauseId);
      if (position === undefined || (allowed && !allowed(position))) continue;
      best = { position, match };
    }
    return best;
  }

  private places: Set<string> | null = null;
  private positionByClause: Map<string, number> | null = null;
  private positions(): Map<string, number> {
    this.positionByClause ??= new Map(this.corpus.clauses.map((clause, position) => [clause.clauseId, position]));
    return this.positionByClause;
  }

  /** The cities the corpus's documents are for (computed once). */
  private cities(): string[] {
    this.cityNames ??= corpusCities(this.corpus);
    return this.cityNames;
  }

  /**
   * What each question word weighs when measuring coverage: its general-Chinese IDF times how rare it is in
   * this corpus. A word no clause uses (外籍, 海外仓) weighs fully, one most clauses use (企业, 支持) hardly at all.
   * Computed once per question: coverage is measured on some thirty clauses and their sentences.
   */
  private wordWeights(query: AnalysedQuery, foreignPlaces: string[] = []): WordWeight[] {
    const clauseCount = this.terms.size;
    // The cities' names and their counties' (思茅, 清城) say where; so do places the corpus does not cover, which
    // `placeScope` weighs ("工人大部分是贵州四川过来的" tells the workers' origin: as topic words no clause holds,
    // the rarest of the question, they hid its measure).
    this.places ??= new Set([...PLACE_WORDS, ...placeForms(this.cities())]);
    const places = this.places;
    const elsewhere = (term: string) => foreignPlaces.some((place) => term === place || term === `${place}省` || term === `${place}市`);
    const rare = (word: string) =>
      Math.min(14, generalIdf(word)) * (Math.log((clauseCount + 1) / (this.terms.clauseCount(word) + 1)) / Math.log(clauseCount + 1));
    return [...new Set(query.terms.filter((term) => !term.startsWith('#') && !places.has(term) && !elsewhere(term)))].map((word) => {
      const clausesWith = this.terms.clauseCount(word);
      const situational = query.situationWords.has(word) ? SITUATION_WEIGHT : 1;
      const functional = isFunctionWord(query, word) ? FUNCTION_WEIGHT : 1;
      const colloquial = clausesWith === 0 && !query.synonyms.has(word) && ASKERS_WORD_TAG.test(query.tags.get(word) ?? '') ? COLLOQUIAL_WEIGHT : 1;
      // A name the dictionary does not know weighs what its characters did (no clause holds the name as a word).
      const parts = query.names.get(word);
      const base = parts ? parts.reduce((sum, part) => sum + rare(part), 0) : rare(word);
      // A meeting, fee, list or system named by its stem and a generic ending ("调度会" where the clause writes "调度
      // 会商制度", "登记表"): the stem is most of the word.
      const synonyms = query.synonyms.get(word) ?? [];
      const stem = STEM_ENDING.test(word) && clausesWith === 0 ? [{ word: word.slice(0, 2), parts: [word.slice(0, 2)], credit: RELATION_CREDIT.narrower }] : [];
      // And the other way: asked by its stem ("定期见面"), the clause names the meeting (双月见面会), a kind of it.
      const named = /^[\u4e00-\u9fff]{2}$/.test(word)
        ? GENERIC_ENDINGS.map((ending) => `${word}${ending}`)
            .filter((longer) => this.terms.id(longer) !== undefined)
            .map((longer) => ({ word: longer, parts: [longer], credit: RELATION_CREDIT.narrower }))
        : [];
      return { word, weight: base * situational * functional * colloquial, synonyms: [...synonyms, ...stem, ...named] };
    });
  }

  /** Moves to the front the next hit `closeBehind` finds. */
  private promote(ranked: [number, number][], weights: WordWeight[], share: number, better: (clause: Clause) => boolean): void {
    const found = this.closeBehind(ranked, weights, share, better);
    if (found > 0) ranked.unshift(...ranked.splice(found, 1));
  }

  /**
   * Where in `ranked` the first of the next hits (up to SUPPORT_HITS) is that `better` accepts and that covers the
   * question at least `share` as well as the first hit does; -1 when none is.
   */
  private closeBehind(ranked: [number, number][], weights: WordWeight[], share: number, better: (clause: Clause) => boolean): number {
    const covered = coverage(weights, this.terms.clause(ranked[0]![0]));
    const found = ranked
      .slice(1, SUPPORT_HITS)
      .findIndex(([position]) => better(this.corpus.clauses[position]!) && coverage(weights, this.terms.clause(position)) >= share * covered);
    return found < 0 ? -1 : found + 1;
  }

  /** The question in simplified script with its homophone typos read as the documents' words (see `correctTypos`). */
  private corrected(question: string): { text: string; corrections: TypoCorrection[] } {
    return correctTypos(toHalfWidth(toSimplified(question)), {
      isWord: (word) => this.terms.id(word) !== undefined,
      holds: (text) => this.inCorpus(text),
    });
  }

  private hit(clause: Clause, score: number, question: string, today: string, answering?: string): SearchHit {
    const document = this.corpus.document(clause.docId)!;
    return { clause, document, score, citation: toCitation(clause, document, question, score, today, answering) };
  }

  private allowed(clause: Clause, options: SearchOptions): boolean {
    const document = this.corpus.document(clause.docId)!;
    if (options.docId && document.docId !== options.docId) return false;
    if (
      options.region &&
      ![document.region.province, document.region.city, document.region.district].some(
        (name) => name?.includes(options.region!) || (name && options.region!.includes(name.replace(/[省市区县]$/, ''))),
      )
    )
      return false;
    if (options.inForceOn && validityOn(document, options.inForceOn).status !== 'in_force') return false;
    if (options.department && ![...clause.leadDepartments, ...clause.supportDepartments].some((name) => sameDepartment(name, options.department!)))
      return false;
    return true;
  }
}

/**
 * Place names say where, not what: they are matched by the place filter, not counted in coverage.
 * Taken from corpus/places.json (with the towns of the covered cities, 柳市, 石角: 7 development questions weighed
 * 柳市 as a topic word no clause holds) and the gazetteer's counties of the covered cities, so a new city's
 * documents need no change here.
 */
const PLACE_WORDS = new Set([
  ...placeData.places.flatMap((place) => [place, `${place}市`]),
  ...Object.values(placeData.towns).flatMap((towns) => towns.flatMap((town) => [town, `${town}镇`, `${town}街道`])),
  '我市',
  '市里',
  '本地',
]);

/** A lexicon phrase of the asking parts this long says the measure (合到一起查, 转成公司), not a field (补助). */
const ASKED_PHRASE_CHARS = 4;
/** A lexicon term this long names an instrument (应急转贷, 稳岗返还), not a field (贷款, 补贴). */
const NAMED_INSTRUMENT_CHARS = 4;

/**
 * What a two-character word counts for in a sentence's coverage when the sentence holds it only inside its cut: as the
 * end of a longer word (小学 in 中小学) or across a wrong cut (外地 in 对外|地户籍, where 户口不在这边 → 外地户籍 was
 * found nowhere and the question was refused). Only for the decision: the rerank's clause coverage stays on whole
 * words. Any character pair inside a word (绿色 of 绿色通道 for 绿色债券) answered an off-topic question; these two
 * places did not. On the development sets 0.6 and 0.8 both answer 2 more questions right (a refusal and an uncertain
 * one) and move no unanswerable question.
 */
const EMBEDDED_CREDIT = 0.8;

/** A sentence that goes on from the one before: "其中被列为…", "上述企业…", "对其中…". */
const CONTINUING = /^(其中|对其中|上述|以上)/;

/**
 * A sentence naming the asked year is quoted when it covers this share of what the clause's best sentence does. At
 * 0.6 the reply letter's "2022年因财政资金紧张,没有开展政策兑现工作" was not quoted for "2022年的奖励怎么没兑现"
 * (the clause's opening covers more of its words); at 0.3 it is, and no other development answer moves.
 */
const YEAR_SENTENCE_SHARE = 0.3;

/** Three-character words whose last character is a generic ending: 调度会, 登记表, 申请单, 备案制. */
const GENERIC_ENDINGS = ['会', '表', '单', '制'];
const STEM_ENDING = new RegExp(`^[\\u4e00-\\u9fff]{2}(${GENERIC_ENDINGS.join('|')})$`);

interface WordWeight {
  word: string;
  weight: number;
  synonyms: { word: string; parts: string[]; credit: number }[];
}

/**
 * Share of the question's word weight found in a set of terms; a thesaurus synonym (货款 → 账款) counts for part of a
 * word, and with `embedded` a two-character word the text holds only inside its cut (`>小学` of 中小学) counts this much.
 */
function coverage(weights: WordWeight[], present: { has(term: string): boolean }, embedded = 0): number {
  let total = 0;
  let found = 0;
  const inside = (part: string) => embedded > 0 && present.has(`>${part}`);
  for (const { word, weight, synonyms } of weights) {
    total += weight;
    if (present.has(word)) {
      found += weight;
      continue;
    }
    let credit = inside(word) ? embedded : 0;
    for (const synonym of synonyms) {
      const share = synonym.parts.every((part) => present.has(part)) ? 1 : synonym.parts.every((part) => present.has(part) || inside(part)) ? embedded : 0;
      if (synonym.credit * share > credit) credit = synonym.credit * share;
    }
    found += weight * credit;
  }
  return total === 0 ? 0 : found / total;
}

/** A function word by its part of speech (这块, 大概) that the lexicon does not relate to a policy term. */
const isFunctionWord = (query: AnalysedQuery, word: string) => query.functionWords.has(word) && !query.synonyms.has(word);

/**
 * Words that only ask or hedge ("能不能…", "不用交…", "怎么办"), or name the asker, its premises and its people
 * (公司员工, 厂里, 厂区, 门店, 老板), or name what is asked of the subject (后果, 影响, 级别, 办公时间, 电话): never the subject
 * of a question — a refusal naming them ("未涉及「员工」", "未涉及「影响」") would be false. (厂房 and 车间 stay: policies name them — 标准厂房, 数字化车间.)
 */
const NOT_A_SUBJECT =
  /^(头一回|头一次|头回|第一回|第一次|不能|不用|不会|可以|需要|怎么办|怎么|怎样|如何|什么|哪些|公司|企业|工厂|厂里|厂子|厂区|小厂|店里|门店|小店|店铺|铺子|档口|摊位|饭馆|小饭馆|餐馆|饭店|超市|小超市|便利店|小卖部|作坊|小作坊|单位|老板|员工|职工|工人|公司员工|企业员工|员工们|人员|工友|后果|影响|结果|级别|时间|多长时间|多少时间|多久|多少天|几天|办公时间|上班时间|服务时间|营业时间|电话|联系方式|地址)$/;

/**
 * A subject is named by a noun (产假, 个人住房, 出让金), a verbal noun (抵押, 认定), an idiom or an abbreviation: a
 * verb ("提上去", "补交", "加盖") tells what the asker does with it. Without this, 3 answerable development questions
 * whose heaviest word was such a verb were refused; with it none, and the same off-topic questions are refused.
 */
const NOMINAL_TAG = /^(n|vn|l|j|i|eng)/;

/**
 * The question's heaviest subject word when none of the given clauses holds it, a synonym or narrower term of it,
 * or (a three-character word) its two-character stem (调度会 → 调度). A single character (交, 补, 办) is a verb the
 * documents write in a compound: not a subject on its own.
 *
 * A policy word told only in the story (贷款快到期了…工人等着发工资,能不能找政府帮忙) is the subject only when the parts
 * that ask have no subject the clauses hold: on the development sets, 3 answerable questions were refused for a
 * story word (发工资, 仓库, 市场监管) while their asked subject was in the right clause; now uncertain, as are 2
 * unanswerable ones (户籍 of 买第二套房…首付比例). Taking the asked subject alone instead refused 4 other answerable
 * questions whose asked words are said otherwise in the clause.
 */
function absentSubject(query: AnalysedQuery, weights: WordWeight[], clauses: { has(term: string): boolean }[]): string | null {
  if (clauses.length === 0) return null;
  // A piece jieba cut from a short lexicon name of the question (商行 of 农商行) names nothing by itself: the name does.
  const piece = (word: string) => query.lexiconTerms.some((term) => [...term].length <= 3 && term !== word && term.includes(word));
  const candidates = weights.filter(
    ({ word }) =>
      [...word].length >= 2 &&
      !NOT_A_SUBJECT.test(word) &&
      !piece(word) &&
      !query.situationWords.has(word) &&
      !isFunctionWord(query, word) &&
      NOMINAL_TAG.test(query.tags.get(word) ?? 'n'),
  );
  const heaviest = (entries: WordWeight[]) => entries.reduce<WordWeight | null>((top, entry) => (!top || entry.weight > top.weight ? entry : top), null);
  const held = (subject: WordWeight) => {
    const stems = [...subject.word].length === 3 ? [subject.word.slice(0, -1), subject.word.slice(1)] : [];
    return clauses.some(
      (terms) =>
        terms.has(subject.word) ||
        stems.some((stem) => terms.has(stem)) ||
        subject.synonyms.some(({ parts, credit }) => credit >= RELATION_CREDIT.narrower && parts.every((part) => terms.has(part))),
    );
  };
  const subject = heaviest(candidates);
  if (!subject || held(subject)) return null;
  const asking = new Set(askingParts(query.text).flatMap((part) => terms(part)));
  const asked = heaviest(candidates.filter(({ word }) => asking.has(word)));
  if (asked && held(asked)) return null;
  // No noun asked, but the asking parts say the measure as a lexicon phrase the clauses hold ("能不能合到一起查一次":
  // 合并检查, 综合查一次): the story's word (环保, 消防 of "环保安监消防轮着来") is not the subject. Phrases of four or
  // more characters only: a two-character 补助 is a field, not the measure.
  const phraseHeld = ({ forms }: { forms: string[][] }) => clauses.some((terms) => forms.some((parts) => parts.every((part) => terms.has(part))));
  if (!asked && query.askedPhrases.some((entry) => [...entry.phrase].length >= ASKED_PHRASE_CHARS && phraseHeld(entry))) return null;
  // As the asker wrote it (jieba's words are lower-cased: "ICP", not "icp").
  const at = query.text.toLowerCase().indexOf(subject.word);
  return at >= 0 ? query.text.slice(at, at + subject.word.length) : subject.word;
}

/**
 * The best coverage of one sentence (with its clause's headings) of the given clauses. A long clause
 * collects a question's words from unrelated sentences; the sentence that answers holds most of them.
 * A question asking for a number is answered only by a sentence stating that kind of number.
 */
function sentenceCoverage(
  query: AnalysedQuery,
  weights: WordWeight[],
  clauses: Clause[],
  /** Each clause's index terms (its headings and text): which instruments it names. */
  held: { has(term: string): boolean }[],
): { coverage: number; topicCoverage: number; missing: AskedKind[]; answeringClause: number; answeringSentences: (string | undefined)[] } {
  const scored: { sentence: string; context: string; qualified: string; coverage: number; clause: number; goal: boolean }[] = [];
  for (const [index, clause] of clauses.entries()) {
    const goalRow = isGoal(clause);
    const heading = toHalfWidth(toSimplified(clause.path.join(' ')));
    const body = withoutLabel(toHalfWidth(toSimplified(clause.text)));
    // Without their marks: a sentence's length is compared with TOPIC_SENTENCE_CHARS as written, before its 。.
    const sentences = sentencesOf(body, { keepEnds: false });
    // A measure that opens with a short statement of its topic ("继续实施失业保险稳岗返还政策。") and gives its
    // figures in the next sentences: each later sentence is read with that statement, as with the headings.
    const opening = sentences.length > 1 && [...sentences[0]!].length <= TOPIC_SENTENCE_CHARS ? sentences[0]! : '';
    // A name the question gives (粤财普惠, 优粤卡) is said once, and the clause's later sentences speak of it: "推动粤财
    // 普惠…公司落实降费政策。…年化担保费率原则上不高于1.5%".
    const named = [...query.names.keys()].filter((name) => body.includes(name) || heading.includes(name)).flatMap((name) => terms(name));
    // What a sentence's contrasts are read against when it names none itself: its headings, and the sentence it goes
    // on from — after a ";" or opening with 其中 / 上述 ("对省重大产业项目,…。其中被列为特别重大的,…100%计划指标保障;
    // 被列为引领性的,…60%"), it is for what that one names.
    // (With their marks, to see the ";"; an empty piece such as a doubled "。" would shift them — then 其中 alone.)
    // The departments a clause assigns (its "(市生态环境局负责)" note, a sentence of its own) are each sentence's:
    // "环评审批压到多少了,是生态环境局管吧" is answered by the sentence stating the time limit of the clause naming it.
    const departments = toSimplified([...clause.leadDepartments, ...clause.supportDepartments].join(' '));
    const withMarks = sentencesOf(body);
    const marked = withMarks.length === sentences.length ? withMarks : [];
    let qualified = heading;
    for (const [position, sentence] of sentences.entries()) {
      const context = position > 0 ? `${heading} ${opening}` : heading;
      const goesOn = position > 0 && (CONTINUING.test(sentence) || /[;；]$/.test(marked[position - 1] ?? ''));
      qualified = goesOn ? `${qualified} ${sentences[position - 1]}` : context;
      scored.push({
        sentence,
        context,
        qualified,
        clause: index,
        goal: goalRow && TARGET_WORDING.test(sentence),
        coverage: coverage(weights, new Set([...termsWithEmbedded(`${context} ${departments} ${sentence}`), ...named]), EMBEDDED_CREDIT),
      });
    }
  }
  const topicCoverage = Math.max(0, ...scored.map((entry) => entry.coverage));
  // An instrument the question names (过桥资金) that the clause most on its topic names too (应急转贷(过桥)资金: its
  // words): a figure is the answer only from a clause naming it — "应急转贷过桥资金,一家企业最多能借多少" is not
  // answered by another instrument's 单户担保金额.
  const names = (clause: number, term: string) => words(term).every((word) => held[clause]!.has(word));
  // (Named by every clause most on the topic: two clauses covering the question alike — 领导挂钩联系企业 in the words of
  // one, 领导干部挂钩联系民营企业 in the other's — leave the instrument to neither.)
  const topical = [...new Set(scored.filter((entry) => entry.coverage === topicCoverage).map((entry) => entry.clause))];
  const instruments =
    topical.length === 0
      ? []
      : query.lexiconTerms.filter((term) => [...term].length >= NAMED_INSTRUMENT_CHARS && topical.every((clause) => names(clause, term)));
  const namesInstrument = (clause: number) => instruments.every((term) => names(clause, term));
  // A question asking for an amount is answered only by a sentence stating one (and so for materials, procedures…).
  const asked = query.asked;
  // Tried: also requiring the figure's sentence to name the heaviest asked word (工资 for 最低工资标准) — on the
  // development sets it lost 9 right answers and refused no more unanswerable questions; not used.
  // Nor is it answered by a sentence for a neighbouring kind (asked 中型企业, the sentence is for 小微企业).
  // Nor, asked a figure, by a sentence written for another bracket (asked over 1000万, it is for 1000万元及以下).
  const answering = scored.filter(
    (entry) =>
      asked.every((kind) => provides(entry.sentence, kind, query)) &&
      !(query.asksQuantity.length > 0 && !namesInstrument(entry.clause)) &&
      !(entry.goal && query.asksBenefit && query.asksQuantity.length > 0) &&
      !contradicts(query.contrasts, entry.sentence, entry.qualified) &&
      !(query.asksQuantity.length > 0 && outsideBrackets(query.figures, entry.sentence)) &&
      !forOtherYears(query.years, `${entry.context} ${entry.sentence}`),
  );
  const onTopic = scored.filter((entry) => entry.coverage >= ON_TOPIC_SHARE * topicCoverage);
  const missing = asked.filter(
    (kind) =>
      !onTopic.some(
        (entry) => provides(entry.sentence, kind, query) && !(entry.goal && query.asksBenefit && query.asksQuantity.includes(kind as QuantityKind)),
      ),
  );
  const best = mostCovering(answering);
  // Each clause's sentence that states what is asked and covers the question best, in the lexicon's words as well as
  // the asker's: the quote shows it ("达到限上标准" is answered by "对月度升限的批零…企业,…给予…30万元", which shares
  // no character pair with the question).
  // Asked about a year, the sentence naming it answers ("2022年的奖励怎么没兑现" → "2022年因财政资金紧张,没有开展政策
  // 兑现工作", not the clause's opening), when it covers YEAR_SENTENCE_SHARE of what the clause's best sentence does.
  const answeringSentences = clauses.map((_, index) => {
    const own = answering.filter((entry) => entry.clause === index && entry.coverage > 0);
    const top = mostCovering(own);
    const dated = own.filter((entry) => forAskedYear(query.years, entry.sentence) && entry.coverage >= YEAR_SENTENCE_SHARE * (top?.coverage ?? 0));
    return (mostCovering(dated) ?? top)?.sentence;
  });
  return { coverage: best?.coverage ?? 0, topicCoverage, missing, answeringClause: best?.clause ?? 0, answeringSentences };
}

/** The entry covering the question best (the first of equals), undefined when there is none. */
function mostCovering<T extends { coverage: number }>(entries: T[]): T | undefined {
  return entries.reduce<T | undefined>((top, entry) => (!top || entry.coverage > top.coverage ? entry : top), undefined);
}

/**
 * A row or section of goals the government sets itself ("附件 序号8 全市目标3", "(二)主要目标"). Such rows also restate
 * policies ("小微企业减按25%计入应纳税所得额…延续执行至2027年底"): only a sentence worded as a target
 * ("技术交易额突破60亿元,使用科技创新券2000万以上", "力争新增…") gives the city's goal, never what one enterprise gets.
 */
const isGoal = (clause: Clause) => /目标\s*[0-9]*$/.test(clause.label) || clause.path.some((heading) => /目标$/.test(heading.trim()));
const TARGET_WORDING = /新增|突破|力争|争取|累计|增长|以上/;

/**
 * How far apart the parts of a compound term may be written: "加计5%抵减应纳增值税" holds 增值税加计抵减 (2 and 2
 * characters between), "规划许可证核发(试点)工作" no 工作许可证 (6).
 */
const APART_CHARS = 4;
/**
 * A benefit for a kind of enterprise is written with the kind first and the benefit at the end of the sentence:
 * "对首次纳规且连续在库的“小升规”工业企业,分3年给予45万元补助" holds 小升规补助 (24 characters between). Within one
 * sentence, up to this many characters apart, the two name one benefit.
 */
const BENEFIT_APART_CHARS = 40;
const BENEFIT_KIND = /(补助|补贴|奖励|奖补|补偿|贴息)$/;

/**
 * A compound term the documents write with its parts apart: 增值税加计抵减 as "加计5%抵减应纳增值税". The parts are the
 * term's words (single characters joined: 抵+减 → 抵减), in any order, each within APART_CHARS of the next (a
 * benefit, BENEFIT_APART_CHARS).
 */
function saidApart(corpusText: string, term: string, couldOccur: (part: string) => boolean = () => true): boolean {
  const parts: string[] = [];
  // A run of single characters is one part (小+升+规 → 小升规).
  let inRun = false;
  for (const word of words(term)) {
    const single = [...word].length === 1;
    if (single && inRun) parts[parts.length - 1] += word;
    else parts.push(word);
    inRun = single;
  }
  if (parts.length < 2 || parts.length > 4 || parts.some((part) => [...part].length === 1 || !couldOccur(part))) return false;
  // In any order (the documents write 加计…抵减…增值税 for 增值税加计抵减), each a few characters from the next.
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const apart = BENEFIT_KIND.test(term) ? BENEFIT_APART_CHARS : APART_CHARS;
  const written = new RegExp(
    permutations(parts)
      .map((order) => order.map(literal).join(`[^。;；\n]{0,${apart}}`))
      .join('|'),
  );
  const longest = [...parts].sort((a, b) => b.length - a.length)[0]!;
  const reach = parts.join('').length + apart * parts.length;
  // Bounded: at most this many occurrences of the longest part are looked at (figure: a term of the five documents
  // occurs under 40 times; at 100 000 clauses a common word would otherwise be scanned thousands of times).
  for (let at = corpusText.indexOf(longest), seen = 0; at >= 0 && seen < 200; at = corpusText.indexOf(longest, at + 1), seen += 1) {
    if (written.test(corpusText.slice(Math.max(0, at - reach), at + reach))) return true;
  }
  return false;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

/**
 * What a clause is searched by: its region, headings, own heading and text, in simplified script. The heading is
 * in the text as published; a heading an officer corrected is added, so it is found too.
 */
export function indexText(clause: Clause, document: PolicyDocument): string {
  return toHalfWidth(toSimplified(indexSource(clause, document)));
}

/** A clause's index text before the script conversion: hashed to find its saved content hash without converting it. */
function indexSource(clause: Clause, document: PolicyDocument): string {
  const place = [document.region.city, document.region.district].filter(Boolean).join(' ');
  const correctedTitle = clause.correction?.fields.includes('title') && clause.title ? ` ${clause.title}` : '';
  return `${place} ${clause.path.join(' ')}${correctedTitle} ${clause.text}`;
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** What the index manifest records per clause: a changed hash means the clause is re-embedded. */
export const clauseContentHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Loads the saved index when it was made by the same embedder; re-embeds only clauses whose text changed;
 * rebuilds (with a message) when the embedder differs or the files are corrupt.
 */
/**
 * The documents of which the saved index in `directory` holds no clause (added since it was saved): a retriever over
 * the others can be made without embedding them, while they are embedded after. Every document when there is no
 * saved index or it was made by another embedder. (A changed document is not among them: only its changed clauses
 * are embedded again.)
 */
export function documentsNotInIndex(corpus: Corpus, embedderId: string, directory: string): PolicyDocument[] {
  const manifest = HnswIndex.readManifest(directory);
  if (!manifest || manifest.embedderId !== embedderId) return corpus.documents;
  const held = new Set(manifest.entries.map((entry) => entry.clauseId));
  return corpus.documents.filter((document) => document.clauses.every((clause) => !held.has(clause.clauseId)));
}

/** The index saved in `directory`, or null (with a message) when there is none or it is damaged. */
async function readSavedIndex(directory: string | undefined, log: (message: string) => void): Promise<{ index: HnswIndex; manifest: IndexManifest } | null> {
  if (!directory || (!existsSync(directory) && !existsSync(`${directory}.old`))) return null;
  try {
    return await HnswIndex.load(directory);
  } catch (error) {
    if (error instanceof IndexCorruptError) log(`${error.message}正在重建索引。`);
    else if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`无法读取 ${directory} 中的索引（${(error as Error).message}），正在重建。`);
    return null;
  }
}

async function loadOrBuildIndex(
  clauses: Clause[],
  textOf: (position: number) => string,
  hashes: string[],
  embedder: Embedder,
  directory: string | undefined,
  log: (message: string) => void,
  saved: { index: HnswIndex; manifest: IndexManifest } | null,
): Promise<HnswIndex> {
  let previous = saved;
  if (directory && !existsSync(directory) && !existsSync(`${directory}.old`)) log(`首次运行：正在为 ${clauses.length} 条条款建立向量索引…`);
  if (previous && previous.manifest.embedderId !== embedder.id) {
    log(`索引 ${path.basename(directory ?? '')} 由 ${previous.manifest.embedderId} 生成，当前向量模型为 ${embedder.id}：正在重建。`);
    previous = null;
  }
  const reusable = new Map<string, number>();
  previous?.manifest.entries.forEach((entry, position) => reusable.set(`${entry.clauseId}|${entry.contentHash}`, position));
  const unchanged =
    clauses.every((clause, position) => reusable.get(`${clause.clauseId}|${hashes[position]}`) === position) &&
    previous?.manifest.entries.length === clauses.length;
  if (previous && unchanged) return previous.index;

  const missing = clauses
    .map((clause, position) => ({ clause, position }))
    .filter(({ clause, position }) => !reusable.has(`${clause.clauseId}|${hashes[position]}`));
  const fresh =
    missing.length > 0
      ? await embedInBatches(
          missing.map(({ position }) => textOf(position)),
          embedder,
        )
      : [];
  const freshByPosition = new Map(missing.map(({ position }, index) => [position, fresh[index]!] as const));
  const vectors = clauses.map(
    (clause, position) => freshByPosition.get(position) ?? previous!.index.vector(reusable.get(`${clause.clauseId}|${hashes[position]}`)!),
  );
  if (previous) log(`索引已更新：${clauses.length} 条条款中重新计算了 ${missing.length} 条的向量。`);
  const index = HnswIndex.build(vectors, embedder.dimension || vectors[0]?.length || 1);
  if (directory)
    index.save(directory, {
      embedderId: embedder.id,
      dimension: index.dimension,
      entries: clauses.map((clause, position) => ({ clauseId: clause.clauseId, contentHash: hashes[position]! })),
    });
  return index;
}

/**
 * The clauses' content hashes and terms, reusing those saved beside the index (`<index>.terms`) for clauses whose
 * text is unchanged: a clause whose source (`indexSource`) hashes as saved takes the saved content hash without being
 * converted, one whose content hash is saved takes the saved terms without being tokenised. Saved again when anything
 * was converted or tokenised. A damaged or foreign cache is said in the log and rebuilt, never trusted.
 */
function loadOrBuildTerms(
  sources: string[],
  directory: string | undefined,
  log: (message: string) => void,
): { index: TermIndex; hashes: string[]; text: (position: number) => string } {
  const file = directory ? `${directory}.terms` : null;
  const cached = file ? readTermCache(file) : { saved: null, problem: null };
  if (cached.problem) log(`条款词表缓存 ${path.basename(file ?? '')} 无法使用（${cached.problem}），正在重新分词。`);
  const texts = new Map<number, string>();
  const text = (position: number) => {
    let value = texts.get(position);
    if (value === undefined) texts.set(position, (value = toHalfWidth(toSimplified(sources[position]!))));
    return value;
  };
  // One digest of every source first: when it is the saved one (no clause changed, the usual start) the saved content
  // hashes are taken as they are, without hashing each clause (100 000 hashes took 0.2–0.6 s here).
  const corpus = createHash('sha256').update(sources.join('\u0000')).digest('hex');
  const saved = cached.saved;
  let sourceHashes: string[] | null = null;
  const hashes =
    saved && saved.corpus === corpus && saved.hashes.length === sources.length
      ? saved.hashes
      : (sourceHashes = sources.map(clauseContentHash)).map((source, position) => saved?.hashOfSource(source, position) ?? clauseContentHash(text(position)));
  const { index, tokenised } = TermIndex.build(text, hashes, cached.saved);
  if (cached.saved && tokenised > 0) log(`条款词表缓存中没有 ${tokenised} 条条款（新增或已修改），已为其分词。`);
  // Rewritten when a clause was converted or tokenised, the clauses moved, or to drop those no longer in the corpus.
  if (file && (tokenised > 0 || texts.size > 0 || !saved || saved.corpus !== corpus || saved.hashes.length !== hashes.length)) {
    try {
      writeTermCache(file, index, hashes, sourceHashes ?? sources.map(clauseContentHash), corpus);
    } catch (error) {
      log(`无法保存条款词表缓存 ${file}（${(error as Error).message}），下次启动将重新分词。`);
    }
  }
  return { index, hashes, text };
}

async function embedInBatches(texts: string[], embedder: Embedder): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += 256) {
    vectors.push(...(await embedder.embedDocuments(texts.slice(start, start + 256))));
    // The offline embedder computes synchronously: let the server answer other requests between batches
    // (256 clauses take 0.1–0.3 s here), so a rebuild in the background never holds it for the whole build.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return vectors;
}
