// Runs only the *.fixture.ts files of test/testing/ (the main suite never picks them up).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/testing/*.fixture.ts'], testTimeout: 120_000 },
});
