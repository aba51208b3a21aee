import { createInterface } from 'node:readline';
import { addDocument, loadCorpus } from '../corpus/corpus-library.ts';
import { normalizeDepartment } from '../corpus/department-parser.ts';
import { describeDocument } from '../corpus/document-summary.ts';
import type { PolicyDocument } from '../corpus/document.ts';
import { PolicyBotError } from '../corpus/errors.ts';
import { validityOn } from '../corpus/validity.ts';
import type { Answer, Question } from './answer.ts';
import { renderAnswer } from './answer-render.ts';
import type { Assistant } from './assistant.ts';
import { loadConfig, type Config } from './config.ts';
import { exchangeJson } from './console/api-json.ts';
import { chinaUtcOffsetMinutes, dayStart, localDay } from './console/local-day.ts';
import { addOfficer } from './console/officers.ts';
import { createRuntime } from './runtime.ts';
import { startServer } from './serve.ts';
import { profileFromInput, readProfile, type EnterpriseProfile, type ProfileInput } from './enterprise-profile.ts';
import { composeMatchAnswer, profileSummary } from './policy-match-chat.ts';
import { corpusCities, createPolicyMatcher, type MeasureMatch } from './policy-matching.ts';
import { queuePushes } from './subscription-push.ts';
import { openStore } from './store/open-store.ts';
import { configSecrets, redactText } from './logger.ts';

const USAGE = `policybot — 政策文件问答助手

  policybot serve                          启动服务专员控制台和已配置的聊天渠道（即 npm start）
  policybot ask [--json] ["问题"]            回答一个问题；不给问题时从标准输入逐行读取
  policybot chat                           在终端中对话
  policybot search [--json] [-k N] [--region R] [--doc ID] [--in-force DATE] [--department D] ["问题"]
                                           检索条款；不给问题时从标准输入逐行读取
  policybot corpus list                    列出已收录的文件
  policybot corpus show [DOC [CLAUSE]] [--json]
                                           显示文件信息和条款
  policybot corpus add FILE [--title T] [--issuer I] [--region R] [--doc-number N] [--attach-to DOC]
                                           收录一份文件（.txt / .html / .docx），或作为 DOC 的附件
  policybot match [--json] [--include-expired] ["企业情况" | '{"text":…,"region":…,"employees":…}']
                                           按企业情况匹配政策措施；不给时从标准输入逐行读取
  policybot officer add NAME [--admin]     创建服务专员控制台账号（按提示输入密码）；--admin 为管理员，可管理专员账号和政策文件
  policybot log [--json] [--since DATE]    从已配置的存储中导出问答记录，按时间先后
                                           （DATE：YYYY-MM-DD 表示北京时间的一天，或 ISO 时间）`;

/** corpus list: a document's validity today, in the words the answers use. */
const validityLabels: Record<string, string> = {
  in_force: '现行有效', expired: '已失效', not_yet_in_force: '尚未施行', unknown: '未载明有效期',
};

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArguments(args: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--json' || arg === '--include-expired' || arg === '--admin') flags.set(arg.slice(2), true);
    else if (arg.startsWith('--') || arg === '-k') {
      const value = args[index + 1];
      if (value === undefined) throw new PolicyBotError('usage', `${arg} 后面需要一个值。`);
      flags.set(arg.replace(/^-+/, ''), value);
      index += 1;
    } else positional.push(arg);
  }
  return { positional, flags };
}

const text = (flags: Parsed['flags'], name: string) => {
  const value = flags.get(name);
  return typeof value === 'string' ? value : undefined;
};

/** The configured secrets, or none when the configuration itself is what failed. */
function configuredSecrets(): string[] {
  try {
    return configSecrets(loadConfig());
  } catch {
    return [];
  }
}

