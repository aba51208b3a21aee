// `npm run build`, and `prepare`, which npm runs after `npm install` and `npm ci` in a clone: compiles the sources
// to dist/ (tsconfig.build.json) so that `policybot` starts without transpiling TypeScript (bot/app/policybot.mjs).
// Without TypeScript (npm install --omit=dev), or when the sources do not compile, `prepare` says so and succeeds:
// policybot then runs the sources through tsx. `npm run build` fails with the compiler's errors instead.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fromInstall = process.env.npm_lifecycle_event === 'prepare';
let compiler;
try {
  compiler = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error('policybot：未安装 TypeScript（开发依赖），未生成 dist/；policybot 将直接运行 TypeScript 源码（启动稍慢）。');
  process.exit(fromInstall ? 0 : 1);
}
// A clean build: a source deleted since the last one must not stay behind in dist/.
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [compiler, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (result.status !== 0) {
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  console.error('policybot：编译未通过，未生成 dist/；policybot 将直接运行 TypeScript 源码（启动稍慢）。');
  process.exit(fromInstall ? 0 : (result.status ?? 1));
}
