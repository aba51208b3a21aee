import aliasData from './department-aliases.json' with { type: 'json' };
import { toHalfWidth, toSimplified } from './script-converter.ts';
import { sentences } from './sentences.ts';

/** Departments responsible for a measure, as the document assigns them. */
export interface DepartmentAssignment {
  lead: string[];
  support: string[];
}

/** A responsibility note found in a clause's text: where it stands and whom it names. */
export interface DepartmentAnnotation extends DepartmentAssignment {
  start: number;
  end: number;
}

export interface DepartmentParseOptions {
  /**
   * The document declared "列第一位的为牵头单位": in plain lists the first unit leads, the rest support.
   * A note that declares it with "下同" sets it here for every later note (the object is shared and updated).
   */
  firstListedLeads: boolean;
}

const OPENERS: Record<string, string> = { '(': ')', '（': '）', '〔': '〕', '[': ']', '【': '】' };
const RESPONSIBILITY = /牵头|负责|配合|协办|参与|责任单位|牵头单位|配合单位|责任部门/;

/** Labels that name a note's units: "牵头单位:A;配合单位:B、C", "责任单位:A(牵头)、B". */
const LEAD_LABELS = '责任单位|责任部门|牵头单位|牵头部门|主办单位|主责单位|负责单位';
const SUPPORT_LABELS = '配合单位|配合部门|协办单位|参与单位|协同单位|协助单位|协作单位';
const LABEL = new RegExp(`^(${LEAD_LABELS}|${SUPPORT_LABELS})[:：]`);
const SUPPORT_LABEL = new RegExp(`^(${SUPPORT_LABELS})$`);
/** "(市商务局、市财政局,列第一位的为牵头单位,下同)": the note states the convention as well as naming units. */
const DECLARATION = /[,;，；]?(?:[^,;，；()]{0,16}?中[,，]?)?列(?:在)?第一位的?(?:为|是)?牵头(?:单位|部门)(?:[,;，；]?(下同))?/;

/** True when the text declares that the first unit listed leads ("列第一位的为牵头单位"). */
export function declaresFirstListedLeads(text: string): boolean {
  return DECLARATION.test(toHalfWidth(toSimplified(text)));
}

/**
 * Finds every responsibility note in `text` — bracketed at any nesting: "(市金融局牵头,市农业农村局配合)",
 * "〔…,各县(区)党委、政府按职责分工负责〕", "(责任单位:市经信局、市自然资源和规划局)",
 * "(牵头单位:A;配合单位:B、C)", "(A、B,列第一位的为牵头单位,下同)"; or a labelled line ending a measure:
 * "责任单位:市商务局(牵头)、市财政局".
 */
export function findDepartmentAnnotations(text: string, options: DepartmentParseOptions): DepartmentAnnotation[] {
  const annotations: DepartmentAnnotation[] = [];
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    const closer = OPENERS[char];
    if (!closer) {
      if (')）〕]】'.includes(char)) depth = Math.max(0, depth - 1);
      // An unbracketed labelled note at the start of a sentence runs to the end of the line or sentence.
      if (depth === 0 && (index === 0 || /[。;；\s:：]/.test(text[index - 1] ?? '')) && LABEL.test(text.slice(index, index + 6))) {
        let end = index;
        let inner = 0;
        while (end < text.length && !(inner === 0 && /[。\n]/.test(text[end] ?? ''))) {
          if (OPENERS[text[end] ?? '']) inner += 1;
          else if (')）〕]】'.includes(text[end] ?? '')) inner = Math.max(0, inner - 1);
          end += 1;
        }
        const content = text.slice(index, end).replace(/[;；,，\s]+$/, '');
        if (splitDepartmentList(content.replace(LABEL, '')).length > 0) {
          annotations.push({ start: index, end: index + content.length, ...parseAssignment(content, options) });
          index = end - 1;
        }
      }
      continue;
    }
    const end = matchingBracket(text, index);
    if (end < 0) continue;
    const content = text.slice(index + 1, end);
    const endsSentence = /^[。;；\s]*$|^[。;；]/.test(text.slice(end + 1, end + 2));
    const declared = DECLARATION.exec(toHalfWidth(toSimplified(content)));
    const units = declared ? toHalfWidth(toSimplified(content)).replace(DECLARATION, '') : content;
    if (
      (RESPONSIBILITY.test(units) && looksLikeDepartmentNote(units)) ||
      (endsSentence && isBareDepartmentList(units)) ||
      (declared && isBareDepartmentList(units))
    ) {
      annotations.push({ start: index, end: end + 1, ...parseAssignment(content, options) });
      index = end;
    } else if (declared && /^[,;，；]?(各|本)?[^、]{0,16}$/.test(units)) {
      // A note that only declares the convention: "(各条所列责任单位中,列第一位的为牵头单位,下同)".
      if (declared[1]) options.firstListedLeads = true;
      index = end;
    } else depth += 1;
  }
  return annotations;
}
function matchingBracket(text: string, start: number): number {
  const stack: string[] = [];
  for (let index = start; index < text.length && index < start + 600; index += 1) {
    const char = text[index] ?? '';
    const closer = OPENERS[char];
    if (closer) stack.push(closer);
    else if (char === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return index;
    } else if ('）)〕]】'.includes(char) && stack.length > 0) {
      // Mixed half/full-width pairs "(…）" occur in published text; accept any closer of the same family.
      stack.pop();
      if (stack.length === 0) return index;
    }
  }
  return -1;
}

