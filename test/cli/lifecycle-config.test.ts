// `venice up` configured by venice.yaml, VENICE_* and flags; what it refuses before starting anything
// (a bad venice.yaml, a port in use); `logs`, `restart` and `down --purge` on the running pipeline.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/broker.js';
import {
  pipelinePorts,
  processesMentioning,
  runVenice,
  startVenice,
  statusJson,
  tearDown,
  temporaryProject,
  waitFor,
} from './lifecycle-helpers.js';

describe('a pipeline configured by venice.yaml and the environment', { timeout: 180_000 }, () => {
  let project: string;
  let yamlKafkaPort: number;
  let envKafkaPort: number;
  let healthPort: number;
  let registryPort: number;
  let sqlPort: number;
  let connectPort: number;
  let consolePort: number;
  const env = () => ({ VENICE_KAFKA_PORT: String(envKafkaPort) });
  const venice = (args: string[]) => runVenice(args, { cwd: project, env: env() });

  beforeAll(async () => {
    project = temporaryProject('config');
    [yamlKafkaPort, envKafkaPort, healthPort, registryPort, sqlPort, connectPort, consolePort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    fs.writeFileSync(
      path.join(project, 'venice.yaml'),
      `dataDir: ./pipeline-data\nports:\n  kafka: ${yamlKafkaPort}\n  brokerHealth: ${healthPort}\n` +
        `  registry: ${registryPort}\n  sql: ${sqlPort}\n  connect: ${connectPort}\n  console: ${consolePort}\nlogLevel: debug\n`,
    );
  });
  afterAll(async () => tearDown(project), 120_000);

  it('takes VENICE_KAFKA_PORT over venice.yaml, and the rest from venice.yaml', async () => {
    const up = await venice(['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`127.0.0.1:${envKafkaPort}`);
    expect(up.stdout).toContain(path.join(project, 'pipeline-data'));
    const { status } = await statusJson(project);
    expect(status.components[0].ports).toEqual([
      { name: 'kafka', port: envKafkaPort },
      { name: 'brokerHealth', port: healthPort },
    ]);
    expect(fs.existsSync(path.join(project, 'pipeline-data', 'broker'))).toBe(true);
  });

  it('logs pretty-prints every component, filters by component and --since, and knows what exists', async () => {
    const all = await venice(['logs']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/\d\d:\d\d:\d\d\.\d{3}\s+INFO\s+supervisor\s+starting broker \(pid \d+\)/);
    expect(all.stdout).toMatch(/INFO\s+broker\s+broker 1 of cluster \S+ listening on 127\.0\.0\.1:/);
    const broker = await venice(['-l', 'broker', '--since', '10m']);
    expect(broker.stdout).toContain('listening on');
    expect(broker.stdout).not.toContain('supervisor');
    const last = await venice(['logs', 'broker', '-n', '1']);
    expect(last.stdout.trim().split('\n')).toHaveLength(1);
    const future = await venice(['logs', '--since', new Date(Date.now() + 3_600_000).toISOString()]);
    expect(future.stdout).toBe('');
    const unknown = await venice(['logs', 'nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('no log for nope');
    expect(unknown.stderr).toContain('broker, connect, console, postgres, registry, sql, supervisor');
    const badSince = await venice(['logs', '--since', 'yesterdayish']);
    expect(badSince.code).toBe(2);
  });

  it('restart brings a component back, and logs -f shows it happen', async () => {
    const before = (await statusJson(project)).status.components[0];
    const follower = startVenice(['logs', '-f', 'broker', 'supervisor'], { cwd: project, env: env() });
    try {
      // It prints what is there, then follows: once the old lines are out, it is following.
      await waitFor('the follower to print the existing lines', () =>
        follower.output().includes('listening on') ? true : undefined,
      );
      const restart = await venice(['-r', 'broker']);
      expect(restart.code, restart.stderr).toBe(0);
      expect(restart.stdout).toMatch(/broker\s+ready in/);
      expect(restart.stdout).toContain('Restarted broker.');
      await waitFor('the follower to show the broker starting again', () =>
        /restarting broker on request[\s\S]*listening on/.test(follower.output()) ? true : undefined,
      );
    } finally {
      follower.child.kill('SIGINT');
      expect(await follower.exited).toBe(0);
    }
    const after = (await statusJson(project)).status.components[0];
    expect(after.pid).not.toBe(before.pid);
    expect(after).toMatchObject({ state: 'running', restarts: 0 }); // restarts counts crashes only
    const unknown = await venice(['restart', 'nope']);
    expect(unknown.code).toBe(4);
  });

  it('down --purge refuses without a terminal unless --yes, then deletes the data dir', async () => {
    const refused = await venice(['down', '--purge']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect((await statusJson(project)).code).toBe(0); // refused before stopping anything

    const purged = await venice(['down', '--purge', '--yes']);
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stdout).toContain(`Deleted ${path.join(project, 'pipeline-data')}`);
    expect(fs.existsSync(path.join(project, 'pipeline-data'))).toBe(false);
    expect(fs.existsSync(path.join(project, 'venice.yaml'))).toBe(true);
    expect(processesMentioning(project)).toEqual([]);
  });
});

describe('what venice up refuses before starting anything', { timeout: 180_000 }, () => {
  let project: string;
  beforeAll(() => {
    project = temporaryProject('refuse');
  });
  afterAll(async () => tearDown(project), 120_000);

  it('a venice.yaml mistake: says which key, on which line, and how to fix it', async () => {
    fs.writeFileSync(path.join(project, 'venice.yaml'), 'host: 127.0.0.1\nports:\n  kafka: ninety\n');
    const up = await runVenice(['up'], { cwd: project });
    expect(up.code).toBe(2);
    expect(up.stderr).toBe(
      'venice: venice.yaml line 3, ports.kafka: expected a port between 1 and 65535, got "ninety"\n' +
        '  write a whole number, for example 9092\n',
    );
    fs.writeFileSync(path.join(project, 'venice.yaml'), 'dataDri: ./data\n');
    const typo = await runVenice(['status'], { cwd: project });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('venice.yaml line 1, dataDri: unknown setting "dataDri"');
    expect(typo.stderr).toContain('did you mean "dataDir"?');
    fs.rmSync(path.join(project, 'venice.yaml'));
    const badFlag = await runVenice(['up', '--components', 'broker,kafdrop'], { cwd: project });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--components: unknown component "kafdrop"');
    expect(fs.existsSync(path.join(project, '.venice'))).toBe(false);
  });

  it('a port in use: names the port, the process holding it, and the flag to change it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const ports = await pipelinePorts();
      const up = await runVenice(
        [
          'up',
          '--kafka-port',
          String(taken),
          '--broker-health-port',
          String(ports.health),
          '--registry-port',
          String(ports.registry),
          '--sql-port',
          String(ports.sql),
          '--connect-port',
          String(ports.connect),
          '--console-port',
          String(ports.console),
        ],
        {
          cwd: project,
        },
      );
      expect(up.code).toBe(1);
      expect(up.stderr).toMatch(
        new RegExp(
          `^venice: port ${taken} \\(Kafka\\) on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} \\(.*\\)\n`,
        ),
      );
      expect(up.stderr).toContain(
        '--kafka-port <port>, VENICE_KAFKA_PORT=<port>, or `ports.kafka` in venice.yaml',
      );
      expect(up.stdout).toBe('');
      expect(processesMentioning(project)).toEqual([]);

      const same = await runVenice(
        [
          'up',
          '--kafka-port',
          String(ports.kafka),
          '--broker-health-port',
          String(ports.kafka),
          '--registry-port',
          String(ports.registry),
          '--sql-port',
          String(ports.sql),
          '--connect-port',
          String(ports.connect),
          '--console-port',
          String(ports.console),
        ],
        {
          cwd: project,
        },
      );
      expect(same.code).toBe(2);
      expect(same.stderr).toContain(`the Kafka and broker health ports are both set to ${ports.kafka}`);

      // Browsers and fetch refuse port 6000: the console could not be opened there.
      const blocked = await runVenice(['up', '--console-port', '6000'], { cwd: project });
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toContain("the console port 6000 is one that browsers and Node's fetch refuse");
      expect(blocked.stderr).toContain('--console-port <port>, VENICE_CONSOLE_PORT=<port>');
      expect(processesMentioning(project)).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
