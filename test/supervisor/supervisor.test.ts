// The supervisor with real processes: parallel start along the dependency graph, a non-Node component,
// custom probes, the liveness probe restarting a SIGSTOP-frozen broker, and a stop deadline that moves
// on while the component reports progress.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor, type SupervisorLog } from '../../src/supervisor/supervisor.js';
import { planStart } from '../../src/supervisor/plan.js';
import { runtimePaths } from '../../src/supervisor/paths.js';
import {
  COMPONENT_CATALOG,
  componentNamed,
  type ComponentDefinition,
  type HealthCheck,
} from '../../src/supervisor/components.js';
import { isAlive } from '../../src/supervisor/process-info.js';
import { loadConfig } from '../../src/config/load.js';
import type { VeniceConfig } from '../../src/config/settings.js';
import { freePort, temporaryDataDir } from '../helpers/broker.js';
import { waitFor } from '../cli/lifecycle-helpers.js';

const FIXTURE = path.resolve('test/supervisor/fixtures/component.mjs');

interface FixtureOptions {
  dependsOn?: string[];
  liveness?: ComponentDefinition['liveness'];
  waitsForDependencies?: boolean;
  args?: string[];
  stop?: ComponentDefinition['stop'];
}

async function fixture(name: string, options: FixtureOptions = {}): Promise<ComponentDefinition> {
  const port = await freePort();
  return {
    name,
    description: name,
    dependsOn: options.dependsOn ?? [],
    waitsForDependencies: options.waitsForDependencies,
    enabledByDefault: true,
    keepsData: false,
    ports: [],
    replacedBy: () => null,
    command: () => ({
      executable: process.execPath,
      args: [FIXTURE, '--port', String(port), '--name', name, ...(options.args ?? [])],
      env: {},
    }),
    healthCheck: () => ({ kind: 'http', url: `http://127.0.0.1:${port}/health` }),
    endpoints: () => [],
    readyTimeoutMs: 20_000,
    stop: options.stop,
    liveness: options.liveness,
  };
}

/** A program that is not Node, with the given check. */
function program(name: string, executable: string, args: string[], check: HealthCheck): ComponentDefinition {
  return {
    name,
    description: name,
    dependsOn: [],
    enabledByDefault: true,
    keepsData: false,
    ports: [],
    replacedBy: () => null,
    command: () => ({ executable, args, env: {} }),
    healthCheck: () => check,
    endpoints: () => [],
    readyTimeoutMs: 20_000,
  };
}

interface Event {
  message: string;
  details: Record<string, unknown>;
}

const running: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((supervisor) => supervisor.stopAll()));
});

function supervise(table: ComponentDefinition[], overrides: Partial<VeniceConfig> = {}) {
  const dataDir = temporaryDataDir('supervisor');
  const config: VeniceConfig = {
    ...loadConfig({ cwd: dataDir, env: {}, catalog: COMPONENT_CATALOG }),
    dataDir,
    components: table.map((component) => component.name),
    ...overrides,
  };
  const events: Event[] = [];
  const record = (details: Record<string, unknown>, message: string) => events.push({ message, details });
  const log: SupervisorLog = { info: record, warn: record, error: record };
  const supervisor = new Supervisor({
    config,
    plan: planStart(config, table),
    paths: runtimePaths(dataDir),
    log,
    controlPort: 0,
    token: 'test',
    foreground: true,
  });
  running.push(supervisor);
  const status = (name: string) =>
    supervisor.state().components.find((component) => component.name === name)!;
  return { supervisor, events, status, dataDir };
}

const time = (iso: string | null) => Date.parse(iso!);

