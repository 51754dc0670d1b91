import { defineConfig } from 'vitest/config';
import { SHARED_PROCESS_FILES } from './test/setup/shared-process-files.js';

export default defineConfig({
  test: {
    // The CLI tests run dist/: rebuild it first if any source is newer (a no-op after `npm run build`).
    // The embedded PostgreSQL's template is made once, before the files that start PostgreSQL.
    globalSetup: ['test/setup/build-dist.ts', 'test/setup/postgres-template.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites start real brokers on their own ports; keep files apart but let them run in parallel.
    pool: 'forks',
    // Two at once even on a 2-core machine: most files wait on brokers, sockets and timers, so the
    // suite takes about 12 minutes instead of 20 (Node 22, 257 files, measured 2026-12-06).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Files that start nothing they leave behind share a process per worker (see the list's comment).
        test: { name: 'shared', include: SHARED_PROCESS_FILES, isolate: false },
      },
      {
        extends: true,
        test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: SHARED_PROCESS_FILES },
      },
    ],
  },
});
