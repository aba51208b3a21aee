import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Channel and browser tests start real servers on loopback; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A PostgreSQL server for the store tests: POLICYBOT_TEST_DATABASE_URL, or a throwaway cluster.
    globalSetup: ['tests/postgres-setup.ts'],
  },
});
