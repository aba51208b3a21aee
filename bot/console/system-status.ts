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

/** `GET /api/status`: the system's status with the open hand-offs and the outbox, as the page reads it. */
export interface StatusJson extends SystemStatus {
  now: string;
  handoffs: { open: number; oldest_open: string | null };
  outbox: { pending: number; failed: number; delivered: number; oldest_pending: string | null };
}

export type StatusSource = () => SystemStatus | Promise<SystemStatus>;
