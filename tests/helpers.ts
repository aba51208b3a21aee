import { spawn } from 'node:child_process';
import pg from 'pg';
import type { Answer, Citation, Question } from '../bot/core/answer.ts';
import { makeAnswer } from '../bot/core/answer-render.ts';
import type { AskOptions, Assistant } from '../bot/core/assistant.ts';
import type { Channel } from '../bot/desk/channel.ts';

/** A citation with plausible fields, for front-end tests that do not exercise retrieval. */
export function sampleCitation(overrides: Partial<Citation> = {}): Citation {
  return {
    doc_id: '000',
    doc_title: '清远市关于促进民营经济高质量发展的若干意见',
    doc_number: '清府办〔2021〕34号',
    issuer: '清远市人民政府办公室',
    clause_id: '000:一(二)',
    clause_label: '(二)',
    clause_title: '继续实施失业保险稳岗返还政策',
    clause_path: ['一、多措并举,降低民营企业生产经营成本'],
    text: '(二)继续实施失业保险稳岗返还政策。中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还。',
    quote: '中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还。',
    lead_departments: ['市人力资源社会保障局'],
    support_departments: ['市税务局'],
    department_note: null,
    period: null,
    validity_status: 'expired',
    validity_note: '2022年2月1日起施行,有效期三年,已于2025年1月31日届满',
    contact: null,
    score: 1,
    ...overrides,
  };
}

/** An Assistant that answers from a script, recording what it was asked. */
export class ScriptedAssistant implements Assistant {
  readonly questions: Question[] = [];
  constructor(private readonly reply: (question: Question) => Partial<Answer> = () => ({})) {}

  async ask(question: Question, options: AskOptions = {}): Promise<Answer> {
    this.questions.push(question);
    const scripted = this.reply(question);
    const body = scripted.answer ?? `关于「${question.text}」：中小微企业按60%返还。`;
    const decision = scripted.decision ?? (scripted.refused ? 'refused' : 'answered');
    const answer = makeAnswer({
      question: question.text,
      decision,
      mode: 'extractive',
      parts:
        decision === 'refused'
          ? [{ kind: 'text', text: body }]
          : [
              { kind: 'text', text: body },
              { kind: 'departments', source: 1, text: '这项措施由市人力资源社会保障局牵头，市税务局配合。' },
              { kind: 'warning', source: 1, text: sampleCitation().validity_note },
            ],
      citations: decision === 'refused' ? [] : [sampleCitation()],
      timing_ms: { total: 1 },
      toOfficer: decision !== 'answered',
      ...scripted,
    });
    options.onPartial?.(answer.answer);
    return answer;
  }
}

/** A chat platform that keeps what it was asked to send. */
export class RecordingChannel implements Channel {
  readonly sent: { chatId: string; text: string; replyToMessageId?: string }[] = [];
  constructor(readonly name: Channel['name']) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async deliver(chatId: string, text: string, replyToMessageId?: string): Promise<void> {
    this.sent.push({ chatId, text, replyToMessageId });
  }
}

/**
 * A new, empty database on the test PostgreSQL server (see tests/postgres-setup.ts), for one store or one
 * group of workers. Returns its URL.
 */
export async function freshPostgresDatabase(serverUrl: string): Promise<string> {
  const name = `policybot_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Runs the `policybot` command as `npx policybot` does (the package's bin through node), asynchronously: a
 * synchronous spawn blocks the test worker, which on a busy machine outlasts vitest's RPC timeout.
 */
export function runPolicybot(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runNode(['bot/app/policybot.mjs', ...args], options);
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
}
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs node with `args` asynchronously and collects what it printed (see `runPolicybot`). */
export function runNode(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A new city document for the subscription tests: two measures a 清远 小微 manufacturer gets (a graduate hiring
 * subsidy, a 小升规 reward) and one it does not (for large enterprises), each with its department.
 */
export const NEW_QINGYUAN_MEASURES = {
  name: '清远市支持小微工业企业稳定发展的若干措施.txt',
  text: [
    '清远市支持小微工业企业稳定发展的若干措施',
    '一、对新招用高校毕业生的小微工业企业，按每人2000元给予一次性吸纳就业补贴。(市人力资源社会保障局负责)',
    '二、对首次纳入规模以上工业企业统计的小微工业企业，给予一次性10万元奖励。(市工业和信息化局负责)',
    '三、对年营业收入超过4亿元的大型企业，给予贷款贴息支持。(市金融局负责)',
  ].join('\n'),
};
