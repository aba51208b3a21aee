import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, where `package.json`, `corpus/documents/`, `corpus/lexicon/`, `prompts/` and
 * `bot/console/public/` are: the folder above this file when run from the sources, two above when run from the
 * compiled `dist/corpus/` (data files are read from the sources either way, so `dist/` holds only JavaScript).
 */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'package.json'))) return directory;
    if (path.dirname(directory) === directory) return path.resolve(start, '..');
  }
}
