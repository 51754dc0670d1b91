// The default pipeline end to end, as a user runs it: `venice up --demo` from an empty folder (real
// processes, the built CLI), seeded orders produced to a count, and PostgreSQL's tables checked against
// the orders the demo's tally says it produced. Then everything restarts, more orders come, and the
// final figures are those of all the orders once: nothing lost, nothing counted twice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTally } from '../../src/demo/tally.js';
import { runVenice, tearDown, temporaryProject } from '../cli/lifecycle-helpers.js';
import { demoOrders, expectedFigures, pipelineFigures, type Figures } from './order-figures.js';

// This test's ports (21220-21226).
const PORTS = {
  kafka: 21220,
  'broker-health': 21221,
  registry: 21222,
  sql: 21223,
  connect: 21224,
  console: 21225,
  postgres: 21226,
};
const PORT_FLAGS = Object.entries(PORTS).flatMap(([name, port]) => [`--${name}-port`, String(port)]);
const POSTGRES_URL = `postgres://postgres@127.0.0.1:${PORTS.postgres}/postgres`;
const SEED = 'e2e-demo';

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} within ${timeoutMs} ms (last error: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('venice up --demo, end to end', { timeout: 600_000 }, () => {
  let project: string;
  let tallyFile: string;
  beforeAll(() => {
    project = temporaryProject('demo-e2e');
    tallyFile = path.join(project, '.venice', 'demo', 'tally.json');
  });
  afterAll(async () => tearDown(project, ['--purge']), 120_000);

  const up = async (count: number) => {
    const result = await runVenice(
      [
        'up',
        '--demo',
        ...PORT_FLAGS,
        '--demo-count',
        String(count),
        '--demo-seed',
        SEED,
        '--demo-rate',
        '200',
      ],
      { cwd: project, timeoutMs: 240_000 },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('demo');
  };

  /** Waits for the demo to have produced `count` orders, then for PostgreSQL to show them all. */
  const settles = async (count: number): Promise<Figures> => {
    await until(`the demo produced ${count} orders`, 120_000, async () =>
      readTally(tallyFile)?.produced === count ? true : null,
    );
    const expected = expectedFigures(demoOrders(SEED, count));
    let seen: Figures | null = null;
    try {
      return await until('PostgreSQL agrees with the orders produced', 120_000, async () => {
        const figures = await pipelineFigures(POSTGRES_URL);
        seen = figures === null ? null : sorted(figures);
        return JSON.stringify(seen) === JSON.stringify(sorted(expected)) ? seen : null;
      });
    } catch (error) {
      expect(seen, String(error)).toEqual(sorted(expected)); // shows the difference
      throw error;
    }
  };

  it('fills PostgreSQL with figures that agree with the produced orders', async () => {
    await up(300);
    const figures = await settles(300);
    expect(Object.keys(figures.inventory).length).toBeGreaterThan(10);
    expect(fs.existsSync(tallyFile)).toBe(true);
  });

  it('after a restart of everything, more orders: nothing lost, nothing counted twice', async () => {
    const down = await runVenice(['down'], { cwd: project, timeoutMs: 120_000 });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(readTally(tallyFile)).toEqual({ seed: SEED, produced: 300 });
    await up(700);
    await settles(700);
  });
});

/** Figures with their keys in order, so that two of them compare as JSON. */
function sorted(figures: Figures): Figures {
  const order = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  return {
    inventory: order(figures.inventory),
    sellerRevenue: order(figures.sellerRevenue),
    deals: order(figures.deals),
  };
}
