import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * CPUs this process may really use. Node 20's availableParallelism() ignores a container's CPU quota
 * (cgroup v2 `cpu.max`), so on a 2-CPU CI container on a big host vitest would start one fork per host core;
 * each fork then waits for CPU time long enough for its RPC calls to the main process to time out
 * ("Timeout calling onTaskUpdate", which fails the run after every test passed).
 */
function usableCpus(): number {
  let cpus = availableParallelism();
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota && quota !== 'max' && Number(period) > 0) cpus = Math.min(cpus, Math.max(1, Math.ceil(Number(quota) / Number(period))));
  } catch {
    // No cgroup v2 file (macOS, cgroup v1): keep what Node reports.
  }
  return cpus;
}

// One core stays free for the servers, child processes (CLI tests) and Chromium the tests start.
const forks = Math.max(1, usableCpus() - 1);

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Channel and browser tests start real servers on loopback; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A PostgreSQL server for the store tests: POLICYBOT_TEST_DATABASE_URL, or a throwaway cluster.
    globalSetup: ['tests/postgres-setup.ts'],
    poolOptions: { forks: { maxForks: forks, minForks: 1 } },
  },
});