describe('supervisor', { timeout: 120_000 }, () => {
  it('starts independent components in parallel and a dependent once its dependency is ready', async () => {
    const table = [
      await fixture('slow', { args: ['--ready-after', '1500'] }),
      await fixture('beside', { args: ['--ready-after', '1500'] }),
      await fixture('after', { dependsOn: ['slow'] }),
      await fixture('overlapping', { dependsOn: ['slow'], waitsForDependencies: true }),
    ];
    const { supervisor, status } = supervise(table);
    await supervisor.startAll();
    expect(supervisor.currentPhase).toBe('running');
    const slowReady = time(status('slow').readyAt);
    // Not waiting for each other: `beside` was started before `slow` was ready.
    expect(time(status('beside').startedAt)).toBeLessThan(slowReady);
    expect(time(status('after').startedAt)).toBeGreaterThanOrEqual(slowReady);
    // It waits for its dependency itself, so it is started as soon as that is started.
    expect(time(status('overlapping').startedAt)).toBeLessThan(slowReady);
    for (const name of ['slow', 'beside', 'after', 'overlapping']) expect(status(name).state).toBe('running');
  });

  it('runs a program that is not Node, checked over TCP, and one checked by a custom probe', async () => {
    let hasPython = true;
    try {
      execFileSync('python3', ['--version']);
    } catch {
      hasPython = false;
    }
    const port = await freePort();
    let probes = 0;
    const table = [
      program('sleeper', '/bin/sleep', ['60'], {
        kind: 'custom',
        description: 'answers on the third try',
        probe: () => Promise.resolve(++probes >= 3 ? { ok: true } : { ok: false, detail: 'not yet' }),
      }),
      ...(hasPython
        ? [
            program('python', 'python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], {
              kind: 'tcp',
              host: '127.0.0.1',
              port,
            }),
          ]
        : []),
    ];
    const { supervisor, status } = supervise(table);
    await supervisor.startAll();
    expect(status('sleeper')).toMatchObject({ state: 'running', healthCheck: 'answers on the third try' });
    expect(probes).toBeGreaterThanOrEqual(3);
    if (hasPython)
      expect(status('python')).toMatchObject({ state: 'running', healthCheck: `TCP 127.0.0.1:${port}` });
    await supervisor.stopAll();
    expect(status('sleeper').state).toBe('stopped');
  });

  it('fails the start when the executable does not exist, saying so', async () => {
    const table = [
      program('ghost', '/nonexistent/venice-ghost', [], { kind: 'tcp', host: '127.0.0.1', port: 1 }),
    ];
    const { supervisor, status } = supervise(table);
    await expect(supervisor.startAll()).rejects.toThrow(/ghost could not be started: .*ENOENT/);
    expect(status('ghost').state).toBe('failed');
    expect(supervisor.currentPhase).toBe('failed');
  });

  it('kills and restarts a SIGSTOP-frozen broker after the configured number of failed probes', async () => {
    const broker: ComponentDefinition = {
      ...componentNamed('broker')!,
      liveness: { intervalMs: 300, timeoutMs: 300, failureThreshold: 3 },
    };
    const [kafka, brokerHealth] = [await freePort(), await freePort()];
    const base = loadConfig({ cwd: '/tmp', env: {}, catalog: COMPONENT_CATALOG });
    const { supervisor, status, events, dataDir } = supervise([broker], {
      ports: { ...base.ports, kafka, brokerHealth },
    });
    await supervisor.startAll();
    const frozen = status('broker').pid!;
    process.kill(frozen, 'SIGSTOP');
    const restarted = await waitFor(
      'the frozen broker to be restarted',
      () => {
        const current = status('broker');
        return current.state === 'running' && current.pid !== frozen ? current : undefined;
      },
      60_000,
    );
    expect(restarted.restarts).toBe(1);
    expect(restarted.lastCrash?.reason).toMatch(
      /was killed by the supervisor: it stopped answering its health check \(3 failed probes in a row/,
    );
    expect(isAlive(frozen)).toBe(false);
    expect(
      events.filter((event) => /failed its health check/.test(event.message)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(restarted.probeFailures).toBe(0);
    // Its own folder, given explicitly by the supervisor: <dataDir>/broker, with nothing nested in it.
    expect(fs.existsSync(path.join(dataDir, 'broker', 'meta.properties'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'broker', 'broker'))).toBe(false);
  });

  it('does not restart a component that answers 503: it is alive, only degraded', async () => {
    const liveness = { intervalMs: 100, timeoutMs: 500, failureThreshold: 2 };
    const table = [await fixture('degraded', { args: ['--degrade-after', '500'], liveness })];
    const { supervisor, status, events } = supervise(table);
    await supervisor.startAll();
    const pid = status('degraded').pid;
    await waitFor('a few probes of the degraded component', () =>
      Date.now() - time(status('degraded').readyAt) > 2000 ? true : undefined,
    );
    expect(status('degraded')).toMatchObject({ state: 'running', pid, restarts: 0, probeFailures: 0 });
    expect(events.some((event) => /failed its health check/.test(event.message))).toBe(false);
  });

  it('waits past the grace period while the component reports stop progress', async () => {
    const stop = { graceMs: 600, progressWindowMs: 1000, maxMs: 30_000 };
    const table = [await fixture('careful', { args: ['--stop-steps', '8', '--step-ms', '250'], stop })];
    const { supervisor, events } = supervise(table);
    await supervisor.startAll();
    const began = Date.now();
    await supervisor.stopAll();
    // 8 steps of 250 ms: well past the 600 ms grace, yet it ended by itself, with code 0.
    expect(Date.now() - began).toBeGreaterThanOrEqual(1500);
    expect(events.some((event) => /did not stop within/.test(event.message))).toBe(false);
    expect(events.find((event) => event.message === 'careful stopped')?.details).toMatchObject({
      exitCode: 0,
      signal: null,
    });
  });

  it('kills a component that repeats the same progress past its grace period', async () => {
    const stop = { graceMs: 600, progressWindowMs: 1000, maxMs: 30_000 };
    const table = [
      await fixture('stuck', { args: ['--stop-steps', '40', '--step-ms', '250', '--same-progress'], stop }),
    ];
    const { supervisor, events } = supervise(table);
    await supervisor.startAll();
    await supervisor.stopAll();
    expect(events.some((event) => /stuck \(pid \d+\) did not stop within/.test(event.message))).toBe(true);
    expect(events.find((event) => event.message === 'stuck stopped')?.details).toMatchObject({
      signal: 'SIGKILL',
    });
  });
});
