// @platformatic/kafka compiles its ~40 option validators when it is evaluated unless src/client/library.ts
// loads it (deferred-validators.ts). One value import of the library from any other client module that
// is evaluated first defeats that, and costs every process reaching Kafka ~0.2 s of CPU at start (the
// CLI's acls.ts did). Type-only imports are erased and harmless.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SOURCE = fileURLToPath(new URL('../../src', import.meta.url));
const VALUE_IMPORT = /^import\s+(?!type\b)[^;]*?from\s+'@platformatic\/kafka';/ms;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

it('only src/client/library.ts loads @platformatic/kafka itself (others import type or go through it)', () => {
  const offenders = sourceFiles(SOURCE)
    .filter((file) => path.relative(SOURCE, file) !== path.join('client', 'library.ts'))
    .filter((file) => VALUE_IMPORT.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(SOURCE, file));
  expect(offenders).toEqual([]);
});
