import type { Config } from '../app/config.ts';
import type { Store } from './store.ts';
import { openPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';

/**
 * The store the configuration names: PostgreSQL when DATABASE_URL is set (several workers share it),
 * otherwise the SQLite file at DATABASE_PATH (one machine).
 * @example const store = await openStore(config);
 */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'databasePath'>): Promise<Store> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl) : openSqliteStore(config.databasePath);
}

/** Where the store lives, for logs: the server and database, never the password. */
export function describeStore(config: Pick<Config, 'databaseUrl' | 'databasePath'>): string {
  if (!config.databaseUrl) return `SQLite ${config.databasePath}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL ${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
