import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folders tsconfig.build.json compiles into dist/. */
const SOURCE_FOLDERS = ['bot', 'corpus', 'retrieval'];
/** Data inside them that is read from the sources at run time (documents, lexicon, console page), never from dist/. */
const DATA_FOLDERS = new Set(['corpus/documents', 'corpus/lexicon', 'bot/console/public']);

/**
 * Whether dist/ holds a build of the sources as they are now: every `.ts` source has its `.js` in dist/ written
 * after the source was last changed, and so has every JSON file outside the data folders (the code imports them all,
 * so the build copies them; one not copied yet means a build is still running).
 * An edit, a `git pull` or a checkout makes it false until the next `npm run build`. About 150 stat calls: 2–5 ms.
 *
 * @example distIsFresh('/srv/policybot') // false right after editing bot/app/cli.ts
 */
export function distIsFresh(root) {
  try {
    if (!statSync(path.join(root, 'dist', 'bot', 'app', 'cli.js')).isFile()) return false;
    return SOURCE_FOLDERS.every((folder) => folderIsFresh(root, folder));
  } catch {
    return false;
  }
}

function folderIsFresh(root, folder) {
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!DATA_FOLDERS.has(relative) && !folderIsFresh(root, relative)) return false;
      continue;
    }
    const source = statSync(path.join(root, relative)).mtimeMs;
    if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const built = statOrNull(path.join(root, 'dist', relative.replace(/\.ts$/, '.js')));
      if (!built || built.mtimeMs < source) return false;
    } else if (entry.name.endsWith('.json')) {
      const copied = statOrNull(path.join(root, 'dist', relative));
      if (!copied || copied.mtimeMs < source) return false;
    }
  }
  return true;
}

function statOrNull(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}
