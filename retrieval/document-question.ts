import type { Corpus } from '../corpus/index.ts';
import type { PolicyDocument, RepealedDocument } from '../corpus/index.ts';
import { normalizeDepartment, PERSON_ADDRESSED, PUBLICATION_NOTE, toHalfWidth, toSimplified } from '../corpus/index.ts';
import { type AskedKind, askedKinds } from './asked-kind.ts';
import { askingParts, asksQuantity, inMandarin } from './query-analysis.ts';
import { terms } from './text-analysis.ts';

/** What a question about the document itself asks. */
export type DocumentAspect =
  | 'validity'
  | 'doc_number'
  | 'issuer'
  | 'date'
  | 'contact'
  | 'approval'
  | 'type'
  | 'attachment'
  | 'basis'
  | 'recipients'
  | 'source'
  | 'precedence'
  | 'index_number'
  | 'interpretation'
  | 'repealed';

export interface DocumentQuestion {
  document: PolicyDocument;
  asks: DocumentAspect[];
  /** What is asked that neither the document nor its metadata states (a 文号 the text does not print, an interpretation). */
  missing: DocumentAspect[];
  /**
   * What the document says of the aspects asked beyond its metadata fields, as one line each: its kind, attachments,
   * basis, addressees, where it was published, which rule prevails, its 索引号, who interprets it.
   */
  told: Partial<Record<DocumentAspect, string>>;
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
    /有效期|还有效|有效吗|仍然有效|是否有效|失效|过期|到期|截止|执行到|管到|管几年|管多久|实施到|施行到|到哪一?年|(什么时候|啥时候|啥时|何时|哪天|几号|哪一天)(开始|起)?(执行|实施|施行|生效)|从(什么|啥)时候|实施期|施行日期|生效|还能[^,?。]{0,4}(用|执行)|还算数|废止/,
  ],
  ['doc_number', /文号|发文字号|几号文/],
  [
    'issuer',
    /谁(发|印发|出台|制定|答复|回复)的?|哪个(单位|部门|机关)(发|印发|出台|制定|答复|回复)|发文(单位|机关)|印发单位|出台单位|哪个部门答复|是哪个单位的|(发|印发|出|写)的(吧|吗|啊|呢|还是)|落款|哪家(单位|部门)|一家(写|发|出)的|还(拉|联合|会同)了?哪些(部门|单位)|(联合|一起)(发|印发|写)的/,
  ],
  ['date', /(哪天|什么时候|啥时候|何时|哪一天|几号|哪年)(发|印发|出台|发布|答复|回复|公布|成文|挂)|(发布|印发|成文|答复|落款)(时间|日期|日)|几号挂|几号印发/],
  [
    'contact',
    /(遇到|碰到|有|出现)(了)?(什么)?问题.{0,8}(找|向|反映|联系)|找谁反映|向哪个?部门反映|哪个部门反映|联系人|联系电话|电话(是)?多少|咨询电话|怎么联系/,
  ],
  ['approval', /(哪次|什么|哪个)[^,?。]{0,4}会(议)?上?(审议)?通过|(哪次|什么)会议|审议通过|经过.{0,6}(同意|批准)|谁批准/],
  // What kind of document it is: "算正式政策文件吗?还是答复函", "是意见还是措施还是实施方案".
  [
    'type',
    /(是|算)(正式的?)?(政策)?(文件|意见|措施|方案|答复函|复函|函|通知)(吗|还是)|还是(答复函|复函|函|意见|措施|方案|通知|实施方案)|文件类型|什么(类型|性质)的?文件|属于什么文件/,
  ],
  ['attachment', /附件|附了|附表|后面(还)?(有没有|附)/],
  ['basis', /(照着|按照?|根据|依据|参照)(哪些|哪个|什么)[^,?。]{0,8}(文件|政策|精神|规定)|(依据|根据)是什么|哪个文件的精神|制定依据|出台依据/],
  [
    'recipients',
    /发给(了)?(哪些|谁|哪个)|主送|抄送|(有没有|是否)发给|发给[^,?。]{1,12}(了吗|吗|没有)|(回|答复|复)给(了)?(哪位|谁|哪个)|(答复|回复)的?(是)?(哪位|谁)|哪位(委员|代表)/,
  ],
  [
    'source',
    /(去|在|到)哪(里|儿)?(能)?(看|查|找|下载)(到)?(原文|全文)?|原文(在哪|哪里)|在哪(里)?(登|发布|公布|挂|刊登)(出来)?|哪里(发布|公布|登)的|出处|(是|算)公开的吗|能不能(转发|截图|发到|分享)|网上能查到/,
  ],
  [
    'precedence',
    /(以|按)(哪个|谁)为准|听哪个的?|哪个(优先|为准)|不一样(的话)?[^,?。]{0,4}(怎么办|听|以)|对不上|冲突(了)?[^,?。]{0,4}(怎么办|听|以|按哪)|(按|照)哪个(来|执行|办)|还(是)?照[^,?。]{0,6}执行|两(头|边|份|样)都(能)?(拿|享受|领|要|申请)|(重复|叠加)(享受|申请|拿|领)|兼得/,
  ],
  ['index_number', /索引号/],
  ['interpretation', /解读|官方(的)?说明|由谁(负责)?解释|谁(负责)?解释/],
];

