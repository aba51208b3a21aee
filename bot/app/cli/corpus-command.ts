import { addDocument, loadCorpus } from '../../../corpus/index.ts';
import { departmentsText, normalizeDepartment } from '../../../corpus/index.ts';
import { describeDocument } from '../../../corpus/index.ts';
import type { PolicyDocument } from '../../../corpus/index.ts';
import { PolicyBotError } from '../../../corpus/index.ts';
import { validityOn } from '../../../corpus/index.ts';
import type { Config } from '../config.ts';
import type { CommandInput } from './command.ts';
import { silentLogger } from '../../logger.ts';

/** corpus list: a document's validity today, in the words the answers use. */
const validityLabels: Record<string, string> = {
  in_force: '现行有效',
  expired: '已失效',
  not_yet_in_force: '尚未施行',
  unknown: '未载明有效期',
};

const today = () => new Date().toISOString().slice(0, 10);

/** `policybot corpus list`: each document with its clause count, departments found, validity and warnings. */
export async function corpusListCommand({ config }: CommandInput<object>): Promise<number> {
  const corpus = loadCorpus(config.corpusDir);
  for (const document of corpus.documents) {
    const departments = new Set(document.clauses.flatMap((clause) => [...clause.leadDepartments, ...clause.supportDepartments]));
    const status = validityOn(document, today()).status;
    console.log(
      `${document.docId}  《${document.title}》 ${document.docNumber ?? '(无文号)'}  ${document.clauses.length} 条  ${departments.size} 个责任单位  ${validityLabels[status] ?? status}`,
    );
    for (const warning of document.warnings) console.log(`     警告：${warning}`);
  }
  return 0;
}

/** `policybot corpus show [DOC [CLAUSE]] [--json]`. */
export async function corpusShowCommand({ config, values, positionals }: CommandInput<{ json?: boolean }>): Promise<number> {
  const corpus = loadCorpus(config.corpusDir);
  const [docId, clauseLabel] = positionals;
  const documents = docId ? corpus.documents.filter((document) => document.docId === docId) : corpus.documents;
  if (docId && documents.length === 0) throw new PolicyBotError('NOT_FOUND', `没有编号为 ${docId} 的文件；可用 policybot corpus list 查看。`);
  const shown = documents.map((document) => {
    const full = documentJson(document, today());
    if (!clauseLabel) return full;
    const clauses = full.clauses.filter(
      (clause) => clause.clause_label === clauseLabel || clause.clause_id === clauseLabel || clause.clause_id === `${document.docId}:${clauseLabel}`,
    );
    if (clauses.length === 0) throw new PolicyBotError('NOT_FOUND', `文件 ${document.docId} 中没有条款 ${clauseLabel}。`);
    return { ...full, clauses };
  });
  if (values.json) {
    console.log(JSON.stringify(docId ? shown[0] : shown, null, 2));
    return 0;
  }
  for (const document of shown) {
    console.log(
      `${document.doc_id} 《${document.title}》 ${document.doc_number ?? ''}\n发文：${document.issuer ?? '—'}  有效性：${document.validity.note}\n联系：${document.contact ?? '—'}`,
    );
    for (const clause of document.clauses) {
      console.log(`\n[${clause.clause_label}] ${clause.clause_path.join(' › ')}\n${clause.text}\n${departmentsText(clause)}`);
    }
  }
  return 0;
}

interface AddFlags {
  title?: string;
  issuer?: string;
  region?: string;
  'doc-number'?: string;
  'attach-to'?: string;
}

/** `policybot corpus add FILE`: parses, refuses or adds, and prints what it found. */
export async function corpusAddCommand({ config, values, positionals }: CommandInput<AddFlags>): Promise<number> {
  const file = positionals[0];
  if (!file) throw new PolicyBotError('USAGE', 'corpus add 需要文件路径，例如：policybot corpus add 文件.txt');
  const attachTo = values['attach-to'];
  const document = await addDocument(config.corpusDir, file, {
    title: values.title,
    issuer: values.issuer,
    region: values.region,
    docNumber: values['doc-number'],
    attachTo,
  });
  console.log(
    `${attachTo ? `已作为附件加入 ${document.docId}` : `已加入 ${document.docId}`} 《${document.title}》${document.docNumber ?? ''}：${document.clauses.length} 条`,
  );
  for (const line of describeDocument(document, today()).slice(1)) console.log(`  ${line}`);
  for (const warning of document.warnings) console.log(`  警告：${warning}`);
  await updateIndex(config);
  await queueSubscriptionPushes(config, document);
  return 0;
}

/**
 * The saved index brought up to date now, embedding only the new clauses, so that the service — at its next start
 * or when its watcher reloads the corpus — finds an index that matches and only loads it, instead of embedding
 * before it can answer. Under the corpus lock, so concurrent adds save the index one at a time. A failure (an
 * embedding endpoint down) leaves the document added: the service embeds it when it loads the corpus.
 */
async function updateIndex(config: Config): Promise<void> {
  const [{ createRuntime }, { withCorpusLock }] = await Promise.all([import('../runtime.ts'), import('../../../corpus/index.ts')]);
  const started = performance.now();
  try {
    await withCorpusLock(config.corpusDir, () => createRuntime(config, silentLogger));
    console.log(`  向量索引已更新（${((performance.now() - started) / 1000).toFixed(1)} 秒），运行中的服务会自动载入。`);
  } catch (error) {
    console.log(`  向量索引未能更新（${(error as Error).message}）：文件已加入，服务载入文件库时会补建索引。`);
  }
}

/** After `corpus add`: one message for each subscribed chat the new document has measures for; the server sends them. */
async function queueSubscriptionPushes(config: Config, document: PolicyDocument): Promise<void> {
  const [{ openStore }, { createPolicyMatcher }, { queuePushes }] = await Promise.all([
    import('../../store/index.ts'),
    import('../../matching/index.ts'),
    import('../../desk/index.ts'),
  ]);
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

function documentJson(document: PolicyDocument, day: string) {
  const validity = validityOn(document, day);
  return {
    doc_id: document.docId,
    title: document.title,
    title_note: document.titleNote,
    doc_number: document.docNumber,
    issuer: document.issuer,
    region: document.region,
    dates: document.dates,
    validity: {
      effective_from: document.validity.effectiveFrom,
      effective_until: document.validity.effectiveUntil,
      statement: document.validity.statement,
      status: validity.status,
      note: validity.note,
    },
    source: document.source,
    contact: document.contact,
    missing_attachments: document.missingAttachments,
    warnings: document.warnings,
    clauses: document.clauses.map((clause) => ({
      clause_id: clause.clauseId,
      clause_label: clause.citeLabel,
      printed_label: clause.label,
      clause_path: clause.path,
      title: clause.title,
      text: clause.text,
      lead_departments: clause.leadDepartments,
      support_departments: clause.supportDepartments,
      // The form used for matching: 市发改局 / 市发展改革局 / 市发展和改革局 all read 市发改局.
      departments_normalized: { lead: clause.leadDepartments.map(normalizeDepartment), support: clause.supportDepartments.map(normalizeDepartment) },
      department_note: clause.departmentNote,
      period: clause.period,
      details: clause.details,
    })),
  };
}
