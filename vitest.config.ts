import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites start real brokers on their own ports; keep files apart but let them run in parallel.
    pool: 'forks',
  },
});
