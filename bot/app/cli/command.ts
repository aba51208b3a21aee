import type { Config } from '../config.ts';

/** What a command receives: the configuration, its parsed flags (typed by its option table) and its positionals. */
export interface CommandInput<Values> {
  config: Config;
  values: Values;
  positionals: string[];
}
