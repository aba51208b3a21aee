import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolicybot } from '../../helpers.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-arguments-'));
const run = (...args: string[]) => runPolicybot(args, { env: { POLICYBOT_DATA_DIR: dataDir } });

describe('command-line flags', () => {
  it("shows each command's usage with --help, and runs nothing", async () => {
    // Before, `search --help` said "--help 后面需要一个值" and exited 1.
    const search = await run('search', '--help');
    expect(search.status).toBe(0);
    expect(search.stdout).toContain('用法：\n  policybot search [--json] [-k N] [--region R]');
    expect(search.stdout).toContain('选项：--json、-k 值、--region 值、--doc 值、--in-force 值、--department 值；-h / --help 显示本说明');
    expect(search.stdout).not.toContain('问：');
    const add = await run('corpus', 'add', '-h');
    expect(add.status).toBe(0);
    expect(add.stdout).toContain('policybot corpus add FILE [--title T]');
    const corpus = await run('corpus', '--help');
    expect(corpus.stdout).toMatch(/corpus list[\s\S]*corpus show[\s\S]*corpus add/);
    const all = await run('--help');
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('每个命令都可加 --help 查看用法');
  });

  it('refuses a misspelt flag instead of taking it with the question', async () => {
    // Before, "--regoin 乐清" was read as a flag with a value and the search ran on "工业用地" alone.
    const result = await run('search', '--regoin', '乐清', '工业用地');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'policybot: search 没有选项 --regoin（可用：--json、-k 值、--region 值、--doc 值、--in-force 值、--department 值）；问题以 - 开头时，写在 -- 之后。用 policybot search --help 查看用法。\n',
    );
    expect(result.stdout).toBe('');
    const ask = await run('ask', '--jsno', '稳岗返还比例是多少？');
    expect(ask.status).toBe(2);
    expect(ask.stderr).toContain('ask 没有选项 --jsno');
    expect(ask.stdout).toBe('');
  });

  it('says which flag lacks its value, and checks values before searching', async () => {
    const missing = await run('search', '工业用地', '--region');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('选项 --region 后面需要一个值。');
    const swallowed = await run('search', '--doc', '--json', '工业用地');
    expect(swallowed.stderr).toContain('选项 --doc 后面需要一个值。');
    const count = await run('search', '-k', 'three', '工业用地');
    expect(count.status).toBe(2);
    expect(count.stderr).toContain('-k 须为 1 到 30 的整数（收到“three”）');
    const day = await run('search', '--in-force', '2025/03/01', '工业用地');
    expect(day.stderr).toContain('--in-force 须为 YYYY-MM-DD 格式的日期');
    const flagValue = await run('corpus', 'list', '--json=yes');
    expect(flagValue.stderr).toContain('corpus list 没有选项 --json');
  });

  it('refuses extra arguments where a command takes none', async () => {
    const result = await run('corpus', 'list', '000');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('corpus list 多出了参数 “000”');
    const sub = await run('corpus', 'remove', '000');
    expect(sub.stderr).toContain('未知的 corpus 子命令“remove”：可用 list、show、add。');
  });

  it('still reads a question that starts with "-" after --', async () => {
    const result = await run('search', '--json', '-k', '1', '--', '-工业用地');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).question).toBe('-工业用地');
  });
});
