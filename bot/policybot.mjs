#!/usr/bin/env node
// The `policybot` command: runs the TypeScript sources through tsx, so no build step is needed after npm install.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