/** A note names units; a sentence that merely mentions 负责 in brackets does not end like one. */
function looksLikeDepartmentNote(content: string): boolean {
  const plain = toSimplified(content);
  if (LABEL.test(toHalfWidth(plain))) return true;
  return /(牵头|负责|配合|协办|参与)$/.test(plain.replace(/[。;；\s]+$/, '')) || /牵头[,，;；]/.test(plain);
}

/** "(市工信局、市财政局)" closing a measure: a list of units with no verb, as documents that declare the lead order write them. */
function isBareDepartmentList(content: string): boolean {
  const units = splitDepartmentList(toHalfWidth(content));
  return (
    units.length > 0 &&
    units.every((unit) => /^(市|区|县|省|各)[\u4e00-\u9fff()]{1,20}(局|委|办|中心|院|会|部|行|政府|社|厅|处|署|所|站|队|集团|公司|联)$/.test(unit))
  );
}

/** Parses the inside of a responsibility note into lead and support units. */
export function parseAssignment(content: string, options: DepartmentParseOptions): DepartmentAssignment {
  let text = toHalfWidth(content).replace(/\s+/g, '');
  const declared = DECLARATION.exec(toSimplified(text));
  if (declared) {
    text = toSimplified(text)
      .replace(DECLARATION, '')
      .replace(/^[,;]+|[,;]+$/g, '');
    if (declared[1]) options.firstListedLeads = true;
  }
  const firstListed = { firstListedLeads: options.firstListedLeads || declared !== null };
  if (LABEL.test(text)) return labelledAssignment(text, firstListed);
  const lead: string[] = [];
  const support: string[] = [];
  // Groups are separated by "," or ";": "A牵头,B、C配合", "A、B,各县(区)政府按职责分工负责".
  for (const group of splitTopLevel(text, /[,;，；]/)) {
    const role = /(分别牵头|牵头负责|牵头|配合|协办|参与|按照?职责分工负责|分别负责|负责)$/.exec(group);
    const units = splitDepartmentList(role ? group.slice(0, role.index) : group);
    if (role && /配合|协办|参与/.test(role[1] ?? '')) support.push(...units);
    else lead.push(...units);
  }
  const marked = markedLeads(lead);
  if (marked) return { lead: marked.lead, support: [...marked.support, ...support] };
  if (lead.length > 1 && firstListed.firstListedLeads && !/牵头|配合/.test(text)) return leadsFromPlainList(lead, firstListed);
  return { lead, support };
}

/** "牵头单位:A;配合单位:B、C", "责任单位:A(牵头)、B", "责任单位:*A、B". */
function labelledAssignment(text: string, options: DepartmentParseOptions): DepartmentAssignment {
  const lead: string[] = [];
  const support: string[] = [];
  // A new label may follow ";" or ",": "牵头单位:A;配合单位:B" / "牵头单位:A,配合单位:B".
  // OCR may read the ";" between two labels as ":" or lose it: a label starts a segment wherever it stands.
  const segments = text.split(new RegExp(`[,，;；:：]?(?=(?:${LEAD_LABELS}|${SUPPORT_LABELS})[:：])`)).filter(Boolean);
  for (const segment of segments) {
    const label = LABEL.exec(segment);
    const units = splitDepartmentList(label ? segment.slice(label[0].length) : segment);
    if (label && SUPPORT_LABEL.test(label[1] ?? '')) {
      support.push(...units);
      continue;
    }
    const marked = markedLeads(units);
    if (marked) {
      lead.push(...marked.lead);
      support.push(...marked.support);
      continue;
    }
    const hasSupportLabel = segments.some((other) => SUPPORT_LABEL.test(LABEL.exec(other)?.[1] ?? ''));
    const plain = hasSupportLabel || /^(牵头|主办|主责)/.test(label?.[1] ?? '') ? { lead: units, support: [] } : leadsFromPlainList(units, options);
    lead.push(...plain.lead);
    support.push(...plain.support);
  }
  return { lead, support };
}

