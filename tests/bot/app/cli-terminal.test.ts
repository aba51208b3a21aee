import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolicybot } from '../../helpers.ts';

/** What the terminal shows: `npx policybot …` on the real corpus, output in Chinese, answers in plain text. */
const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-terminal-'));

/** Runs the command without blocking the test worker (a synchronous spawn would hold its event loop for seconds). */
const run = (args: string[], input = '') =>
  runPolicybot(args, { input, env: { POLICYBOT_DATA_DIR: dataDir, DATABASE_PATH: path.join(dataDir, 'policybot.sqlite') } });

const count = (text: string, pattern: string) => text.split(pattern).length - 1;

describe('the terminal', () => {
  it('prints each answer once, in plain text: quote, departments, one sources list, no Markdown markers', async () => {
    const { status, stdout } = await run(['ask'], '稳岗返还比例是多少？\n清远和乐清对工业用地各有什么支持？\n');
    expect(status).toBe(0);
    const [single, comparison] = stdout.split(/\n(?=问：)/);
    expect(single!.startsWith('问：稳岗返还比例是多少？\n答：根据《清远市关于促进民营经济高质量发展的若干意见》')).toBe(true);
    expect(single).toContain('中小微企业按企业及其职工上年度实际缴纳失业保险费的60%返还');
    expect(single).toContain('这项措施由市人力资源社会保障局牵头');
    expect(count(single!, '出处：')).toBe(1);
    expect(count(single!, '[1] 《清远市关于促进民营经济高质量发展的若干意见》(清府办〔2021〕34号)')).toBe(1);
    // A comparison heads each place in brackets and carries each document's validity warning.
    expect(comparison).toContain('【清远】');
    expect(comparison).toContain('【乐清】');
    expect(count(comparison!, '⚠️')).toBe(2);
    expect(count(comparison!, '出处：')).toBe(1);
    expect(stdout).not.toContain('**');
    expect(stdout).not.toContain('依据');
    expect(stdout).not.toMatch(/^>/m);
  }, 60_000);

  it('keeps the chat going in plain text, and says how to leave in Chinese', async () => {
    const { status, stdout } = await run(['chat'], '稳岗返还比例是多少？\n那这个找哪个部门？\nexit\n');
    expect(status).toBe(0);
    expect(stdout).toContain('输入问题回车；输入 exit 退出。');
    expect(count(stdout, '出处：')).toBe(2);
    expect(stdout).toContain('市人力资源社会保障局');
    expect(stdout).not.toContain('**');
  }, 60_000);

  it("lists the corpus with each document's validity in Chinese", async () => {
    const { stdout } = await run(['corpus', 'list']);
    expect(stdout).toMatch(/^000 .*68 条 +44 个责任单位 +已失效$/m);
    expect(stdout).toMatch(/^001 .*未载明有效期$/m);
    expect(stdout).not.toMatch(/\b(expired|unknown|in_force)\b/);
  }, 60_000);

  it('says what went wrong in Chinese, keeping the command and variable names', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('未知命令“frobnicate”');
    expect(unknown.stderr).toContain('policybot corpus add FILE');
    const noDocument = await run(['corpus', 'show', '999']);
    expect(noDocument.status).toBe(1);
    expect(noDocument.stderr).toBe('policybot: 没有编号为 999 的文件；可用 policybot corpus list 查看。\n');
    const usage = await run(['officer']);
    expect(usage.stderr).toContain('用法：policybot officer add 账号名');
  }, 60_000);

  it('creates a console officer and says so in Chinese', async () => {
    const created = await run(['officer', 'add', '张三'], 'a long enough passphrase\n');
    expect(created.status).toBe(0);
    expect(created.stdout.trim()).toBe('已创建服务专员账号 张三');
    const again = await run(['officer', 'add', '张三'], 'another long passphrase\n');
    expect(again.stdout.trim()).toBe('已重设服务专员账号 张三 的密码');
  }, 60_000);
});
