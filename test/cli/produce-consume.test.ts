// `venice produce` and `venice consume` round trips, formats, positions, and kcat interop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../helpers/broker.js';
import { runKcat } from '../helpers/kcat.js';
import { runVenice } from './run-venice.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
const servers = () => ['--bootstrap-servers', broker.bootstrap];

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe('venice produce and consume', { timeout: 180_000 }, () => {
  it('round-trips keys and headers, and summarises where records went', async () => {
    await runVenice(['topics', 'create', 'trip', '-p', '2', ...servers()]);
    const produced = await runVenice(
      ['produce', 'trip', '-K', ':', '-H', 'source=test', '-H', 'kind=order', '--json', ...servers()],
      { input: 'alice:one\nbob:two\n\nalice:three\n' },
    );
    expect(produced.code, produced.stderr).toBe(0);
    const summary = JSON.parse(produced.stdout) as {
      topic: string;
      records: number;
      partitions: { records: number }[];
    };
    expect(summary).toMatchObject({ topic: 'trip', records: 3 });
    expect(summary.partitions.reduce((sum, entry) => sum + entry.records, 0)).toBe(3);

    const consumed = await runVenice(['consume', 'trip', '-e', '--json', ...servers()]);
    expect(consumed.code, consumed.stderr).toBe(0);
    const records = consumed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual([
        'headers',
        'key',
        'offset',
        'partition',
        'timestamp',
        'topic',
        'value',
      ]);
      expect(record.headers).toEqual([
        { key: 'source', value: 'test' },
        { key: 'kind', value: 'order' },
      ]);
    }
    const alice = records.filter((record) => record.key === 'alice');
    expect(alice.map((record) => record.value)).toEqual(['one', 'three']);
    // One key, one partition, consecutive offsets.
    expect(new Set(alice.map((record) => record.partition)).size).toBe(1);

    const text = await runVenice(['consume', 'trip', '-e', '--format', '%t %k=%v %h\\n', ...servers()]);
    expect(text.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'trip alice=one source=test,kind=order',
      'trip alice=three source=test,kind=order',
      'trip bob=two source=test,kind=order',
    ]);
  });

  it('produces with a format string and from a file, and prints a readable summary', async () => {
    await runVenice(['topics', 'create', 'laid-out', '-p', '3', ...servers()]);
    const formatted = await runVenice(['produce', 'laid-out', '--format', '%k|%p|%v\\n', ...servers()], {
      input: 'a|2|first\nb|2|second\nc|0|third\n',
    });
    expect(formatted.code, formatted.stderr).toBe(0);
    expect(formatted.stdout).toContain('Produced 3 record(s) to laid-out.');
    expect(formatted.stdout).toMatch(/0\s+1\s+0\n2\s+2\s+0-1/);
    const partitionTwo = await runVenice([
      'consume',
      'laid-out',
      '-p',
      '2',
      '-e',
      '--format',
      '%o:%k:%v\\n',
      ...servers(),
    ]);
    expect(partitionTwo.stdout).toBe('0:a:first\n1:b:second\n');

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'venice-produce-')), 'records.txt');
    fs.writeFileSync(file, 'from a file\n');
    const fromFile = await runVenice([
      'produce',
      'laid-out',
      '--file',
      file,
      '-p',
      '1',
      '--quiet',
      ...servers(),
    ]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toBe('');

    const mismatch = await runVenice(['produce', 'laid-out', '--format', '%k|%v', ...servers()], {
      input: 'no bar\n',
    });
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('line 1 does not match --format');
  });

  it('starts at an offset, a timestamp or the tail, and stops after a count', async () => {
    await runVenice(['topics', 'create', 'positions', ...servers()]);
    const input = Array.from(
      { length: 10 },
      (_, index) => `${1_700_000_000_000 + index * 1000}|m${index}`,
    ).join('\n');
    await runVenice(['produce', 'positions', '--format', '%T|%v', '--quiet', ...servers()], { input });
    const values = async (...args: string[]) =>
      (await runVenice(['consume', 'positions', ...args, ...servers()])).stdout.trim().split('\n');
    expect(await values('--from', '7', '-e')).toEqual(['m7', 'm8', 'm9']);
    expect(await values('--from', `@${1_700_000_000_000 + 8500}`, '-e')).toEqual(['m9']);
    expect(await values('--from', '-2', '-e')).toEqual(['m8', 'm9']);
    expect(await values('-n', '2')).toEqual(['m0', 'm1']);
    expect(await values('--from', '3', '-n', '1', '--format', '%o %T\\n')).toEqual([
      `3 ${1_700_000_003_000}`,
    ]);
  });

  it('interoperates with kcat in both directions', async () => {
    const kcatProduced = await runKcat(
      ['-P', '-b', broker.bootstrap, '-t', 'from-kcat', '-K', ':', '-H', 'origin=kcat'],
      'k1:v1\nk2:v2\n',
    );
    expect(kcatProduced.code, kcatProduced.stderr).toBe(0);
    const read = await runVenice(['consume', 'from-kcat', '-e', '--format', '%k=%v %h\\n', ...servers()]);
    expect(read.stdout).toBe('k1=v1 origin=kcat\nk2=v2 origin=kcat\n');

    await runVenice(['topics', 'create', 'to-kcat', ...servers()]);
    await runVenice(['produce', 'to-kcat', '-K', ':', '-H', 'origin=venice', '--quiet', ...servers()], {
      input: 'a:1\nb:2\n',
    });
    const kcatRead = await runKcat(['-C', '-b', broker.bootstrap, '-t', 'to-kcat', '-e', '-f', '%k=%s %h\n']);
    expect(kcatRead.code, kcatRead.stderr).toBe(0);
    expect(kcatRead.stdout).toBe('a=1 origin=venice\nb=2 origin=venice\n');
  });

  it('consumes as a group, resuming where the group left off', async () => {
    await runVenice(['topics', 'create', 'shared', ...servers()]);
    await runVenice(['produce', 'shared', '--quiet', ...servers()], { input: 'r1\nr2\nr3\nr4\n' });
    const first = await runVenice(['consume', 'shared', '-g', 'readers', '-n', '3', ...servers()]);
    expect(first.stdout).toBe('r1\nr2\nr3\n');
    const rest = await runVenice(['consume', 'shared', '-g', 'readers', '-e', ...servers()]);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toBe('r4\n');
  });

  it('rejects bad input with clear messages and exit codes', async () => {
    const unknown = await runVenice(['consume', 'no-such-topic', '-e', ...servers()]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('topic no-such-topic does not exist');
    const badFrom = await runVenice(['consume', 'shared', '--from', 'yesterday', ...servers()]);
    expect(badFrom.code).toBe(2);
    expect(badFrom.stderr).toContain('expected beginning, end, an offset');
    const badFormat = await runVenice(['consume', 'shared', '--format', '%x', ...servers()]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('unknown format directive %x');
    const badAcks = await runVenice(['produce', 'shared', '--acks', '2', ...servers()]);
    expect(badAcks.code).toBe(2);
    const badPartition = await runVenice(['produce', 'shared', '-p', '9', ...servers()], { input: 'x\n' });
    expect(badPartition.code).toBe(1);
    expect(badPartition.stderr).toContain('topic shared has no partition 9');
    const unreachable = await runVenice(['consume', 'shared', '-e', '--bootstrap-servers', '127.0.0.1:1']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('cannot reach Kafka at 127.0.0.1:1');
  });
});