/**
 * What only a measure states: an amount, a share, a count, materials, a procedure, conditions (a period, a date or
 * "多少" may be the document's: "有效期几年", "文号是多少", "电话多少").
 */
const MEASURE_KINDS = new Set<AskedKind>(['money', 'share', 'count', 'materials', 'procedure', 'condition']);

/** A 文号's year in brackets, however they are typed: 〔2019〕, [2019], 【2019】, (2019). */
const BRACKETED_YEAR = /[〔[【(（](\d{4})[〕\]】)）]/;

/** A 文号 with its year's brackets as the documents print them most (〔2019〕), so that two ways of typing it match. */
function docNumberForm(text: string): string {
  return text.replace(new RegExp(BRACKETED_YEAR.source, 'g'), '〔$1〕');
}

/**
 * Words that point at a document rather than at a measure inside it, or its 文号 ("清府办〔2019〕14号"). 通知 said as
 * a verb ("会提前通知吗", "通知我们") is no notice: "许可证快到期了…会提前通知吗" asks about the licence.
 */
const DOCUMENT_WORDS = new RegExp(
  `${BRACKETED_YEAR.source}\\s*\\d+\\s*号|文件|意见|措施|举措|方案|办法|(?<!提前|及时|会|再|先|短信|电话|微信)通知(?!我|你|他|她|企业|一下)|规定|细则|答复|复函|函|提案|这份|那份|这篇|那篇|这个文|那个文|原文|(这个|那个|这项|这批)政策(?!专员|性|兑现|资金|补贴|咨询|宣讲|服务|库)`,
);

/** Asked how long the document runs or when it ends ("有效期几年", "到哪天失效"), not only whether it is in force. */
const ASKS_TERM =
  /几年|多久|多长时间|到哪(一)?(年|天|月)|哪天(失效|到期|截止)|(什么|啥)时候(失效|到期|截止|为止)|到(什么|啥)时候|截止到|有效期(是)?(多久|几年|到)/;

/**
 * Recognises a question about a document itself — when it takes effect and until when, whether it is still in
 * force, its 文号, who issued it and when, whom to contact — and finds the document it names (by place and
 * title words). Returns null for questions about a measure, even one that asks its validity.
 */
