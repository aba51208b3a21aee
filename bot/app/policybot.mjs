#!/usr/bin/env node
// The `policybot` command. It runs the JavaScript that `npm install` compiled into dist/ (the `prepare` script,
// bot/app/build-dist.mjs) when that build is as new as every source, and otherwise the TypeScript sources through tsx:
// an edited source is never run stale, and a clone whose build was skipped still works, only slower to start
// (tsx transpiles on each run: about 0.5 s more; README "Commands").
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './dist-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let main;
if (distIsFresh(root)) {
  ({ main } = await import(new URL('../../dist/bot/app/cli.js', import.meta.url).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
