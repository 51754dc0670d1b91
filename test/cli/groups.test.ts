// `venice groups` against groups of other clients (kcat) and of venice itself.
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

interface DescribedGroup {
  id: string;
  state: string;
  members: { memberId: string; assignments: { topic: string; partitions: number[] }[] }[];
  offsets: {
    topic: string;
    partition: number;
    committedOffset: string | null;
    endOffset: string;
    lag: string | null;
  }[];
  totalLag: string;
}

async function describeGroup(group: string): Promise<DescribedGroup> {
  const result = await runVenice(['groups', 'describe', group, '--json', ...servers()]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as DescribedGroup;
}

describe('venice groups', { timeout: 240_000 }, () => {
  it('lists a kcat group and shows its lag after it consumed part of a topic', async () => {
    const input = Array.from({ length: 10 }, (_, index) => `event ${index}`).join('\n') + '\n';
    await runVenice(['topics', 'create', 'events', ...servers()]);
    await runVenice(['produce', 'events', '--quiet', ...servers()], { input });
    const consumed = await runKcat([
      '-b',
      broker.bootstrap,
      '-G',
      'kcat-readers',
      '-X',
      'auto.offset.reset=earliest',
      '-c',
      '4',
      'events',
    ]);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toHaveLength(4);

    const listed = await runVenice(['groups', ...servers()]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/GROUP\s+STATE\s+PROTOCOL TYPE\n(.*\n)*kcat-readers\s+Empty\s+consumer/);
    const listedJson = JSON.parse((await runVenice(['groups', 'list', '--json', ...servers()])).stdout);
    expect(listedJson).toContainEqual({ id: 'kcat-readers', state: 'Empty', protocolType: 'consumer' });

    const described = await describeGroup('kcat-readers');
    expect(described).toMatchObject({ id: 'kcat-readers', state: 'Empty', members: [], totalLag: '6' });
    expect(described.offsets).toEqual([
      { topic: 'events', partition: 0, committedOffset: '4', endOffset: '10', lag: '6', memberId: null },
    ]);
    const text = await runVenice(['groups', 'describe', 'kcat-readers', ...servers()]);
    expect(text.stdout).toContain('Group kcat-readers: Empty, 0 member(s)');
    expect(text.stdout).toContain('total lag 6');
    expect(text.stdout).toMatch(
      /TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+MEMBER\nevents\s+0\s+4\s+10\s+6/,
    );
  });

  it('refuses to reset an active group, then plans and applies a reset once it is inactive', async () => {
    await runVenice(['topics', 'create', 'ledger', '-p', '2', ...servers()]);
    await runVenice(['produce', 'ledger', '--quiet', ...servers()], { input: 'a\nb\nc\nd\ne\nf\n' });
    const member = startVenice(['consume', 'ledger', '-g', 'accountants', '--format', '%v\\n', ...servers()]);
    try {
      await member.waitForOutput(/(.*\n){6}/, 60_000);
      const active = await describeGroup('accountants');
      expect(active.state).toBe('Stable');
      expect(active.members).toHaveLength(1);
      expect(active.members[0].assignments).toEqual([{ topic: 'ledger', partitions: [0, 1] }]);

      const refused = await runVenice([
        'groups',
        'reset',
        'accountants',
        '--topic',
        'ledger',
        '--to-earliest',
        '--execute',
        ...servers(),
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('group accountants is active');
      const deleteRefused = await runVenice(['groups', 'delete', 'accountants', ...servers()]);
      expect(deleteRefused.code).toBe(1);
      expect(deleteRefused.stderr).toContain('still has members');
    } finally {
      member.child.kill('SIGINT');
      expect(await member.exited).toBe(0);
    }

    const settled = await describeGroup('accountants');
    expect(settled.members).toEqual([]);
    expect(settled.totalLag).toBe('0');

    const dryRun = await runVenice([
      'groups',
      'reset',
      'accountants',
      '--topic',
      'ledger',
      '--to-offset',
      '1',
      ...servers(),
    ]);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toMatch(
      /GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+NEW-OFFSET\naccountants\s+ledger\s+0\s+3\s+1\naccountants\s+ledger\s+1\s+3\s+1/,
    );
    expect(dryRun.stdout).toContain('Dry run: nothing changed');
    expect((await describeGroup('accountants')).totalLag).toBe('0');

    const applied = await runVenice([
      'groups',
      'reset',
      'accountants',
      '--topic',
      'ledger',
      '--to-earliest',
      '--execute',
      '--json',
      ...servers(),
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ group: 'accountants', executed: true });
    expect((await describeGroup('accountants')).totalLag).toBe('6');

    const latest = await runVenice([
      'groups',
      'reset',
      'accountants',
      '--topic',
      'ledger',
      '--to-latest',
      '--execute',
      ...servers(),
    ]);
    expect(latest.stdout).toContain('Offsets reset.');
    expect((await describeGroup('accountants')).totalLag).toBe('0');

    const deleted = await runVenice(['groups', 'delete', 'accountants', ...servers()]);
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await runVenice(['groups', 'describe', 'accountants', ...servers()]);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain('group accountants does not exist');
  });

  it('rejects bad reset requests', async () => {
    const noTarget = await runVenice(['groups', 'reset', 'g', '--topic', 'ledger', ...servers()]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--to-earliest');
    const twoTargets = await runVenice([
      'groups',
      'reset',
      'g',
      '--topic',
      'ledger',
      '--to-earliest',
      '--to-latest',
      ...servers(),
    ]);
    expect(twoTargets.code).toBe(2);
    const badOffset = await runVenice([
      'groups',
      'reset',
      'g',
      '--topic',
      'ledger',
      '--to-offset',
      'x',
      ...servers(),
    ]);
    expect(badOffset.code).toBe(2);
    const noTopic = await runVenice(['groups', 'reset', 'g', '--to-earliest', ...servers()]);
    expect(noTopic.code).toBe(2);
    const unknownTopic = await runVenice([
      'groups',
      'reset',
      'g',
      '--topic',
      'nowhere',
      '--to-earliest',
      ...servers(),
    ]);
    expect(unknownTopic.code).toBe(4);
    const unreachable = await runVenice(['groups', '--bootstrap-servers', '127.0.0.1:1']);
    expect(unreachable.code).toBe(3);
  });
});
