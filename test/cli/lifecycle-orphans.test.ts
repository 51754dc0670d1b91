// A supervisor killed with SIGKILL leaves its components running: status lists them as orphaned, down
// stops every one of them (the registry too, whose command line does not name the data dir), and up
// stops them and starts cleanly on the same ports. Two `venice up` at once: one wins, the other says
// who holds the lock in one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAlive,
  pipelinePorts,
  runVenice,
  statusJson,
  tearDown,
  temporaryProject,
  waitFor,
} from './lifecycle-helpers.js';

interface OrphansJson {
  running: false;
  orphaned: true;
  supervisor: { pid: number } | null;
  components: { name: string; pid: number; state: string; health: string }[];
}

describe('a supervisor killed with SIGKILL', { timeout: 240_000 }, () => {
  let project: string;
  let ports: Awaited<ReturnType<typeof pipelinePorts>>;
  const venice = (args: string[]) => runVenice(args, { cwd: project });

  beforeAll(async () => {
    project = temporaryProject('orphans');
    ports = await pipelinePorts();
  });
  afterAll(async () => tearDown(project), 120_000);

  /** Starts the pipeline, kills its supervisor, and returns the pids of the components left running. */
  async function upThenKillSupervisor(): Promise<Record<string, number>> {
    const up = await venice(['up', ...ports.flags]);
    expect(up.code, up.stderr).toBe(0);
    const { status } = await statusJson(project);
    const pids = Object.fromEntries(status.components.map((component) => [component.name, component.pid!]));
    expect(Object.keys(pids).sort()).toEqual(['broker', 'connect', 'console', 'postgres', 'registry', 'sql']);
    process.kill(status.supervisor.pid, 'SIGKILL');
    await waitFor('the supervisor to die', () => (isAlive(status.supervisor.pid) ? undefined : true));
    for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(true);
    return pids;
  }

  it('status lists every component it left, as orphaned', async () => {
    const pids = await upThenKillSupervisor();
    const table = await venice(['status']);
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(
      /supervisor \(pid \d+\) is gone, but 6 of its components still run without it/,
    );
    expect(table.stdout).toMatch(new RegExp(`broker\\s+${pids.broker}\\s+\\S+\\s+orphaned`));
    expect(table.stdout).toMatch(new RegExp(`registry\\s+${pids.registry}\\s+${ports.registry}\\s+orphaned`));

    const json = await venice(['status', '--json']);
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout) as OrphansJson;
    expect(report).toMatchObject({ running: false, orphaned: true });
    expect(report.components.map(({ name, pid, state, health }) => ({ name, pid, state, health }))).toEqual([
      { name: 'broker', pid: pids.broker, state: 'orphaned', health: 'ok' },
      { name: 'registry', pid: pids.registry, state: 'orphaned', health: 'ok' },
      { name: 'sql', pid: pids.sql, state: 'orphaned', health: 'ok' },
      { name: 'postgres', pid: pids.postgres, state: 'orphaned', health: 'ok' },
      { name: 'connect', pid: pids.connect, state: 'orphaned', health: 'ok' },
      { name: 'console', pid: pids.console, state: 'orphaned', health: 'ok' },
    ]);
  });

  it('down stops every one of them', async () => {
    const report = JSON.parse((await venice(['status', '--json'])).stdout) as OrphansJson;
    expect(report.components).toHaveLength(6);
    const down = await venice(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/registry\s+stopping \(pid \d+\)/);
    expect(down.stdout).toMatch(/broker\s+stopping \(pid \d+\)/);
    expect(down.stdout).toMatch(/sql\s+stopping \(pid \d+\)/);
    for (const component of report.components) expect(isAlive(component.pid)).toBe(false);
    const after = await venice(['status']);
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('Venice is not running');
  });

  it('up stops them and starts cleanly on the same ports', async () => {
    const pids = await upThenKillSupervisor();
    const up = await venice(['up', ...ports.flags]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain(
      `Stopping broker (pid ${pids.broker}), registry (pid ${pids.registry}), sql (pid ${pids.sql}), postgres (pid ${pids.postgres}), connect (pid ${pids.connect}), console (pid ${pids.console}), left running by a supervisor that was killed.`,
    );
    expect(up.stdout).toMatch(/registry\s+ready in/);
    for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(false);
    const { code, status } = await statusJson(project);
    expect(code).toBe(0);
    expect(status.components.map((component) => [component.name, component.state])).toEqual([
      ['broker', 'running'],
      ['registry', 'running'],
      ['sql', 'running'],
      ['postgres', 'running'],
      ['connect', 'running'],
      ['console', 'running'],
    ]);
    expect((await venice(['down'])).code).toBe(0);
  });
});

describe('two venice up at once in one directory', { timeout: 180_000 }, () => {
  let project: string;
  beforeAll(() => {
    project = temporaryProject('two-ups');
  });
  afterAll(async () => tearDown(project), 120_000);

  it('one starts the pipeline; the other says in one line who holds the lock', async () => {
    const ports = await pipelinePorts();
    const [first, second] = await Promise.all([
      runVenice(['up', ...ports.flags], { cwd: project }),
      runVenice(['up', ...ports.flags], { cwd: project }),
    ]);
    const results = [first, second];
    const winners = results.filter((result) => /Venice is running \(supervisor pid/.test(result.stdout));
    expect(winners).toHaveLength(1);
    const [loser] = results.filter((result) => !winners.includes(result));
    expect(loser.stderr + loser.stdout).not.toMatch(/\n\s+at /); // no stack trace
    if (loser.code !== 0) {
      expect(loser.stderr.trim().split('\n'), loser.stderr).toHaveLength(1);
      expect(loser.stderr).toMatch(
        /^venice: Venice is already being started or run from this data dir by pid \d+ \(.*\), which holds .*supervisor\.lock/,
      );
      expect(loser.code).toBe(1);
    } else {
      // It came late enough to find the winner's supervisor already running.
      expect(loser.stdout).toContain('Venice is already running');
    }
    const { code, status } = await statusJson(project);
    expect(code).toBe(0);
    expect(status.components.every((component) => component.state === 'running')).toBe(true);
    expect((await runVenice(['down'], { cwd: project })).code).toBe(0);
  });
});