/** Runs one command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const config = loadConfig();
    const [command, ...rest] = args;
    const parsed = parseArguments(rest);
    switch (command) {
      case 'serve': return await serveCommand(config);
      case 'ask': return await askCommand(config, parsed);
      case 'chat': return await chatCommand(config);
      case 'search': return await searchCommand(config, parsed);
      case 'corpus': return await corpusCommand(config, parsed);
      case 'officer': return await officerCommand(config, parsed);
      case 'match': return await matchCommand(config, parsed);
      case 'log': return await logCommand(config, parsed);
      case undefined: case 'help': case '--help': case '-h':
        console.log(USAGE);
        return command === undefined ? 1 : 0;
      default:
        console.error(`未知命令“${command}”。\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof PolicyBotError) {
      // An endpoint's error can hold the key it was sent (or a URL with credentials): printed redacted.
      console.error(redactText(`policybot: ${error.message}`, configuredSecrets()));
      return 1;
    }
    throw error;
  }
}

async function serveCommand(config: Config): Promise<number> {
  const server = await startServer(config);
  console.log(`\n政策通 policybot 已启动 — 服务专员控制台：${server.url}`);
  if (server.firstOfficer) console.log(`首次启动已创建控制台账号 ${server.firstOfficer.name}，密码 ${server.firstOfficer.password}（仅显示这一次；可用 npx policybot officer add admin 重设）`);
  const stop = async () => { await server.stop(); process.exit(0); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (process.stdin.isTTY) {
    console.log('本地对话：直接输入问题回车即可（Ctrl+C 退出）。回答与各渠道一样记入服务专员控制台的问答记录。\n');
    await chatLoop(server.desk, 'console');
  } else await new Promise(() => {});
  return 0;
}

async function readLines(): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: process.stdin })) if (line.trim()) lines.push(line);
  return lines;
}

function question(textValue: string, chatId: string): Question {
  return { text: textValue, channel: 'cli', chatId, userId: 'cli' };
}

async function askCommand(config: Config, parsed: Parsed): Promise<number> {
  const runtime = await createRuntime(config);
  const json = parsed.flags.has('json');
  const questions = parsed.positional.length > 0 ? [parsed.positional.join(' ')] : await readLines();
  for (const [index, item] of questions.entries()) {
    // Each line is its own conversation.
    const answer = await runtime.assistant.ask(question(item, `ask-${index}`));
    console.log(json ? JSON.stringify(answer) : `${readable(answer)}\n`);
  }
  return 0;
}

/** An answer as the terminal shows it: its parts and sources once, in plain text (no Markdown markers). */
function readable(answer: Answer): string {
  return `问：${answer.question}\n答：${renderAnswer(answer, 'plain')}`;
}

async function chatCommand(config: Config): Promise<number> {
  const runtime = await createRuntime(config);
  console.log('政策通 — 输入问题回车；输入 exit 退出。');
  await chatLoop(runtime.assistant, 'cli');
  return 0;
}

async function chatLoop(assistant: Assistant, channel: 'cli' | 'console'): Promise<void> {
  const reader = createInterface({ input: process.stdin, output: process.stdout, prompt: '你> ' });
  reader.prompt();
  for await (const line of reader) {
    if (/^(exit|quit|退出)$/i.test(line.trim())) break;
    if (line.trim()) {
      const answer = await assistant.ask({ text: line, channel, chatId: 'terminal', userId: 'terminal' });
      console.log(`\n${renderAnswer(answer, 'plain')}\n`);
    }
    reader.prompt();
  }
  reader.close();
}

async function searchCommand(config: Config, parsed: Parsed): Promise<number> {
  const runtime = await createRuntime(config);
  const json = parsed.flags.has('json');
  const options = {
    k: Number(text(parsed.flags, 'k') ?? 5), region: text(parsed.flags, 'region'), docId: text(parsed.flags, 'doc'),
    inForceOn: text(parsed.flags, 'in-force'), department: text(parsed.flags, 'department'),
  };
  const questions = parsed.positional.length > 0 ? [parsed.positional.join(' ')] : await readLines();
  for (const item of questions) {
    const result = await runtime.retriever.search(item, options);
    const hits = result.hits.map((hit) => hit.citation);
    if (json) console.log(JSON.stringify({ question: item, hits }));
    else {
      console.log(`问：${item}`);
      hits.forEach((hit, index) => console.log(`${index + 1}. [${hit.score}] 《${hit.doc_title}》${hit.clause_label}  牵头：${hit.lead_departments.join('、') || '—'}\n   ${hit.quote.slice(0, 120)}`));
    }
  }
  return 0;
}

function documentJson(document: PolicyDocument, today: string) {
  const validity = validityOn(document, today);
  return {
    doc_id: document.docId, title: document.title, title_note: document.titleNote, doc_number: document.docNumber, issuer: document.issuer,
    region: document.region, dates: document.dates,
    validity: { effective_from: document.validity.effectiveFrom, effective_until: document.validity.effectiveUntil, statement: document.validity.statement, status: validity.status, note: validity.note },
    source: document.source, contact: document.contact, missing_attachments: document.missingAttachments, warnings: document.warnings,
    clauses: document.clauses.map((clause) => ({
      clause_id: clause.clauseId, clause_label: clause.citeLabel, printed_label: clause.label, clause_path: clause.path, title: clause.title,
      text: clause.text, lead_departments: clause.leadDepartments, support_departments: clause.supportDepartments,
      // The form used for matching: 市发改局 / 市发展改革局 / 市发展和改革局 all read 市发改局.
      departments_normalized: { lead: clause.leadDepartments.map(normalizeDepartment), support: clause.supportDepartments.map(normalizeDepartment) },
      department_note: clause.departmentNote, period: clause.period, details: clause.details,
    })),
  };
}

