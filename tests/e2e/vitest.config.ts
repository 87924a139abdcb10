import { defineConfig } from 'vitest/config';

// Real-browser tier: one Chromium at a time (the machine has 2 cores), generous timeouts for
// browser start-up, the extension built once in globalSetup.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    environment: 'node',
    // A real browser on a busy two-core machine: polls wait up to 10 s (they return as soon as they pass).
    expect: { poll: { timeout: 10_000 } },
  },
});
