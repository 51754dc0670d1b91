// ksqlDB's query-validation cases of the stateless core, run in-process by qtt-lite.ts (no broker):
// per file, how many pass, with the failures listed, and a floor that must not go down.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceDir } from '../parser/conformance-cases.js';
import { runQttCase, type QttCase } from './qtt-lite.js';

const FLOORS: Readonly<Record<string, number>> = {
  'project-filter.json': 23,
  'select.json': 3,
  'where.json': 3,
  'partition-by.json': 41,
  'literals.json': 4,
  'identifiers.json': 4,
  'quoted-identifiers.json': 6,
  'null.json': 15,
  'binary-arithmetic.json': 1,
  'cast.json': 11,
  'between.json': 5,
  'in.json': 27,
  'like.json': 3,
  'case-expression.json': 5,
  'comparison-expression.json': 5,
  'decimal.json': 5,
  'table.json': 2,
  'simple-struct.json': 3,
  'select-struct-all.json': 4,
  'timestampformat.json': 8,
  'timestamp-extractor.json': 5,
  'magic-timestamp-conversion.json': 5,
};

const dir = conformanceDir();

describe.skipIf(dir === undefined)('ksqlDB stateless cases, in-process', () => {
  for (const [file, floor] of Object.entries(FLOORS)) {
    it(file, async () => {
      const cases = (
        JSON.parse(readFileSync(join(dir as string, 'qtt', file), 'utf8')) as { tests: QttCase[] }
      ).tests;
      let passed = 0;
      let skipped = 0;
      const failures: string[] = [];
      for (const testCase of cases) {
        const outcome = await runQttCase(testCase);
        if (outcome.status === 'pass') passed++;
        else if (outcome.status === 'skip') skipped++;
        else failures.push(`${testCase.name}: ${outcome.reason}`);
      }
      console.log(
        `${file}: ${passed} passed, ${failures.length} failed, ${skipped} skipped\n  ${failures.join('\n  ')}`,
      );
      expect(passed).toBeGreaterThanOrEqual(floor);
    });
  }
});
