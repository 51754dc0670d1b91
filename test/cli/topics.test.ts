// `venice topics` driven as a user would, against a real broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { runKcat } from '../helpers/kcat.js';
import { runVenice, startVenice } from './run-venice.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
const servers = () => ['--bootstrap-servers', broker.bootstrap];

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe('venice topics', { timeout: 180_000 }, () => {
  it('creates, lists (table, --json, -t) and describes a topic', async () => {
    const created = await runVenice([
      'topics',
      'create',
      'orders',
      '-p',
      '3',
      '-c',
      'retention.ms=3600000',
      ...servers(),
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created topic orders with 3 partition(s).');

    const table = await runVenice(['-t', ...servers()]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/NAME\s+PARTITIONS\s+REPLICAS\n(.*\n)*orders\s+3\s+1/);

    const json = await runVenice(['topics', 'list', '--json', ...servers()]);
    expect(JSON.parse(json.stdout)).toContainEqual({
      name: 'orders',
      partitions: 3,
      replicationFactor: 1,
      internal: false,
    });

    await runVenice(['produce', 'orders', '-p', '1', '--quiet', ...servers()], { input: 'a\nb\n' });
    const described = await runVenice(['topics', 'describe', 'orders', ...servers()]);
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toContain('Topic orders: 3 partition(s), replication factor 1, 2 message(s)');
    expect(described.stdout).toMatch(/1\s+1\s+1\s+1\s+0\s+2\s+2/);
    expect(described.stdout).toMatch(/retention\.ms\s+3600000\s+topic/);
    expect(described.stdout).not.toContain('cleanup.policy');

    const describedJson = JSON.parse(
      (await runVenice(['topics', 'describe', 'orders', '--json', ...servers()])).stdout,
    );
    expect(describedJson).toMatchObject({ name: 'orders', replicationFactor: 1 });
    expect(describedJson.partitions[1]).toMatchObject({
      partition: 1,
      lowOffset: '0',
      highOffset: '2',
      messages: '2',
    });
    expect(describedJson.configs).toContainEqual(
      expect.objectContaining({ name: 'retention.ms', value: '3600000', source: 'topic' }),
    );
  });

  it('alters and deletes configs', async () => {
    await runVenice(['topics', 'create', 'settings', ...servers()]);
    const altered = await runVenice([
      'topics',
      'alter-config',
      'settings',
      '--set',
      'cleanup.policy=compact',
      '--set',
      'retention.ms=1000',
      ...servers(),
    ]);
    expect(altered.code, altered.stderr).toBe(0);
    await runVenice(['topics', 'alter-config', 'settings', '--delete', 'retention.ms', ...servers()]);
    const configs = JSON.parse(
      (await runVenice(['topics', 'describe', 'settings', '--json', ...servers()])).stdout,
    ).configs as {
      name: string;
      source: string;
      value: string;
    }[];
    expect(configs.find((config) => config.name === 'cleanup.policy')).toMatchObject({
      value: 'compact',
      source: 'topic',
    });
    expect(configs.find((config) => config.name === 'retention.ms')?.source).toBe('default');
    const nothing = await runVenice(['topics', 'alter-config', 'settings', ...servers()]);
    expect(nothing.code).toBe(2);
  });

  it('deletes only with --yes when there is no terminal', async () => {
    await runVenice(['topics', 'create', 'doomed', ...servers()]);
    const refused = await runVenice(['topics', 'delete', 'doomed', ...servers()]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to delete without confirmation');
    expect(refused.stderr).toContain('--yes');
    const deleted = await runVenice(['topics', 'delete', 'doomed', '--yes', ...servers()]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('Deleted topic doomed.');
    const list = JSON.parse((await runVenice(['topics', '--json', ...servers()])).stdout) as {
      name: string;
    }[];
    expect(list.map((topic) => topic.name)).not.toContain('doomed');
  });

  it('shows the recent messages kcat produced, and follows new ones', async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `k${index}:message ${index}`).join('\n') + '\n';
    const produced = await runKcat(['-P', '-b', broker.bootstrap, '-t', 'watched', '-K', ':'], lines);
    expect(produced.code, produced.stderr).toBe(0);

    const shown = await runVenice([
      'topics',
      'show',
      'watched',
      '-n',
      '5',
      '--format',
      '%k %v\\n',
      ...servers(),
    ]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.trim().split('\n')).toEqual(
      [25, 26, 27, 28, 29].map((index) => `k${index} message ${index}`),
    );

    const defaultLayout = await runVenice(['topics', 'show', 'watched', '-n', '1', ...servers()]);
    expect(defaultLayout.stdout).toMatch(/^\d{13}\s+0:29\s+k29\s+message 29\n$/);

    const follower = startVenice([
      'topics',
      'show',
      'watched',
      '-n',
      '1',
      '-f',
      '--format',
      '%v\\n',
      ...servers(),
    ]);
    await follower.waitForOutput(/message 29\n/);
    await runKcat(['-P', '-b', broker.bootstrap, '-t', 'watched'], 'late arrival\n');
    await follower.waitForOutput(/late arrival\n/);
    follower.child.kill('SIGINT');
    expect(await follower.exited).toBe(0);
    expect(follower.output()).toBe('message 29\nlate arrival\n');
  });

  it('says a topic does not exist with exit code 4', async () => {
    const missing = await runVenice(['topics', 'describe', 'no-such-topic', ...servers()]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('venice: topic no-such-topic does not exist');
    const show = await runVenice(['topics', 'show', 'no-such-topic', ...servers()]);
    expect(show.code).toBe(4);
    const remove = await runVenice(['topics', 'delete', 'no-such-topic', '--yes', ...servers()]);
    expect(remove.code).toBe(4);
  });

  it('reports an existing topic and bad option values', async () => {
    await runVenice(['topics', 'create', 'twice', ...servers()]);
    const again = await runVenice(['topics', 'create', 'twice', ...servers()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('topic twice already exists');
    const badPartitions = await runVenice(['topics', 'create', 'bad', '-p', 'many', ...servers()]);
    expect(badPartitions.code).toBe(2);
    expect(badPartitions.stderr).toContain('expected a whole number');
    const badConfig = await runVenice(['topics', 'create', 'bad', '-c', 'novalue', ...servers()]);
    expect(badConfig.code).toBe(2);
    const badCount = await runVenice(['topics', 'show', 'twice', '-n', '0', ...servers()]);
    expect(badCount.code).toBe(2);
  });

  it('fails fast with exit code 3 and a hint when Kafka is unreachable', async () => {
    const result = await runVenice(['topics', '--bootstrap-servers', '127.0.0.1:1']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('venice: cannot reach Kafka at 127.0.0.1:1');
    expect(result.stderr).toContain('venice up');
    expect(result.stderr).toContain('--bootstrap-servers');
    // Generous: on a loaded 2-core machine a node start alone takes seconds; a hang would take the 30 s timeout.
    expect(result.durationMs).toBeLessThan(20_000);
  });

  it('finds Kafka through VENICE_BOOTSTRAP_SERVERS', async () => {
    const result = await runVenice(['topics', '--json'], {
      env: { VENICE_BOOTSTRAP_SERVERS: broker.bootstrap },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });

  it('has help with examples on every subcommand', async () => {
    for (const command of ['list', 'create', 'describe', 'show', 'delete', 'alter-config']) {
      const help = await runVenice(['topics', command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });
});