export function readDocumentQuestion(question: string, corpus: Corpus): DocumentQuestion | null {
  const text = inMandarin(toHalfWidth(toSimplified(question)));
  const asks = ASPECTS.filter(([, pattern]) => pattern.test(text)).map(([aspect]) => aspect);
  if (asks.length === 0 || !DOCUMENT_WORDS.test(text)) return null;
  // "增值税加计抵减按百分之几?这个政策到哪年为止": a question asking a measure's figure, materials, procedure or
  // conditions is about that measure, and "这个政策" is the measure — its clause states its own period.
  if (asksQuantity(text).some((kind) => MEASURE_KINDS.has(kind)) || askedKinds(askingParts(text).join(' ')).some((kind) => MEASURE_KINDS.has(kind)))
    return null;
  const named = namedDocument(text, corpus);
  if (!named) return null;
  const { document, repealed } = named;
  // Asked about a document one of the corpus's repealed: whatever was asked of it, that it is repealed, and by what.
  if (repealed) {
    const line = `《${repealed.title}》${repealed.docNumber ? `(${repealed.docNumber})` : ''}已被废止，不再适用：《${document.title}》${document.docNumber ? `(${document.docNumber})` : ''}载明“${repealed.sentence}”`;
    return { document, asks: ['repealed'], missing: [], told: { repealed: line }, sentence: null };
  }
  const asksTerm = ASKS_TERM.test(text);
  const missing = asks.filter((aspect) => !states(document, aspect, asksTerm));
  const told: Partial<Record<DocumentAspect, string>> = {};
  for (const aspect of asks) {
    if (missing.includes(aspect)) continue;
    const line = toldLine(document, aspect);
    if (line) told[aspect] = line;
  }
  return {
    document,
    asks,
    missing,
    told,
    sentence: bestNote(
      document,
      asks.filter((aspect) => !(aspect in told)),
    ),
  };
}

/** Name of each aspect in the line of an answer that cannot settle it ("文件没有写明文号"). */
export const DOCUMENT_ASPECT_NAMES: Record<DocumentAspect, string> = {
  validity: '有效期',
  doc_number: '文号',
  issuer: '发文单位',
  date: '成文或发布日期',
  contact: '联系方式',
  approval: '审议通过的会议',
  type: '文件类型',
  attachment: '附件',
  basis: '制定依据',
  recipients: '主送单位',
  source: '发布来源',
  precedence: '与其他政策不一致时以哪个为准',
  index_number: '索引号',
  interpretation: '政策解读或解释单位',
  repealed: '是否已废止',
};

const KIND_NAMES: Record<string, string> = { 答复的函: '答复函', 复函: '答复函', 函: '函' };

function toldLine(document: PolicyDocument, aspect: DocumentAspect): string | null {
  switch (aspect) {
    case 'type': {
      const kind = documentKind(document.title)!;
      const by = document.issuer ? `，由${document.issuer}${/函$/.test(kind) ? '发出' : '印发'}` : '';
      return `《${document.title}》的文件类型为“${KIND_NAMES[kind] ?? kind}”（见标题）${by}。`;
    }
    case 'attachment': {
      const named = attachments(document);
      if (named.length === 0) return '文件正文未列附件。';
      const unpublished = new Set(document.missingAttachments.map((name) => toSimplified(name)));
      return `文件附有${named.map((name) => `《${name}》${unpublished.has(name) ? '(正文未随文发布,未收录)' : ''}`).join('、')}。`;
    }
    // Where it was published, and what it says of its own publication ("(此件公开发布)").
    case 'source': {
      const published = document.notes.find((note) => PUBLICATION_NOTE.test(toSimplified(note)));
      return `${document.source}。${published ? `文件注明：${published.replace(/^[(（]|[)）]$/g, '')}。` : ''}`;
    }
    // To whom it is sent (主送), and copied (抄送) when its 版记 says.
    case 'recipients': {
      const copied = document.notes.find((note) => /^抄送[:：]/.test(note));
      const sent = addressee(document);
      return [sent && `${sent.replace(/[:：]$/, '')}。`, copied && `抄送：${copied.replace(/^抄送[:：]\s*/, '').replace(/[。.]?$/, '。')}`]
        .filter(Boolean)
        .join('');
    }
    // A note may run on from the last measure's departments ("〔…按职责分工负责〕 本措施自印发之日起实施…"): without them.
    case 'interpretation': {
      // A published page's link to its interpretation ("政策解读: 《…》政策解读"): that one exists, and its name.
      const note = bestNote(document, [aspect]);
      const linked = note && /^政策解读[:：]\s*(.+)$/.exec(note);
      return linked ? `文件发布页附有官方政策解读：${linked[1]!.replace(/[。.]$/, '')}。` : note ? withoutDepartments(note) : null;
    }
    // Every rule of precedence the document gives, in its order: which document prevails (以本措施为准), whether the
    // same benefit is paid twice (就高不重复), and a higher level's later scheme (按上级规定执行).
    case 'precedence': {
      const rules = document.notes.filter((sentence) => NOTE_PATTERNS.precedence.test(toSimplified(sentence)));
      return rules.length > 0 ? rules.map(withoutDepartments).join('') : null;
    }
    case 'basis':
    case 'index_number': {
      const note = bestNote(document, [aspect]);
      return note === null ? null : withoutDepartments(note);
    }
    default:
      return null;
  }
}