async function corpusCommand(config: Config, parsed: Parsed): Promise<number> {
  const [action, ...args] = parsed.positional;
  const today = new Date().toISOString().slice(0, 10);
  if (action === 'add') {
    const file = args[0];
    if (!file) throw new PolicyBotError('usage', 'corpus add 需要文件路径，例如：policybot corpus add 文件.txt');
    const attachTo = text(parsed.flags, 'attach-to');
    const document = await addDocument(config.corpusDir, file, { title: text(parsed.flags, 'title'), issuer: text(parsed.flags, 'issuer'), region: text(parsed.flags, 'region'), docNumber: text(parsed.flags, 'doc-number'), attachTo });
    console.log(`${attachTo ? `已作为附件加入 ${document.docId}` : `已加入 ${document.docId}`} 《${document.title}》${document.docNumber ?? ''}：${document.clauses.length} 条`);
    for (const line of describeDocument(document, today).slice(1)) console.log(`  ${line}`);
    for (const warning of document.warnings) console.log(`  警告：${warning}`);
    await queueSubscriptionPushes(config, document);
    return 0;
  }
  const corpus = loadCorpus(config.corpusDir);
  if (action === 'list' || action === undefined) {
    for (const document of corpus.documents) {
      const departments = new Set(document.clauses.flatMap((clause) => [...clause.leadDepartments, ...clause.supportDepartments]));
      console.log(`${document.docId}  《${document.title}》 ${document.docNumber ?? '(无文号)'}  ${document.clauses.length} 条  ${departments.size} 个责任单位  ${validityLabels[validityOn(document, today).status] ?? validityOn(document, today).status}`);
      for (const warning of document.warnings) console.log(`     警告：${warning}`);
    }
    return 0;
  }
  if (action !== 'show') throw new PolicyBotError('usage', `未知的 corpus 子命令“${action}”：可用 list、show、add。`);
  const [docId, clauseLabel] = args;
  const documents = docId ? corpus.documents.filter((document) => document.docId === docId) : corpus.documents;
  if (docId && documents.length === 0) throw new PolicyBotError('not_found', `没有编号为 ${docId} 的文件；可用 policybot corpus list 查看。`);
  const shown = documents.map((document) => {
    const full = documentJson(document, today);
    if (!clauseLabel) return full;
    const clauses = full.clauses.filter((clause) => clause.clause_label === clauseLabel || clause.clause_id === clauseLabel || clause.clause_id === `${document.docId}:${clauseLabel}`);
    if (clauses.length === 0) throw new PolicyBotError('not_found', `文件 ${document.docId} 中没有条款 ${clauseLabel}。`);
    return { ...full, clauses };
  });
  if (parsed.flags.has('json')) {
    console.log(JSON.stringify(docId ? shown[0] : shown, null, 2));
    return 0;
  }
  for (const document of shown) {
    console.log(`${document.doc_id} 《${document.title}》 ${document.doc_number ?? ''}\n发文：${document.issuer ?? '—'}  有效性：${document.validity.note}\n联系：${document.contact ?? '—'}`);
    for (const clause of document.clauses) {
      console.log(`\n[${clause.clause_label}] ${clause.clause_path.join(' › ')}\n${clause.text}\n牵头：${clause.lead_departments.join('、') || '—'}  配合：${clause.support_departments.join('、') || '—'}${clause.department_note ? `  （${clause.department_note}）` : ''}`);
    }
  }
  return 0;
}

async function officerCommand(config: Config, parsed: Parsed): Promise<number> {
  const [action, name] = parsed.positional;
  if (action !== 'add' || !name) throw new PolicyBotError('usage', '用法：policybot officer add 账号名');
  const password = await promptPassword(`请输入 ${name} 的密码：`);
  const store = await openStore(config);
  try {
    const outcome = await addOfficer(store, name, password, { role: parsed.flags.has('admin') ? 'admin' : 'officer' });
    console.log(outcome === 'created' ? `已创建服务专员账号 ${name}` : `已重设服务专员账号 ${name} 的密码`);
  } finally {
    await store.close();
  }
  return 0;
}

