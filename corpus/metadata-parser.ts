import type { DocumentDates, RepealedDocument, Validity } from './document.ts';
import { parseChineseNumber } from './clause-labels.ts';
import { sentences } from './sentences.ts';

/** What a document's own text says about itself (the header area before its first numbered part, and its closing). */
export interface TextMetadata {
  title: string | null;
  docNumber: string | null;
  issuer: string | null;
  dates: DocumentDates;
  validity: Validity;
  contact: string | null;
}

const TITLE =
  /^[^,，。:：;；!！?？]{4,70}(意见|措施|举措|方案|办法|规定|通知|决定|细则|计划|函|条例|政策|若干措施|实施意见|清单|分工表|分解表|任务表|责任表|一览表)(\(.{2,20}\))?$/;
const DOC_NUMBER = /[\u4e00-\u9fff]{1,10}[〔[［(（]\d{4}[〕\]］)）]\d{1,4}号/;
const ISO_DATE = /(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})日?/;

/** Reads title, 文号, issuer, dates, validity and contact from the text around the numbered parts. */
export function readTextMetadata(header: string[], closing: string[], fullText: string): TextMetadata {
  const title = [...header].reverse().find((line) => TITLE.test(line) && !/^(为|根据|按照)/.test(line)) ?? null;
  const headerText = header.join('\n');
  const labelled = (name: string) => new RegExp(`${name}\\s*[:：]\\s*(?:•\\s*)?([^\\n•]*?)\\s*(?:\\n|$)`).exec(headerText);
  const docNumber = labelled('文号')?.[1]?.match(DOC_NUMBER)?.[0] ?? headerText.match(DOC_NUMBER)?.[0] ?? null;
  const signature = findSignature([...header, ...closing]);
  const issuer = signature?.issuer ?? closingIssuer(closing) ?? emptyToNull(labelled('发布机构')?.[1]) ?? null;
  const published = isoDate(labelled('发布日期')?.[1] ?? labelled('发布时间')?.[1] ?? /发布时间[:：]\s*(\S+)/.exec(headerText)?.[1]);
  const written = signature?.date ?? isoDate(labelled('成文日期')?.[1]);
  const validity = readValidity(fullText, title, written ?? published);
  const dates: DocumentDates = { written, published, effective: validity.effectiveFrom, printed: printedOn(fullText) };
  return { title, docNumber, issuer, dates, validity, contact: readContact(fullText) };
}

/**
 * The 版记's date: a line of its own naming the body that printed the document, then the day ("乐清市人民政府办公室
 * 2023年11月27日印发"); the last such line of the text (the 版记 closes it, often after the attachments).
 */
const PRINTED = /^\s*[\u4e00-\u9fff（）()]{2,40}?\s+(\d{4}年\d{1,2}月\d{1,2}日)\s*印发\s*$/gm;
function printedOn(fullText: string): string | null {
  const found = [...fullText.matchAll(PRINTED)].at(-1);
  return found ? isoDate(found[1]) : null;
}

function emptyToNull(value: string | undefined): string | null {
  return value && value.trim() ? value.trim() : null;
}

/** The issuing body and date under the text: a body name on one line, the date on the next. */
function findSignature(lines: string[]): { issuer: string; date: string } | null {
  for (let index = lines.length - 2; index >= 0; index -= 1) {
    const line = lines[index]!.trim();
    const date = isoDate(lines[index + 1]?.trim());
    if (
      date &&
      /^\d{4}年\d{1,2}月\d{1,2}日$/.test(lines[index + 1]!.trim()) &&
      /(办公室|人民政府|局|委员会|委|厅|管委会|办)$/.test(line) &&
      line.length <= 40
    ) {
      return { issuer: line, date };
    }
  }
  return null;
}

/** "(中共普洱市委办公室 普洱市人民政府办公室)" closing a text that has no signature block. */
function closingIssuer(closing: string[]): string | null {
  const match = /[(（]((?:[\u4e00-\u9fff]{4,30}(?:办公室|人民政府|局|委员会)\s*)+)[)）]/.exec(closing.join('\n'));
  return match?.[1]?.trim().replace(/\s+/g, '、') ?? null;
}