/** Whether the document or its metadata states this aspect of itself. */
function states(document: PolicyDocument, aspect: DocumentAspect, asksTerm: boolean): boolean {
  switch (aspect) {
    // "还有效吗" is settled by the metadata's "有效性: 有效"; "有效期几年 到哪天失效" only by a stated term or end date.
    case 'validity':
      return Boolean(
        document.validity.statement || document.validity.effectiveUntil || (!asksTerm && document.notes.some((note) => /有效性[:：]\s*\S/.test(note))),
      );
    case 'doc_number':
      return document.docNumber !== null;
    case 'issuer':
      return document.issuer !== null;
    case 'date':
      return Boolean(document.dates.written || document.dates.published || document.dates.printed);
    // Without a contact line the answer names the issuer to ask; "文件没有附件" is an answer too.
    case 'contact':
    case 'attachment':
      return true;
    case 'type':
      return documentKind(document.title) !== null;
    case 'source':
      return document.source !== null;
    case 'recipients':
      return addressee(document) !== null;
    default:
      return bestNote(document, [aspect]) !== null;
  }
}

/** A note without the last measure's departments it runs on from ("〔…按职责分工负责〕 本措施自印发之日起实施…"). */
const withoutDepartments = (note: string) => note.replace(/^〔[^〔〕]*〕\s*/, '');

/** The addressee line, or the person a reply letter answers ("李建辉委员:", too short a line for `bestNote`). */
function addressee(document: PolicyDocument): string | null {
  return bestNote(document, ['recipients']) ?? document.notes.find((note) => PERSON_ADDRESSED.test(toSimplified(note))) ?? null;
}

/** The kind of document its title says it is: "若干意见", "若干措施", "行动方案", "答复的函"… */
export function documentKind(title: string): string | null {
  const kind =
    /(若干意见|实施意见|意见|若干措施|若干举措|措施|举措|实施方案|行动方案|工作方案|方案|实施细则|细则|办法|规定|通知|答复的函|复函|函)(?:\(.*\))?$/.exec(
      toSimplified(title),
    );
  return kind?.[1] ?? null;
}

/** The attachments a document names: its annex's title (its clauses under 附件) and those whose text was not published. */
export function attachments(document: PolicyDocument): string[] {
  const named = document.clauses
    .filter((clause) => clause.label.startsWith('附件') && clause.path[0]?.startsWith('附件'))
    .map((clause) => clause.path[0]!.replace(/^附件\s*[:：]?\s*/, ''));
  const noted = document.notes.filter((note) => /^附件[:：]/.test(note)).map((note) => note.replace(/^附件[:：]\s*/, ''));
  return [...new Set([...named, ...noted, ...document.missingAttachments].map((name) => toSimplified(name)))];
}

