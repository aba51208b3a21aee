import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server for the store tests, or null when none could be had (see `postgresUnavailable`). */
    postgresUrl: string | null;
    postgresUnavailable: string;
  }
}

const run = promisify(execFile);
const script = path.resolve(import.meta.dirname, '..', '.ci', 'start-postgres');

/**
 * Vitest global setup: the PostgreSQL tests use POLICYBOT_TEST_DATABASE_URL when it is set (CI starts a cluster in
 * `.ci/run`), otherwise a throwaway cluster started here with `.ci/start-postgres` and stopped at the end.
 * Where neither works the reason is printed and those tests are skipped, never silently.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.POLICYBOT_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    project.provide('postgresUnavailable', '');
    return () => dropTestDatabases(given);
  }
  const directory = mkdtempSync(path.join(tmpdir(), 'policybot-pg-'));
  try {
    const { stdout } = await run(script, [directory], { timeout: 120_000 });
    const url = stdout.trim();
    project.provide('postgresUrl', url);
    project.provide('postgresUnavailable', '');
    return async () => {
      await run(script, ['--stop', directory], { timeout: 60_000 }).catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    const reason =
      `no PostgreSQL server could be started (${((error as { stderr?: string }).stderr || (error as Error).message).trim()}); ` +
      "install Debian's postgresql or set POLICYBOT_TEST_DATABASE_URL — the PostgreSQL store tests are SKIPPED";
    console.warn(`\n[postgres] ${reason}\n`);
    project.provide('postgresUrl', null);
    project.provide('postgresUnavailable', reason);
    return async () => undefined;
  }
}

/** On a server we did not start, drop the databases the tests created. */
async function dropTestDatabases(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'policybot_t_%'`);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } catch {
    // Best effort: a leftover test database harms nothing.
  } finally {
    await client.end().catch(() => undefined);
  }
}