function isoDate(text: string | undefined | null): string | null {
  const match = text ? ISO_DATE.exec(text) : null;
  if (!match) return null;
  return `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
}

/**
 * Validity as the text states it: "自2022年2月1日起实施,有效期三年", "有效期至2025年12月31日",
 * "自印发之日起实施", or a plan's years in its title "(2023-2025年)".
 */
export function readValidity(text: string, title: string | null, issued: string | null): Validity {
  const statement = sentences(text).filter(
    (sentence) => /(自.{0,20}(起|之日)(施行|实施|执行)|有效期(至|为|[一二三四五六七八九十\d]+年))/.test(sentence) && !/有效期内的/.test(sentence),
  );
  const joined = statement.map((sentence) => sentence.replace(/^.*?(?=本(文件|措施|意见|方案|办法|举措|通知|规定)|自\d{4}年)/, '')).join('') || null;
  let effectiveFrom: string | null = null;
  let effectiveUntil: string | null = null;
  const from = /自(\d{4}年\d{1,2}月\d{1,2}日)起(施行|实施|执行)/.exec(joined ?? '');
  if (from) effectiveFrom = isoDate(from[1]);
  else if (/自(印发|发布|公布)之日起/.test(joined ?? '')) effectiveFrom = issued;
  const until = /有效期至(\d{4}年\d{1,2}月\d{1,2}日)/.exec(joined ?? '');
  const years = /有效期(?:为)?([一二三四五六七八九十两\d]+)年/.exec(joined ?? '');
  if (until) effectiveUntil = isoDate(until[1]);
  else if (years && effectiveFrom) {
    const count = /\d/.test(years[1]!) ? Number(years[1]) : (parseChineseNumber(years[1]!) ?? 0);
    effectiveUntil = addYearsMinusOneDay(effectiveFrom, count);
  }
  const planYears = title ? /\((\d{4})\s*[-—–至]\s*(\d{4})年?\)/.exec(title) : null;
  let planStatement: string | null = null;
  if (!effectiveUntil && planYears) {
    effectiveUntil = `${planYears[2]}-12-31`;
    effectiveFrom ??= issued;
    planStatement = `实施期${planYears[1]}—${planYears[2]}年(据标题)`;
  }
  return { effectiveFrom, effectiveUntil, statement: joined ?? planStatement, repeals: readRepeals(text) };
}

/** "《清远市人民政府办公室印发〈…若干意见〉的通知》(清府办〔2019〕14号)同步废止", "…同时废止", "…予以废止". */
const REPEAL = /《([^《》]{4,80})》\s*[(（]([^()（）]{0,30}〔\d{4}〕[^()（）]{0,12})[)）][^。;；《]{0,8}(废止|停止执行|不再执行)/g;

/** The earlier documents a document repeals, each as its repealing sentence names it. */
function readRepeals(text: string): RepealedDocument[] {
  const repeals: RepealedDocument[] = [];
  for (const sentence of sentences(text)) {
    for (const match of sentence.matchAll(REPEAL)) {
      // A notice issuing a document names it inside 〈〉: the document is what the asker remembers.
      const issued = /印发\s*[〈<]([^〉>]+)[〉>]/.exec(match[1]!);
      repeals.push({ title: (issued?.[1] ?? match[1]!).trim(), docNumber: match[2]!.trim(), sentence: sentence.trim() });
    }
  }
  return repeals;
}

function addYearsMinusOneDay(iso: string, years: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** "实施过程中遇到的问题,请径向市发展改革局反映" and "(联系人:伍崇智,电话:0763-3364322)". */
function readContact(text: string): string | null {
  const parts: string[] = [];
  const report = /[^。\n]*(遇到的问题|有关问题|意见建议)[^。\n]*(请径?向|请与|请联系)[^。\n]*[。]?/.exec(text);
  if (report) parts.push(report[0].trim());
  const person = /[(（]?联系人[:：][^\n)）]*[)）]?/.exec(text);
  if (person) parts.push(person[0].trim().replace(/^[(（]|[)）]$/g, ''));
  return parts.length > 0 ? parts.join(';') : null;
}
