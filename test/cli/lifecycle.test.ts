// The pipeline's life as a user sees it, through the built CLI in a fresh project directory:
// up, status, produce with kcat and watch with `topics show`, a killed broker brought back, down and up
// again with the data kept, and down leaving no process behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKcat } from '../helpers/kcat.js';
import {
  isAlive,
  pipelinePorts,
  processesMentioning,
  runVenice,
  startVenice,
  statusJson,
  tearDown,
  temporaryProject,
  waitFor,
} from './lifecycle-helpers.js';

const TOPIC = 'lifecycle-events';

describe('venice up, status, kill, down, up, down', { timeout: 180_000 }, () => {
  let project: string;
  let ports: Awaited<ReturnType<typeof pipelinePorts>>;
  let bootstrap: string;
  const venice = (args: string[]) => runVenice(args, { cwd: project });

  beforeAll(async () => {
    project = temporaryProject('lifecycle');
    ports = await pipelinePorts();
    bootstrap = `127.0.0.1:${ports.kafka}`;
  });
  afterAll(async () => tearDown(project), 120_000);

  it('up starts the broker, gated by its health check, and prints the endpoints', async () => {
    const up = await venice(['up', ...ports.flags]);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/broker\s+starting \(pid \d+\)/);
    expect(up.stdout).toMatch(/broker\s+ready in [\d.]+ s/);
    expect(up.stdout).toMatch(new RegExp(`Kafka\\s+127\\.0\\.0\\.1:${ports.kafka}`));
    expect(up.stdout).toContain(`http://127.0.0.1:${ports.health}/health`);
  });

  it('status shows each component with pid, ports, state, memory and health', async () => {
    const table = await venice(['status']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/COMPONENT\s+PID\s+PORTS\s+STATE\s+UPTIME\s+MEMORY\s+HEALTH\s+RESTARTS/);
    expect(table.stdout).toMatch(
      new RegExp(
        `broker\\s+\\d+\\s+${ports.kafka},${ports.health}\\s+running\\s+\\S+\\s+[\\d.]+ MB\\s+ok\\s+0`,
      ),
    );
    const alias = await venice(['-st']);
    expect(alias.code).toBe(0);

    const { code, status } = await statusJson(project);
    expect(code).toBe(0);
    expect(status.running).toBe(true);
    expect(status.bootstrapServers).toBe(bootstrap);
    const [broker] = status.components;
    expect(broker).toMatchObject({ name: 'broker', state: 'running', health: 'ok', restarts: 0 });
    expect(isAlive(broker.pid!)).toBe(true);
    expect(broker.rssBytes).toBeGreaterThan(1024 * 1024);
  });

  it('status from another project, on the same ports, says the pipeline runs elsewhere and where', async () => {
    const other = temporaryProject('elsewhere');
    const env = { VENICE_KAFKA_PORT: String(ports.kafka), VENICE_REGISTRY_PORT: String(ports.registry) };
    const table = await runVenice(['status'], { cwd: other, env });
    expect(table.code).toBe(3);
    expect(table.stderr).toContain('a pipeline is running elsewhere');
    expect(table.stderr).toContain(`data dir ${project}/.venice`);
    expect(table.stderr).toContain(`venice status --data-dir ${project}/.venice`);

    const json = await runVenice(['status', '--json'], { cwd: other, env });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      running: false,
      elsewhere: { component: 'broker', port: ports.kafka, dataDir: `${project}/.venice` },
    });
  });

  it('kcat produces and `topics show` (finding Kafka through the running pipeline) sees and watches the messages', async () => {
    const produced = await runKcat(
      ['-b', bootstrap, '-t', TOPIC, '-P', '-K:'],
      'k1:first\nk2:second\nk3:third\n',
    );
    expect(produced.code).toBe(0);
    // No --bootstrap-servers: the command finds the pipeline started from this directory.
    const shown = await venice(['topics', 'show', TOPIC]);
    expect(shown.code, shown.stderr).toBe(0);
    for (const value of ['first', 'second', 'third']) expect(shown.stdout).toContain(value);

    const watcher = startVenice(['topics', 'show', TOPIC, '-f'], { cwd: project });
    try {
      await waitFor('the watcher to print the existing messages', () =>
        watcher.output().includes('third') ? true : undefined,
      );
      expect((await runKcat(['-b', bootstrap, '-t', TOPIC, '-P', '-K:'], 'k4:fourth\n')).code).toBe(0);
      await waitFor('the watcher to print the new message', () =>
        watcher.output().includes('fourth') ? true : undefined,
      );
    } finally {
      watcher.child.kill('SIGINT');
      await watcher.exited;
    }
  });

  it('a killed broker is restarted with backoff, and status says why it crashed', async () => {
    const before = (await statusJson(project)).status.components[0];
    process.kill(before.pid!, 'SIGKILL');
    const after = await waitFor('the broker to be running again', async () => {
      const broker = (await statusJson(project)).status.components[0];
      return broker.state === 'running' && broker.pid !== before.pid ? broker : undefined;
    });
    expect(after.restarts).toBe(1);
    expect(after.health).toBe('ok');
    expect(after.lastCrash).toMatchObject({ signal: 'SIGKILL', exitCode: null });
    expect(after.lastCrash!.reason).toContain('SIGKILL');
    expect(after.lastCrash!.logTail.join('\n')).toContain('listening on');

    const table = await venice(['status']);
    expect(table.stdout).toMatch(/broker last crashed .* ago: it was killed by SIGKILL/);
    // The restarted broker recovered its log.
    const read = await runKcat(['-b', bootstrap, '-t', TOPIC, '-C', '-e', '-q', '-f', '%s\n']);
    expect(read.stdout.trim().split('\n')).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('up while running says so and shows the status', async () => {
    const again = await venice(['up', ...ports.flags]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already running');
    expect(again.stdout).toMatch(/broker\s+\d+/);
  });

  it('down stops everything and keeps the data; up again serves the earlier messages', async () => {
    const { status } = await statusJson(project);
    const pids = [status.supervisor.pid, ...status.components.map((component) => component.pid!)];
    const down = await venice(['down']);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/broker\s+stopped/);
    expect(down.stdout).toContain('the data is kept');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(processesMentioning(project)).toEqual([]);
    expect((await venice(['status'])).code).toBe(3);

    const up = await venice(['up', ...ports.flags]);
    expect(up.code, up.stderr).toBe(0);
    const read = await runKcat(['-b', bootstrap, '-t', TOPIC, '-C', '-e', '-q', '-f', '%k=%s\n']);
    expect(read.stdout.trim().split('\n')).toEqual(['k1=first', 'k2=second', 'k3=third', 'k4=fourth']);
  });

  it('down leaves no process behind', async () => {
    const down = await venice(['down']);
    expect(down.code).toBe(0);
    expect(processesMentioning(project)).toEqual([]);
    const status = await venice(['status']);
    expect(status.code).toBe(3);
    expect(status.stderr).toContain('Venice is not running');
    expect(status.stderr).toContain('venice up');
    const again = await venice(['down']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not running');
  });
});