/** Units marked as leading — "*市财政局" (table cells) or "市商务局(牵头)" — lead; the others in the list support. */
function markedLeads(units: string[]): DepartmentAssignment | null {
  const mark = /^\*+|[(（]牵头[)）]$/;
  if (!units.some((unit) => mark.test(unit))) return null;
  return { lead: units.filter((unit) => mark.test(unit)).map((unit) => unit.replace(mark, '')), support: units.filter((unit) => !mark.test(unit)) };
}

function leadsFromPlainList(units: string[], options: DepartmentParseOptions): DepartmentAssignment {
  if (options.firstListedLeads && units.length > 1) return { lead: units.slice(0, 1), support: units.slice(1) };
  return { lead: units, support: [] };
}

/** Splits at separators outside brackets, so "各县(市、区)人民政府" stays whole. */
function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if ('(（〔[【'.includes(char)) depth += 1;
    if (')）〕]】'.includes(char)) depth = Math.max(0, depth - 1);
    if (depth === 0 && separator.test(char)) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** Words that are not a unit on their own but continue the previous one: "各县(区)党委、政府". */
const CONTINUATIONS = /^(政府|党委|人大|政协|人民政府|管委会|党委政府)$/;

/** Splits "A、B、C" into units, keeping "各县(区)党委、政府" together. */
export function splitDepartmentList(text: string): string[] {
  const units: string[] = [];
  for (const piece of splitTopLevel(text.replace(/等$/, ''), /[、,，;；]/)) {
    const unit = piece.replace(/^(和|及|以及)/, '').replace(/(等有关单位|等单位|等部门)$/, '');
    if (!unit) continue;
    const previous = units[units.length - 1];
    if (previous !== undefined && CONTINUATIONS.test(unit)) units[units.length - 1] = `${previous}、${unit}`;
    else units.push(unit);
  }
  return units;
}

const ALIASES = Object.entries(aliasData.aliases as Record<string, string>).sort((a, b) => b[0].length - a[0].length);

/**
 * The form departments are matched in: simplified, no city name, long names shortened
 * (市发展和改革局 / 市发展改革局 / 市发改局 / 清远市发展改革委 → 市发改局).
 */
export function normalizeDepartment(name: string): string {
  let text = toHalfWidth(toSimplified(name)).replace(/\s+/g, '').replace(/^\*+/, '');
  text = text.replace(/^[\u4e00-\u9fff]{2,3}?市(?=[\u4e00-\u9fff]{2,})/, '市');
  for (const [long, short] of ALIASES) text = text.replace(long, short);
  text = text
    .replace(/委员会$/, '局')
    .replace(/办公室$/, '办')
    .replace(/委$/, '局');
  return text;
}

/** True when two department names denote the same body (also "人社局" against "市人力资源社会保障局"). */
export function sameDepartment(a: string, b: string): boolean {
  const x = normalizeDepartment(a).replace(/^市/, '');
  const y = normalizeDepartment(b).replace(/^市/, '');
  return x === y || (x.length >= 2 && y.length >= 2 && (x.endsWith(y) || y.endsWith(x)));
}

/** Department names in running text: "市水利局", "清远市市场监督管理局", "清远供电局" (the city's own name only, so "依托省市…" is not read as a place). */
function departmentNamePattern(city: string | null): RegExp {
  const place = city ? city.replace(/市$/, '') : '';
  const prefix = place ? `(?:${place}市|${place}(?=[\\u4e00-\\u9fff]{0,4}(?:供电局|海关|税务局))|市)` : '市';
  return new RegExp(`${prefix}(?!级)(?:[\\u4e00-\\u9fff]{2,14}?)(?:局|委员会|委|办公室|办|中心)`, 'g');
}

/**
 * The department names running text mentions ("市水利局", "清远市市场监督管理局", "市发展和改革委员会"), as written: the
 * parser reads reply letters with it, and the assistant checks a model's answer names no department the cited clauses
 * do not. `city` also admits the city's own name before a unit ("清远供电局").
 */
export function departmentNamesIn(text: string, city: string | null = null): string[] {
  return [...toHalfWidth(toSimplified(text)).matchAll(departmentNamePattern(city))].map((match) => match[0].replace(/局局$/, '局'));
}

/**
 * Departments a report names as doing the work, for documents (reply letters) that assign no
 * responsibility in notes: a unit at the start of a clause ("。市水利局督促…", "二是市生态环境局…",
 * "2022年3月,市市场监管局将…") or issuing a cited notice ("《清远市市场监督管理局关于…》").
 * A unit joined by "与/会同" to an acting unit supports it.
 */