/**
 * The document the question names: most of its title words (and its place) in the question, and clearly so. When
 * it names what only a document that one repealed has — its year ("2019年出的"), its 文号 or a title word its
 * successor lacks ("加快发展的意见") — the repealed one is what is asked about.
 */
function namedDocument(text: string, corpus: Corpus): { document: PolicyDocument; repealed: RepealedDocument | null } | null {
  // A 文号 written out names its document, however its year's brackets are typed on either side.
  const written = docNumberForm(text);
  const writes = (docNumber: string | null) => docNumber !== null && written.includes(docNumberForm(docNumber));
  for (const document of corpus.documents) {
    if (writes(document.docNumber)) return { document, repealed: null };
    const repealed = document.validity.repeals.find((earlier) => writes(earlier.docNumber));
    if (repealed) return { document, repealed };
  }
  const asked = new Set(terms(text));
  const titleTerms = (title: string) => new Set(terms(toHalfWidth(toSimplified(title))).filter((term) => term.startsWith('#')));
  const scored = corpus.documents
    .map((document) => {
      const place = [document.region.city, document.region.district]
        .filter((name): name is string => Boolean(name))
        .map((name) => name.replace(/[市区县]$/, ''));
      const placed = place.some((name) => text.includes(name));
      // The issuer also as people shorten it: 清远市工业和信息化局 → 工信局.
      const issuer = document.issuer ? `${document.issuer} ${normalizeDepartment(document.issuer)}` : '';
      const named = titleTerms(`${document.title} ${document.docNumber ?? ''} ${issuer}`);
      let shared = 0;
      for (const term of named) if (asked.has(term)) shared += 1;
      return { document, score: shared / Math.sqrt(named.size + 1) + (placed ? 1 : 0) };
    })
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  // Chosen on the development questions: a named place alone scores 1, a few title words without it about 0.5.
  if (!best || best.score < 0.5) return null;
  // Two documents of one city: the title words must tell them apart.
  if (second && best.score - second.score < CLEAR_MARGIN) return null;
  const own = titleTerms(best.document.title);
  const repealed = best.document.validity.repeals.find((earlier) => {
    const year = /〔(\d{4})〕/.exec(earlier.docNumber ?? '')?.[1];
    const distinct = [...titleTerms(earlier.title)].filter((term) => !own.has(term));
    return (year && text.includes(year)) || distinct.some((term) => asked.has(term));
  });
  return { document: best.document, repealed: repealed ?? null };
}

/** How much more than the next one a document's score must be to be the one named. */
const CLEAR_MARGIN = 0.15;

const NOTE_PATTERNS: Record<DocumentAspect, RegExp> = {
  // Not "有效性" alone: "合规有效性评价标准" is about compliance, not the document's term.
  validity: /有效期|(文件|意见|措施|举措|方案|办法|规定)[^。]{0,8}有效|自[^。]{0,16}起[^。]{0,4}(施行|实施)|实施期/,
  doc_number: /文号|〔\d{4}〕/,
  issuer: /印发给|发布机构|现印发/,
  date: /成文日期|发布日期|发布时间|印发/,
  contact: /联系人|联系电话|电话|径向|反映/,
  approval: /审议通过|同意/,
  type: /^$/,
  attachment: /^附件[:：]/,
  basis: /现结合|结合我|特制定|制定如下|提出如下|制定本/,
  recipients: /[:：]$/,
  source: /^$/,
  precedence: /为准|从优|就高不重复|不重复享受|按上级(的)?(规定|政策)执行|(不一致|冲突|相抵触)[^。]{0,40}执行/,
  index_number: /索引号[:：]\s*[0-9A-Za-z]/,
  interpretation: /负责解释|解释权|^政策解读[:：]/,
  // Told from the repealing document's validity (`Validity.repeals`), never from a note.
  repealed: /^$/,
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
