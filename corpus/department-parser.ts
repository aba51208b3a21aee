import aliasData from './department-aliases.json' with { type: 'json' };
import { toHalfWidth, toSimplified } from './script-converter.ts';

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
  /** The document declared "列第一位的为牵头单位": in plain lists the first unit leads, the rest support. */
  firstListedLeads: boolean;
}

const OPENERS: Record<string, string> = { '(': ')', '（': '）', '〔': '〕', '[': ']', '【': '】' };
const RESPONSIBILITY = /牵头|负责|配合|协办|参与|责任单位|牵头单位|配合单位|责任部门/;

/**
 * Finds every bracketed responsibility note in `text` — "(市金融局牵头,市农业农村局配合)",
 * "〔…,各县(区)党委、政府按职责分工负责〕" (brackets may nest), "(责任单位:市经信局、市自然资源和规划局)".
 */
export function findDepartmentAnnotations(text: string, options: DepartmentParseOptions): DepartmentAnnotation[] {
  const annotations: DepartmentAnnotation[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const closer = OPENERS[text[index] ?? ''];
    if (!closer) continue;
    const end = matchingBracket(text, index);
    if (end < 0) continue;
    const content = text.slice(index + 1, end);
    const endsSentence = /^[。;；\s]*$|^[。;；]/.test(text.slice(end + 1, end + 2));
    if ((RESPONSIBILITY.test(content) && looksLikeDepartmentNote(content)) || (endsSentence && isBareDepartmentList(content))) {
      annotations.push({ start: index, end: end + 1, ...parseAssignment(content, options) });
      index = end;
    }
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
  if (/^(责任单位|牵头单位|责任部门)[:：]/.test(plain)) return true;
  return /(牵头|负责|配合|协办|参与)$/.test(plain.replace(/[。;；\s]+$/, '')) || /牵头[,，;；]/.test(plain);
}

/** "(市工信局、市财政局)" closing a measure: a list of units with no verb, as documents that declare the lead order write them. */
function isBareDepartmentList(content: string): boolean {
  const units = splitDepartmentList(toHalfWidth(content));
  return units.length > 0 && units.every((unit) => /^(市|区|县|省|各)[\u4e00-\u9fff()]{1,20}(局|委|办|中心|院|会|部|行|政府)$/.test(unit));
}

/** Parses the inside of a responsibility note into lead and support units. */
export function parseAssignment(content: string, options: DepartmentParseOptions): DepartmentAssignment {
  const text = toHalfWidth(content).replace(/\s+/g, '');
  const labelled = /^(责任单位|牵头单位|责任部门)[:：]/.exec(text);
  if (labelled) {
    const units = splitDepartmentList(text.slice(labelled[0].length));
    const starred = units.filter((unit) => unit.startsWith('*'));
    if (starred.length > 0) return { lead: starred.map(stripStar), support: units.filter((unit) => !unit.startsWith('*')) };
    return leadsFromPlainList(units, options);
  }
  const lead: string[] = [];
  const support: string[] = [];
  // Groups are separated by "," or ";": "A牵头,B、C配合", "A、B,各县(区)政府按职责分工负责".
  for (const group of splitTopLevel(text, /[,;，；]/)) {
    const role = /(分别牵头|牵头负责|牵头|配合|协办|参与|按照?职责分工负责|分别负责|负责)$/.exec(group);
    const units = splitDepartmentList(role ? group.slice(0, role.index) : group);
    if (role && /配合|协办|参与/.test(role[1] ?? '')) support.push(...units);
    else lead.push(...units);
  }
  if (lead.length > 1 && options.firstListedLeads && !/牵头|配合/.test(text)) return leadsFromPlainList(lead, options);
  return { lead, support };
}

function leadsFromPlainList(units: string[], options: DepartmentParseOptions): DepartmentAssignment {
  if (options.firstListedLeads && units.length > 1) return { lead: units.slice(0, 1), support: units.slice(1) };
  return { lead: units, support: [] };
}

const stripStar = (unit: string) => unit.replace(/^\*+/, '');

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
  text = text.replace(/委员会$/, '局').replace(/办公室$/, '办').replace(/委$/, '局');
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
    const atClauseStart = /(^|[。;;,,:：]|[一二三四五六七八九十]是|\d月|\d日)\s*$/.test(before) || (match.index ?? 0) === 0;
    const issuesNotice = /《$/.test(before) && after.startsWith('关于');
    if ((atClauseStart && !after.startsWith('由') && !after.startsWith('的')) || issuesNotice) {
      lead.push(name);
      const partner = /^(与|会同|和)((?:[\u4e00-\u9fff]{2,3}市|市)[\u4e00-\u9fff]{1,14}?(?:局|委|办|中心))/.exec(plain.slice((match.index ?? 0) + match[0].length));
      if (partner?.[2]) support.push(partner[2]);
    }
  }
  const unique = (names: string[]) => names.filter((name, index) => names.findIndex((other) => normalizeDepartment(other) === normalizeDepartment(name)) === index);
  const leads = unique(lead);
  return { lead: leads, support: unique(support).filter((name) => !leads.some((other) => sameDepartment(other, name))) };
}
