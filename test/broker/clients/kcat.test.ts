// kcat (Debian's librdkafka CLI) against a real broker process.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';
import { runKcat, startKcat, type KcatProcess } from '../../helpers/kcat.js';
import { waitFor } from '../../helpers/wait.js';
import { checkExactlyOnce, PARTITIONS, RECORD_COUNT, type Consumed } from './pipeline-scenario.js';

let broker: BrokerProcess;
let dataDir: string;
let port: number;

const bootstrap = () => `127.0.0.1:${port}`;

function parseLines(lines: string[]): Consumed[] {
  return lines
    .filter((line) => line.length > 0)
    .map((line) => {
      const [partition, offset, value] = line.split(' ');
      return { partition: Number(partition), offset: Number(offset), value };
    });
}

function groupMember(topic: string, group: string, extra: string[] = []): KcatProcess {
  return startKcat([
    '-b',
    bootstrap(),
    '-G',
    group,
    '-X',
    'auto.offset.reset=earliest',
    '-X',
    'session.timeout.ms=10000',
    '-u',
    '-q',
    '-f',
    '%p %o %s\n',
    ...extra,
    topic,
  ]);
}

describe('kcat (librdkafka) client', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('kcat');
    // Topics are auto-created with 3 partitions, as kcat cannot create topics itself.
    broker = await spawnBroker(dataDir, 0, ['--partitions', String(PARTITIONS)]);
    port = broker.port;
  });

  afterAll(() => {
    broker?.child.kill('SIGKILL');
  });

  it('lists metadata with -L', async () => {
    await runKcat(['-P', '-b', bootstrap(), '-t', 'metadata-check'], 'one\n');
    const result = await runKcat(['-L', '-b', bootstrap(), '-t', 'metadata-check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`broker 1 at 127.0.0.1:${port} (controller)`);
    expect(result.stdout).toContain('topic "metadata-check" with 3 partitions');
    expect(result.stdout).toMatch(/partition 2, leader 1, replicas: 1, isrs: 1/);
  });

  it('produces 10,000 records, consumes them with a group of 2 across a broker restart, exactly once', async () => {
    const topic = 'clicks';
    const group = 'click-readers';
    const expected = new Set<string>();
    const lines: string[] = [];
    for (let i = 0; i < RECORD_COUNT; i++) {
      expected.add(`click-${i}`);
      lines.push(`user-${i % 101}:click-${i}`);
    }
    const input = path.join(dataDir, 'clicks.txt');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const produced = await runKcat([
      '-P',
      '-b',
      bootstrap(),
      '-t',
      topic,
      '-K',
      ':',
      '-X',
      'acks=all',
      '-l',
      input,
    ]);
    expect(produced.code, produced.stderr).toBe(0);

    // Phase 1: two members share the partitions; each stops after its count and commits on close.
    const firstMembers = [
      groupMember(topic, group, ['-c', '2000']),
      groupMember(topic, group, ['-c', '2000']),
    ];
    const codes = await Promise.all(firstMembers.map((member) => member.exited));
    expect(codes).toEqual([0, 0]);
    const firstPhase = firstMembers.map((member) => parseLines(member.lines));
    expect(firstPhase.flat().length).toBe(4000);

    broker.child.kill('SIGTERM');
    await broker.exited;
    broker = await spawnBroker(dataDir, port, ['--partitions', String(PARTITIONS)]);

    // Phase 2: resume from the committed offsets.
    const secondMembers = [groupMember(topic, group), groupMember(topic, group)];
    const consumedSoFar = () => secondMembers.reduce((sum, member) => sum + member.lines.length, 0);
    await waitFor(() => consumedSoFar() >= RECORD_COUNT - 4000, {
      timeoutMs: 60_000,
      what: 'the second members to consume the rest of the records',
    });
    // A quiet second on purpose: a duplicate would arrive after the count was reached.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const member of secondMembers) member.child.kill('SIGTERM');
    await Promise.all(secondMembers.map((member) => member.exited));
    const secondPhase = secondMembers.map((member) => parseLines(member.lines));

    checkExactlyOnce([...firstPhase, ...secondPhase], expected);
  });

  it('finds offsets by timestamp with -Q', async () => {
    const topic = 'timed';
    const base = Date.now() - 60_000;
    // One producer run per record, a little apart, so every record has its own create time.
    for (let i = 0; i < 5; i++) {
      const result = await runKcat(['-P', '-b', bootstrap(), '-t', topic, '-p', '0'], `event-${i}\n`);
      expect(result.code, result.stderr).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const produced = await runKcat(['-C', '-b', bootstrap(), '-t', topic, '-p', '0', '-e', '-f', '%o %T\n']);
    const timestamps = produced.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number));
    expect(timestamps.length).toBeGreaterThanOrEqual(5);
    const [thirdOffset, thirdTimestamp] = timestamps[2];

    const query = await runKcat(['-Q', '-b', bootstrap(), '-t', `${topic}:0:${thirdTimestamp}`]);
    expect(query.code, query.stderr).toBe(0);
    expect(query.stdout).toContain(`offset ${thirdOffset}`);

    const beforeAll = await runKcat(['-Q', '-b', bootstrap(), '-t', `${topic}:0:${base}`]);
    expect(beforeAll.stdout).toContain('offset 0');
    const afterAll = await runKcat(['-Q', '-b', bootstrap(), '-t', `${topic}:0:${Date.now() + 60_000}`]);
    expect(afterAll.stdout).toContain('offset -1');
  });

  it('produces with the idempotent producer', async () => {
    const topic = 'idempotent';
    const input = Array.from({ length: 2000 }, (_, i) => `k${i}:v${i}`).join('\n') + '\n';
    const produced = await runKcat(
      ['-P', '-b', bootstrap(), '-t', topic, '-K', ':', '-X', 'enable.idempotence=true', '-X', 'acks=all'],
      input,
    );
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stderr).not.toMatch(/error|fail/i);
    const consumed = await runKcat(['-C', '-b', bootstrap(), '-t', topic, '-e', '-q', '-f', '%s\n']);
    const values = consumed.stdout.trim().split('\n');
    expect(values.length).toBe(2000);
    expect(new Set(values).size).toBe(2000);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`produces and consumes ${codec}-compressed batches`, async () => {
      const topic = `compressed-${codec}`;
      const values = Array.from({ length: 500 }, (_, i) => `${codec} record ${i} ${'x'.repeat(i % 50)}`);
      const produced = await runKcat(
        ['-P', '-b', bootstrap(), '-t', topic, '-p', '0', '-z', codec, '-X', 'acks=all'],
        values.join('\n') + '\n',
      );
      expect(produced.code, produced.stderr).toBe(0);
      const consumed = await runKcat([
        '-C',
        '-b',
        bootstrap(),
        '-t',
        topic,
        '-p',
        '0',
        '-e',
        '-q',
        '-f',
        '%o %s\n',
      ]);
      const lines = consumed.stdout.trim().split('\n');
      expect(lines.length).toBe(values.length);
      lines.forEach((line, index) => expect(line).toBe(`${index} ${values[index]}`));
    });
  }
});