/** Prints the exchange log of whichever store is configured (SQLite or DATABASE_URL), oldest first. */
async function logCommand(config: Config, parsed: Parsed): Promise<number> {
  const since = parseSince(text(parsed.flags, 'since'));
  const store = await openStore(config);
  try {
    const { items } = await store.listExchanges(since ? { from: since } : {});
    for (const exchange of items.reverse()) {
      if (parsed.flags.has('json')) {
        console.log(JSON.stringify(exchangeJson(exchange)));
        continue;
      }
      const time = `${localDay(exchange.time)} ${new Date(exchange.time.getTime() + chinaUtcOffsetMinutes * 60_000).toISOString().slice(11, 19)}`;
      const who = exchange.answeredBy ? `专员 ${exchange.answeredBy}` : exchange.refused ? '未找到' : exchange.mode;
      const cited = exchange.citations.map((citation) => `${citation.doc_id} ${citation.clause_label}`).join('、') || '—';
      console.log(`#${exchange.id} ${time} ${exchange.channel} ${exchange.chatId} [${who}] ${exchange.question.replace(/\s+/g, ' ')} → ${cited}`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** `--since`: a day (YYYY-MM-DD, from its start in China time) or an ISO instant. */
function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      return dayStart(value);
    } catch {
      // Falls through to the message below.
    }
  }
  const time = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    throw new PolicyBotError('usage', `--since "${value}" is not a date: give YYYY-MM-DD (a day in China time) or an ISO time such as 2025-03-01T08:00:00+08:00.`);
  }
  return time;
}

/** Reads a password without echoing it when on a terminal; from the first stdin line otherwise (scripts). */
async function promptPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return (await readLines())[0] ?? '';
  process.stdout.write(prompt);
  process.stdin.setRawMode(true);
  let password = '';
  for await (const chunk of process.stdin) {
    for (const char of String(chunk)) {
      if (char === '\r' || char === '\n') { process.stdin.setRawMode(false); process.stdout.write('\n'); return password; }
      if (char === '\u0003') process.exit(130);
      password = char === '\u007f' ? password.slice(0, -1) : password + char;
    }
  }
  return password;
}

/** After `corpus add`: one message for each subscribed chat the new document has measures for; the server sends them. */
async function queueSubscriptionPushes(config: Config, document: PolicyDocument): Promise<void> {
  const store = await openStore(config);
  try {
    const corpus = loadCorpus(config.corpusDir);
    const matcher = createPolicyMatcher({ corpus, corrections: () => store.listConditionCorrections() });
    const queued = await queuePushes({ store, matcher, document });
    if (queued.length > 0) console.log(`  已为 ${queued.length} 个订阅会话生成新政策提醒，将由运行中的服务（npm start）发送。`);
  } finally {
    await store.close();
  }
}

async function matchCommand(config: Config, parsed: Parsed): Promise<number> {
  const corpus = loadCorpus(config.corpusDir);
  const store = await openStore(config);
  try {
    const matcher = createPolicyMatcher({ corpus, corrections: () => store.listConditionCorrections() });
    const inputs = parsed.positional.length > 0 ? [parsed.positional.join(' ')] : await readLines();
    if (inputs.length === 0) throw new PolicyBotError('usage', 'match 需要企业情况：文字如“清远一家28人的小微制造企业”，或 JSON 如 {"text":"…","employees":28}。');
    for (const input of inputs) {
      const profile = profileFromLine(input, corpusCities(corpus));
      const result = await matcher.match(profile, { includeExpired: parsed.flags.has('include-expired') });
      const answer = composeMatchAnswer(input, result);
      if (parsed.flags.has('json')) {
        const entry = (match: MeasureMatch) => ({
          clause_id: match.clauseId, doc_id: match.docId, topic: match.topic, name: match.name, gives: match.gives, matched_on: match.matchedOn,
          to_check: match.toCheck, unread: match.unread, validity: match.validity, relevance: match.relevance,
          lead_departments: match.citation.lead_departments, support_departments: match.citation.support_departments, citation: match.citation,
        });
        console.log(JSON.stringify({
          input, profile, summary: profileSummary(profile), missing: result.missing, matches: result.matches.map(entry), may_apply: result.mayApply.map(entry),
          expired: result.expired.map(entry), expired_count: result.expiredCount, answer: answer.answer,
        }));
      } else console.log(`${answer.answer}\n`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

/** A profile line: a JSON object of fields, or the enterprise's own words. */
function profileFromLine(line: string, cities: string[]): EnterpriseProfile {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return readProfile(trimmed, cities);
  let fields: unknown;
  try {
    fields = JSON.parse(trimmed);
  } catch (cause) {
    throw new PolicyBotError('bad_profile', `企业情况不是有效的 JSON：${(cause as Error).message}`, { cause });
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new PolicyBotError('bad_profile', '企业情况 JSON 须为对象');
  return profileFromInput(fields as ProfileInput, cities);
}
