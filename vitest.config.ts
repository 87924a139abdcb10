import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit tier: pure lib/ tests run in node; component and extension-glue tests opt into happy-dom with
// a `// @vitest-environment happy-dom` docblock. Real-browser tests live in tests/e2e/ and server
// integration tests in server/, each with its own config.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: [
      'lib/**/*.test.ts',
      'components/**/*.test.{ts,tsx}',
      'extension/**/*.test.ts',
      'tests/unit/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    setupFiles: ['tests/unit/setup.ts'],
    benchmark: { include: ['lib/**/*.bench.ts', 'tests/bench/**/*.bench.ts'] },
  },
});
