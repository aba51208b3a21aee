import type { CorpusState } from './corpus-admin.ts';

/** What the status panel shows: the process, each chat channel, and the corpus and its index. */
export interface SystemStatus {
  started_at: string;
  /** 'extractive' or 'llm'. */
  answers: string;
  channels: {
    label: string;
    state: 'running' | 'off' | 'failed' | 'stopped';
    since: string | null;
    missing: string[];
    last_problem: { time: string; level: 'error' | 'warn'; message: string } | null;
  }[];
  corpus: CorpusState | null;
}

export type StatusSource = () => SystemStatus | Promise<SystemStatus>;
