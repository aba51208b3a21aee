import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distIsFresh } from '../../../bot/app/dist-freshness.mjs';
import { runNode } from '../../helpers.ts';

const repository = path.resolve(import.meta.dirname, '..', '..', '..');

describe('whether policybot runs the compiled dist/', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'policybot-fresh-'));
  const write = (file: string, content: string, secondsAgo: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
    const time = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path.join(root, file), time, time);
  };
  for (const folder of ['bot', 'corpus', 'retrieval']) mkdirSync(path.join(root, folder), { recursive: true });

  it('runs the sources without a build, and dist/ once it is newer than every source', () => {
    write('bot/app/cli.ts', 'export {};', 60);
    write('corpus/places.json', '{}', 60);
    write('corpus/documents/000_a.txt', '文件', 1);
    write('corpus/documents/000_a.meta.json', '{}', 1);
    expect(distIsFresh(root)).toBe(false);
    write('dist/bot/app/cli.js', 'export {};', 30);
    expect(distIsFresh(root)).toBe(false); // places.json not copied yet: a build still running
    write('dist/corpus/places.json', '{}', 30);
    // A document added since the build is data, read from the sources: the build stays good.
    expect(distIsFresh(root)).toBe(true);
  });

  it('goes back to the sources when one is edited or added after the build', () => {
    write('corpus/places.json', '{"edited":true}', 10);
    expect(distIsFresh(root)).toBe(false);
    write('dist/corpus/places.json', '{"edited":true}', 5);
    expect(distIsFresh(root)).toBe(true);
    write('retrieval/new-ranker.ts', 'export {};', 1);
    expect(distIsFresh(root)).toBe(false);
    write('dist/retrieval/new-ranker.js', 'export {};', 0);
    expect(distIsFresh(root)).toBe(true);
  });
});

describe('policybot compiled to JavaScript', () => {
  // Built inside the repository (.scratch/ is ignored by git), as `npm run build` builds dist/, so the data files
  // are found the same way: the corpus, the lexicon, the prompts and the console page from the sources.
  const outDir = path.join(repository, '.scratch', `dist-test-${process.pid}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'policybot-dist-data-'));
  const runDist = (args: string[], input = '') => {
    const script = `const { main } = await import(${JSON.stringify(path.join(outDir, 'bot', 'app', 'cli.js'))}); process.exitCode = await main(process.argv.slice(1));`;
    return runNode(['--input-type=module', '-e', script, ...args], { input, env: { POLICYBOT_DATA_DIR: dataDir }, cwd: tmpdir() });
  };

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [
      path.join(repository, 'node_modules/typescript/bin/tsc'),
      '-p',
      path.join(repository, 'tsconfig.build.json'),
      '--outDir',
      outDir,
    ]);
  }, 180_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("lists the corpus and answers from the sources' documents, lexicon and prompts", async () => {
    const list = await runDist(['corpus', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^000 .*清府办〔2021〕34号 +68 条/m);
    const ask = await runDist(['ask', '--json', '公司缺钱，有什么贷款支持？']);
    expect(ask.status).toBe(0);
    const answer = JSON.parse(ask.stdout);
    expect(answer.refused).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
  }, 60_000);

  it('serves the console page', async () => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(path.join(outDir, 'bot', 'app', 'cli.js'))}); await main(['serve']);`],
      {
        env: { ...process.env, POLICYBOT_DATA_DIR: dataDir, PORT: '0' },
        cwd: tmpdir(),
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          const found = /服务专员控制台：(http:\/\/\S+)/.exec(stdout);
          if (found) resolve(found[1]!);
        });
        child.on('close', (status) => reject(new Error(`serve exited ${status}`)));
      });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});