export function findActingDepartments(text: string, city: string | null): DepartmentAssignment {
  const plain = toHalfWidth(toSimplified(text));
  const lead: string[] = [];
  const support: string[] = [];
  for (const match of plain.matchAll(departmentNamePattern(city))) {
    const name = match[0].replace(/局局$/, '局');
    const before = plain.slice(Math.max(0, (match.index ?? 0) - 3), match.index);
    const after = plain.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + match[0].length + 2);
    const atClauseStart = /(^|[。;；,，:：]|[一二三四五六七八九十]是|\d月|\d日)\s*$/.test(before) || (match.index ?? 0) === 0;
    const issuesNotice = /《$/.test(before) && after.startsWith('关于');
    if ((atClauseStart && !after.startsWith('由') && !after.startsWith('的')) || issuesNotice) {
      lead.push(name);
      const partner = /^(与|会同|和)((?:[\u4e00-\u9fff]{2,3}市|市)[\u4e00-\u9fff]{1,14}?(?:局|委|办|中心))/.exec(
        plain.slice((match.index ?? 0) + match[0].length),
      );
      if (partner?.[2]) support.push(partner[2]);
    }
  }
  const unique = (names: string[]) =>
    names.filter((name, index) => names.findIndex((other) => normalizeDepartment(other) === normalizeDepartment(name)) === index);
  const leads = unique(lead);
  return { lead: leads, support: unique(support).filter((name) => !leads.some((other) => sameDepartment(other, name))) };
}

/** Bodies that can be responsible for a duty: "市人民政府商务主管部门", "县级以上人民政府人力资源社会保障部门", "市场监督管理部门". */
const BODY = '(?:主管部门|行政部门|管理部门|部门|局|委员会|委|办公室|人民政府|政府|管委会|管理委员会|机构|中心)';
const SUBJECT = `(?!由|对|在|经|凡|按|依)[\\u4e00-\\u9fff、]{0,40}?${BODY}`;
const DUTY = new RegExp(
  `(?:^|[,:;，：；]|(?<=由))(${SUBJECT})(?:要|应|应当|须|必须)?(负责|应当|会同|牵头|统筹|主管|配合|协助|按照各自职责|按照职责|依照职责|在各自职责范围内)`,
  'g',
);
const GENERIC_BODY = /^(有关|相关|其他|其他有关|各有关|各相关|各|本级)?(部门|单位|机构|人民政府|政府)$/;

/**
 * The responsible bodies of a regulation's article, read from its duty sentences: the subject of
 * 负责/应当/会同/牵头 leads ("市人民政府商务主管部门负责…", "县级以上人民政府人力资源社会保障部门应当…",
 * "…由市场监督管理部门会同税务、公安等部门…"); bodies after 会同/配合 and subjects of 配合/协助/按照各自职责 support.
 */
export function findDutyDepartments(text: string): DepartmentAssignment {
  const plain = toHalfWidth(toSimplified(text)).replace(/^第[一二三四五六七八九十百零〇两]+条\s*/, '');
  const lead: string[] = [];
  const support: string[] = [];
  for (const sentence of sentences(plain)) {
    for (const match of sentence.matchAll(DUTY)) {
      const subject = match[1] ?? '';
      const verb = match[2] ?? '';
      const units = subjectUnits(subject.replace(/^(本市|本省|全市|全省)/, ''));
      if (units.length === 0) continue;
      if (/配合|协助|职责/.test(verb)) support.push(...units);
      else lead.push(...units);
      // "会同税务、公安等部门" / "配合市财政局": the bodies named after the verb support.
      if (verb === '会同' || verb === '配合') {
        const partners = new RegExp(`^(${SUBJECT})`).exec(sentence.slice((match.index ?? 0) + match[0].length).replace(/^(有关|相关)/, ''));
        if (partners?.[1]) support.push(...subjectUnits(partners[1]));
      }
    }
  }
  const unique = (names: string[]) => names.filter((name, index) => names.indexOf(name) === index);
  const leads = unique(lead);
  if (leads.length === 0) return { lead: unique(support), support: [] };
  return { lead: leads, support: unique(support).filter((name) => !leads.includes(name)) };
}

/** "税务、公安等部门" → 税务部门, 公安部门: the head noun the list shares goes to each item that lacks one. */
function subjectUnits(subject: string): string[] {
  const head = new RegExp(`等?(${BODY})$`).exec(subject);
  const items = subject
    .split('、')
    .map((item) => item.trim())
    .filter(Boolean);
  const units =
    items.length > 1 && head
      ? items.map((item) => item.replace(/等(?=[\u4e00-\u9fff]*$)/, '')).map((item) => (new RegExp(`${BODY}$`).test(item) ? item : `${item}${head[1]}`))
      : items;
  return units.filter((unit) => !GENERIC_BODY.test(unit));
}
