import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { CorpusParseError } from './errors.ts';

/** In the corpus directory; the corpus loader and the service's watcher read only `.txt` and `.json` files. */
export const CORPUS_LOCK_FILE = '.corpus.lock';
/**
 * How long a change waits for another one to finish. An add holds the lock while it loads the corpus, parses the
 * new document and writes it — 0.2–0.5 s for the bundled corpus, a few seconds for a document at the size limits.
 */
const WAIT_MS = 30_000;
const POLL_MS = 50;
/** A lock held this long was left by a process that died on another machine (on this one, its pid tells). */
const STALE_MS = 10 * 60_000;

interface Holder {
  pid?: number;
  host?: string;
  since: string;
}

/**
 * Runs `work` holding the corpus directory's lock, so that changes from several processes — `policybot corpus add`
 * in two terminals, a console upload meanwhile — happen one after the other: each chooses its document number from
 * the corpus as the previous one left it. Waits up to 30 s for the lock, then refuses with who holds it. A lock left
 * by a process that died is taken over (same machine: its pid is gone; otherwise after ten minutes).
 *
 * @example await withCorpusLock(config.corpusDir, async () => writeDocument(…));
 */
export async function withCorpusLock<T>(directory: string, work: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, CORPUS_LOCK_FILE);
  const waitMs = options.waitMs ?? WAIT_MS;
  const deadline = Date.now() + waitMs;
  const mine: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    if (tryCreate(file, mine)) break;
    const holder = readHolder(file);
    if (holder && isStale(holder)) {
      // Removed only if it is still the lock judged stale (another waiter may have taken over meanwhile); the
      // check and the removal are not one step, a window of microseconds that opens only after a crash.
      const again = readHolder(file);
      if (again && again.pid === holder.pid && again.since === holder.since) rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder?.pid
        ? `进程 ${holder.pid}${holder.host && holder.host !== hostname() ? `（${holder.host}）` : ''}，自 ${holder.since} 起`
        : '另一个进程';
      throw new CorpusParseError(
        'CORPUS_BUSY',
        `文件库正由${who}修改，等了 ${Math.round(waitMs / 1000)} 秒仍未结束，本次未做任何改动：请稍后再试。若确认没有其他进程在修改文件库，可删除 ${file} 后重试。`,
        directory,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    // Only our own lock: one taken over as stale (after ten minutes) now belongs to someone else.
    if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
  }
}

function tryCreate(file: string, holder: Holder): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(descriptor, JSON.stringify(holder));
  } finally {
    closeSync(descriptor);
  }
  return true;
}

/** Who holds the lock; a file not yet written (or unreadable) counts from its modification time. */
function readHolder(file: string): Holder | null {
  try {
    const text = readFileSync(file, 'utf8');
    try {
      return JSON.parse(text) as Holder;
    } catch {
      return { since: statSync(file).mtime.toISOString() };
    }
  } catch {
    return null;
  }
}

function isStale(holder: Holder): boolean {
  if (holder.pid && holder.host === hostname()) {
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (error) {
      // EPERM: the process exists under another user.
      if ((error as NodeJS.ErrnoException).code === 'EPERM') return false;
      return true;
    }
  }
  return Date.now() - Date.parse(holder.since) > STALE_MS;
}
