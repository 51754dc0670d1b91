import { describe, expect, it } from 'vitest';
import { conformanceDir } from '../parser/conformance-cases.js';
import { passthroughCases } from './qtt-passthrough.js';

const dir = conformanceDir();
/** The files with cases our serdes decide alone (the registry formats' run in registry-formats.test.ts). */
export const QTT_FORMAT_FILES = [
  'json.json',
  'delimited.json',
  'kafka.json',
  'none.json',
  'serdes.json',
  'key-schemas.json',
  'decimal.json',
  'date.json',
  'bytes.json',
  'timestamp.json',
  'identifiers.json',
  'more-complex-struct.json',
  'quoted-identifiers.json',
];

describe.skipIf(dir === undefined)(
  'ksqlDB format cases through the serdes (../shared/ksql-conformance)',
  () => {
    for (const file of QTT_FORMAT_FILES) {
      const cases = dir === undefined ? [] : passthroughCases(dir, file);
      it(`${file}: ${cases.length} cases`, async () => {
        const failures: string[] = [];
        let ran = 0;
        for (const testCase of cases) {
          const problem = await testCase.run();
          if (problem === 'SKIP') continue;
          ran++;
          if (problem !== undefined) failures.push(`${testCase.name}: ${problem}`);
        }
        expect(failures).toEqual([]);
        expect(ran).toBeGreaterThan(0);
      });
    }
  },
);
if (dir === undefined) console.log('no ../shared/ksql-conformance: the qtt format cases are skipped');
