// ksqlDB's project-filter cases through the conformance runner: the pass count must not drop below the
// floor (raise FLOOR as the engine gets better). Skipped when the case files are not next to the repo.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rankedCauses, totals } from '../../../tools/conformance/report.js';
import { loadEngineFactory, runConformance } from '../../../tools/conformance/runner.js';

const CASES = path.resolve('..', 'shared', 'ksql-conformance', 'qtt');
const present = fs.existsSync(path.join(CASES, 'project-filter.json'));
/** Cases of project-filter.json that passed when the floor was last raised. */
const FLOOR = 20;

describe.skipIf(!present)('conformance: project-filter', () => {
  it(`passes at least ${FLOOR} cases (22 of 23 when the floor was set)`, { timeout: 120_000 }, async () => {
    const engineAvailable = (await loadEngineFactory()) !== undefined;
    if (!engineAvailable)
      console.log('conformance: src/sql/engine/index.ts has no createSqlEngine yet; cases not run');
    const results = await runConformance({ casesDir: CASES, filter: /^project-filter$/, timeoutMs: 10_000 });
    const { cases, passed } = totals(results);
    console.log(
      `project-filter: ${passed}/${cases} passed; causes: ${JSON.stringify(rankedCauses(results))}`,
    );
    expect(cases).toBeGreaterThan(0);
    // Without the engine (a branch merged before it) there is nothing to hold to the floor.
    if (engineAvailable) expect(passed).toBeGreaterThanOrEqual(FLOOR);
  });
});

if (!present) console.log(`conformance: ${CASES} is absent; the project-filter run is skipped`);
