import { defineConfig } from 'vitest/config';

// Server integration tier: real HTTP on loopback against SQLite and PostgreSQL (TEST_DATABASE_URL).
// Two files at a time: the machine has 2 cores and the crash tests run child processes.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts'],
    environment: 'node',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
