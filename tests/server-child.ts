import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ServerOptions } from '../bot/app/serve.ts';

/** A server running in its own process (`tests/server-process.ts`), to be killed or stopped by signal. */
export interface ServerChild {
  url: string;
  process: ChildProcess;
  /** Everything it wrote to stderr (its log). */
  log(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

const script = path.resolve(import.meta.dirname, 'server-process.ts');

/** Starts the server on `env` and waits until it serves (at most `timeoutMs`: it may build the index first). */
export async function startServerChild(env: Record<string, string>, options: ServerOptions = {}, timeoutMs = 120_000): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', ...env, POLICYBOT_TEST_SERVER_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /READY (\S+)/.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before serving:\n${stderr}`));
    });
  });
  return { url, process: child, log: () => stderr, exited };
}
