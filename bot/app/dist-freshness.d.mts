/** See dist-freshness.mjs: whether dist/ under `root` is a build of the sources as they are now. */
export function distIsFresh(root: string): boolean;
