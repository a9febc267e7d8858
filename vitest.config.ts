import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property runs and golden replays are CPU-bound; a generous per-test timeout avoids
    // flaky failures on a loaded 2-core machine without hiding real hangs.
    testTimeout: 120_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
