// `venice up --foreground`: attached, seen by the other commands, stopped by Ctrl-C (SIGINT) or by
// `venice down`, leaving no process behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAlive,
  pipelinePorts,
  processesMentioning,
  runVenice,
  startVenice,
  statusJson,
  tearDown,
  temporaryProject,
  waitForOutput,
} from './lifecycle-helpers.js';

describe('venice up --foreground', { timeout: 240_000 }, () => {
  let project: string;
  let ports: Awaited<ReturnType<typeof pipelinePorts>>;

  beforeAll(async () => {
    project = temporaryProject('foreground');
    ports = await pipelinePorts();
  });
  afterAll(async () => tearDown(project), 120_000);

  it('runs attached until Ctrl-C, then stops every component', async () => {
    const up = startVenice(['up', '--foreground', ...ports.flags], { cwd: project });
    await waitForOutput(up, 'Press Ctrl-C to stop.');
    expect(up.output()).toMatch(/broker\s+ready in/);
    expect(up.output()).toContain(`127.0.0.1:${ports.kafka}`);

    const { code, status } = await statusJson(project);
    expect(code).toBe(0);
    expect(status.supervisor.pid).toBe(up.child.pid);
    const table = await runVenice(['status'], { cwd: project });
    expect(table.stdout).toContain('(foreground)');
    const brokerPid = status.components[0].pid!;
    expect(isAlive(brokerPid)).toBe(true);

    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    expect(up.output()).toMatch(/broker\s+stopping/);
    expect(up.output()).toContain('Venice stopped.');
    expect(isAlive(brokerPid)).toBe(false);
    expect(processesMentioning(project)).toEqual([]);
    expect((await runVenice(['status'], { cwd: project })).code).toBe(3);
  });

  it('is stopped by venice down from another terminal', async () => {
    const up = startVenice(['up', '--foreground', ...ports.flags], { cwd: project });
    await waitForOutput(up, 'Press Ctrl-C to stop.');
    const down = await runVenice(['down'], { cwd: project });
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/broker\s+stopped/);
    expect(await up.exited).toBe(0);
    expect(processesMentioning(project)).toEqual([]);
  });

  it('a second up --foreground on the same data dir says it is already running', async () => {
    const first = startVenice(['up', '--foreground', ...ports.flags], { cwd: project });
    try {
      await waitForOutput(first, 'Press Ctrl-C to stop.');
      const second = await runVenice(['up', '--foreground', ...ports.flags], { cwd: project });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('already running');
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
    expect(processesMentioning(project)).toEqual([]);
  });
});
