// The files that share a process (vitest.config.ts, shared-process-files.ts) must exist and show none of
// the signs of a file that needs a process of its own.
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { SHARED_PROCESS_FILES } from './shared-process-files.js';

/**
 * What a shared process would carry into the next file: children, browsers, listeners, changed state.
 * In-process brokers and servers are fine (their files stop them), and so are children waited for.
 */
const NEEDS_OWN_PROCESS: [RegExp, string][] = [
  [/playwright|chromium/i, 'drives a browser'],
  [/\bspawn\(|spawnBroker|spawnPostgres|startVenice/, 'starts child processes that outlive a call'],
  [/process\.(on|once|chdir|exit)\(/, 'changes the process (listeners, directory, exit)'],
  [/vi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers)\(/, 'replaces modules, globals or timers'],
];

it('lists existing test files that leave no child process or browser running and leave the process as it was', () => {
  const problems = SHARED_PROCESS_FILES.flatMap((file) => {
    if (!fs.existsSync(file)) return [`${file}: no such file (remove it from the list)`];
    const text = fs.readFileSync(file, 'utf8');
    return NEEDS_OWN_PROCESS.filter(([sign]) => sign.test(text)).map(
      ([, why]) => `${file} ${why}: remove it from SHARED_PROCESS_FILES`,
    );
  });
  expect(problems).toEqual([]);
});
